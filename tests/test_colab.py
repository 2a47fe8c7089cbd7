"""Colab, simulated: another Python with NumPy 2 preinstalled and
`google.colab` importable.

Each chapter runs from its first cell, which must install MXNet and mlbook
(from MLBOOK_SOURCE, pointed at this checkout) without touching NumPy or
restarting the kernel.
"""

import json
import os
import subprocess

import pytest
from conftest import CHAPTERS, ROOT, second_python_or_skip

RUN_NOTEBOOK = """
import sys, nbformat
from nbclient import NotebookClient
notebook = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(notebook, timeout=900, kernel_name="python3",
               resources={"metadata": {"path": sys.argv[2]}}).execute()
print("executed", sys.argv[1])
"""


@pytest.fixture(scope="module")
def colab_python(tmp_path_factory):
    """A fresh venv standing in for a Colab runtime: NumPy 2.x, Jupyter,
    google.colab."""
    python = second_python_or_skip()
    venv = tmp_path_factory.mktemp("colab") / "venv"
    subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
    venv_python = venv / "bin" / "python"
    subprocess.run(
        [
            str(venv_python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "numpy>=2",
            "ipykernel",
            "nbclient",
            "nbformat",
            "matplotlib",
            "setuptools",
        ],
        check=True,
    )
    site = subprocess.run(
        [
            str(venv_python),
            "-c",
            "import site; print(site.getsitepackages()[0])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    colab = os.path.join(site, "google", "colab")
    os.makedirs(colab)
    with open(os.path.join(colab, "__init__.py"), "w") as f:
        f.write(
            '"""Stand-in for google.colab, which exists only in Colab."""\n'
        )
    return venv_python


def numpy_version(python):
    return subprocess.run(
        [str(python), "-c", "import numpy; print(numpy.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_runs_in_simulated_colab(colab_python, chapter, tmp_path):
    numpy_before = numpy_version(colab_python)
    assert numpy_before.startswith("2.")
    environment = {
        **os.environ,
        "MLBOOK_SOURCE": str(ROOT),
        "HOME": str(tmp_path),
    }
    environment.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        [str(colab_python), "-c", RUN_NOTEBOOK, str(chapter), str(tmp_path)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
    )
    assert result.returncode == 0, (
        result.stdout[-3000:] + result.stderr[-5000:]
    )
    assert numpy_version(colab_python) == numpy_before  # never downgraded
    installed = subprocess.run(
        [str(colab_python), "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    names = {p["name"].lower(): p["version"] for p in json.loads(installed)}
    assert names.get("mxnet") == "1.9.1" and "mlbook" in names


def test_installing_from_the_checkout_leaves_it_clean(colab_python, tmp_path):
    """MLBOOK_SOURCE may be a checkout: pip builds mlbook without writing into
    it."""
    subprocess.run(
        [
            str(colab_python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--force-reinstall",
            str(ROOT),
        ],
        check=True,
        cwd=tmp_path,
    )
    assert not (ROOT / "build").exists()
    assert not list((ROOT / "utils").glob("*.egg-info"))
