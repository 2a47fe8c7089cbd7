"""`make bench`: the book's speed bars, measured (not asserted in tests: timing is noisy).

1. mlbook.fit against a bare Gluon loop doing the same work (bar: at most 1.10x).
2. Each chapter's execution time and peak memory, one fresh kernel each.
3. A clean build of the whole site, then a cached rebuild after a prose-only edit (bar: 15 s).
Prints a table and writes it to _build/bench.md.
"""
import json
import subprocess
import sys
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
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.1})
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


# Run in a fresh process, so that its children's peak memory is this notebook's alone.
EXECUTE = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run([sys.argv[1], "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=1200", "--output-dir", "/tmp/mlbook-bench",
                sys.argv[2]], check=True, capture_output=True)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
BUDGET_SECONDS = {"01_introduction": 20, "02_wake_words": 120, "03_regression": 45,
                  "04_classification": 60, "05_ranking": 60, "06_reinforcement_learning": 150,
                  "07_fizzbuzz": 30}


def execute_notebook(path):
    """Seconds to execute a notebook in a fresh kernel, and the kernel's peak memory (MiB)."""
    result = subprocess.run([sys.executable, "-c", EXECUTE, str(BIN / "jupyter"), str(path)],
                            check=True, capture_output=True, text=True)
    seconds, peak_kib = result.stdout.split()
    return float(seconds), int(peak_kib) / 1024


def build(clean):
    if clean:
        subprocess.run(["rm", "-rf", str(ROOT / "_build"), str(ROOT / ".jupyter_cache")], check=True)
    start = time.perf_counter()
    subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "site"], check=True,
                   capture_output=True)
    return time.perf_counter() - start


def rebuild_after_prose_edit():
    path = ROOT / "chapters" / "01_introduction.ipynb"
    original = path.read_text()
    notebook = json.loads(original)
    first_markdown = next(c for c in notebook["cells"] if c["cell_type"] == "markdown")
    first_markdown["source"] = "".join(first_markdown["source"]) + "\n\n(A prose-only edit.)"
    try:
        path.write_text(json.dumps(notebook, indent=1) + "\n")
        return build(clean=False)
    finally:
        path.write_text(original)


def main():
    rows = []
    fit = time_fit_overhead()
    ratio = fit["mlbook.fit"] / fit["bare loop"]
    rows.append(("mlbook.fit / bare Gluon loop (small MLP, 10 epochs)",
                 f"{fit['mlbook.fit']:.2f} s / {fit['bare loop']:.2f} s = {ratio:.3f}x", "<= 1.10x"))
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        seconds, peak_mib = execute_notebook(path)
        rows.append((f"execute {path.name}", f"{seconds:.1f} s, peak {peak_mib:.0f} MiB",
                     f"<= {BUDGET_SECONDS.get(path.stem, '?')} s"))
    rows.append(("clean build (execute all + render)", f"{build(clean=True):.1f} s", "<= 300 s"))
    rows.append(("cached rebuild after a prose-only edit", f"{rebuild_after_prose_edit():.1f} s",
                 "<= 15 s"))
    build(clean=False)  # leave the site as the sources are
    table = ["| measurement | result | bar |", "|---|---|---|"]
    table += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    text = "\n".join(table)
    print(text)
    (ROOT / "_build").mkdir(exist_ok=True)
    (ROOT / "_build" / "bench.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
