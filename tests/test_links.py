"""No broken internal link or anchor anywhere in the built site (no network
needed)."""

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import BOOK_CHAPTERS


class Anchors(HTMLParser):
    """Collects a page's ids and the local targets of its links."""

    def __init__(self, text):
        super().__init__()
        self.ids, self.targets = set(), []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            value = attrs.get(key)
            if value and not re.match(
                r"^([a-z][a-z0-9+.-]*:|//)", value, re.I
            ):
                self.targets.append(value)


@pytest.fixture(scope="module")
def site(built_book):
    return {
        path: Anchors(path.read_text())
        for path in built_book.rglob("*.html")
        if "_static" not in path.relative_to(built_book).parts
    }


def test_every_internal_link_and_anchor_resolves(site, built_book):
    broken = []
    for page, anchors in site.items():
        for target in anchors.targets:
            parts = urlsplit(target)
            path = (
                (page.parent / unquote(parts.path)).resolve()
                if parts.path
                else page
            )
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(
                    f"{page.relative_to(built_book)} -> {target} (no such "
                    "file)"
                )
            elif parts.fragment and path.suffix == ".html":
                ids = (
                    site[path].ids
                    if path in site
                    else Anchors(path.read_text()).ids
                )
                if unquote(parts.fragment) not in ids:
                    broken.append(
                        f"{page.relative_to(built_book)} -> {target} (no such "
                        "anchor)"
                    )
    assert not broken, "\n".join(broken[:30])


def test_the_notebook_archive_holds_every_chapter(built_book):
    listed = [p.name for p in BOOK_CHAPTERS]
    with zipfile.ZipFile(
        built_book / "programming-with-data-notebooks.zip"
    ) as archive:
        assert sorted(Path(n).name for n in archive.namelist()) == sorted(
            listed
        )
