"""Shared fixtures: the built book (executed notebooks) and the values chapters
glue."""

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
# The chapters the table of contents lists: the ones the site builds.
BOOK_CHAPTERS = [
    p
    for p in CHAPTERS
    if f"chapters/{p.stem}" in (ROOT / "_toc.yml").read_text()
]
EXECUTED = ROOT / "_build" / "jupyter_execute" / "chapters"
HTML = ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def built_book():
    """Build the site as `make book` does (cached, -W): fails if any cell or
    page fails."""
    result = subprocess.run(
        ["make", "--no-print-directory", "site"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.fail(
            "the book did not build:\n"
            + result.stdout[-6000:]
            + result.stderr[-6000:]
        )
    return HTML


def read_glued(path):
    """Return {name: value} from the ``.glue.json`` file the book build writes
    beside each executed page in _build/jupyter_execute (what the notebook
    glued with mlbook.glue)."""
    values = {}
    for name, record in json.loads(Path(path).read_text()).items():
        data = record["data"]
        if set(data) != {"text/plain"}:  # a glued figure: keep its formats
            values[name] = sorted(data)
            continue
        try:
            values[name] = ast.literal_eval(data["text/plain"])
        except (ValueError, SyntaxError):
            values[name] = data["text/plain"]
    return values


@pytest.fixture(scope="session")
def glued(built_book):
    """glued("03_regression") -> the values that chapter's executed notebook
    glued."""

    def values_of(stem):
        path = EXECUTED / f"{stem}.glue.json"
        assert path.exists(), (
            f"{path} missing: the book build did not execute {stem}"
        )
        return read_glued(path)

    return values_of


def find_pythons(minors=(10, 11, 12, 13)):
    """{minor: interpreter} for each Python 3.minor found on PATH or under
    pyenv."""
    pyenv_versions = (
        Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    )
    found = {}
    for minor in minors:
        candidates = [shutil.which(f"python3.{minor}")]
        candidates += sorted(pyenv_versions.glob(f"3.{minor}.*/bin/python3"))
        for candidate in filter(None, candidates):
            version = subprocess.run(
                [
                    str(candidate),
                    "-c",
                    "import sys; print(sys.version_info[:2])",
                ],
                capture_output=True,
                text=True,
            )
            if (
                version.returncode == 0
                and version.stdout.strip() == f"(3, {minor})"
            ):
                found[minor] = Path(candidate)
                break
    return found


def second_python_or_skip(minors=(12, 13)):
    """A Python 3.minor other than the one running the tests (default 3.12 or
    3.13)."""
    this = Path(sys._base_executable).resolve()
    for python in find_pythons(minors).values():
        if python.resolve() != this:
            return python
    names = " or ".join(f"3.{m}" for m in minors)
    pytest.skip(
        f"no other Python {names} found (python3.x on PATH, or under pyenv): "
        "install one to run this test"
    )
