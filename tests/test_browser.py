"""A real browser opens the HTML report: it renders with no console errors and no network requests,
and its layout holds on a phone (390 CSS px) and a desktop (1280 px).

Debian's Chromium (``/usr/bin/chromium``, installed by ``.ci/install-browser.sh``) is driven through
Playwright (``pip install -e '.[browser]'``) with ``executable_path``: Playwright's own browser
download does not work on these machines. The accessibility check injects axe-core from npm
(``.ci/install-axe.sh`` puts it in ``.ci/node_modules``; ``$RECOTRACK_AXE`` may name another
``axe.min.js``). Outside CI the tests skip, saying why, when one is missing; with ``CI`` set they fail
instead, so CI can never pass without running them.

The layout checks run on the example's 2019 report and its 2020 report compared with 2019, at both
widths, with every folded part opened: no table cell's content is wider than the cell or reaches
outside it, no two pieces of text overlap, no text is smaller than 11 CSS px, the page is no wider
than the window, and axe reports no violation.

Screenshots: the full-page one of ``test_report_renders_cleanly…`` goes to ``$RECOTRACK_SCREENSHOT``
when set (a PNG path); one per report and width (``report-2019-390.png`` …) goes to
``$RECOTRACK_SCREENSHOT_DIR``, else next to ``$RECOTRACK_SCREENSHOT``, else to pytest's temporary
folder.
"""

from __future__ import annotations

import datetime as dt
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

import recotrack
from conftest import EXAMPLE, ROOT
from recotrack.reporters import Provenance, ReportContext
from recotrack.reporters.html import render

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

AXE_ENV = "RECOTRACK_AXE"
AXE_DEFAULT = ROOT / ".ci" / "node_modules" / "axe-core" / "axe.min.js"


def axe_script() -> Path | None:
    """axe.min.js: where ``$RECOTRACK_AXE`` says, else where ``.ci/install-axe.sh`` puts it."""
    chosen = os.environ.get(AXE_ENV)
    path = Path(chosen) if chosen else AXE_DEFAULT
    return path if path.is_file() else None


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


def screenshot_dir(tmp_path: Path) -> Path:
    chosen = os.environ.get("RECOTRACK_SCREENSHOT_DIR")
    single = os.environ.get("RECOTRACK_SCREENSHOT")
    folder = Path(chosen) if chosen else Path(single).parent if single else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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
        chart = page.get_by_role("img", name=re.compile(r"^0\.2a a standing partner .*: answers in 2020"))
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] > 400
        # Each question's table of counts is folded under its chart, and opens with a click.
        cell = page.get_by_role("cell", name="73 (91%)", exact=True).first
        assert cell.is_hidden()
        page.get_by_text("Table of counts for 0.1,").click()
        assert cell.is_visible()
        withheld = page.get_by_text("Withdrawn.").first
        assert withheld.is_hidden()
        page.locator("details", has=withheld).first.locator("summary").click()
        assert withheld.is_visible()
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


# -- layout at a phone's and a desktop's width ---------------------------------------------------

WIDTHS = (390, 1280)
REPORTS = ("2019", "2020-vs-2019", "2021-history")
MIN_TEXT_PX = 11.0

