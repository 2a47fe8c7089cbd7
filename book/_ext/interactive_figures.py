"""Serve Vega from the site itself, and draw the book's interactive figures
with it.

``mlbook.interactive.show`` writes each figure as its Vega-Lite spec plus a
static image. This extension copies one JavaScript bundle of Vega, Vega-Lite
and Vega-Embed into ``_static`` (made offline by the vl-convert package, which
carries them), and a small script that draws every figure on a page and hides
its static image once the live one is drawn. Pages load nothing from another
host.
"""

from pathlib import Path

DRAW = """\
// Draw each interactive figure with the site's own Vega; keep the static image
// (alt text included) where drawing fails or JavaScript is off.
document.addEventListener("DOMContentLoaded", () => {
  for (const figure of document.querySelectorAll(".mlbook-interactive")) {
    const view = figure.querySelector(".mlbook-interactive-view");
    const spec = JSON.parse(
      figure.querySelector(".mlbook-interactive-spec").textContent);
    vegaEmbed(view, spec, {renderer: "svg", actions: false})
      .then(() => {
        figure.querySelector(".mlbook-interactive-fallback").hidden = true;
        figure.dataset.drawn = "true";
      })
      .catch((error) => console.warn("interactive figure not drawn:", error));
  }
});
"""

STYLE = """\
.mlbook-interactive { margin: 1em 0; }
.mlbook-interactive .vega-bindings { margin-top: 0.5em; font-size: 0.95em; }
.mlbook-interactive .vega-bind label { display: flex; gap: 0.75em;
  align-items: center; }
.mlbook-interactive input[type="range"] { width: 16em; }
.mlbook-interactive input[type="range"]:focus-visible {
  outline: 3px solid var(--pst-color-primary); outline-offset: 2px; }
.mlbook-interactive-fallback { max-width: 100%; }
html[data-theme="dark"] .mlbook-interactive svg { background: #fff; }
"""


def write_assets(app):
    import vl_convert

    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    bundle = static / "vega-bundle.js"
    stamp = static / "vega-bundle.version"
    version = getattr(vl_convert, "__version__", "unknown") + "+scoped"
    if (
        not bundle.exists()
        or not stamp.exists()
        or stamp.read_text() != version
    ):
        # The bundle declares top-level constants (``_`` among them) that
        # clash with Sphinx's own scripts in the page's global scope: a
        # function scope keeps them apart; it sets window.vegaEmbed itself.
        bundle.write_text(
            "(() => {\n" + vl_convert.javascript_bundle() + "\n})();\n"
        )
        stamp.write_text(version)
    (static / "mlbook-interactive.js").write_text(DRAW)
    (static / "mlbook-interactive.css").write_text(STYLE)


def add_to_pages_with_figures(app, pagename, templatename, context, doctree):
    """Load Vega (900 kB) only on the pages that hold an interactive figure."""
    if "mlbook-interactive" in context.get("body", ""):
        app.add_js_file("vega-bundle.js")
        app.add_js_file("mlbook-interactive.js")
        app.add_css_file("mlbook-interactive.css")


def setup(app):
    app.connect("builder-inited", write_assets)
    app.connect("html-page-context", add_to_pages_with_figures)
    return {"version": "1.0", "parallel_read_safe": True}
