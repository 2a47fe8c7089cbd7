"""environment.yml (conda) states the same versions as the pinned lock file."""
import yaml

from conftest import ROOT


def pins(lines):
    return dict(line.strip().split("==", 1) for line in lines
                if line.strip() and not line.startswith("#"))


def test_environment_yml_agrees_with_the_lock_file():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    lock = pins((ROOT / "requirements" / "book.txt").read_text().splitlines())
    assert pins(pip_section) == lock
    assert lock["mxnet"] == "1.9.1" and lock["jupyter-book"] == "1.0.4.post1"


def test_lock_files_pin_every_package():
    for name in ("book.txt", "test.txt"):
        for line in (ROOT / "requirements" / name).read_text().splitlines():
            assert "==" in line, f"{name}: {line!r} is not pinned"