LAYOUT_CHECKS = """
() => {
  const problems = { cells: [], segments: [], overlaps: [], small: [] };
  const styles = new Map();
  const style = (el) => {
    let s = styles.get(el);
    if (!s) { s = getComputedStyle(el); styles.set(el, s); }
    return s;
  };
  const visible = (el) => el.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  const name = (el) => {
    const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    const classes = typeof el.className === "string" && el.className ? "." + el.className : "";
    return `<${el.tagName.toLowerCase()}${classes}> ${text}`;
  };
  const intersect = (a, b) => {
    const left = Math.max(a.left, b.left), right = Math.min(a.right, b.right);
    const top = Math.max(a.top, b.top), bottom = Math.min(a.bottom, b.bottom);
    return right > left && bottom > top ? { left, right, top, bottom } : null;
  };
  const inside = (r, box) =>
    r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;

  // Every text box the reader sees, cut to the boxes of ancestors that clip it.
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    const parent = node.parentElement;
    if (!parent || !visible(parent)) continue;
    let clip = { left: -1e9, right: 1e9, top: -1e9, bottom: 1e9 };
    for (let el = parent; el && clip; el = el.parentElement) {
      const s = style(el);
      if (s.overflowX !== "visible" || s.overflowY !== "visible" || s.clipPath !== "none") {
        clip = intersect(clip, el.getBoundingClientRect());
      }
    }
    if (!clip) continue;
    let size = parseFloat(style(parent).fontSize);
    if (parent instanceof SVGElement && parent.getScreenCTM()) size *= parent.getScreenCTM().a;
    const range = document.createRange();
    range.selectNodeContents(node);
    let seen = false;
    for (const rect of range.getClientRects()) {
      const r = intersect(rect, clip);
      if (!r || r.right - r.left <= 1 || r.bottom - r.top <= 1) continue;
      seen = true;
      boxes.push({ ...r, node, text: node.data.trim().slice(0, 40) });
    }
    if (seen && size < MIN_TEXT_PX) problems.small.push(`${size}px: ${name(parent)}`);
  }

  // No cell's content is wider than the cell, or reaches outside it.
  const cellOf = new Map();
  for (const cell of document.querySelectorAll("td, th")) {
    if (!visible(cell)) continue;
    const box = cell.getBoundingClientRect();
    if (cell.scrollWidth > cell.clientWidth + 1) {
      problems.cells.push(`scrollWidth ${cell.scrollWidth} > clientWidth ${cell.clientWidth}: ${name(cell)}`);
    }
    for (const child of cell.querySelectorAll("*")) {
      if (!visible(child)) continue;
      for (const r of child.getClientRects()) {
        if (r.width && r.height && !inside(r, box)) {
          problems.cells.push(`${name(child)} reaches outside its cell ${name(cell)}`);
        }
      }
    }
  }
  for (const b of boxes) {
    const cell = b.node.parentElement.closest("td, th");
    if (cell) {
      let box = cellOf.get(cell);
      if (!box) { box = cell.getBoundingClientRect(); cellOf.set(cell, box); }
      if (!inside(b, box)) problems.cells.push(`text "${b.text}" reaches outside its cell ${name(cell)}`);
    }
  }

  // A chart segment's text stays inside the segment.
  for (const t of document.querySelectorAll(".seg-t")) {
    if (!visible(t)) continue;
    const r = t.getBoundingClientRect();
    if (!inside(r, t.parentElement.getBoundingClientRect())) problems.segments.push(name(t.parentElement));
  }

  // No two text boxes overlap: bucket them by their vertical position, compare within buckets.
  const BUCKET = 24;
  const buckets = new Map();
  boxes.forEach((b, i) => {
    for (let k = Math.floor(b.top / BUCKET); k <= Math.floor(b.bottom / BUCKET); k++) {
      if (!buckets.has(k)) buckets.set(k, []);
      buckets.get(k).push(i);
    }
  });
  const reported = new Set();
  for (const [k, members] of buckets) {
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const a = boxes[members[x]], b = boxes[members[y]];
        const key = members[x] + ":" + members[y];
        if (reported.has(key)) continue;
        const o = intersect(a, b);
        if (o && o.right - o.left > 1 && o.bottom - o.top > 2) {
          reported.add(key);
          problems.overlaps.push(`"${a.text}" overlaps "${b.text}" at y=${Math.round(o.top)}`);
        }
      }
    }
  }
  problems.textBoxes = boxes.length;
  problems.width = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  problems.height = document.documentElement.scrollHeight;
  return problems;
}
""".replace("MIN_TEXT_PX", str(MIN_TEXT_PX))

AXE_RUN = """
async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.length,
    examples: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + ": " + n.failureSummary),
  }));
}
"""


@pytest.fixture(scope="module")
def example() -> recotrack.Tracker:
    return recotrack.load(EXAMPLE, strict=False)


@pytest.fixture(scope="module")
def pages(example: recotrack.Tracker, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example's 2019 report and its 2020 report compared with 2019, rendered through the API."""
    inputs = example.inputs
    provenance = Provenance(
        "recotrack", recotrack.__version__, dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC), inputs
    )
    folder = tmp_path_factory.mktemp("layout")
    scored = {
        "2019": recotrack.score(example, "2019"),
        "2020-vs-2019": recotrack.score(example, "2020", compare="2019"),
        "2021-history": recotrack.score(example, "2021", compare="2020", history=True),
    }
    paths = {}
    for name, results in scored.items():
        path = folder / f"report-{name}.html"
        path.write_text(render(ReportContext(results, example.catalog.review, provenance)), encoding="utf-8")
        paths[name] = path
    return paths


def _listing(problems: list[str]) -> str:
    shown = "\n  ".join(problems[:15])
    more = f"\n  … and {len(problems) - 15} more" if len(problems) > 15 else ""
    return f"{len(problems)}:\n  {shown}{more}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", REPORTS)
