"""Pages without serious accessibility faults (axe-core), fixed at the source.

- The theme's search field and colour-mode button carried an aria-label that
  did not contain their visible text (WCAG 2.5.3): ``templates`` overrides the
  two templates.
- myst-nb's folded cells are ``<summary aria-label="Toggle hidden content">``
  around the visible words "Show code cell source": the aria-label goes, so the
  name is what the reader sees.
- docutils writes a bibliography as ``role="list"`` whose entries have
  ``role="doc-biblioentry"``, a role that is not a list item, so a screen
  reader is told of a list with no items: entries become ``role="listitem"``.

"""

import re
from pathlib import Path

TEMPLATES = str(Path(__file__).with_name("templates"))
BIBLIOENTRY = re.compile(
    r'(<div class="citation" id="[^"]+") role="doc-biblioentry"'
)
SUMMARY_LABEL = '<summary aria-label="Toggle hidden content">'


def use_templates(app, config):
    if TEMPLATES not in config.templates_path:
        config.templates_path.insert(0, TEMPLATES)


def fix_body(app, pagename, templatename, context, doctree):
    if "body" in context:
        body = BIBLIOENTRY.sub(r'\1 role="listitem"', context["body"])
        context["body"] = body.replace(SUMMARY_LABEL, "<summary>")


def setup(app):
    app.connect("config-inited", use_templates)
    app.connect("html-page-context", fix_body)
    return {"version": "1.0", "parallel_read_safe": True}
