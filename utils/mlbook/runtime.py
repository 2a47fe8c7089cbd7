"""Seeds, devices and a stopwatch: the plumbing every chapter starts with."""

import os
import random
import time

import numpy as np
from mxnet import context
from mxnet import random as mx_random

from .checks import check_seed


def seed_everything(seed):
    """Seed Python's, NumPy's and MXNet's random generators so a run repeats
    exactly.

    Returns the seed used: ``seed`` plus ``MLBOOK_SEED_SHIFT`` (default 0),
    which ``make bench`` sets to re-run a chapter with other training seeds
    (its data keep their own seeds). Pass the returned seed on to anything else
    that trains.
    """
    seed = check_seed(seed) + int(os.environ.get("MLBOOK_SEED_SHIFT", "0"))
    random.seed(seed)
    np.random.seed(seed)
    mx_random.seed(seed)
    return seed


def try_gpu(i=0):
    """Return GPU ``i`` if there is one, else the CPU, so a chapter runs
    anywhere."""
    if isinstance(i, bool) or not isinstance(i, int) or i < 0:
        raise ValueError(
            f"GPU index must be a non-negative whole number, got {i!r}"
        )
    return context.gpu(i) if context.num_gpus() > i else context.cpu()


def to_device(device):
    """Turn ``None``, ``"cpu"``, ``"gpu"``, ``"gpu:1"`` or an MXNet context
    into a context."""
    if device is None:
        return try_gpu()
    if isinstance(device, context.Context):
        return device
    if isinstance(device, str):
        kind, _, index = device.partition(":")
        if kind == "cpu" and not index:
            return context.cpu()
        if kind == "gpu" and (not index or index.isdigit()):
            i = int(index or 0)
            if context.num_gpus() <= i:
                raise ValueError(
                    f"device {device!r} asked for GPU {i}, but this machine "
                    f"has {context.num_gpus()} GPU(s); use 'cpu' or try_gpu()"
                )
            return context.gpu(i)
    raise ValueError(
        f"unknown device {device!r}: use 'cpu', 'gpu', 'gpu:N', an MXNet "
        "context, or None for the first GPU if there is one"
    )


class Timer:
    """Stopwatch that records several runs: ``with Timer() as t: ...`` or
    start/stop."""

    def __init__(self):
        self.times = []
        self._started = None

    def start(self):
        self._started = time.perf_counter()
        return self

    def stop(self):
        if self._started is None:
            raise RuntimeError("Timer.stop() called before Timer.start()")
        self.times.append(time.perf_counter() - self._started)
        self._started = None
        return self.times[-1]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def sum(self):
        return sum(self.times)

    def avg(self):
        return self.sum() / len(self.times) if self.times else 0.0

    def __repr__(self):
        return f"Timer({len(self.times)} runs, {self.sum():.3f} s in all)"
