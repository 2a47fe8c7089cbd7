"""Make MXNet 1.9.1, retired upstream, import and run on today's NumPy and
Python.

MXNet reads names that NumPy 1.24 and 2.0 removed and imports ``distutils``,
which Python 3.12 removed. We restore exactly those names on the NumPy module,
without changing any installed package, and only when they are missing.

Two NumPy 2 behaviours also break MXNet after import, and are fixed inside
MXNet only: NumPy scalars print as ``np.int64(5)`` (NEP 51), while MXNet hands
operator parameters to its C++ core as ``str(value)``, so a shape such as
``(np.int64(9), 5)`` is rejected; and a Python float plus a NumPy float32 stays
float32 (NEP 50), so ``mx.metric``'s running sums would lose precision that
they keep on NumPy 1.26.
"""

import contextlib
import importlib.util
import math
import sys
import types
import warnings

import numpy as np


def _financial_function_removed(name):
    def removed(*args, **kwargs):
        raise NotImplementedError(
            f"numpy.{name} was moved out of NumPy into the numpy-financial "
            f"package; use `numpy_financial.{name}` instead."
        )

    removed.__name__ = name
    return removed


# Names MXNet 1.9.1 reads at import time, with what they meant before NumPy
# removed them.
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
        np.ravel(ar1), ar2, assume_unique=assume_unique, invert=invert
    ),
    "trapz": getattr(np, "trapezoid", None),
    "msort": lambda a: np.sort(a, axis=0),
    "product": np.prod,
    "round_": np.round,
    **{
        name: _financial_function_removed(name)
        for name in ("mirr", "npv", "pmt", "ppmt", "pv", "rate")
    },
}


def restore_removed_numpy_names():
    """Put back the NumPy names MXNet needs; return the names that were
    missing."""
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
    """Fail early, with the fix, when Python 3.12+ lacks the distutils MXNet
    imports."""
    if importlib.util.find_spec("distutils") is None:
        raise ImportError(
            "MXNet imports `distutils`, which Python "
            f"{sys.version_info.major}.{sys.version_info.minor} no longer "
            "ships. Install setuptools, which provides it: `pip install "
            "setuptools`."
        )


def plain_parameter(value):
    """``value`` with NumPy scalars, also inside tuples and lists, made Python
    scalars."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (tuple, list)):
        return type(value)(plain_parameter(item) for item in value)
    return value


def _replace_everywhere(name, original, replacement):
    """Point every MXNet module's ``name`` that is ``original`` at
    ``replacement``."""
    for module_name, module in list(sys.modules.items()):
        if (
            module_name.startswith("mxnet")
            and getattr(module, name, None) is original
        ):
            setattr(module, name, replacement)


def fix_operator_parameters(mxnet):
    """Give MXNet plain Python scalars wherever it prints a parameter for its
    C++ core: operator calls (imperative and symbolic) and the shapes of
    symbolic variables."""
    from mxnet._ctypes import ndarray as ctypes_ndarray
    from mxnet._ctypes import symbol as ctypes_symbol

    invoke = ctypes_ndarray._imperative_invoke
    create = ctypes_symbol._symbol_creator
    var = mxnet.symbol.symbol.var
    if hasattr(invoke, "__wrapped__"):
        return

    def imperative_invoke(handle, ndargs, keys, vals, *rest):
        return invoke(
            handle, ndargs, keys, [plain_parameter(v) for v in vals], *rest
        )

    def symbol_creator(handle, args, kwargs, keys, vals, *rest):
        return create(
            handle,
            args,
            kwargs,
            keys,
            [plain_parameter(v) for v in vals],
            *rest,
        )

    def plain_var(name, *args, **kwargs):
        return var(
            name,
            *[plain_parameter(a) for a in args],
            **{k: plain_parameter(v) for k, v in kwargs.items()},
        )

    for name, original, replacement in (
        ("_imperative_invoke", invoke, imperative_invoke),
        ("_symbol_creator", create, symbol_creator),
        ("var", var, plain_var),
        ("Variable", var, plain_var),
    ):
        replacement.__wrapped__ = original
        _replace_everywhere(name, original, replacement)


class Float64Sum(float):
    """A running sum that adds in float64 whatever NumPy float it is given (NEP
    50)."""

    def __add__(self, other):
        try:
            return Float64Sum(float(self) + float(other))
        except TypeError:
            return NotImplemented

    __radd__ = __add__


def fix_metric_sums(mxnet):
    """Keep ``mx.metric`` sums in float64 on NumPy 2, as they are on NumPy
    1.26."""
    metric_class = mxnet.metric.EvalMetric
    if getattr(metric_class, "_float64_sums", False):
        return

    def __setattr__(self, name, value):
        if name in ("sum_metric", "global_sum_metric") and isinstance(
            value, (float, np.floating)
        ):
            value = Float64Sum(value)
        object.__setattr__(self, name, value)

    metric_class.__setattr__ = __setattr__
    metric_class._float64_sums = True


# What MXNet imports, when installed, only for parts the book does not use:
# scikit-learn to derive its legacy FeedForward model from BaseEstimator, and
# scipy.stats for INT8 quantization. Hidden, they no longer take 2.7 of the
# 4.1 s that importing MXNet took here.
UNUSED_BY_MXNET = ("sklearn", "scipy.stats")


@contextlib.contextmanager
def unused_imports_hidden(names=UNUSED_BY_MXNET):
    """Make importing each of ``names`` fail inside the block (MXNet then goes
    on without it), except those imported before."""
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # "import name" raises ImportError
    try:
        yield
    finally:
        for name in hidden:
            del sys.modules[name]


def import_mxnet():
    """Import MXNet after making today's NumPy and Python look like what it
    expects."""
    restore_removed_numpy_names()
    check_distutils()
    try:
        with (
            warnings.catch_warnings(),
            unused_imports_hidden(),
        ):  # MXNet's own use of deprecated distutils classes
            warnings.filterwarnings(
                "ignore", "distutils Version classes", DeprecationWarning
            )
            import mxnet
    except ModuleNotFoundError as error:
        if error.name != "mxnet":
            raise
        raise ImportError(
            "MXNet is not installed. Install it without its outdated pins "
            "(they would downgrade NumPy): `pip install --no-deps "
            "mxnet==1.9.1`"
        ) from error
    fix_operator_parameters(mxnet)
    fix_metric_sums(mxnet)
    return mxnet
