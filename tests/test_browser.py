"""The site as a reader meets it: every page in headless Chromium, offline.

Requests to any other host are blocked. Each page must log no console error,
load every image, typeset its math, show no error output, and keep its headings
in order; chapters must carry working Colab, download and repository buttons
and fold their exercise solutions. No code block or output is wider than its
box at 1280 px; axe-core finds no serious or critical accessibility fault;
every button, folded solution, audio player and slider is reached and worked
with the keyboard; every interactive figure redraws when its slider moves.
Screenshots (light and dark) land in _build/screenshots.
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
KEY_WORDS = {
    "01_introduction": "overfitting",
    "02_wake_words": "spectrogram",
    "03_regression": "invoices",
    "04_classification": "calibration",
    "05_ranking": "PageRank",
    "06_sequences": "tagging",
    "07_without_labels": "clustering",
    "08_reinforcement_learning": "bandit",
    "09_fizzbuzz": "FizzBuzz",
}


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
        pytest.skip(
            "Debian's chromium is not installed: `apt-get install chromium` "
            "(make test does it when run as root)"
        )
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--autoplay-policy=user-gesture-required",
            ],
        )
        yield browser
        browser.close()


class Visit:
    """Open one page offline and record what went wrong while it loaded."""

    def __init__(self, browser, server, path, color_scheme="light"):
        self.context = browser.new_context(
            color_scheme=color_scheme, viewport={"width": 1280, "height": 900}
        )
        self.page = self.context.new_page()
        self.errors, self.blocked = [], []
        self.page.on(
            "console",
            lambda m: m.type == "error" and self.errors.append(m.text),
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", lambda route: self._only_local(route, server))
        self.page.goto(f"{server}/{path}", wait_until="networkidle")
        self.page.evaluate(
            "() => window.MathJax && MathJax.startup ? "
            "MathJax.startup.promise : null"
        )

    def _only_local(self, route, server):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def close(self):
        self.context.close()


def site_pages():
    return sorted(
        p.relative_to(HTML).as_posix()
        for p in HTML.rglob("*.html")
        if p.parts[-2] in ("book", "chapters")
    )


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
        broken = page.evaluate(
            "() => Array.from(document.images)"
            ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        found += [f"image did not load: {src}" for src in broken]
        if (
            page.locator("article .math").count()
            and not page.locator("article mjx-container").count()
        ):
            found.append("math on the page is not typeset")
        if page.locator(
            "article .output.error, article .output.traceback, "
            "article .output.stderr"
        ).count() or "Traceback (most recent call last)" in page.inner_text(
            "article"
        ):
            found.append(
                "an error, a traceback or a warning on stderr is shown"
            )
        levels = page.eval_on_selector_all(
            "article h1, article h2, article h3, article h4",
            "hs => hs.map(h => Number(h.tagName[1]))",
        )
        if levels and (
            levels[0] != 1
            or any(b > a + 1 for a, b in zip(levels, levels[1:], strict=False))
        ):
            found.append(f"headings out of order: {levels}")
        page.screenshot(
            path=str(SCREENSHOTS / (path.replace("/", "_") + ".png")),
            full_page=True,
        )
        visit.close()
        if found:
            problems[path] = found
    assert not problems, json.dumps(problems, indent=1)


@pytest.mark.parametrize("chapter", [p.stem for p in BOOK_CHAPTERS])
def test_chapter_buttons_exercises_and_dark_mode(browser, server, chapter):
    visit = Visit(
        browser, server, f"chapters/{chapter}.html", color_scheme="dark"
    )
    page = visit.page
    hrefs = page.eval_on_selector_all("a", "links => links.map(a => a.href)")
    colab = (
        f"https://colab.research.google.com/github/programming-with-data/"
        f"programming-with-data/blob/main/chapters/{chapter}.ipynb"
    )
    assert colab in hrefs and REPOSITORY in hrefs
    download = page.locator(".btn-download-source-button").get_attribute(
        "href"
    )
    notebook = json.loads(
        urllib.request.urlopen(f"{server}/chapters/{download}").read()
    )
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
    assert (
        page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    )
    # :visible skips an interactive figure's fallback image, hidden by design
    figure = page.locator("article .cell_output img:visible").first
    if figure.count():  # dark mode: is a plot readable on a dark page?
        figure.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"chapters_{chapter}.dark.png"))
    assert not visit.errors, visit.errors
    visit.close()


def test_sidebar_links_every_chapter(browser, server):
    visit = Visit(browser, server, "book/index.html")
    links = visit.page.eval_on_selector_all(
        "nav.bd-docs-nav a", "links => links.map(a => a.href)"
    )
    for path in BOOK_CHAPTERS:
        assert any(
            link.endswith(f"chapters/{path.stem}.html") for link in links
        ), path.stem
    visit.close()


@pytest.mark.parametrize("chapter", [p.stem for p in BOOK_CHAPTERS])
def test_search_finds_each_chapter_by_its_key_word(browser, server, chapter):
    visit = Visit(browser, server, f"search.html?q={KEY_WORDS[chapter]}")
    visit.page.wait_for_selector("#search-results li", timeout=20000)
    results = visit.page.eval_on_selector_all(
        "#search-results li a", "as => as.map(a => a.href)"
    )
    assert any(f"chapters/{chapter}.html" in r for r in results), results[:10]
    visit.close()


AXE_TAGS = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
    "experimental",
]


def test_no_serious_accessibility_violations(browser, server, pages):
    """axe-core (bundled by axe-playwright-python), every rule incl.
    experimental."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = {}
    for path in pages:
        visit = Visit(browser, server, path)
        result = axe.run(
            visit.page,
            options={"runOnly": {"type": "tag", "values": AXE_TAGS}},
        )
        serious = [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}"
            for v in result.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            found[path] = serious
        visit.close()
    assert not found, json.dumps(found, indent=1)


