"""A box under each chapter's title: what the reader will learn, and the time
to run.

The line comes from the notebook's metadata (``mlbook.learn``); the time is how
long the notebook took to execute when this site was built (or when its cached
run was made), as myst-nb recorded it for the status page.
"""

import json
from pathlib import Path

from docutils import nodes
from myst_nb.sphinx_ import NbMetadataCollector


def _learn_line(app, docname):
    path = Path(app.srcdir, docname + ".ipynb")
    if not path.exists():
        return None
    return (
        json.loads(path.read_text())["metadata"].get("mlbook", {}).get("learn")
    )


def add_box(app, doctree, docname):
    learn = _learn_line(app, docname)
    if not learn:
        return
    exec_data = NbMetadataCollector.get_exec_data(app.env, docname) or {}
    runtime = exec_data.get("runtime")
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    box = nodes.admonition(classes=["chapter-box"])
    box += nodes.title(text="In this chapter")
    box += nodes.paragraph(text=f"You will learn {learn.rstrip('.')}.")
    if runtime is not None:
        minutes, seconds = divmod(round(runtime), 60)
        took = f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
        text = (
            f"Time to run: {took} for the whole notebook on the machine that "
            "built this site (see "
        )
        paragraph = nodes.paragraph(text=text)
        reference = nodes.reference(
            text="Status of this build",
            refuri=app.builder.get_relative_uri(docname, "book/status"),
        )
        paragraph += reference
        paragraph += nodes.Text(").")
        box += paragraph
    section.insert(1, box)


def setup(app):
    app.connect("doctree-resolved", add_box)
    return {"version": "1.0", "parallel_read_safe": True}
