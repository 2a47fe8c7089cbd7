"""Make MXNet 1.9.1, retired upstream, import and run on today's NumPy and Python.

MXNet reads names that NumPy 1.24 and 2.0 removed and imports ``distutils``, which
Python 3.12 removed. We restore exactly those names on the NumPy module, without
changing any installed package, and only when they are missing.
"""
import importlib.util
import math
import sys
import types

import numpy as np


def _financial_function_removed(name):
    def removed(*args, **kwargs):
        raise NotImplementedError(
            f"numpy.{name} was moved out of NumPy into the numpy-financial package; "
            f"use `numpy_financial.{name}` instead.")
    removed.__name__ = name
    return removed


# Names MXNet 1.9.1 reads at import time, with what they meant before NumPy removed them.
REMOVED_NUMPY_NAMES = {
    "bool": bool,
    "int": int,
    "PZERO": 0.0,
    "NZERO": -0.0,
    "PINF": math.inf,
    "NINF": -math.inf,
    "Inf": math.inf,
    "NaN": math.nan,
    "NAN": math.nan,
    "alltrue": np.all,
    "sometrue": np.any,
    "in1d": lambda ar1, ar2, assume_unique=False, invert=False: np.isin(
        np.ravel(ar1), ar2, assume_unique=assume_unique, invert=invert),
    "trapz": getattr(np, "trapezoid", None),
    "msort": lambda a: np.sort(a, axis=0),
    "product": np.prod,
    "round_": np.round,
    **{name: _financial_function_removed(name)
       for name in ("mirr", "npv", "pmt", "ppmt", "pv", "rate")},
}


def restore_removed_numpy_names():
    """Put back the NumPy names MXNet needs; return the names that were missing."""
    restored = []
    for name, value in REMOVED_NUMPY_NAMES.items():
        if name not in vars(np) and value is not None:
            setattr(np, name, value)
            restored.append(name)
    if "compat" not in vars(np):
        np.compat = types.SimpleNamespace(basestring=str)
        restored.append("compat")
    return restored


def check_distutils():
    """Fail early, with the fix, when Python 3.12+ lacks the distutils MXNet imports."""
    if importlib.util.find_spec("distutils") is None:
        raise ImportError(
            f"MXNet imports `distutils`, which Python {sys.version_info.major}."
            f"{sys.version_info.minor} no longer ships. Install setuptools, which "
            "provides it: `pip install setuptools`.")


def import_mxnet():
    """Import MXNet after making today's NumPy and Python look like what it expects."""
    restore_removed_numpy_names()
    check_distutils()
    import mxnet
    return mxnet
