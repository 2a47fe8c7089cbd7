"""MXNet 1.9.1 imports and trains on NumPy 2 here and on NumPy 1.26 in a second
venv."""

import json
import os
import subprocess
import sys
from pathlib import Path

from mlbook import compat

import numpy as np
import pytest
from conftest import ROOT, second_python_or_skip

WORKLOAD = ROOT / "tests" / "gluon_workload.py"


def run_workload(python, tmp_path):
    # Its own matplotlib cache: another venv's font list must not replace the
    # user's.
    environment = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "matplotlib")}
    result = subprocess.run(
        [str(python), str(WORKLOAD)],
        capture_output=True,
        text=True,
        cwd="/",
        timeout=600,
        env=environment,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_name_mxnet_needs_is_present_after_import():
    import mlbook  # noqa: F401

    for name in compat.REMOVED_NUMPY_NAMES:
        assert hasattr(np, name), name
    assert np.bool is not None and np.compat.basestring is not None


def test_mxnet_imports_without_what_it_would_not_use():
    # In a fresh interpreter: importing mlbook (so MXNet) leaves scikit-learn
    # and scipy.stats unimported, and both import normally afterwards.
    code = (
        "import sys, mlbook\n"
        "hidden = set(mlbook.compat.UNUSED_BY_MXNET)\n"
        "print(sorted(hidden & set(sys.modules)))\n"
        "import sklearn.base, scipy.stats\n"
        "print(scipy.stats.beta.ppf(0.5, 2, 2))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "utils")},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[]", "0.5"], result.stdout


def test_hidden_imports_come_back_after_the_block():
    with compat.unused_imports_hidden(["a_module_nobody_has"]):
        with pytest.raises(ImportError):
            import a_module_nobody_has  # noqa: F401
    assert "a_module_nobody_has" not in sys.modules


def test_restore_only_fills_gaps():
    # numpy.all is always present: the helper must never replace an existing
    # name.
    before = np.all
    compat.restore_removed_numpy_names()
    assert np.all is before


def test_financial_stand_ins_say_where_the_functions_went():
    with pytest.raises(NotImplementedError, match="numpy_financial"):
        compat._financial_function_removed("npv")(0.1, [1, 2])


def test_gluon_workload_trains_in_the_main_environment(tmp_path):
    report = run_workload(sys.executable, tmp_path)
    assert report["numpy"].startswith("2."), report
    assert report["loss_after"] < 0.9 * report["loss_before"]


def base_python():
    """The interpreter this venv was made from, if NumPy 1.26 has wheels for
    it."""
    python = Path(sys._base_executable)
    if sys.version_info[:2] > (3, 12):
        python = second_python_or_skip(minors=(10, 11, 12))
    return python


@pytest.fixture(scope="module")
def numpy1_python(tmp_path_factory):
    """A fresh venv from the lock with requirements/numpy1.txt on top: NumPy
    1.26."""
    venv = tmp_path_factory.mktemp("numpy1") / "venv"
    subprocess.run([str(base_python()), "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    environment = {**os.environ, "PYTHON": str(python)}
    subprocess.run(
        [
            "sh",
            str(ROOT / "requirements" / "install.sh"),
            str(ROOT / "requirements" / "lock.txt"),
        ],
        check=True,
        env=environment,
    )
    subprocess.run(
        [
            str(venv / "bin" / "uv"),
            "pip",
            "install",
            "--quiet",
            "--python",
            str(python),
            "-r",
            str(ROOT / "requirements" / "numpy1.txt"),
        ],
        check=True,
    )
    return python


def test_gluon_workload_trains_on_numpy_1_26(numpy1_python, tmp_path):
    report = run_workload(numpy1_python, tmp_path)
    assert report["numpy"] == "1.26.4", report
    assert report["loss_after"] < 0.9 * report["loss_before"]


def test_mxnet_regressions_pass_on_numpy_1_26(numpy1_python):
    """The NumPy-2 regression tests give the same answers under NumPy 1.26."""
    result = subprocess.run(
        [
            str(numpy1_python),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "test_mxnet_regressions.py",
        ],
        cwd=ROOT / "tests",
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
