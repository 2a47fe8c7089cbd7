"""One universal lock: every pin, NumPy 2 by default, environment.yml in
agreement."""

import re
import subprocess
import sys

import yaml
from conftest import ROOT

LOCK = ROOT / "requirements" / "lock.txt"
sys.path.insert(0, str(ROOT / "requirements"))
from conda_environment import pip_lines  # noqa: E402


def requirements(text):
    """{(name, marker): version} for each requirement line of a lock."""
    pins = {}
    for line in pip_lines(text):
        requirement, _, marker = line.partition(";")
        name, version = requirement.strip().split("==")
        pins[(name.lower(), marker.strip())] = version
    return pins


def test_every_line_of_the_lock_is_pinned():
    for line in pip_lines(LOCK.read_text()) + ["mxnet==1.9.1"]:
        assert re.match(r"^[A-Za-z0-9_.\-]+==[^ ;]+( ;.*)?$", line), line


def test_the_lock_covers_python_3_10_to_3_13_with_numpy_2():
    pins = requirements(LOCK.read_text())
    numpy = {
        marker: version
        for (name, marker), version in pins.items()
        if name == "numpy"
    }
    assert numpy and all(
        version.startswith("2.") for version in numpy.values()
    )
    assert (
        "python_full_version < '3.11'" in numpy
    )  # 3.10 has its own NumPy 2.x
    assert "mxnet==1.9.1" in LOCK.read_text()
    assert ("jupyter-book", "") in pins and pins[
        ("jupyter-book", "")
    ] == "1.0.4.post1"


def test_environment_yml_agrees_with_the_lock():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(
        d["pip"] for d in environment["dependencies"] if isinstance(d, dict)
    )
    assert pip_section == pip_lines(LOCK.read_text())
    assert "python=3.12" in environment["dependencies"]
    assert (
        "pip install --no-deps mxnet==1.9.1"
        in (ROOT / "environment.yml").read_text()
    )


def test_this_environment_has_the_locked_versions():
    """What `make` installed (uv or pip) is what the lock pins here."""
    from importlib import metadata

    from packaging.markers import Marker

    pins = requirements(LOCK.read_text())
    wrong = []
    for (name, marker), version in pins.items():
        if marker and not Marker(marker).evaluate():
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{name} missing")
            continue
        if installed != version:
            wrong.append(f"{name} {installed} != {version}")
    assert not wrong, wrong


def test_pip_resolves_the_lock_to_the_same_versions_as_uv():
    """The pip fallback installs the very pins uv installs (a dry run, this
    Python)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--no-deps",
            "--quiet",
            "--ignore-installed",
            "--report",
            "-",
            "-r",
            str(LOCK),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    import json

    report = json.loads(result.stdout)
    chosen = {
        item["metadata"]["name"].lower().replace("_", "-"): item["metadata"][
            "version"
        ]
        for item in report["install"]
    }
    from packaging.markers import Marker

    expected = {
        name.replace("_", "-"): version
        for (name, marker), version in requirements(LOCK.read_text()).items()
        if not marker or Marker(marker).evaluate()
    }
    expected["mxnet"] = "1.9.1"
    assert chosen == expected
