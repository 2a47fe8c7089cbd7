"""Figures with a control the reader moves, computed when the notebook runs.

A chapter computes every state of a figure in advance (one row per value of the
parameter) and draws it with Altair, the Python interface to Vega-Lite; a
slider (``slider``) picks which rows are shown. ``show`` then publishes the
chart:

- in a notebook (Jupyter, Colab) it displays the Altair chart as Altair does;
- in the book's build (``MLBOOK_SITE=1``, set by ``make site``) it writes HTML
  that the site's own copy of Vega draws (``book/_ext/interactive_figures.py``
  serves it: no other host is contacted), with a static SVG of the first state
  underneath for readers without JavaScript. Both carry ``description`` as
  their text alternative.

"""

import base64
import html
import json
import os

import numpy as np

WIDTH = 560  # pixels: the chart fits the page's text column at 1280 px


def slider(name, values, label, value=None):
    """A Vega-Lite parameter bound to a range slider over the sorted
    ``values``.

    ``values`` must be evenly spaced (the slider steps between them); ``value``
    is the starting position (default: the first value). Use the result as
    ``chart.add_params(param)`` and filter rows with ``chart.transform_filter(
    alt.datum[column] == param)``.
    """
    import altair as alt

    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(
            f"name must be an identifier such as 'learning_rate', got {name!r}"
        )
    grid = np.asarray(sorted(values), dtype=float)
    if grid.ndim != 1 or len(grid) < 2:
        raise ValueError(
            f"values must hold at least two numbers, got {list(values)!r}"
        )
    steps = np.diff(grid)
    if (
        not np.allclose(steps, steps[0], rtol=1e-6, atol=1e-12)
        or steps[0] <= 0
    ):
        raise ValueError(
            "values must be distinct and evenly spaced (the slider steps "
            "between them); use their positions 0, 1, 2, ... and a label "
            "column otherwise"
        )
    start = grid[0] if value is None else float(value)
    if not np.isclose(grid, start).any():
        raise ValueError(f"value {value!r} is not one of the values")
    binding = alt.binding_range(
        min=float(grid[0]),
        max=float(grid[-1]),
        step=float(steps[0]),
        name=label,
    )
    return alt.param(name=name, value=float(start), bind=binding)


def _site_build():
    return os.environ.get("MLBOOK_SITE") == "1"


def static_svg(chart):
    """The chart's first state as SVG text (vl-convert renders it offline)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_dict())


def site_html(chart, description):
    """The HTML a page needs for ``chart``: its spec, and a static fallback
    image."""
    spec = chart.to_dict()
    spec.setdefault("description", description)
    svg = base64.b64encode(static_svg(chart).encode()).decode()
    text = html.escape(description, quote=True)
    # "</" cannot end the script element early: JSON allows "<\/" for "</".
    spec_json = json.dumps(spec, sort_keys=True).replace("</", "<\\/")
    return (
        f'<figure class="mlbook-interactive">'
        f'<div class="mlbook-interactive-view" role="group" '
        f'aria-label="{text}">'
        f"</div>"
        f'<img class="mlbook-interactive-fallback" alt="{text}" '
        f'src="data:image/svg+xml;base64,{svg}">'
        f'<script type="application/json" class="mlbook-interactive-spec">'
        f"{spec_json}</script></figure>"
    )


def show(chart, description):
    """Display ``chart`` in a notebook, or write it for the offline site."""
    if not isinstance(description, str) or len(description.split()) < 5:
        raise ValueError(
            "description must say in a sentence what the figure shows and "
            "what the control changes (it is the alt text), got "
            f"{description!r}"
        )
    if not hasattr(chart, "to_dict"):
        raise TypeError(
            f"chart must be an Altair chart, got {type(chart).__name__}"
        )
    from IPython.display import HTML, display

    if _site_build():
        display(HTML(site_html(chart, description)))
    else:
        display(chart)
