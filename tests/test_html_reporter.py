"""The HTML report: self-contained, accessible structure, key figures, escaping, same bytes every time."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest

import recotrack
from conftest import EXAMPLE, ROOT
from recotrack.model import Band, OptionRole
from recotrack.plugins import DEFAULT_PLUGINS, load_plugins
from recotrack.reporters import InputFile, Provenance, ReportContext
from recotrack.reporters.html import (
    band_views,
    ink_on,
    option_colour,
    palette,
    render,
)
from recotrack.results import Results

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT} {BREAKOUT}"
GENERATED = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
URL_ATTRIBUTES = ("src", "href", "xlink:href", "action", "formaction", "poster", "srcset", "data")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def first_child(self) -> Element | None:
        return self.children[0] if self.children else None

    def all_text(self) -> str:
        return "".join(self.text) + "".join(child.all_text() for child in self.children)


class Page(HTMLParser):
    """A small DOM: elements with attributes, children and text, enough to check structure."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.elements: list[Element] = []
        self.texts: list[str] = []
        self.doctype = ""
        self.feed(markup)
        self.close()

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        self.elements.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        self.elements.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
        raise AssertionError(f"</{tag}> closes nothing")

    def handle_data(self, data: str) -> None:
        self.stack[-1].text.append(data)
        self.texts.append(data)

    def find(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())


def _descendants(element: Element) -> list[Element]:
    found = []
    for child in element.children:
        found.append(child)
        found.extend(_descendants(child))
    return found


def page_title(page: Page) -> str:
    (head,) = page.find("head")
    (title,) = [child for child in head.children if child.tag == "title"]
    return title.all_text()


def provenance() -> Provenance:
    return Provenance(
        "recotrack",
        recotrack.__version__,
        GENERATED,
        (
            InputFile("catalog/review.yaml", "0" * 64, "catalog"),
            InputFile("evidence/2020-returns.csv", "a" * 64, "evidence"),
        ),
    )


@pytest.fixture(scope="module")
def tracker() -> recotrack.Tracker:
    return recotrack.load(EXAMPLE, strict=False)


@pytest.fixture(scope="module")
def compared(tracker: recotrack.Tracker) -> ReportContext:
    results = recotrack.score(tracker, "2020", compare="2019")
    return ReportContext(results, tracker.catalog.review, provenance())


@pytest.fixture(scope="module")
def markup(compared: ReportContext) -> str:
    return render(compared)


@pytest.fixture(scope="module")
def page(markup: str) -> Page:
    return Page(markup)


# -- self-contained ------------------------------------------------------------------------------


def test_is_one_html5_document_in_english(page: Page, markup: str) -> None:
    assert page.doctype.lower() == "doctype html"
    (html,) = page.find("html")
    assert html.attrs["lang"] == "en"
    title = page_title(page)
    assert "Are we listening?" in title
    assert "2020" in title
    assert page.find("meta")[0].attrs == {"charset": "utf-8"}
    assert markup.endswith("</html>\n")


def test_no_script_and_no_event_handlers(page: Page) -> None:
    assert not page.find("script")
    assert not page.find("noscript")
    for element in page.elements:
        handlers = [name for name in element.attrs if name.startswith("on")]
        assert not handlers, f"<{element.tag}> has {handlers}"


def test_no_external_resources(page: Page, markup: str) -> None:
    for tag in ("link", "img", "iframe", "object", "embed", "video", "audio", "source", "base", "use", "image"):
        assert not page.find(tag), f"the page has a <{tag}>"
    for element in page.elements:
        for name in URL_ATTRIBUTES:
            value = element.attrs.get(name)
            if value is not None:
                assert value.startswith("#"), f"<{element.tag} {name}={value!r}> leaves the page"
        assert "url(" not in element.attrs.get("style", "")
    styles = " ".join(style.all_text() for style in page.find("style"))
    assert "@import" not in styles
    assert "url(" not in styles
    assert "@font-face" not in styles
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", markup, re.IGNORECASE)


def test_internal_links_lead_somewhere(page: Page) -> None:
    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
    assert len(ids) == len(set(ids)), "element ids are not unique"
    for link in page.find("a"):
        assert link.attrs["href"].removeprefix("#") in ids


# -- accessible ----------------------------------------------------------------------------------


