"""Notebook hygiene: stored without outputs, the Colab cell first, and every
chapter in the book."""

import json
import re

import nbformat
import pytest
import yaml
from conftest import CHAPTERS, EXECUTED, ROOT
from jupyter_cache import get_cache

COLAB_CELL = (ROOT / "tests" / "colab_install_cell.txt").read_text().strip()


@pytest.fixture(params=CHAPTERS, ids=lambda p: p.stem)
def notebook(request):
    return request.param, json.loads(request.param.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def test_there_are_chapters():
    assert CHAPTERS and CHAPTERS[0].name == "01_introduction.ipynb"


def test_stored_without_outputs(notebook):
    path, nb = notebook
    dirty = [
        i
        for i, c in enumerate(code_cells(nb))
        if c.get("outputs") or c.get("execution_count")
    ]
    assert not dirty, (
        f"{path.name}: code cells {dirty} carry outputs; run nbstripout"
    )


def test_first_code_cell_installs_the_book_in_colab_only(notebook):
    path, nb = notebook
    first = "".join(code_cells(nb)[0]["source"]).strip()
    assert first == COLAB_CELL, (
        f"{path.name}: the first code cell must be "
        "tests/colab_install_cell.txt"
    )


def test_colab_cell_installs_from_the_repository_of_the_config():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    url, branch = config["repository"]["url"], config["repository"]["branch"]
    assert branch == "main"
    repository = url.removeprefix("https://")
    assert f'REPOSITORY = "{repository}"' in COLAB_CELL
    assert f'f"git+https://{{REPOSITORY}}@{branch}"' in COLAB_CELL
    assert (
        "--no-deps mxnet==1.9.1" in COLAB_CELL
        and "MLBOOK_SOURCE" in COLAB_CELL
    )
    assert "numpy" not in COLAB_CELL.lower()  # never touch Colab's NumPy


def test_imports_mlbook_before_mxnet(notebook):
    path, nb = notebook
    source = "\n".join("".join(c["source"]) for c in code_cells(nb)[1:])
    assert "import mlbook" in source
    assert source.index("import mlbook") < source.index("mxnet"), path.name


def test_runs_without_the_book_toolchain(notebook):
    """Colab has no myst-nb: chapters glue through mlbook.glue, which works
    without it."""
    path, nb = notebook
    source = "\n".join("".join(c["source"]) for c in code_cells(nb))
    assert "myst_nb" not in source, (
        f"{path.name}: use mlbook.glue instead of myst_nb"
    )


def test_one_title_and_exercises_with_folded_solutions(notebook):
    path, nb = notebook
    markdown = "\n".join(
        "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
    )
    assert len(re.findall(r"^# ", markdown, flags=re.M)) == 1, path.name
    assert "## Exercises" in markdown, path.name
    assert re.search(r":class: dropdown", markdown.split("## Exercises")[1]), (
        path.name
    )


def test_every_chapter_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text()
    for path in CHAPTERS:
        assert f"chapters/{path.stem}" in toc, path.name


def test_every_chapter_executed_without_error(built_book):
    """The build's execution cache holds a run of each chapter's current code,
    error-free."""
    cache = get_cache(ROOT / ".jupyter_cache")
    for path in CHAPTERS:
        assert (EXECUTED / path.name).exists(), (
            f"{path.name} was not executed by the build"
        )
        notebook = nbformat.read(path, as_version=4)
        _, executed = cache.merge_match_into_notebook(
            notebook
        )  # raises if never run
        outputs = [
            o for c in code_cells(executed) for o in c.get("outputs", [])
        ]
        assert outputs, f"{path.name}: the cached run has no outputs"
        errors = [o for o in outputs if o["output_type"] == "error"]
        assert not errors, (
            f"{path.name}: {errors[0]['ename']}: {errors[0]['evalue']}"
        )


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


HIDDEN_INPUT = {"remove-input", "remove-cell"}


def test_no_bookkeeping_on_the_page(notebook):
    """Glue calls hand numbers to the prose; the reader meets the mechanism
    once, in "How to use this book", so a cell that glues hides its input on
    the site."""
    path, nb = notebook
    visible = [
        line.strip()
        for cell in code_cells(nb)
        if not tags(cell) & HIDDEN_INPUT
        for line in "".join(cell["source"]).splitlines()
        if "mlbook.glue(" in line or re.match(r"\s*glue\(", line)
    ]
    assert not visible, (
        f"{path.name}: {len(visible)} glue line(s) in visible cells, e.g. "
        f"{visible[0]!r}: tag the cell remove-input"
    )


def test_code_lines_fit_the_page(notebook):
    """The site's code box is 79 columns wide at 1280 px: no sideways
    scrolling."""
    path, nb = notebook
    long = [
        line
        for cell in code_cells(nb)
        for line in "".join(cell["source"]).splitlines()
        if len(line) > 79
    ]
    assert not long, (
        f"{path.name}: {len(long)} lines over 79 columns: {long[0]!r}"
    )


def test_each_figure_is_shown_once(notebook):
    """A cell that draws a figure shows it (plt.show) or closes it for a
    glue:figure (plt.close); a figure left open is drawn again by the inline
    backend at the end of the cell, so the page would show it twice."""
    path, nb = notebook
    left_open = [
        index
        for index, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code"
        and re.search(r"plt\.(subplots|figure)\(", "".join(cell["source"]))
        and not re.search(r"plt\.(show|close)\(", "".join(cell["source"]))
    ]
    assert not left_open, (
        f"{path.name}: cells {left_open} draw a figure and leave it open"
    )
