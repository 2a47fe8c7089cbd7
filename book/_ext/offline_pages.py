"""Keep every page readable offline: drop sphinx-thebe's loader, which Jupyter Book always
adds even with Thebe switched off, and which fetches code from the web when it runs."""


def drop_thebe_loader(app, pagename, templatename, context, doctree):
    context["script_files"] = [js for js in context.get("script_files", [])
                               if "sphinx-thebe" not in str(js)]
    context["css_files"] = [css for css in context.get("css_files", [])
                            if "sphinx-thebe" not in str(css)]


def setup(app):
    app.connect("html-page-context", drop_thebe_loader)
    return {"version": "1.0", "parallel_read_safe": True}
