"""Hand numbers and figures computed in a notebook to the book's prose."""


def glue(name, value, display=False):
    """Store ``value`` under ``name`` for the prose (myst-nb's glue) when the book is built.

    Where myst-nb is not installed (Colab, a bare Jupyter) nothing needs the value, so
    this does nothing; the notebook runs the same everywhere.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"glue name must be an identifier such as 'regression_rmse', got {name!r}")
    try:
        from myst_nb import glue as myst_nb_glue
    except ImportError:
        return
    myst_nb_glue(name, value, display=display)
