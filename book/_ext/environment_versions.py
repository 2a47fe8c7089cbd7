"""Sphinx directive ``environment-versions``: a table of the versions that
built the site.

Read at build time from the running interpreter, so the status page never goes
stale.
"""

import platform
from importlib import metadata

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

PACKAGES = [
    "mxnet",
    "numpy",
    "scipy",
    "scikit-learn",
    "matplotlib",
    "pandas",
    "networkx",
    "gymnasium",
    "espeakng-loader",
    "jupyter-book",
    "myst-nb",
    "sphinx",
    "mlbook",
]


class EnvironmentVersions(SphinxDirective):
    def run(self):
        rows = [
            ("Python", platform.python_version()),
            ("platform", platform.platform()),
        ]
        for name in PACKAGES:
            try:
                rows.append((name, metadata.version(name)))
            except metadata.PackageNotFoundError:
                rows.append((name, "not installed"))
        return [_table(["software", "version"], rows)]


def _table(header, rows):
    table = nodes.table(classes=["environment-versions"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in header)
    head, body = nodes.thead(), nodes.tbody()
    group += head
    group += body
    for target, cells in [(head, header)] + [(body, r) for r in rows]:
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += nodes.paragraph(text=str(cell))
            row += entry
        target += row
    return table


def setup(app):
    app.add_directive("environment-versions", EnvironmentVersions)
    return {"version": "1.0", "parallel_read_safe": True}
