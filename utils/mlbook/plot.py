"""Plotting helpers: crisp SVG figures and one call for several labelled
curves."""

import matplotlib.pyplot as plt
import numpy as np


def use_svg_display():
    """Show notebook figures as SVG, which stay sharp at any zoom (and on the
    site)."""
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # plain Python, not a notebook: nothing to configure
        return
    set_matplotlib_formats("svg")


def set_figsize(figsize=(6, 3.5)):
    """Set the default figure size in inches (width, height) and use SVG
    output."""
    if len(figsize) != 2 or min(figsize) <= 0:
        raise ValueError(
            "figsize must be (width, height) in inches, both > 0, got "
            f"{figsize}"
        )
    use_svg_display()
    plt.rcParams["figure.figsize"] = figsize


def plot(
    X,
    Y=None,
    xlabel=None,
    ylabel=None,
    legend=None,
    title=None,
    xlim=None,
    ylim=None,
    xscale="linear",
    yscale="linear",
    fmts=("-", "m--", "g-.", "r:"),
    axes=None,
    figsize=None,
):
    """Plot one or several curves with labels and a legend; return the axes.

    ``plot(losses)`` plots one series against its index; ``plot(x, [y1, y2],
    legend=["train", "test"])`` plots several against a shared x.
    """
    X, Y = _as_series(X, Y)
    if legend is not None and len(legend) != len(Y):
        raise ValueError(
            f"legend has {len(legend)} labels for {len(Y)} curves"
        )
    if axes is None:
        _, axes = plt.subplots(figsize=figsize)
    for x, y, fmt in zip(X, Y, _cycle(fmts, len(Y)), strict=True):
        if len(x) != len(y):
            raise ValueError(f"x and y differ in length: {len(x)} vs {len(y)}")
        axes.plot(x, y, fmt)
    axes.set_xlabel(xlabel or "")
    axes.set_ylabel(ylabel or "")
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    if xlim is not None:
        axes.set_xlim(xlim)
    if ylim is not None:
        axes.set_ylim(ylim)
    if title:
        axes.set_title(title)
    if legend:
        axes.legend(legend)
    axes.grid(True, alpha=0.3)
    return axes


def _as_series(X, Y):
    """Normalise plot's arguments to two equal-length lists of 1-D series."""

    def is_single(a):
        return (
            hasattr(a, "ndim")
            and a.ndim == 1
            or (
                isinstance(a, (list, tuple))
                and len(a) > 0
                and np.isscalar(a[0])
            )
        )

    if Y is None:
        Y, X = X, None
    Y = [np.asarray(Y)] if is_single(Y) else [np.asarray(y) for y in Y]
    if not Y or any(y.size == 0 for y in Y):
        raise ValueError(
            "plot got no data: pass at least one non-empty series"
        )
    if X is None:
        X = [np.arange(1, len(y) + 1) for y in Y]
    elif is_single(X):
        X = [np.asarray(X)] * len(Y)
    else:
        X = [np.asarray(x) for x in X]
    if len(X) != len(Y):
        raise ValueError(f"plot got {len(X)} x-series for {len(Y)} y-series")
    return X, Y


def _cycle(fmts, n):
    return [fmts[i % len(fmts)] for i in range(n)]
