"""Hand numbers and figures computed in a notebook to the book's prose."""

import json
import numbers
import os

import numpy as np


def glue(name, value, display=False):
    """Store ``value`` under ``name`` for the prose (myst-nb's glue) when the
    book is built.

    Where myst-nb is not installed (Colab, a bare Jupyter) nothing needs the
    value, so this does nothing; the notebook runs the same everywhere. ``make
    bench`` sets ``MLBOOK_GLUE_FILE`` to collect the glued numbers of a run in
    a JSON file.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(
            "glue name must be an identifier such as 'regression_rmse', got "
            f"{name!r}"
        )
    if isinstance(value, np.generic):  # prints as np.float64(0.5) on NumPy 2
        value = value.item()
    record_to = os.environ.get("MLBOOK_GLUE_FILE")
    if record_to and isinstance(value, numbers.Real):
        _record(record_to, name, float(value))
    try:
        from myst_nb import glue as myst_nb_glue
    except ImportError:
        return
    myst_nb_glue(name, value, display=display)


def _record(path, name, value):
    values = json.loads(open(path).read()) if os.path.exists(path) else {}
    values[name] = value
    with open(path, "w") as file:
        json.dump(values, file)