OVERFLOWING = """() => Array.from(document.querySelectorAll(
    'article div.highlight pre, article .cell_output pre, ' +
    'article .output pre'))
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.innerText.split("\\n").sort((a, b) => b.length - a.length)[0])"""


@pytest.mark.parametrize("chapter", [p.stem for p in BOOK_CHAPTERS])
def test_code_and_outputs_fit_their_box(browser, server, chapter):
    """At 1280 px no code block or printed output needs a sideways scroll."""
    visit = Visit(browser, server, f"chapters/{chapter}.html")
    visit.page.evaluate(
        "() => document.querySelectorAll('details').forEach(d => d.open = "
        "true)"
    )
    too_wide = visit.page.evaluate(OVERFLOWING)
    visit.close()
    assert not too_wide, (
        f"{len(too_wide)} blocks too wide, e.g. {too_wide[:3]}"
    )


def svg_of(figure):
    return figure.locator(".mlbook-interactive-view svg").first.inner_html()


@pytest.mark.parametrize("chapter", [p.stem for p in BOOK_CHAPTERS])
def test_interactive_figures_respond_to_their_sliders(
    browser, server, chapter
):
    """Each chapter has a figure with a control; moving it (by keyboard)
    redraws it, offline, and its static fallback image carries the same alt
    text."""
    visit = Visit(browser, server, f"chapters/{chapter}.html")
    page = visit.page
    figures = page.locator(".mlbook-interactive")
    assert figures.count() >= 1, "no interactive figure on this chapter"
    for i in range(figures.count()):
        figure = figures.nth(i)
        figure.scroll_into_view_if_needed()
        page.wait_for_function(
            "i => document.querySelectorAll('.mlbook-interactive')[i]"
            ".dataset.drawn === 'true'",
            arg=i,
            timeout=20000,
        )
        fallback = figure.locator(".mlbook-interactive-fallback")
        assert fallback.get_attribute("alt") == figure.locator(
            ".mlbook-interactive-view"
        ).get_attribute("aria-label")
        assert not fallback.is_visible()
        sliders = figure.locator("input[type=range]")
        assert sliders.count() >= 1
        for j in range(sliders.count()):
            before = svg_of(figure)
            slider = sliders.nth(j)
            slider.focus()
            page.keyboard.press("End")
            page.wait_for_timeout(200)
            assert svg_of(figure) != before, (
                f"figure {i}, slider {j} did nothing"
            )
    assert not visit.errors, visit.errors
    visit.close()


FOCUS_KEY = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  if (!e.dataset.focusKey) e.dataset.focusKey = String(Math.random());
  return e.dataset.focusKey;
}"""
MARK_TARGETS = """() => {
  const targets = Array.from(document.querySelectorAll(
    'article button.toggle-button, article audio[controls], ' +
    'article details > summary, ' +
    'article .mlbook-interactive input, .header-article-items button, ' +
    '.header-article-items a.btn'))
    .filter(e => e.offsetParent !== null || e.tagName === 'AUDIO');
  targets.forEach((e, i) => e.dataset.focusTarget = String(i));
  return targets.map(e => e.tagName.toLowerCase() + '.' + e.className);
}"""


@pytest.mark.parametrize("chapter", [p.stem for p in BOOK_CHAPTERS])
def test_everything_interactive_is_reached_and_worked_by_keyboard(
    browser, server, chapter
):
    visit = Visit(browser, server, f"chapters/{chapter}.html")
    page = visit.page
    page.wait_for_timeout(500)
    targets = page.evaluate(MARK_TARGETS)
    assert targets, "no interactive elements found"
    reached, first_key = set(), None
    for step in range(5000):
        page.keyboard.press("Tab")
        key = page.evaluate(FOCUS_KEY)
        if step and key is not None and key == first_key:
            break  # focus has come round to the first element again
        first_key = first_key or key
        target = page.evaluate(
            "() => document.activeElement && "
            "document.activeElement.dataset.focusTarget"
        )
        if target is not None:
            reached.add(int(target))
    missing = [targets[i] for i in range(len(targets)) if i not in reached]
    assert not missing, f"not reachable with Tab: {missing[:5]}"
    # Operable: Space plays and pauses an audio player,
    audio = page.locator("article audio[controls]").first
    if audio.count():
        audio.focus()
        page.keyboard.press("Space")
        page.wait_for_timeout(500)
        assert audio.evaluate("a => !a.paused"), "Space did not play"
        page.keyboard.press("Space")
        assert audio.evaluate("a => a.paused"), "Space did not pause"
    # and Enter opens a folded solution.
    toggle = page.locator("section#exercises button.toggle-button").first
    if toggle.count():
        toggle.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        assert toggle.evaluate(
            "b => !b.closest('.toggle').classList.contains('toggle-hidden')"
            " || b.getAttribute('aria-expanded') === 'true'"
        )
    visit.close()


def test_interactive_figures_fall_back_to_an_image_without_javascript(
    browser, server
):
    """With JavaScript off, each interactive figure shows its static first
    state as an image, with the figure's alt text."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    checked = 0
    for chapter in [p.stem for p in BOOK_CHAPTERS]:
        page.goto(f"{server}/chapters/{chapter}.html")
        images = page.locator(".mlbook-interactive-fallback")
        for i in range(images.count()):
            image = images.nth(i)
            image.scroll_into_view_if_needed()
            assert image.is_visible()
            assert len(image.get_attribute("alt").split()) >= 5
            assert image.evaluate("i => i.complete && i.naturalWidth > 0")
            checked += 1
    context.close()
    assert checked >= 1