def test_headings_go_down_one_level_at_a_time(page: Page) -> None:
    levels = [int(e.tag[1]) for e in page.elements if e.tag in HEADINGS]
    assert levels[0] == 1
    assert levels.count(1) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"h{before} is followed by h{after}"
    assert all(e.all_text().strip() for e in page.elements if e.tag in HEADINGS)


def test_every_table_has_a_caption_and_scoped_headers(page: Page) -> None:
    tables = page.find("table")
    assert len(tables) > 20
    for table in tables:
        first = table.first_child()
        assert first is not None, "an empty table"
        assert first.tag == "caption", "a table without a caption"
        assert first.all_text().strip()
    for header in page.find("th"):
        assert header.attrs.get("scope") in ("col", "row", "colgroup", "rowgroup"), header.all_text()


def test_every_chart_has_a_text_alternative(page: Page) -> None:
    images = [e for e in page.elements if e.attrs.get("role") == "img"]
    charts = [e for e in images if "bars" in e.attrs.get("class", "").split()]
    meters = [e for e in images if e.tag == "svg"]
    assert len(charts) > 20  # the distribution charts: the loops below are not vacuous
    assert len(meters) > 10
    assert len(charts) + len(meters) == len(images)
    ids = {e.attrs["id"]: e for e in page.elements if "id" in e.attrs}
    for svg in meters:
        first = svg.first_child()
        assert first is not None
        assert first.tag == "title"
        assert first.all_text().strip()
        for reference in svg.attrs["aria-labelledby"].split():
            assert ids[reference].all_text().strip()
    for chart in charts:
        for reference in (*chart.attrs["aria-labelledby"].split(), *chart.attrs["aria-describedby"].split()):
            label = ids[reference]
            assert label.all_text().strip()
            assert "hidden" in label.attrs, "the text alternative is not read twice"


def test_charts_are_html_bars_whose_segments_add_up(page: Page) -> None:
    bars = [e for e in page.elements if e.attrs.get("class") == "bar"]
    assert len(bars) > 100
    for bar in bars:
        widths = [re.search(r"width: ([0-9.]+)%", seg.attrs["style"]) for seg in bar.children]
        assert all(widths)
        assert sum(float(w.group(1)) for w in widths if w) == pytest.approx(100, abs=1e-9)
        for seg in bar.children:
            (text,) = seg.children
            assert re.fullmatch(r"n[1-5]", text.attrs["class"].split()[1])
    assert not page.find("text"), "no SVG text, which would scale with the chart"


def test_status_is_written_not_only_coloured(page: Page) -> None:
    badges = [e for e in page.elements if "badge" in e.attrs.get("class", "").split()]
    assert badges
    assert all(b.all_text().strip() for b in badges)
    assert {"Green", "Amber"} <= {b.all_text() for b in badges}
    trends = [e for e in page.elements if "trend" in e.attrs.get("class", "").split()]
    words = {"".join(t.text).strip() for t in trends}  # the word, without its symbol or figures
    assert {"Improved", "No clear change"} <= words


def test_printable(markup: str) -> None:
    assert "@media print" in markup
    assert "print-color-adjust: exact" in markup


# -- content -------------------------------------------------------------------------------------


def test_header_and_response(page: Page, compared: ReportContext) -> None:
    text = page.text
    assert "Are we listening? Review of children and young people’s mental health services" in text
    assert "Care Quality Commission" in text
    assert "80 of 152 (53%)" in text
    assert compared.results.response.statement in text
    assert "Yorkshire and the Humber 15 13 87%" in text


def test_recommendations_by_level(page: Page) -> None:
    text = page.text
    assert "National recommendations and commitments: status in 2020 and change since 2019" in text
    for level in ("Regional", "Local"):
        assert f"{level} recommendations: status in 2020 and change since 2019" in text
    assert "L1.1 Joint commissioning Amber 0.71" in text
    # Commitments are listed under their level, tagged, though not in its score.
    (national,) = [t for t in page.find("table") if t.first_child() and "National" in t.first_child().all_text()]
    heads = [th for th in _descendants(national) if th.tag == "th" and th.attrs.get("scope") == "row"]
    numbers = [th.children[0].all_text() for th in heads]
    assert numbers == ["N1", "N2", "N3", "N4", "C1", "C2", "C3"]
    for th in heads:
        tags = [c.all_text() for c in th.children if "tag-kind" in c.attrs.get("class", "")]
        assert tags == (["Commitment"] if th.children[0].all_text().startswith("C") else [])
    assert "C1 Ask for a mental health focus in the next Joint Targeted Area Inspection" in text
    assert "the 3 commitments the reviewing body made itself are listed too" in text
    assert "0.66 with L1.1–L1.9" in text


