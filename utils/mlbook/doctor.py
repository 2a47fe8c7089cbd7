"""What works on this machine for the book, and the exact fix for what does
not.

Run ``make doctor``, or ``python -m mlbook.doctor`` (Colab, conda). It prints
the platform and the versions of Python, NumPy, MXNet, eSpeak NG and Jupyter;
checks that MXNet imports and trains one step and that speech synthesis works;
and for each failure says what to type. ``make`` runs it with
``--before-install`` to stop early, with the route to take, on a platform where
MXNet 1.9.1 has no wheel. It also runs as a plain file (``python
utils/mlbook/doctor.py``) before anything is installed.
"""

import importlib
import importlib.metadata
import importlib.util
import platform
import sys
from pathlib import Path

README = (
    "https://github.com/programming-with-data/programming-with-data#platforms"
)
ROSETTA = (
    "MXNet 1.9.1 has no wheel for Apple Silicon (arm64). Use an x86_64 Python "
    "under Rosetta 2, which runs the x86_64 MXNet and eSpeak wheels: for "
    "example `CONDA_SUBDIR=osx-64 conda create -n pwd python=3.12`, then "
    "`conda activate pwd` and `make book PYTHON=python` (or an x86_64 "
    "Homebrew Python in /usr/local: `arch -x86_64 "
    "/usr/local/bin/python3.12`). We cannot test this route ourselves."
)
WINDOWS = (
    "MXNet 1.9.1 has no wheel for Windows. Use WSL2 (`wsl --install -d "
    "Ubuntu`), then run the two commands inside Ubuntu; or open the "
    "repository in GitHub Codespaces (.devcontainer), or use Colab."
)


def platform_route(system=None, machine=None):
    """``(ok, advice)`` for this operating system and processor."""
    system = system or platform.system()
    machine = (machine or platform.machine()).lower()
    if system == "Darwin" and machine == "arm64":
        return False, ROSETTA
    if system == "Windows":
        return False, WINDOWS
    if system == "Linux" and machine in ("aarch64", "arm64"):
        return True, (
            "Linux aarch64: MXNet has a wheel; espeakng-loader has none, so "
            "speech comes from the system's eSpeak NG: `sudo apt install "
            "libespeak-ng1 espeak-ng-data` (Debian/Ubuntu). Its version "
            "differs, so the wake-word numbers differ slightly from the "
            "published ones."
        )
    if (system, machine) in (("Linux", "x86_64"), ("Darwin", "x86_64")):
        return True, ""
    return False, (
        "MXNet 1.9.1 has wheels for Linux x86_64, Linux aarch64 and macOS "
        f"x86_64 only, not {system} {machine}: use Colab or GitHub "
        "Codespaces."
    )


def python_route(version=None):
    """``(ok, advice)`` for this Python version."""
    version = version or sys.version_info[:2]
    if version < (3, 10):
        return False, (
            f"Python {version[0]}.{version[1]} is too old: the book needs "
            "3.10 to 3.13. Install one (python.org, pyenv, conda or your "
            "package manager) and run `make book PYTHON=python3.12`."
        )
    if version > (3, 13):
        return True, (
            f"Python {version[0]}.{version[1]} is newer than the versions we "
            "test (3.10 to 3.13); the lock installs where wheels exist."
        )
    return True, ""


