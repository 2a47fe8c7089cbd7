"""`make bench`: the book's speed bars and seed spreads, measured (never in a
test).

1. Set-up: a fresh venv installed from the lock, with cold and with warm
   caches.
2. mlbook.fit against a bare Gluon loop doing the same work (bar: at most
   1.10x).
3. Each chapter's execution time (median and range of ``RUNS``) and peak
   memory, one fresh kernel each run; a chapter whose notebook metadata has
   ``mlbook.cold_budget_seconds`` also runs with an empty cache (a fresh HOME,
   as a new Colab runtime has).
4. A clean build of the whole site, then a cached rebuild after a prose-only
   edit.
5. Robustness: each chapter's headline numbers (notebook metadata
   ``mlbook.robustness``: glue name -> what it measures) over five training
   seeds (``MLBOOK_SEED_SHIFT`` 0-4), min, median and max, and once more with
   seed 0 on other CPU kernels (``OTHER_KERNELS``), as another machine would
   pick them.
6. Kernels: which stage of a shortened wake-word pipeline
   (tests/wake_word_workload.py) changes, bit for bit, when one kernel choice
   changes: the OpenMP thread count, oneDNN's vector instructions, OpenBLAS's
   kernel.
Writes _build/bench.md, _build/kernels.md and _build/robustness.md.
``python tests/bench.py robustness 05_ranking`` runs one part for some
chapters.

"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mlbook

import numpy as np
from mxnet import autograd, gluon, init
from mxnet.gluon import nn

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def small_mlp_task():
    mlbook.seed_everything(0)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4096, 20)).astype(np.float32)
    y = (X[:, :10].sum(axis=1) > 0).astype(np.int32)
    net = nn.HybridSequential()
    net.add(nn.Dense(64, activation="relu"), nn.Dense(2))
    net.initialize(init.Xavier())
    net.hybridize()
    trainer = gluon.Trainer(
        net.collect_params(), "sgd", {"learning_rate": 0.1}
    )
    return net, trainer, mlbook.load_array((X, y), batch_size=64)


def bare_loop(net, trainer, data, loss, num_epochs):
    for _ in range(num_epochs):
        total, count = 0.0, 0
        for X, y in data:
            with autograd.record():
                batch_loss = loss(net(X), y)
            batch_loss.backward()
            trainer.step(X.shape[0])
            total = total + batch_loss.sum()
            count += X.shape[0]
        float(total) / count


def time_fit_overhead(num_epochs=10, repeats=5):
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    timings = {"bare loop": [], "mlbook.fit": []}
    for _ in range(repeats):
        for name in timings:
            net, trainer, data = small_mlp_task()
            start = time.perf_counter()
            if name == "bare loop":
                bare_loop(net, trainer, data, loss, num_epochs)
            else:
                mlbook.fit(net, data, loss, trainer, num_epochs, progress=True)
            timings[name].append(time.perf_counter() - start)
    return {name: min(times) for name, times in timings.items()}


# Run in a fresh process, so that its children's peak memory is this notebook's
# alone.
EXECUTE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run([sys.argv[1], "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=1800",
                "--output-dir", sys.argv[3],
                sys.argv[2]], check=True, capture_output=True)
print(time.perf_counter() - start,
      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
RUNS = 3  # timed executions of each chapter, warm and cold


def book_metadata(path):
    """The ``mlbook`` entry of a notebook's metadata (budgets, robustness)."""
    return json.loads(path.read_text())["metadata"].get("mlbook", {})


def execute_notebook(path, extra_env=None):
    """Seconds to execute a notebook in a fresh kernel, and its peak memory
    (MiB)."""
    environment = {**os.environ, "MLBOOK_PROGRESS": "0", **(extra_env or {})}
    with tempfile.TemporaryDirectory() as output:
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                EXECUTE,
                str(BIN / "jupyter"),
                str(path),
                output,
            ],
            check=True,
            capture_output=True,
            text=True,
            env=environment,
            cwd=path.parent,
        )
    seconds, peak_kib = result.stdout.split()
    return float(seconds), int(peak_kib) / 1024


