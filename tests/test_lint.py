"""ruff formats and lints the chapters, mlbook and the tests (rules in
pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

RUFF = Path(sys.executable).with_name("ruff")


def ruff(*args):
    return subprocess.run(
        [str(RUFF), *args], cwd=ROOT, capture_output=True, text=True
    )


def test_everything_is_formatted():
    result = ruff("format", "--check", ".")
    assert result.returncode == 0, (
        "run `make format`:\n" + result.stdout[-3000:] + result.stderr[-2000:]
    )


def test_lint_is_clean():
    result = ruff("check", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout[-5000:]


def test_lint_covers_the_notebooks():
    """ruff reads .ipynb files: a notebook with an unused import fails the
    check."""
    broken = ROOT / "_build" / "lint-probe.ipynb"
    broken.parent.mkdir(exist_ok=True)
    broken.write_text(
        '{"cells": [{"cell_type": "code", "execution_count": null, "id": "a", '
        '"metadata": {}, "outputs": [], "source": ["import os\\n"]}], '
        '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    try:
        result = ruff(
            "check",
            "--no-cache",
            "--isolated",
            "--select",
            "F401",
            str(broken),
        )
    finally:
        broken.unlink()
    assert result.returncode == 1 and "F401" in result.stdout
