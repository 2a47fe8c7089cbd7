"""Helpers for the executable textbook *Programming with Data*.

Importing ``mlbook`` first makes MXNet 1.9.1 work on today's NumPy and Python (see
``mlbook.compat``), then switches MXNet to its NumPy interface, which the whole book uses.
"""
from .compat import import_mxnet

mxnet = import_mxnet()
mxnet.npx.set_np()

from .checks import check_arrays, check_positive_int  # noqa: E402
from .publish import glue  # noqa: E402
from .plot import plot, set_figsize, use_svg_display  # noqa: E402
from .runtime import Timer, seed_everything, try_gpu, to_device  # noqa: E402
from .train import accuracy, evaluate, fit, load_array, num_parameters, progress_bar  # noqa: E402

__version__ = "0.1.0"
__all__ = ["Timer", "accuracy", "check_arrays", "check_positive_int", "evaluate", "fit",
           "glue", "load_array", "num_parameters", "plot", "progress_bar", "seed_everything", "set_figsize",
           "to_device", "try_gpu", "use_svg_display"]