def test_each_question_as_chart_and_table(page: Page, compared: ReportContext) -> None:
    text = page.text
    # 1.1, 2020: always 19, sometimes 61, never 0, don't know 0, not applicable 0 of 80
    assert "19 (24%) 61 (76%) 0 (0%) 0 (0%) 0 (0%) 80 0.62" in text
    assert "Questions 1.1 to 1.7, 2020: number of responding units giving each answer" in text
    shown = {e.all_text() for e in page.elements if "id" in e.attrs.get("class", "").split()}
    for question in compared.results.distributions:
        if question.item is None:
            assert question.id in shown, question.id
    assert text.count("Withdrawn.") == 2  # 2.2 and 2.7, duplicated in the questionnaire
    reason = compared.results.distribution("2.2").withdrawn_reason
    assert reason is not None
    assert reason in text
    titles = [e.all_text() for e in page.elements if e.attrs.get("id", "").endswith("-title")]
    assert "0.2a a standing partner in the local CYP MH&WB partnership: answers in 2020" in titles


def test_comparison_milestones_flags_method_provenance(page: Page) -> None:
    text = page.text
    assert "What changed since 2019" in text
    assert "7.1 Is there" in text
    assert "Yes, always +47 points" in text
    assert "Delivered" in text
    assert "9 December 2020" in text
    assert "Unable to assess" in text
    assert "Many “don't know” answers" in text
    assert "20% answered 'don't know'" in text
    assert "Newcombe" in text
    assert "Wilson" in text
    assert "Green: 0.75 and above" in text
    assert f"recotrack {recotrack.__version__}" in text
    assert "2023-11-14 22:13 UTC" in text
    assert "a" * 64 in text
    assert "evidence/2020-returns.csv" in text


def test_without_comparison_and_from_tallies(tracker: recotrack.Tracker) -> None:
    results = recotrack.score(tracker, "2019", source="tallies")
    page = Page(render(ReportContext(results, tracker.catalog.review, provenance())))
    text = page.text
    assert "Since 2019" not in text
    assert "What changed" not in text
    assert "67 of 152 (44%)" in text
    assert "published tallies" in text
    assert "Low response rate" in text
    assert "No regional breakdown" in text
    assert "Count worked out" in text


# -- escaping ------------------------------------------------------------------------------------


def poisoned(context: ReportContext) -> ReportContext:
    """Every kind of input text replaced by markup."""
    results = context.results
    rec = results.recommendation("L1.1")
    question = results.distribution("1.1")
    regions = list(results.response.regions)
    regions[0] = regions[0].model_copy(update={"name": PAYLOAD})
    milestone = results.milestones[0]
    history = (milestone.history[0].model_copy(update={"note": PAYLOAD, "document_title": PAYLOAD}),)
    changed = results.model_copy(
        update={
            "recommendations": tuple(
                r.model_copy(update={"title": PAYLOAD}) if r.id == rec.id else r for r in results.recommendations
            ),
            "distributions": tuple(
                q.model_copy(
                    update={
                        "label": PAYLOAD,
                        "options": (question.options[0].model_copy(update={"label": PAYLOAD}), *question.options[1:]),
                    }
                )
                if q.id == question.id
                else q
                for q in results.distributions
            ),
            "response": results.response.model_copy(
                update={
                    "regions": tuple(regions),
                    "groups": (results.response.groups[0].model_copy(update={"rows": tuple(regions)}),),
                    "statement": PAYLOAD,
                }
            ),
            "milestones": (
                milestone.model_copy(update={"label": PAYLOAD, "history": history}),
                *results.milestones[1:],
            ),
            "levels": tuple(level.model_copy(update={"label": PAYLOAD}) for level in results.levels),
        }
    )
    review = context.review.model_copy(update={"title": PAYLOAD, "publisher": PAYLOAD})
    inputs = (InputFile(f"evidence/{PAYLOAD}.csv", "b" * 64, "evidence"),)
    provenance = Provenance("recotrack", recotrack.__version__, GENERATED, inputs)
    assert isinstance(changed, Results)
    return ReportContext(changed, review, provenance)