def time_setup():
    """Seconds for `python -m venv` plus requirements/install.sh, cold and
    warm."""
    times = {}
    with tempfile.TemporaryDirectory() as scratch:
        for kind in ("cold", "warm"):
            venv = Path(scratch) / kind
            environment = {
                **os.environ,
                "PYTHON": str(venv / "bin" / "python"),
            }
            if kind == "cold":
                environment["UV_CACHE_DIR"] = str(Path(scratch) / "uv-cache")
                environment["PIP_CACHE_DIR"] = str(Path(scratch) / "pip-cache")
            start = time.perf_counter()
            subprocess.run(
                [sys._base_executable, "-m", "venv", str(venv)], check=True
            )
            subprocess.run(
                [
                    "sh",
                    str(ROOT / "requirements" / "install.sh"),
                    str(ROOT / "requirements" / "lock.txt"),
                ],
                check=True,
                env=environment,
                capture_output=True,
            )
            times[kind] = time.perf_counter() - start
    return times


def build(clean):
    if clean:
        subprocess.run(
            ["rm", "-rf", str(ROOT / "_build"), str(ROOT / ".jupyter_cache")],
            check=True,
        )
    start = time.perf_counter()
    subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "site"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def rebuild_after_prose_edit():
    path = ROOT / "chapters" / "01_introduction.ipynb"
    original = path.read_text()
    notebook = json.loads(original)
    first_markdown = next(
        c for c in notebook["cells"] if c["cell_type"] == "markdown"
    )
    first_markdown["source"] = (
        "".join(first_markdown["source"]) + "\n\n(A prose-only edit.)"
    )
    try:
        path.write_text(json.dumps(notebook, indent=1) + "\n")
        return build(clean=False)
    finally:
        path.write_text(original)


def has_avx2():
    """Whether the processor has AVX2, which Haswell kernels need."""
    try:
        return " avx2 " in Path("/proc/cpuinfo").read_text().replace("\n", " ")
    except OSError:
        return False


KERNEL_CHOICES = {
    # MXNet's default is half the logical processors
    "2 OpenMP threads": {"OMP_NUM_THREADS": "2"},
    "oneDNN without AVX-512": {"DNNL_MAX_CPU_ISA": "AVX2"},
    "OpenBLAS's Haswell kernels": {"OPENBLAS_CORETYPE": "Haswell"},
}


def kernel_choices():
    """The entries of ``KERNEL_CHOICES`` this processor can run."""
    return {
        name: extra_env
        for name, extra_env in KERNEL_CHOICES.items()
        if "OPENBLAS_CORETYPE" not in extra_env or has_avx2()
    }


def other_kernels():
    """Environment that makes MXNet, oneDNN and OpenBLAS pick other kernels
    than they pick here by default: another machine, simulated."""
    return {
        key: value
        for extra_env in kernel_choices().values()
        for key, value in extra_env.items()
    }


def glued_run(path, extra_env):
    """The values a chapter glues, executed with ``extra_env``."""
    with tempfile.TemporaryDirectory() as scratch:
        glue_file = Path(scratch) / "glued.json"
        execute_notebook(
            path, {**extra_env, "MLBOOK_GLUE_FILE": str(glue_file)}
        )
        return json.loads(glue_file.read_text())


def robustness(chapters, shifts=range(5)):
    """Rows (chapter, quantity, min, median, max, values over seeds, value on
    other kernels)."""
    rows = []
    for path in chapters:
        wanted = book_metadata(path).get("robustness", {})
        if not wanted:
            continue
        runs = [
            glued_run(path, {"MLBOOK_SEED_SHIFT": str(shift)})
            for shift in shifts
        ]
        elsewhere = glued_run(path, other_kernels())
        for name, meaning in wanted.items():
            values = [run[name] for run in runs]
            rows.append(
                (
                    path.stem,
                    f"{meaning} (`{name}`)",
                    min(values),
                    statistics.median(values),
                    max(values),
                    values,
                    elsewhere[name],
                )
            )
    return rows


def robustness_table(rows):
    lines = [
        "| chapter | quantity | min | median | max | seeds 0-4 "
        "| seed 0, other kernels |",
        "|---|---|---|---|---|---|---|",
    ]
    for stem, quantity, low, mid, high, values, elsewhere in rows:
        shown = ", ".join(f"{v:.4g}" for v in values)
        lines.append(
            f"| {stem} | {quantity} | {low:.4g} | {mid:.4g} | "
            f"{high:.4g} | {shown} | {elsewhere:.4g} |"
        )
    return "\n".join(lines)


WORKLOAD = ROOT / "tests" / "wake_word_workload.py"


