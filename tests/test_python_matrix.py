"""The book on every Python it supports: a fresh venv from the one lock on each
other interpreter found (3.10 to 3.13), the doctor, and two chapters executed
there."""

import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT, find_pythons

THIS_MINOR = sys.version_info[1]
OTHER_MINORS = [m for m in (10, 11, 12, 13) if m != THIS_MINOR]
CHAPTERS = ["01_introduction", "03_regression"]
RUN_NOTEBOOK = """
import sys, nbformat
from nbclient import NotebookClient
notebook = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(notebook, timeout=600, kernel_name="python3",
               resources={"metadata": {"path": sys.argv[2]}}).execute()
"""


@pytest.fixture(scope="module", params=OTHER_MINORS, ids=lambda m: f"py3.{m}")
def venv_python(request, tmp_path_factory):
    python = find_pythons([request.param]).get(request.param)
    if python is None:
        pytest.skip(
            f"Python 3.{request.param} not found (python3.{request.param} on "
            "PATH or under pyenv): the matrix skips it"
        )
    venv = tmp_path_factory.mktemp(f"py3{request.param}") / "venv"
    subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
    venv_python = venv / "bin" / "python"
    subprocess.run(
        [
            "sh",
            str(ROOT / "requirements" / "install.sh"),
            str(ROOT / "requirements" / "lock.txt"),
        ],
        check=True,
        env={**os.environ, "PYTHON": str(venv_python)},
    )
    return venv_python


def test_doctor_passes(venv_python):
    result = subprocess.run(
        [str(venv_python), "-m", "mlbook.doctor"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed." in result.stdout
    assert re.search(r"^numpy\s+2\.", result.stdout, re.M), result.stdout


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_executes(venv_python, chapter, tmp_path):
    environment = {
        **os.environ,
        "MPLCONFIGDIR": str(tmp_path / "mpl"),
        "MLBOOK_PROGRESS": "0",
    }
    environment.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        [
            str(venv_python),
            "-c",
            RUN_NOTEBOOK,
            str(ROOT / "chapters" / f"{chapter}.ipynb"),
            str(ROOT / "chapters"),
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-5000:]