def test_layout_holds_and_passes_axe(
    browser: Browser, pages: dict[str, Path], name: str, width: int, tmp_path: Path
) -> None:
    axe = axe_script()
    if axe is None and not IN_CI:
        pytest.skip(f"axe-core is missing: run .ci/install-axe.sh, or set {AXE_ENV} to an axe.min.js")
    with visit(browser, pages[name], viewport={"width": width, "height": 900}) as seen:
        page = seen.page
        target = screenshot_dir(tmp_path) / f"report-{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000
        folded = page.evaluate("document.querySelectorAll('details:not([open])').length")
        assert folded > 3, "the long parts are folded"
        height = page.evaluate("document.documentElement.scrollHeight")
        if width == 1280:
            assert height < (18_000 if name == "2019" else 22_000), f"the page is {height} px tall"
        # Every folded part open, so that the checks see every table.
        page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        found = page.evaluate(LAYOUT_CHECKS)
        assert found["textBoxes"] > 2000, "the checks saw the page's text"
        assert found["width"] <= 0, f"the page is {found['width']} px wider than the window"
        assert not found["cells"], "table cells whose content does not fit: " + _listing(found["cells"])
        assert not found["segments"], "chart segments whose text does not fit: " + _listing(found["segments"])
        assert not found["overlaps"], "overlapping text: " + _listing(found["overlaps"])
        assert not found["small"], f"text smaller than {MIN_TEXT_PX} px: " + _listing(found["small"])
        if axe is None:
            looked = os.environ.get(AXE_ENV) or AXE_DEFAULT
            pytest.fail(f"CI is set, so the accessibility check must run, but axe-core is missing ({looked})")
        page.add_script_tag(content=axe.read_text(encoding="utf-8"))
        violations = page.evaluate(AXE_RUN)
        assert violations == [], "axe-core violations:\n" + "\n".join(
            f"  {v['id']} ({v['impact']}, {v['nodes']} nodes): {v['help']}; " + " | ".join(v["examples"])
            for v in violations
        )
        seen.assert_clean()


def test_the_layout_checks_catch_overflow_and_overlap(browser: Browser, tmp_path: Path) -> None:
    """A control page with the faults the checks look for: they must find each one."""
    bad = tmp_path / "layout.html"
    bad.write_text(
        "<!DOCTYPE html><html lang='en'><title>bad</title><body style='font: 16px sans-serif'>"
        "<table style='table-layout: fixed; width: 200px'><caption>t</caption>"
        "<tr><th scope='row' style='width: 40px; white-space: nowrap'>a very long header</th>"
        "<td style='white-space: nowrap'>31 December 2020</td></tr></table>"
        "<p style='height: 10px; margin: 0; line-height: 10px'>first line of text</p>"
        "<p style='margin: -6px 0 0'>second line of text</p>"
        "<p style='font-size: 8px'>tiny</p></body></html>",
        encoding="utf-8",
    )
    with visit(browser, bad) as seen:
        found = seen.page.evaluate(LAYOUT_CHECKS)
    assert any("a very long header" in problem for problem in found["cells"])
    assert any("first line" in problem and "second line" in problem for problem in found["overlaps"])
    assert any("tiny" in problem for problem in found["small"])


# -- unit profiles and their index (report --units all) -------------------------------------------

PROFILE_SAMPLE = ("hwb-002", "hwb-001", "hwb-152", "index")
"""A board that responded, one that did not, the last one, and the index: not all 152, to keep CI quick."""


@pytest.fixture(scope="module")
def profile_pages(example: recotrack.Tracker, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from recotrack.pipeline import report_units

    written = report_units(example, tmp_path_factory.mktemp("profiles"), period="2019", format="html")
    assert len(written.profiles) == 152
    assert written.index is not None
    return {**{unit: path for unit, path in written.profiles.items() if unit in PROFILE_SAMPLE}, "index": written.index}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PROFILE_SAMPLE)
def test_profiles_and_their_index_hold_their_layout_and_pass_axe(
    browser: Browser, profile_pages: dict[str, Path], name: str, width: int, tmp_path: Path
) -> None:
    axe = axe_script()
    if axe is None and not IN_CI:
        pytest.skip(f"axe-core is missing: run .ci/install-axe.sh, or set {AXE_ENV} to an axe.min.js")
    with visit(browser, profile_pages[name], viewport={"width": width, "height": 900}) as seen:
        page = seen.page
        target = screenshot_dir(tmp_path) / f"profile-{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        if name == "index":
            assert page.locator("a[href$='.html']").count() == 152
        else:
            assert page.get_by_role("heading", level=1).inner_text().startswith("Board ")
            assert page.get_by_role("link", name="All units").is_visible()
        page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        found = page.evaluate(LAYOUT_CHECKS)
        assert found["textBoxes"] > 100, "the checks saw the page's text"
        assert found["width"] <= 0, f"the page is {found['width']} px wider than the window"
        assert not found["cells"], "table cells whose content does not fit: " + _listing(found["cells"])
        assert not found["overlaps"], "overlapping text: " + _listing(found["overlaps"])
        assert not found["small"], f"text smaller than {MIN_TEXT_PX} px: " + _listing(found["small"])
        if axe is None:
            looked = os.environ.get(AXE_ENV) or AXE_DEFAULT
            pytest.fail(f"CI is set, so the accessibility check must run, but axe-core is missing ({looked})")
        page.add_script_tag(content=axe.read_text(encoding="utf-8"))
        violations = page.evaluate(AXE_RUN)
        assert violations == [], "axe-core violations:\n" + "\n".join(
            f"  {v['id']} ({v['impact']}, {v['nodes']} nodes): {v['help']}; " + " | ".join(v["examples"])
            for v in violations
        )
        seen.assert_clean()
