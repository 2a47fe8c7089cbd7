"""The built site: offline, accessible basics, launch buttons, status page,
numbered figures."""

import re
from html.parser import HTMLParser

import pytest
from conftest import BOOK_CHAPTERS

RESOURCE_ATTRIBUTES = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "audio": "src",
    "video": "src",
    "embed": "src",
    "object": "data",
}
EXTERNAL = re.compile(r"^(https?:)?//", re.I)


class Page(HTMLParser):
    """Collects what a browser would fetch, the images and the links of one
    page."""

    def __init__(self, text):
        super().__init__()
        self.resources, self.images, self.links = [], [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in RESOURCE_ATTRIBUTES and attrs.get(RESOURCE_ATTRIBUTES[tag]):
            self.resources.append(attrs[RESOURCE_ATTRIBUTES[tag]])
        if (
            tag == "link"
            and attrs.get("href")
            and set((attrs.get("rel") or "").split())
            & {"stylesheet", "icon", "preload", "modulepreload", "manifest"}
        ):
            self.resources.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


@pytest.fixture(scope="module")
def pages(built_book):
    return {
        path.relative_to(built_book).as_posix(): path.read_text()
        for path in built_book.rglob("*.html")
        if "_static" not in path.parts
    }


def test_no_page_loads_anything_from_another_host(pages):
    offenders = {
        name: [r for r in Page(text).resources if EXTERNAL.match(r)]
        for name, text in pages.items()
    }
    assert not {k: v for k, v in offenders.items() if v}


def test_no_static_asset_pulls_from_another_host(built_book):
    pattern = re.compile(
        r"(@import\s+(url\()?['\"]?|url\(['\"]?)(https?:)?//", re.I
    )
    offenders = [
        p.name
        for p in (built_book / "_static").rglob("*.css")
        if pattern.search(p.read_text(errors="ignore"))
    ]
    assert not offenders


def test_mathjax_is_self_hosted(built_book, pages):
    intro = pages["chapters/01_introduction.html"]
    assert "_static/mathjax/tex-chtml.js" in intro
    assert (built_book / "_static" / "mathjax" / "tex-chtml.js").exists()
    assert list(
        (built_book / "_static" / "mathjax").rglob("*.woff")
    )  # the fonts too
    assert re.search(r'class="math[^"]*"', intro)


def test_every_image_has_alt_text(pages):
    missing = [
        (name, img.get("src"))
        for name, text in pages.items()
        for img in Page(text).images
        if not (img.get("alt") or "").strip()
    ]
    assert not missing


@pytest.mark.parametrize("chapter", [p.stem for p in BOOK_CHAPTERS])
def test_chapter_has_colab_download_and_repository_buttons(pages, chapter):
    links = Page(pages[f"chapters/{chapter}.html"]).links
    repository = "github.com/programming-with-data/programming-with-data"
    assert (
        f"https://colab.research.google.com/github/programming-with-data/"
        f"programming-with-data/blob/main/chapters/{chapter}.ipynb"
    ) in links
    assert f"../_sources/chapters/{chapter}.ipynb" in links
    assert f"https://{repository}" in links


def test_figures_are_numbered_and_captioned(pages):
    intro = pages["chapters/01_introduction.html"]
    numbers = re.findall(
        r'<span class="caption-number">Fig\. ([\d.]+) </span>', intro
    )
    assert len(numbers) >= 4 and len(set(numbers)) == len(numbers)


def test_status_page_shows_execution_and_versions(pages):
    status = pages["book/status.html"]
    for path in BOOK_CHAPTERS:
        assert f"chapters/{path.stem}" in status, path.stem
    assert "mxnet" in status and "1.9.1" in status and "numpy" in status
    assert re.search(r"built on \w+ \d{1,2}, \d{4}", status)


def test_bibliography_lists_what_chapters_cite(pages):
    bibliography = pages["book/bibliography.html"]
    assert "Sutton" in bibliography and "Mitchell" in bibliography


@pytest.mark.parametrize("chapter", [p.stem for p in BOOK_CHAPTERS])
def test_each_chapter_opens_with_what_it_teaches_and_its_run_time(
    pages, chapter
):
    """The box under the title: the notebook's `mlbook.learn` line and the
    execution time the build measured."""
    text = pages[f"chapters/{chapter}.html"]
    box = re.search(
        r'<div class="(?:admonition chapter-box|chapter-box admonition)">'
        r"(.*?)</div>",
        text,
        re.S,
    )
    assert box, "no 'In this chapter' box"
    assert "You will learn" in box.group(1)
    assert re.search(r"Time to run: (\d+ min )?\d+ s", box.group(1))


def test_the_vega_bundle_is_served_by_the_site(built_book, pages):
    """Interactive figures draw with the site's own copy of Vega."""
    with_figures = [n for n, t in pages.items() if "mlbook-interactive" in t]
    assert with_figures
    for name in with_figures:
        assert re.search(
            r'<script src="[./]*_static/vega-bundle\.js', pages[name]
        ), name
    bundle = built_book / "_static" / "vega-bundle.js"
    assert bundle.stat().st_size > 500_000
    assert "vegaEmbed" in bundle.read_text()[-2000:]
