"""Pages that read offline and log no console errors.

Jupyter Book always adds sphinx-thebe, even with Thebe switched off: its loader
fetches code from the web, and its inline configuration is emitted twice, which
the browser reports as an error. We drop both. pydata-sphinx-theme also reads
an unset ``default_mode``, and logs "invalid theme mode" on every page: we set
it to ``auto``.
"""


def _is_thebe(asset):
    return (
        "thebe" in str(asset).lower()
        or "thebe"
        in str(getattr(asset, "attributes", {}).get("body", "")).lower()
    )


def clean_page(app, pagename, templatename, context, doctree):
    context["script_files"] = [
        js for js in context.get("script_files", []) if not _is_thebe(js)
    ]
    context["css_files"] = [
        css for css in context.get("css_files", []) if not _is_thebe(css)
    ]
    context.setdefault("default_mode", "auto")


def setup(app):
    # Last (priority 900): other extensions add their scripts to a page first.
    app.connect("html-page-context", clean_page, priority=900)
    return {"version": "1.0", "parallel_read_safe": True}
