"""Input checks shared by the helpers, so every error says what was wrong and
what to do."""

import numbers

import numpy as np


def check_positive_int(value, name):
    """Return ``value`` if it is a whole number >= 1, else raise a ValueError
    naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be a whole number, got {value!r} "
            f"of type {type(value).__name__}"
        )
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return int(value)


def check_count(value, name, minimum=1):
    """Return ``value`` if it is a whole number >= ``minimum`` (a count of
    things), else raise a ValueError naming it."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or value < minimum
    ):
        raise ValueError(
            f"{name} must be a whole number >= {minimum}, got {value!r}"
        )
    return int(value)


def check_seed(seed):
    """Return ``seed`` as an int if it is a whole number >= 0, as random
    generators need."""
    if (
        isinstance(seed, bool)
        or not isinstance(seed, numbers.Integral)
        or seed < 0
    ):
        raise ValueError(
            f"seed must be a non-negative whole number, got {seed!r}"
        )
    return int(seed)


def check_arrays(arrays, name="arrays"):
    """Check a sequence of arrays is non-empty, array-like and of one shared
    length."""
    if isinstance(arrays, np.ndarray) or not isinstance(arrays, (list, tuple)):
        raise TypeError(
            f"{name} must be a list or tuple of arrays such as (X, y), "
            f"got {type(arrays).__name__}"
        )
    if not arrays:
        raise ValueError(
            f"{name} is empty: pass at least one array, e.g. (X, y)"
        )
    lengths = []
    for i, array in enumerate(arrays):
        if not hasattr(array, "shape") or len(array.shape) == 0:
            raise TypeError(
                f"{name}[{i}] must be an array with at least one dimension "
                f"(one row per example), got {type(array).__name__}"
            )
        lengths.append(array.shape[0])
    if len(set(lengths)) != 1:
        raise ValueError(
            f"{name} must have the same number of rows (examples), "
            f"got lengths {lengths}"
        )
    if lengths[0] == 0:
        raise ValueError(
            f"{name} hold no examples (length 0): there is nothing to learn "
            "from"
        )
    return lengths[0]
