"""The site as a reader meets it: every page in headless Chromium, offline.

Requests to any other host are blocked. Each page must log no console error, load every
image, typeset its math, show no error output, and keep its headings in order; chapters
must carry working Colab, download and repository buttons and fold their exercise
solutions. Screenshots (light and dark) land in _build/screenshots.
"""
import functools
import http.server
import json
import shutil
import threading
import urllib.request

import pytest

from conftest import BOOK_CHAPTERS, HTML, ROOT

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = ROOT / "_build" / "screenshots"
REPOSITORY = "https://github.com/programming-with-data/programming-with-data"
KEY_WORDS = {"01_introduction": "overfitting", "02_wake_words": "spectrogram",
             "03_regression": "invoices", "04_classification": "calibration",
             "05_ranking": "PageRank", "06_reinforcement_learning": "bandit",
             "07_fizzbuzz": "FizzBuzz"}


@pytest.fixture(scope="module")
def server(built_book):
    handler = functools.partial(QuietHandler, directory=str(built_book))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed: `apt-get install chromium` "
                    "(make test does it when run as root)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


class Visit:
    """Open one page offline and record what went wrong while it loaded."""

    def __init__(self, browser, server, path, color_scheme="light"):
        self.context = browser.new_context(color_scheme=color_scheme,
                                           viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors, self.blocked = [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", lambda route: self._only_local(route, server))
        self.page.goto(f"{server}/{path}", wait_until="networkidle")
        self.page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")

    def _only_local(self, route, server):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def close(self):
        self.context.close()


def site_pages():
    return sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
                  if p.parts[-2] in ("book", "chapters"))


@pytest.fixture(scope="module")
def pages(built_book):
    return site_pages()


def test_every_page_reads_cleanly_offline(browser, server, pages):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = {}
    for path in pages:
        visit = Visit(browser, server, path)
        page = visit.page
        found = list(visit.errors)
        broken = page.evaluate("() => Array.from(document.images)"
                               ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
        found += [f"image did not load: {src}" for src in broken]
        if page.locator("article .math").count() and not page.locator("article mjx-container").count():
            found.append("math on the page is not typeset")
        if page.locator("article .output.error, article .output.traceback, "
                        "article .output.stderr").count() or \
                "Traceback (most recent call last)" in page.inner_text("article"):
            found.append("an error, a traceback or a warning on stderr is shown")
        levels = page.eval_on_selector_all("article h1, article h2, article h3, article h4",
                                           "hs => hs.map(h => Number(h.tagName[1]))")
        if levels and (levels[0] != 1 or any(b > a + 1 for a, b in zip(levels, levels[1:]))):
            found.append(f"headings out of order: {levels}")
        page.screenshot(path=str(SCREENSHOTS / (path.replace("/", "_") + ".png")), full_page=True)
        visit.close()
        if found:
            problems[path] = found
    assert not problems, json.dumps(problems, indent=1)


@pytest.mark.parametrize("chapter", [p.stem for p in BOOK_CHAPTERS])
def test_chapter_buttons_exercises_and_dark_mode(browser, server, chapter):
    visit = Visit(browser, server, f"chapters/{chapter}.html", color_scheme="dark")
    page = visit.page
    hrefs = page.eval_on_selector_all("a", "links => links.map(a => a.href)")
    colab = (f"https://colab.research.google.com/github/programming-with-data/"
             f"programming-with-data/blob/main/chapters/{chapter}.ipynb")
    assert colab in hrefs and REPOSITORY in hrefs
    download = page.locator(".btn-download-source-button").get_attribute("href")
    notebook = json.loads(urllib.request.urlopen(f"{server}/chapters/{download}").read())
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert not any(c.get("outputs") for c in code)
    assert "MLBOOK_SOURCE" in "".join(code[0]["source"])
    exercises = page.locator("section#exercises .dropdown.admonition")
    assert exercises.count() >= 1
    first = exercises.first
    body = first.locator(".admonition-title ~ *").first
    assert not body.is_visible()
    first.locator(".admonition-title").click()
    body.wait_for(state="visible", timeout=5000)
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    figure = page.locator("article .cell_output img").first
    if figure.count():  # dark mode: is a plot readable on a dark page?
        figure.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"chapters_{chapter}.dark.png"))
    assert not visit.errors, visit.errors
    visit.close()


def test_sidebar_links_every_chapter(browser, server):
    visit = Visit(browser, server, "book/index.html")
    links = visit.page.eval_on_selector_all("nav.bd-docs-nav a", "links => links.map(a => a.href)")
    for path in BOOK_CHAPTERS:
        assert any(link.endswith(f"chapters/{path.stem}.html") for link in links), path.stem
    visit.close()


@pytest.mark.parametrize("chapter", [p.stem for p in BOOK_CHAPTERS])
def test_search_finds_each_chapter_by_its_key_word(browser, server, chapter):
    visit = Visit(browser, server, f"search.html?q={KEY_WORDS[chapter]}")
    visit.page.wait_for_selector("#search-results li", timeout=20000)
    results = visit.page.eval_on_selector_all("#search-results li a", "as => as.map(a => a.href)")
    assert any(f"chapters/{chapter}.html" in r for r in results), results[:10]
    visit.close()