def assert_escaped(markup: str) -> Page:
    page = Page(markup)
    assert not page.find("script")
    assert not page.find("img")
    assert SCRIPT not in markup
    assert "<img" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in markup
    for element in page.elements:
        assert not any(name.startswith("on") for name in element.attrs)
    return page


def test_input_text_is_escaped_everywhere(compared: ReportContext) -> None:
    markup = render(poisoned(compared))
    page = assert_escaped(markup)
    assert PAYLOAD in page.text  # shown as text, whole
    assert PAYLOAD in page_title(page)
    labels = [e.all_text() for e in page.elements if e.attrs.get("class") == "bar-label"]
    assert any(PAYLOAD in t for t in labels), "chart labels carry the escaped label"
    tooltips = [e.attrs["title"] for e in page.elements if e.attrs.get("class") == "seg"]
    assert any(PAYLOAD in t for t in tooltips), "segment tooltips carry the escaped option label"
    assert markup.count("&lt;script&gt;") >= 10


def test_markup_in_catalog_and_units_files_is_escaped(tmp_path: Path) -> None:
    copy = tmp_path / "tracker"
    shutil.copytree(EXAMPLE, copy)
    recommendations = copy / "catalog" / "recommendations.yaml"
    text = recommendations.read_text(encoding="utf-8")
    title = 'title: "Joint commissioning"'
    assert text.count(title) == 1
    quoted = PAYLOAD.replace('"', '\\"')
    recommendations.write_text(text.replace(title, f'title: "Joint commissioning {quoted}"'), encoding="utf-8")
    units = copy / "units.yaml"
    text = units.read_text(encoding="utf-8")
    assert text.count("name: North East,") == 1
    units.write_text(text.replace("name: North East,", f'name: "North East {quoted}",'), encoding="utf-8")
    out = tmp_path / "report.html"
    result = run_cli(copy, out)
    assert result.returncode == 0, result.stderr
    page = assert_escaped(out.read_text(encoding="utf-8"))
    assert f"Joint commissioning {PAYLOAD}" in page.text
    assert f"North East {PAYLOAD}" in page.text


def test_template_never_marks_input_safe() -> None:
    templates = resources.files("recotrack.reporters").joinpath("templates")
    for name in ("report.html.j2", "report.css"):
        template = templates.joinpath(name).read_text("utf-8")
        template = re.sub(r"\{#.*?#\}", "", template, flags=re.DOTALL)  # comments may mention it
        assert "|safe" not in template.replace(" ", ""), name
        assert "autoescape" not in template, name  # no {% autoescape false %} blocks
    package = ROOT / "src" / "recotrack" / "reporters" / "html"
    modules = sorted(package.glob("*.py"))
    assert len(modules) > 5
    for module in modules:
        assert "Markup(" not in module.read_text(encoding="utf-8"), module.name


# -- deterministic, registered, shipped ----------------------------------------------------------


