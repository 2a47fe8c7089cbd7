"""MXNet 1.9.1 imports and trains on NumPy 1.26 here and on NumPy 2.x with another Python."""
import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT, second_python_or_skip
from mlbook import compat

WORKLOAD = ROOT / "tests" / "gluon_workload.py"


def run_workload(python, tmp_path):
    # Its own matplotlib cache: another venv's font list must not replace the user's.
    environment = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "matplotlib")}
    result = subprocess.run([str(python), str(WORKLOAD)], capture_output=True, text=True,
                            cwd="/", timeout=600, env=environment)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_name_mxnet_needs_is_present_after_import():
    import mlbook  # noqa: F401
    for name in compat.REMOVED_NUMPY_NAMES:
        assert hasattr(np, name), name
    assert np.bool is not None and np.compat.basestring is not None


def test_restore_only_fills_gaps():
    # numpy.all is always present: the helper must never replace an existing name.
    before = np.all
    compat.restore_removed_numpy_names()
    assert np.all is before


def test_financial_stand_ins_say_where_the_functions_went():
    with pytest.raises(NotImplementedError, match="numpy_financial"):
        compat._financial_function_removed("npv")(0.1, [1, 2])


def test_gluon_workload_trains_in_the_main_environment(tmp_path):
    report = run_workload(sys.executable, tmp_path)
    assert report["numpy"].startswith("1.26")
    assert report["loss_after"] < 0.9 * report["loss_before"]


def make_numpy2_environment(path):
    """A fresh venv with another Python, the newest NumPy 2.x, MXNet without its pins, mlbook."""
    python = second_python_or_skip()
    subprocess.run([str(python), "-m", "venv", str(path)], check=True)
    pip = [str(path / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run(pip + ["numpy>=2"], check=True)
    subprocess.run(pip + ["--no-deps", "mxnet==1.9.1"], check=True)
    subprocess.run(pip + [str(ROOT)], check=True)
    return path / "bin" / "python"


def test_gluon_workload_trains_on_numpy2_with_another_python(tmp_path):
    python = make_numpy2_environment(tmp_path / "venv")
    report = run_workload(python, tmp_path)
    assert report["numpy"].startswith("2."), report
    assert re.match(r"3\.1[23]\.", report["python"]), report
    assert report["loss_after"] < 0.9 * report["loss_before"]
