"""Build ``notebooks.zip`` beside the site: every chapter notebook, as stored
(no outputs)."""

import zipfile
from pathlib import Path

ARCHIVE = "programming-with-data-notebooks.zip"


def write_archive(app, exc):
    if exc is not None:
        return
    chapters = sorted(Path(app.srcdir, "chapters").glob("*.ipynb"))
    listed = {
        doc.split("/")[-1]
        for doc in app.env.found_docs
        if doc.startswith("chapters/")
    }
    with zipfile.ZipFile(
        Path(app.outdir, ARCHIVE), "w", zipfile.ZIP_DEFLATED
    ) as archive:
        for path in chapters:
            if path.stem in listed:
                archive.write(path, f"programming-with-data/{path.name}")


def setup(app):
    app.connect("build-finished", write_archive)
    return {"version": "1.0", "parallel_read_safe": True}