def run_cli(path: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_COLOR": "1"}
    command = [sys.executable, "-m", "recotrack", "report", str(path), "--format", "html", "-o", str(out)]
    return subprocess.run(
        [*command, "--period", "2020", "--compare", "2019", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_same_context_same_bytes(compared: ReportContext, markup: str) -> None:
    assert render(compared) == markup


def test_cli_output_is_byte_identical_with_source_date_epoch(tmp_path: Path) -> None:
    first, second = tmp_path / "one.html", tmp_path / "two" / "report.html"
    assert run_cli(EXAMPLE, first).returncode == 0
    assert run_cli(EXAMPLE, second).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    page = Page(first.read_text(encoding="utf-8"))
    assert "2023-11-14 22:13 UTC" in page.text
    assert "catalog/questionnaire-2019.yaml" in page.text


def test_registered_as_a_built_in_after_terminal_and_json() -> None:
    reporters = [m for m in DEFAULT_PLUGINS if m.startswith("recotrack.reporters.")]
    assert reporters.index("recotrack.reporters.html") == 2  # after terminal and json, before the spreadsheets
    assert reporters[3:] == ["recotrack.reporters.xlsx", "recotrack.reporters.csv"]
    entry = load_plugins(autoload=False).reporters()["html"]
    assert entry.origin == "built-in"
    assert (entry.reporter.extension, entry.reporter.media_type) == ("html", "text/html")


def test_template_ships_inside_the_package() -> None:
    templates = resources.files("recotrack.reporters").joinpath("templates")
    assert templates.joinpath("report.html.j2").is_file()
    assert templates.joinpath("report.css").is_file()


def test_no_module_of_the_reporter_is_over_500_lines() -> None:
    package = ROOT / "src" / "recotrack" / "reporters" / "html"
    for module in package.glob("*.py"):
        lines = module.read_text(encoding="utf-8").count("\n")
        assert lines <= 500, f"{module.name} has {lines} lines"


# -- helpers -------------------------------------------------------------------------------------


def test_band_colours_for_any_catalog() -> None:
    default = band_views(recotrack.DEFAULT_BANDS)
    assert [v.css for v in default.values()] == ["band-0", "band-1", "band-2"]
    assert default["green"].range == "0.75 and above"
    assert default["red"].range == "below 0.50"
    custom = band_views(
        (
            Band(id="top", label="<b>Top</b>", min_score=0.9),
            Band(id="low", label="Low", min_score=0),
            Band(id="mid", label="Mid", min_score=0.4),
            Band(id="high", label="High", min_score=0.7),
        )
    )
    assert list(custom) == ["low", "mid", "high", "top"]
    assert len({v.fill for v in custom.values()}) == 4
    assert custom["mid"].range == "0.40 to below 0.70"


def test_chart_colours_are_readable() -> None:
    fills = [option_colour(OptionRole.SUBSTANTIVE, s) for s in (0, 0.25, 0.5, 1)]
    assert len(set(fills)) == 4
    assert ink_on(fills[-1]) == "#ffffff"  # white on dark blue
    assert ink_on(fills[0]) == "#000000"  # white on the dark orange would be 4.49:1
    assert ink_on(palette.UNPUBLISHED) == palette.INK  # the page's ink on light fills
    assert option_colour(OptionRole.DONT_KNOW, None) != option_colour(OptionRole.NOT_APPLICABLE, None)


def test_contrast_maths() -> None:
    assert palette.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert palette.contrast("#ffffff", "#ffffff") == pytest.approx(1)
    assert palette.contrast("#ffffff", "#c2571a") == pytest.approx(4.49, abs=0.01)  # as a checker says
    assert palette.contrast("#1f2933", "#7b8794") == pytest.approx(4.03, abs=0.01)


def test_every_text_on_a_fill_meets_wcag_aa() -> None:
    """Every fill/ink pair the palette can produce reaches 4.5:1: answer fills at every score, the
    greys, each band's badge whatever the catalog, and every text colour the CSS sets on a background."""
    pairs: list[tuple[str, str, str]] = []
    for step in range(2001):
        fill = option_colour(OptionRole.SUBSTANTIVE, step / 2000)
        pairs.append((f"score {step / 2000}", ink_on(fill), fill))
    for role in (OptionRole.DONT_KNOW, OptionRole.NOT_APPLICABLE):
        fill = option_colour(role, None)
        pairs.append((str(role), ink_on(fill), fill))
    for name, fill in (("unscored", palette.UNSCORED), ("unpublished", palette.UNPUBLISHED)):
        pairs.append((name, ink_on(fill), fill))
    assert option_colour(OptionRole.SUBSTANTIVE, None) == palette.UNSCORED
    for name, (background, ink, _border, _fill) in palette.BAND_PALETTES.items():
        pairs.append((f"band {name}", ink, background))
    for count in range(1, 8):
        bands = [Band(id=f"b{i}", label=f"B{i}", min_score=i / count) for i in range(count)]
        for view in band_views(bands).values():
            pairs.append((f"band {view.id} of {count}", view.ink, view.background))
    for text, background in palette.TEXT_PAIRS:
        pairs.append((f"--{text} on --{background}", palette.PAGE[text], palette.PAGE[background]))
    ratios = [(palette.contrast(ink, fill), what, ink, fill) for what, ink, fill in pairs]
    low = [r for r in ratios if r[0] < palette.AA]
    assert not low, low[:10]
    assert min(r[0] for r in ratios) >= 4.58  # the lowest, a mid blue with black text


def test_the_css_takes_every_colour_from_the_palette(markup: str) -> None:
    css = resources.files("recotrack.reporters").joinpath("templates", "report.css").read_text("utf-8")
    css = re.sub(r"\{#.*?#\}", "", css, flags=re.DOTALL)
    assert not re.findall(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(", css), "colours belong in palette.PAGE"
    names = set(re.findall(r"var\(--([a-z-]+)\)", css))
    assert names <= set(palette.PAGE), names - set(palette.PAGE)
    for text, background in palette.TEXT_PAIRS:
        assert text in palette.PAGE
        assert background in palette.PAGE
    for name, value in palette.PAGE.items():
        assert f"--{name}: {value};" in markup


# -- what a reader sees --------------------------------------------------------------------------


def visible_text(page: Page) -> str:
    """The page's text without the stylesheet (element text only, attributes aside)."""
    (style,) = page.find("style")
    return page.text.replace(" ".join(" ".join(style.text).split()), "")


def test_readers_see_labels_not_internal_ids(page: Page, compared: ReportContext) -> None:
    text = visible_text(page)
    results = compared.results
    for question in results.distributions:
        if question.item is not None:
            assert question.id not in text, question.id
    for indicator in results.indicator_scores:
        if indicator.kind != "scale":
            assert indicator.id not in text, indicator.id
    tooltips = " ".join(e.attrs.get("title", "") for e in page.elements)
    assert "/" not in tooltips.replace("N/A", "")
    assert "improved: ‘A mental health focus in the next Joint Targeted" in text
    flagged = [q for q in results.distributions if q.item is not None and q.flags]
    assert flagged
    for question in flagged:  # a grid item's flag names it by its grid's number and its own label
        assert f"{question.indicator} {question.label}" in text


def test_the_method_is_explained_in_the_page(page: Page) -> None:
    text = visible_text(page)
    assert "methodology.md" not in text
    assert "docs/" not in text
    (method,) = [e for e in page.elements if e.attrs.get("id") == "method"]
    words = method.all_text()
    for needed in ("Wilson", "Newcombe", "1.96", "Green", "0.75 and above", "10%", "50%", "0.95", "0.6"):
        assert needed in words, needed
    for trend_word in ("Improved", "No clear change", "New", "Withdrawn", "No data"):
        assert trend_word in words, trend_word


def test_long_parts_are_folded_summary_first(page: Page) -> None:
    folds = page.find("details")
    assert len(folds) > 25
    for fold in folds:
        first = fold.first_child()
        assert first is not None
        assert first.tag == "summary"
        assert first.all_text().strip()
        assert "open" not in fold.attrs
    folded_tables = {
        t.first_child().all_text() for fold in folds for t in _descendants(fold) if t.tag == "table" and t.first_child()
    }
    assert "Input files and their SHA-256 hashes" in folded_tables
    assert any(caption.startswith("Question 0.2a, 2020") for caption in folded_tables)
    assert any(caption.startswith("Data-quality flags") for caption in folded_tables)
    (method,) = [e for e in page.elements if e.attrs.get("id") == "method"]
    assert any(child.tag == "details" for child in method.children)
    # The chart and its score line come before the folded table of counts.
    block = next(e for e in page.elements if e.attrs.get("class") == "block")
    tags = [c.tag for c in block.children]
    assert tags.index("figure") < tags.index("details")


def test_wide_tables_label_their_cells_for_narrow_screens(page: Page) -> None:
    stacked = [t for t in page.find("table") if "stack" in t.attrs.get("class", "").split()]
    assert len(stacked) > 25
    for table in stacked:
        (thead,) = [c for c in table.children if c.tag == "thead"]
        columns = [th.all_text().strip() for th in _descendants(thead) if th.tag == "th"]
        for row in (r for r in _descendants(table) if r.tag == "tr" and r not in _descendants(thead)):
            cells = [c for c in row.children if c.tag in ("td", "th")]
            if any("colspan" in c.attrs for c in cells):
                continue
            labels = [c.attrs.get("data-label") for c in cells if c.tag == "td"]
            assert all(labels), f"a cell without data-label in {table.first_child()}"
            assert len(cells) == len(columns)