def kernel_rows():
    """Rows (kernel choice, stages whose bits changed, counts) of the
    shortened wake-word pipeline against its run with the default kernels."""

    def run(extra_env):
        result = subprocess.run(
            [sys.executable, str(WORKLOAD)],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, **extra_env},
        )
        return json.loads(result.stdout.splitlines()[-1])

    default = run({})
    rows = [("default", "-", default["false_accepts"], default["misses"])]
    for name, extra_env in kernel_choices().items():
        other = run(extra_env)
        changed = [
            stage
            for stage in ("clips", "audio", "features", "weights", "scores")
            if other[stage] != default[stage]
        ]
        rows.append(
            (
                name,
                ", ".join(changed) or "none",
                other["false_accepts"],
                other["misses"],
            )
        )
    return rows


def execute_cold(path):
    """``execute_notebook`` with an empty cache (a fresh HOME, as a new Colab
    runtime has)."""
    with tempfile.TemporaryDirectory() as home:
        return execute_notebook(path, {"HOME": home})


def timed_runs(path, execute=execute_notebook):
    """``execute(path)`` RUNS times: the median seconds and their range, as
    text, and the largest peak memory (MiB). One run cannot judge a bar: on
    our VM the same code's time moved by a quarter within an hour (the host
    pages out memory left idle for a minute)."""
    runs = [execute(path) for _ in range(RUNS)]
    seconds = [s for s, _ in runs]
    text = (
        f"{statistics.median(seconds):.1f} s (median of {RUNS}: "
        f"{min(seconds):.1f}-{max(seconds):.1f})"
    )
    return text, max(peak for _, peak in runs)


def chapter_rows(chapters):
    rows = []
    for path in chapters:
        budgets = book_metadata(path)
        seconds, peak_mib = timed_runs(path)
        rows.append(
            (
                f"execute {path.name}",
                f"{seconds}, peak {peak_mib:.0f} MiB",
                f"<= {budgets.get('budget_seconds', '?')} s",
            )
        )
        if "cold_budget_seconds" in budgets:
            seconds, _ = timed_runs(path, execute_cold)
            rows.append(
                (
                    f"execute {path.name}, empty cache",
                    seconds,
                    f"<= {budgets['cold_budget_seconds']} s",
                )
            )
    return rows


def main(parts, stems):
    chapters = [p for p in CHAPTERS if not stems or p.stem in stems]
    rows = []
    if "setup" in parts:
        setup = time_setup()
        rows.append(
            (
                "set-up (venv + lock), cold caches",
                f"{setup['cold']:.1f} s",
                "<= 90 s",
            )
        )
        rows.append(
            (
                "set-up (venv + lock), warm caches",
                f"{setup['warm']:.1f} s",
                "<= 30 s",
            )
        )
    if "fit" in parts:
        fit = time_fit_overhead()
        ratio = fit["mlbook.fit"] / fit["bare loop"]
        rows.append(
            (
                "mlbook.fit / bare Gluon loop (small MLP, 10 epochs)",
                f"{fit['mlbook.fit']:.2f} s / {fit['bare loop']:.2f} s = "
                f"{ratio:.3f}x",
                "<= 1.10x",
            )
        )
    if "chapters" in parts:
        rows += chapter_rows(chapters)
    if "build" in parts:
        rows.append(
            (
                "clean build (execute all + render)",
                f"{build(clean=True):.1f} s",
                "<= 300 s",
            )
        )
        rows.append(
            (
                "cached rebuild after a prose-only edit",
                f"{rebuild_after_prose_edit():.1f} s",
                "<= 15 s",
            )
        )
        build(clean=False)  # leave the site as the sources are
    (ROOT / "_build").mkdir(exist_ok=True)
    if rows:
        table = ["| measurement | result | bar |", "|---|---|---|"]
        table += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        text = "\n".join(table)
        print(text)
        (ROOT / "_build" / "bench.md").write_text(text + "\n")
    if "kernels" in parts:
        table = [
            "| kernel choice | stages whose bits changed "
            "| false accepts | misses |",
            "|---|---|---|---|",
        ]
        table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in kernel_rows()]
        text = "\n".join(table)
        print(text)
        (ROOT / "_build" / "kernels.md").write_text(
            "A shortened wake-word pipeline with one kernel choice changed "
            "(`make bench`).\n\n" + text + "\n"
        )
    if "robustness" in parts:
        text = robustness_table(robustness(chapters))
        print(text)
        (ROOT / "_build" / "robustness.md").write_text(
            "Each chapter's headline numbers over five training seeds "
            "(`make bench`).\n\n" + text + "\n"
        )


PARTS = ("setup", "fit", "chapters", "build", "kernels", "robustness")

if __name__ == "__main__":
    args = sys.argv[1:]
    parts = [a for a in args if a in PARTS] or list(PARTS)
    main(parts, [a for a in args if a not in PARTS])
