"""A real browser opens the HTML report: it renders with no console errors and no network requests.

Debian's Chromium (``/usr/bin/chromium``, installed by ``.ci/install-browser.sh``) is driven through
Playwright (``pip install -e '.[browser]'``) with ``executable_path``: Playwright's own browser
download does not work on these machines. Outside CI the tests skip, saying why, when either is
missing; with ``CI`` set they fail instead, so CI can never pass without running them.

The full-page screenshot goes to ``$RECOTRACK_SCREENSHOT`` when set (a PNG path), else to pytest's
temporary folder.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conftest import EXAMPLE

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Route

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
TITLE = "Are we listening? Review of children and young people’s mental health services"


def _missing() -> str | None:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (install Debian's chromium: .ci/install-browser.sh)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is missing (pip install -e '.[browser]')"
    return None


MISSING = _missing()
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")

if MISSING is not None and not IN_CI:
    pytest.skip(f"real-browser test skipped: {MISSING}", allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if MISSING is not None:
        pytest.fail(f"CI is set, so the real-browser test must run, but {MISSING}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(FLAGS), headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "report.html"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_COLOR": "1"}
    command = [sys.executable, "-m", "recotrack", "report", str(EXAMPLE), "--period", "2020", "--compare", "2019"]
    result = subprocess.run(
        [*command, "--format", "html", "-o", str(out)], capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode == 0, result.stderr
    return out


@dataclass
class Visit:
    """A page opened in the browser, with every console message, error and request it caused."""

    page: Page
    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.console_errors == [], "console errors"
        assert self.page_errors == [], "uncaught page errors"
        assert self.requests == [self.url], "requests other than the page itself"
        assert self.blocked == [], "requests other than the page itself"


@contextmanager
def visit(browser: Browser, path: Path, **context_options: Any) -> Iterator[Visit]:
    """Open ``path`` by its file:// URL; any other request is recorded and refused, never sent."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context_options})
    url = path.resolve().as_uri()
    page = context.new_page()
    seen = Visit(page, url)

    def route(route: Route) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            seen.blocked.append(route.request.url)
            route.abort()

    def console(message: ConsoleMessage) -> None:
        if message.type in ("error", "assert"):
            seen.console_errors.append(message.text)

    def request(request: Request) -> None:
        seen.requests.append(request.url)

    context.route(lambda _url: True, route)
    page.on("console", console)
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
    page.on("request", request)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        yield seen
    finally:
        context.close()


def screenshot_path(tmp_path: Path) -> Path:
    chosen = os.environ.get("RECOTRACK_SCREENSHOT")
    path = Path(chosen) if chosen else tmp_path / "report.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_report_renders_cleanly_with_key_figures_visible(browser: Browser, report: Path, tmp_path: Path) -> None:
    with visit(browser, report) as seen:
        page = seen.page
        assert page.title() == f"{TITLE}: implementation report, 2020"
        assert page.get_by_role("heading", level=1, name=TITLE).is_visible()
        assert page.get_by_text("80 of 152 (53%)", exact=True).is_visible()
        assert page.get_by_text("Figures describe the 80 units that responded").is_visible()
        assert page.get_by_role("table", name="Response by region, 2020").is_visible()
        joint = page.get_by_role("row", name=re.compile(r"^L1\.1 Joint commissioning")).first
        assert joint.is_visible()
        assert "Amber" in joint.inner_text()
        assert page.get_by_role("cell", name="73 (91%)", exact=True).first.is_visible()
        chart = page.get_by_role("img", name=re.compile(r"^0\.2a a standing partner .*: answers in 2020"))
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] > 400
        assert page.get_by_text("Withheld.").first.is_visible()
        assert page.get_by_role("heading", name="What changed since 2019").is_visible()
        assert page.get_by_role("heading", name="Provenance").is_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, "the page is wider than the window"
        target = screenshot_path(tmp_path)
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
        seen.assert_clean()


def test_readable_on_a_phone_without_javascript(browser: Browser, report: Path) -> None:
    with visit(browser, report, viewport={"width": 390, "height": 844}, java_script_enabled=False) as seen:
        page = seen.page
        assert page.get_by_role("heading", level=1, name=TITLE).is_visible()
        assert page.get_by_text("80 of 152 (53%)", exact=True).is_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, "wide tables must scroll inside their own box, not widen the page"
        seen.assert_clean()


def test_prints(browser: Browser, report: Path, tmp_path: Path) -> None:
    with visit(browser, report) as seen:
        page = seen.page
        page.emulate_media(media="print")
        assert page.locator("nav.toc").is_hidden()
        assert page.get_by_role("heading", level=1, name=TITLE).is_visible()
        pdf = page.pdf(format="A4", print_background=True)
        assert pdf.startswith(b"%PDF")
        assert len(re.findall(rb"/Type\s*/Page\b", pdf)) > 5
        (tmp_path / "report.pdf").write_bytes(pdf)
        seen.assert_clean()


def test_the_checks_catch_requests_and_console_errors(browser: Browser, tmp_path: Path) -> None:
    """A control page that does what the report must not: the same checks must catch it."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html lang='en'><title>bad</title>"
        "<link rel='stylesheet' href='https://fonts.example.invalid/font.css'>"
        "<img src='http://example.invalid/logo.png' alt=''>"
        "<script>console.error('broken')</script><p>hello</p></html>",
        encoding="utf-8",
    )
    with visit(browser, bad) as seen:
        assert "broken" in seen.console_errors
        assert "https://fonts.example.invalid/font.css" in seen.blocked
        assert "http://example.invalid/logo.png" in seen.blocked
        with pytest.raises(AssertionError):
            seen.assert_clean()