def _version(distribution):
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _compat():
    """mlbook.compat, also when this file runs on its own before mlbook is
    installed."""
    path = Path(__file__).with_name("compat.py")
    spec = importlib.util.spec_from_file_location("_mlbook_compat", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_mxnet():
    """``(ok, detail)``: MXNet imports on this NumPy and trains one step."""
    if importlib.util.find_spec("numpy") is None:
        return False, (
            "NumPy is not installed, so neither is the book's environment: "
            "run `make book`, which installs everything from "
            "requirements/lock.txt"
        )
    try:
        mx = _compat().import_mxnet()
    except ImportError as error:
        return False, str(error)
    try:
        from mxnet import autograd, gluon

        mx.npx.set_np()
        net = gluon.nn.Dense(1)
        net.initialize()
        X, y = mx.np.ones((8, 3)), mx.np.zeros((8, 1))
        trainer = gluon.Trainer(
            net.collect_params(), "sgd", {"learning_rate": 0.1}
        )
        losses = []
        for _ in range(2):
            with autograd.record():
                loss = ((net(X) - y) ** 2).mean()
            loss.backward()
            trainer.step(1)
            losses.append(float(loss))
    except Exception as error:  # any failure here is what the reader must see
        return False, (
            f"MXNet {mx.__version__} imports but does not train: "
            f"{type(error).__name__}: {error}. Reinstall it with "
            "`pip install --force-reinstall --no-deps mxnet==1.9.1`."
        )
    if not losses[1] < losses[0]:
        return False, f"one SGD step did not lower the loss ({losses})"
    return True, f"MXNet {mx.__version__}: imports and trains one step"


def check_speech():
    """``(ok, detail)``: eSpeak NG is found and says a word."""
    if importlib.util.find_spec("mlbook") is None:
        return False, (
            "mlbook, the book's helper package, is not installed: run "
            "`make book` (or `pip install --no-deps -e .` in the checkout)"
        )
    try:
        from mlbook import speech

        library, _, source = speech.espeak_source()
        version = speech.espeak_version()
        samples = speech.synthesize("hello", voice="en-us")
    except ImportError as error:
        return False, str(error)
    except Exception as error:
        return False, (
            f"eSpeak NG is installed but did not speak: "
            f"{type(error).__name__}: {error}. Reinstall espeakng-loader "
            "(`pip install --force-reinstall espeakng-loader`) or set "
            "MLBOOK_ESPEAK=system to use the system's eSpeak NG."
        )
    if len(samples) < 1000:
        return (
            False,
            f"eSpeak NG {version} returned {len(samples)} samples for 'hello'",
        )
    return True, f"eSpeak NG {version} from {source} ({library}): says 'hello'"


def check_jupyter():
    """``(ok, detail)``: a Jupyter kernel can run the chapters."""
    missing = [
        name
        for name in ("ipykernel", "jupyter_client")
        if _version(name) is None
    ]
    if missing:
        return False, (
            f"{', '.join(missing)} missing: `pip install ipykernel` (make "
            "book does it)"
        )
    return True, "Jupyter kernel available"


def report(checks=None):
    """Print the platform, versions and each check; return the number of
    failures."""
    ok_platform, platform_advice = platform_route()
    ok_python, python_advice = python_route()
    lines = [
        f"{'platform':<16}{platform.system()} {platform.machine()} "
        f"({platform.platform()})",
        f"{'python':<16}{platform.python_version()} at {sys.executable}",
    ]
    for name in (
        "numpy",
        "mxnet",
        "espeakng-loader",
        "jupyter-book",
        "ipykernel",
    ):
        lines.append(f"{name:<16}{_version(name) or 'not installed'}")
    failures = 0
    results = [
        (
            ok_platform,
            platform_advice
            or f"{platform.system()} {platform.machine()}: supported",
        ),
        (
            ok_python,
            python_advice or f"Python {platform.python_version()}: supported",
        ),
    ]
    checks = (
        checks
        if checks is not None
        else (check_mxnet, check_speech, check_jupyter)
    )
    if ok_platform:
        results += [check() for check in checks]
    for ok, detail in results:
        failures += not ok
        lines.append(("ok   " if ok else "FIX  ") + detail)
    print("\n".join(lines))
    print(
        "All checks passed."
        if not failures
        else f"{failures} problem(s): see FIX above."
    )
    return failures


def before_install():
    """Stop ``make`` early, with the route to take, where the book cannot
    install."""
    failures = []
    for ok, advice in (python_route(), platform_route()):
        if not ok:
            failures.append(advice)
        elif advice:
            print("make: " + advice, file=sys.stderr)
    for advice in failures:
        print("make: " + advice, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(
        before_install()
        if "--before-install" in sys.argv
        else min(report(), 1)
    )
