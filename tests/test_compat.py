"""MXNet 1.9.1 imports and trains on NumPy 1.26 here and on NumPy 2.x with another Python."""
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import numpy as np
import pytest

from mlbook import compat

ROOT = Path(__file__).resolve().parents[1]
WORKLOAD = ROOT / "tests" / "gluon_workload.py"


def run_workload(python):
    result = subprocess.run([str(python), str(WORKLOAD)], capture_output=True, text=True,
                            cwd="/", timeout=600)
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


def test_gluon_workload_trains_in_the_main_environment():
    report = run_workload(sys.executable)
    assert report["numpy"].startswith("1.26")
    assert report["loss_after"] < 0.9 * report["loss_before"]


def find_second_python():
    """A Python 3.12 or 3.13 other than the one running the tests: PATH, then pyenv."""
    candidates = [shutil.which(f"python3.{minor}") for minor in (13, 12)]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += sorted(pyenv_root.glob("3.1[23].*/bin/python3"), reverse=True)
    for candidate in candidates:
        if not candidate:
            continue
        version = subprocess.run([str(candidate), "-c", "import sys; print(sys.version_info[:2])"],
                                 capture_output=True, text=True)
        if version.returncode == 0 and re.match(r"\(3, 1[23]\)", version.stdout) \
                and Path(candidate).resolve() != Path(sys.executable).resolve():
            return Path(candidate)
    return None


def make_numpy2_environment(path):
    """A fresh venv with another Python, the newest NumPy 2.x, MXNet without its pins, mlbook."""
    python = find_second_python()
    if python is None:
        pytest.skip("no Python 3.12 or 3.13 found (on PATH as python3.12/python3.13 or under "
                    "pyenv): install one to test MXNet on NumPy 2")
    subprocess.run([str(python), "-m", "venv", str(path)], check=True)
    pip = [str(path / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run(pip + ["numpy>=2"], check=True)
    subprocess.run(pip + ["--no-deps", "mxnet==1.9.1"], check=True)
    subprocess.run(pip + [str(ROOT)], check=True)
    return path / "bin" / "python"


def test_gluon_workload_trains_on_numpy2_with_another_python(tmp_path):
    python = make_numpy2_environment(tmp_path / "venv")
    report = run_workload(python)
    assert report["numpy"].startswith("2."), report
    assert re.match(r"3\.1[23]\.", report["python"]), report
    assert report["loss_after"] < 0.9 * report["loss_before"]
