"""Helpers for the executable textbook *Programming with Data*.

Importing ``mlbook`` first makes MXNet 1.9.1 work on today's NumPy and Python
(see ``mlbook.compat``), then switches MXNet to its NumPy interface, which the
whole book uses.
"""

import sys

from .compat import import_mxnet


def _doctor_is_starting():
    """True while ``python -m mlbook.doctor`` imports this package (argv[0] is
    "-m")."""
    return sys.argv[:1] == ["-m"] and "mlbook.doctor" in getattr(
        sys, "orig_argv", ()
    )


try:
    mxnet = import_mxnet()
except ImportError:
    if not _doctor_is_starting():  # the doctor reports the error, with its fix
        raise
else:
    mxnet.npx.set_np()

    from .checks import check_arrays, check_positive_int  # noqa: E402
    from .plot import plot, set_figsize, use_svg_display  # noqa: E402
    from .publish import glue  # noqa: E402
    from .runtime import Timer, seed_everything, to_device, try_gpu  # noqa: E402
    from .train import (  # noqa: E402
        accuracy,
        copy_parameters,
        evaluate,
        fit,
        load_array,
        num_parameters,
        progress_bar,
        restore_parameters,
    )

__version__ = "0.1.0"
__all__ = [
    "Timer",
    "accuracy",
    "check_arrays",
    "check_positive_int",
    "copy_parameters",
    "evaluate",
    "fit",
    "glue",
    "load_array",
    "num_parameters",
    "plot",
    "progress_bar",
    "restore_parameters",
    "seed_everything",
    "set_figsize",
    "to_device",
    "try_gpu",
    "use_svg_display",
]
