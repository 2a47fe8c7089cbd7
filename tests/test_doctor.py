"""make doctor / python -m mlbook.doctor: a report that passes here, and the
exact fix for each platform and failure it knows (MXNet or eSpeak NG missing
simulated)."""

import ctypes.util
import json
import os
import re
import subprocess
import sys

from mlbook import doctor, speech

import pytest
from conftest import ROOT


def run_doctor(*args, env=None, path_first=None):
    environment = {**os.environ, **(env or {})}
    if path_first:
        environment["PYTHONPATH"] = str(path_first)
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=300,
    )


def test_the_report_passes_here():
    result = run_doctor("-m", "mlbook.doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    for line in (
        "platform",
        "python",
        "numpy",
        "mxnet",
        "espeakng-loader",
        "jupyter-book",
    ):
        assert re.search(rf"^{line}\s", result.stdout, re.M), line
    assert (
        "trains one step" in result.stdout and "says 'hello'" in result.stdout
    )
    assert "All checks passed." in result.stdout


def test_make_doctor_runs_the_same_report():
    result = subprocess.run(
        ["make", "--no-print-directory", "doctor"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and "All checks passed." in result.stdout


def test_missing_mxnet_is_reported_with_its_fix(tmp_path):
    fake = tmp_path / "mxnet"
    fake.mkdir()
    (fake / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'mxnet'\", "
        "name='mxnet')\n"
    )
    result = run_doctor("-m", "mlbook.doctor", path_first=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FIX  MXNet is not installed" in result.stdout
    assert "pip install --no-deps mxnet==1.9.1" in result.stdout


def test_missing_espeak_is_reported_with_its_fix(monkeypatch):
    monkeypatch.setitem(sys.modules, "espeakng_loader", None)
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    speech.espeak_source.cache_clear()
    speech.espeak_version.cache_clear()
    try:
        ok, detail = doctor.check_speech()
    finally:
        speech.espeak_source.cache_clear()
        speech.espeak_version.cache_clear()
    assert not ok
    assert "pip install espeakng-loader" in detail
    assert "sudo apt install libespeak-ng1 espeak-ng-data" in detail
    assert "brew install espeak-ng" in detail


def test_a_forced_loader_that_is_missing_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "espeakng_loader", None)
    monkeypatch.setenv("MLBOOK_ESPEAK", "loader")
    speech.espeak_source.cache_clear()
    try:
        with pytest.raises(ImportError, match="MLBOOK_ESPEAK=loader"):
            speech.espeak_source()
        monkeypatch.setenv("MLBOOK_ESPEAK", "festival")
        speech.espeak_source.cache_clear()
        with pytest.raises(ValueError, match="'auto', 'loader' or 'system'"):
            speech.espeak_source()
    finally:
        speech.espeak_source.cache_clear()


@pytest.mark.parametrize(
    "system, machine, ok, advice",
    [
        ("Darwin", "arm64", False, "Rosetta 2"),
        ("Darwin", "x86_64", True, ""),
        ("Windows", "AMD64", False, "WSL2"),
        ("Linux", "x86_64", True, ""),
        ("Linux", "aarch64", True, "apt install libespeak-ng1"),
        ("Linux", "riscv64", False, "Colab or GitHub Codespaces"),
    ],
)
def test_each_platform_gets_its_route(system, machine, ok, advice):
    got_ok, got_advice = doctor.platform_route(system, machine)
    assert got_ok == ok and advice in got_advice


def test_apple_silicon_route_names_an_x86_64_python():
    _, advice = doctor.platform_route("Darwin", "arm64")
    assert "CONDA_SUBDIR=osx-64" in advice and "cannot test" in advice


@pytest.mark.parametrize(
    "version, ok",
    [((3, 9), False), ((3, 10), True), ((3, 13), True), ((3, 14), True)],
)
def test_python_versions(version, ok):
    got_ok, advice = doctor.python_route(version)
    assert got_ok == ok
    if not ok:
        assert "make book PYTHON=python3.12" in advice


def test_before_install_runs_without_mlbook_or_mxnet(tmp_path):
    """make runs the doctor file with the system Python, before the venv
    exists."""
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            str(ROOT / "utils/mlbook/doctor.py"),
            "--before-install",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr


def test_devcontainer_runs_the_readme_commands_on_a_supported_python():
    config = json.loads(
        (ROOT / ".devcontainer" / "devcontainer.json").read_text()
    )
    assert config["postCreateCommand"] == "make book"
    assert "make book" in (ROOT / "README.md").read_text()
    minor = re.search(r"python:3\.(\d+)", config["image"])
    assert minor and 10 <= int(minor.group(1)) <= 13, config["image"]


def test_an_empty_python_is_told_to_run_make_book(tmp_path):
    """Before `make book`: no NumPy, no mlbook; the fix is the one command."""
    subprocess.run(
        [sys._base_executable, "-m", "venv", str(tmp_path / "v")], check=True
    )
    result = subprocess.run(
        [
            str(tmp_path / "v" / "bin" / "python"),
            str(ROOT / "utils/mlbook/doctor.py"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "FIX  NumPy is not installed" in result.stdout
    assert "run `make book`" in result.stdout
