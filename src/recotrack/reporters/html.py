"""The HTML reporter: one self-contained page to share, with inline CSS and SVG charts.

The page needs no JavaScript, makes no network requests and loads no fonts: everything is in the one
file. It is built for people who did not run the tool: a header saying what was reviewed and when,
who responded, the recommendations by level with their status, every question's answers as a chart
and as a table like the published report's ("16 (24%)"), what changed since the compared period,
milestones and numbers, data-quality flags, a short account of the method and the provenance of
every figure.

Every name and text from the inputs reaches the page through Jinja2's autoescaping (no ``|safe``
on input text), so markup in a catalog or a unit's name shows as text. The view built here holds
plain strings and numbers; chart geometry is worked out in Python, so the template only places it.
The same context always gives the same bytes: the page's date is the provenance's generation time
(which honours ``SOURCE_DATE_EPOCH``), never the clock.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache

import jinja2

from recotrack import display
from recotrack._rounding import round_half_up
from recotrack.errors import without_bidi_controls
from recotrack.hookspecs import hookimpl
from recotrack.method import exact
from recotrack.model import Band, OptionRole
from recotrack.reporters import ReportContext, Reporter
from recotrack.reporters.excluded import excluded_view
from recotrack.results import (
    Distribution,
    FlagCode,
    IndicatorScore,
    MilestoneStatus,
    NumericProgress,
    ProgressStatus,
    QuestionChange,
    RecommendationScore,
    Results,
    ScoreChange,
    Trend,
)

TEMPLATE = "report.html.j2"

MINUS = "\u2212"
DASH = "\u2014"

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Chart geometry, in SVG user units (the charts scale with the page through their viewBox).
CHART_WIDTH = 720
_LABEL_HEIGHT = 17
_BAR_HEIGHT = 20
_ROW_GAP = 10
_BASE_WIDTH = 58
"""Room at the right of each bar for its base ('base 80')."""
_SIDE_LABEL_CHARS = 40
"""Labels up to this long go beside their bars; longer ones go above them."""
_SIDE_LABEL_WIDTH = 270
_MIN_TEXT_WIDTH = 30.0
"""Narrowest segment that still gets its percentage written inside it."""
_LABEL_CHARS = 104
"""Longest chart label before it is cut with an ellipsis (the table beside it has the whole text)."""

INK = "#1f2933"
PAPER = "#ffffff"

# Answer colours: substantive options by score, from orange (0) through light blue to dark blue (1);
# a blue/orange scheme stays distinguishable with the common colour-vision deficiencies.
_SCORE_STOPS: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0.0, (0xC2, 0x57, 0x1A)),
    (0.25, (0xEB, 0xA3, 0x6A)),
    (0.5, (0x93, 0xB7, 0xDF)),
    (1.0, (0x1D, 0x4E, 0x89)),
)
_DONT_KNOW = "#7b8794"
_NOT_APPLICABLE = "#cbd2d9"
_UNSCORED = "#a58fd0"
_UNPUBLISHED = "#eef1f4"

# Status bands: background, text and border colours. Known band ids keep their meaning; other
# catalogs' bands get colours by rank, from the lowest band to the highest.
_BAND_PALETTES = {
    "red": ("#fde7e5", "#8f1d14", "#e8a39b", "#c0392b"),
    "orange": ("#fdebdc", "#8a3a0a", "#eeb48a", "#d9641c"),
    "amber": ("#fdf1d0", "#6e4a00", "#e9c46a", "#d9a21b"),
    "lime": ("#eef6d8", "#3f5a0b", "#bcd68a", "#7fa52a"),
    "green": ("#dff3e6", "#0c5a2e", "#93cfa9", "#2e8b57"),
    "blue": ("#e1ecf8", "#173f6d", "#9dbfe3", "#2f6db5"),
}
_BAND_RANKS = ("red", "orange", "amber", "lime", "green")

FLAG_NAMES: dict[str, str] = {
    FlagCode.HIGH_DONT_KNOW: "Many “don't know” answers",
    FlagCode.HIGH_NOT_APPLICABLE: "Many “not applicable” answers",
    FlagCode.ITEM_NON_RESPONSE: "Left blank by some",
    FlagCode.ANSWERED_WHEN_NOT_APPLICABLE: "Answered where it did not apply",
    FlagCode.LOW_RESPONSE_RATE: "Low response rate",
    FlagCode.COUNT_INFERRED: "Count worked out",
    FlagCode.COUNT_FROM_PERCENT: "Count from a percentage",
    FlagCode.PRINTED_DIFFERS: "Printed figure differs",
    FlagCode.DIFFERS_FROM_PUBLISHED: "Differs from published",
}

_TRENDS: dict[Trend, tuple[str, str, str]] = {
    Trend.IMPROVED: ("\u25b2", "Improved", "up"),
    Trend.WORSENED: ("\u25bc", "Worsened", "down"),
    Trend.NO_CLEAR_CHANGE: ("\u25cf", "No clear change", "flat"),
    Trend.NEW: ("\u271a", "New", "new"),
    Trend.WITHDRAWN: ("\u2715", "Withdrawn", "gone"),
    Trend.NO_DATA: ("\u2013", "No data", "none"),
}

_PROGRESS_CLASSES = {
    ProgressStatus.TARGET_MET: "good",
    ProgressStatus.ON_TRACK: "good",
    ProgressStatus.ACCELERATION_NEEDED: "warn",
    ProgressStatus.LIMITED_PROGRESS: "bad",
    ProgressStatus.DETERIORATION: "bad",
    ProgressStatus.TARGET_MISSED: "bad",
    ProgressStatus.UNABLE_TO_ASSESS: "none",
}


# ---------------------------------------------------------------------------------------------
# Formatting


def fmt_count(count: int | None, printed: int | None) -> str:
    """A table cell as the report prints it: '16 (24%)'."""
    if count is None:
        return DASH
    return f"{count} ({printed}%)" if printed is not None else str(count)


def fmt_date(value: dt.date | None) -> str:
    if value is None:
        return DASH
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def fmt_number(value: float | None, unit: str = "") -> str:
    if value is None:
        return DASH
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit in ("percent", "%"):
        return f"{text}%"
    return f"{text} {unit}".strip()


def fmt_share(fraction: Fraction) -> str:
    return f"{round_half_up(100 * fraction)}%"


def _num(value: float) -> str:
    """A coordinate for SVG: at most two decimals, no trailing zeros (stable text for stable bytes)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# ---------------------------------------------------------------------------------------------
# Colours


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(channel):02x}" for channel in rgb)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def option_colour(role: OptionRole, score: float | None) -> str:
    """The fill of an answer option in the charts: by score for substantive answers, greys otherwise."""
    if role == OptionRole.DONT_KNOW:
        return _DONT_KNOW
    if role == OptionRole.NOT_APPLICABLE:
        return _NOT_APPLICABLE
    if score is None:
        return _UNSCORED
    score = min(1.0, max(0.0, score))
    for (low, low_rgb), (high, high_rgb) in itertools.pairwise(_SCORE_STOPS):
        if score <= high:
            t = 0.0 if high == low else (score - low) / (high - low)
            r, g, b = ((a + (z - a) * t) for a, z in zip(low_rgb, high_rgb, strict=True))
            return _hex((r, g, b))
    return _hex(_SCORE_STOPS[-1][1])


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else float(((c + 0.055) / 1.055) ** 2.4)

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink_on(fill: str) -> str:
    """Dark or white text, whichever contrasts more with the fill (WCAG relative luminance)."""
    lum = _luminance(fill)
    on_white = (1.05) / (lum + 0.05)
    on_ink = (lum + 0.05) / (_luminance(INK) + 0.05)
    return PAPER if on_white > on_ink else INK


# ---------------------------------------------------------------------------------------------
# The view the template renders: plain strings and numbers only.


@dataclass(frozen=True)
class BandView:
    id: str
    label: str
    css: str
    range: str
    background: str
    ink: str
    border: str
    fill: str


@dataclass(frozen=True)
class TrendView:
    symbol: str
    word: str
    css: str


@dataclass(frozen=True)
class Meter:
    """A small score bar (0 to 1) with ticks at the band thresholds."""

    id: str
    title: str
    width: str
    fill: str
    ticks: tuple[str, ...]


@dataclass(frozen=True)
class Segment:
    label: str
    title: str
    x: str
    width: str
    fill: str
    ink: str
    text: str
    text_x: str


@dataclass(frozen=True)
class _Layout:
    label_above: bool
    bar_x: int

    @property
    def row_height(self) -> int:
        return (_LABEL_HEIGHT if self.label_above else 0) + _BAR_HEIGHT + _ROW_GAP


@dataclass(frozen=True)
class Bar:
    label: str
    base: str
    label_y: str
    bar_x: str
    bar_y: str
    bar_width: str
    text_y: str
    base_y: str
    empty_x: str
    segments: tuple[Segment, ...]
    empty: str
    """Text drawn instead of segments (withheld, no answers); empty when there are segments."""


@dataclass(frozen=True)
class LegendItem:
    label: str
    fill: str


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    bar_height: int
    bars: tuple[Bar, ...]
    legend: tuple[LegendItem, ...]


@dataclass(frozen=True)
class FlagTag:
    name: str
    message: str


@dataclass(frozen=True)
class QuestionRow:
    id: str
    number: str
    """The question's number when it is shown (single questions); empty for grid items."""
    label: str
    cells: tuple[str, ...]
    base: str
    score: str
    band: BandView | None
    trend: TrendView | None
    change: str
    withheld: str
    flags: tuple[FlagTag, ...]


@dataclass(frozen=True)
class OtherView:
    text: str
    cell: str


@dataclass(frozen=True)
class QuestionBlock:
    id: str
    number: str
    """The question's or grid's number shown before the heading; empty for a run of questions."""
    heading: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[QuestionRow, ...]
    chart: Chart | None
    summary: str
    """The indicator's own score line for a grid (mean of its items); empty for a run of questions."""
    others_label: str
    others: tuple[OtherView, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class QuestionGroup:
    anchor: str
    id: str
    title: str
    blocks: tuple[QuestionBlock, ...]


@dataclass(frozen=True)
class RecommendationRow:
    id: str
    title: str
    depth: int
    commitment: bool
    score: str
    meter: Meter | None
    band: BandView | None
    with_children: str
    trend: TrendView | None
    change: str
    basis: str


@dataclass(frozen=True)
class LevelView:
    id: str
    label: str
    score: str
    band: BandView | None
    meter: Meter | None
    count: int
    rows: tuple[RecommendationRow, ...]


@dataclass(frozen=True)
class RegionRow:
    name: str
    invited: str
    responded: str
    rate: str
    below: bool


@dataclass(frozen=True)
class CountCard:
    label: str
    value: int
    band: BandView | None


@dataclass(frozen=True)
class ChangeRow:
    id: str
    title: str
    before: str
    after: str
    change: str
    interval: str
    trend: TrendView
    detail: str


@dataclass(frozen=True)
class MilestoneEvidence:
    period: str
    status: str
    date: str
    source: str
    note: str


@dataclass(frozen=True)
class MilestoneRow:
    id: str
    label: str
    measures: str
    due: str
    status: str
    status_css: str
    status_note: str
    trend: TrendView | None
    history: tuple[MilestoneEvidence, ...]


@dataclass(frozen=True)
class NumericRow:
    id: str
    label: str
    measures: str
    baseline: str
    latest: str
    target: str
    way: str
    status: str
    status_css: str
    detail: str


@dataclass(frozen=True)
class FlagRow:
    where: str
    label: str
    name: str
    message: str


@dataclass(frozen=True)
class InputRow:
    path: str
    kind: str
    sha256: str


@dataclass
class _Ids:
    """Element ids, numbered in document order so that the same context gives the same page."""

    counts: Counter[str] = field(default_factory=Counter)

    def __call__(self, prefix: str) -> str:
        self.counts[prefix] += 1
        return f"{prefix}-{self.counts[prefix]}"


def band_views(bands: Sequence[Band]) -> dict[str, BandView]:
    """Colours and ranges for each band, lowest first."""
    ordered = sorted(bands, key=lambda b: b.min_score)
    views: dict[str, BandView] = {}
    for rank, band in enumerate(ordered):
        palette_name = band.id.lower() if band.id.lower() in _BAND_PALETTES else None
        if palette_name is None:
            if len(ordered) == 1:
                palette_name = "blue"
            else:
                palette_name = _BAND_RANKS[round(rank * (len(_BAND_RANKS) - 1) / (len(ordered) - 1))]
        background, ink, border, fill = _BAND_PALETTES[palette_name]
        upper = ordered[rank + 1].min_score if rank + 1 < len(ordered) else None
        if upper is None:
            text = f"{display.threshold(band.min_score)} and above"
        elif band.min_score == 0:
            text = f"below {display.threshold(upper)}"
        else:
            text = f"{display.threshold(band.min_score)} to below {display.threshold(upper)}"
        views[band.id] = BandView(band.id, band.label, f"band-{rank}", text, background, ink, border, fill)
    return views


def trend_view(trend: Trend) -> TrendView:
    symbol, word, css = _TRENDS[trend]
    return TrendView(symbol, word, css)


class _Builder:
    """Turns a report context into the template's view."""

    def __init__(self, context: ReportContext) -> None:
        self.context = context
        self.results: Results = context.results
        self.ids = _Ids()
        self.bands = band_views(self.results.bands)
        comparison = self.results.comparison
        self.question_changes = {q.id: q for q in comparison.questions} if comparison else {}
        self.indicator_changes = {i.id: i for i in comparison.indicators} if comparison else {}
        self.recommendation_changes = {r.id: r for r in comparison.recommendations} if comparison else {}
        self.recommendations = {r.id: r for r in self.results.recommendations}
        self.baseline = comparison.baseline if comparison else ""

    # -- small pieces ------------------------------------------------------------------------

    def band(self, band_id: str | None) -> BandView | None:
        return self.bands.get(band_id) if band_id is not None else None

    def meter(self, score: float | None, printed: str | None, band_id: str | None, what: str) -> Meter | None:
        if score is None:
            return None
        band = self.band(band_id)
        status = f" ({band.label})" if band else ""
        return Meter(
            id=self.ids("meter"),
            title=f"{what}: score {printed} on a scale from 0 to 1{status}",
            width=_num(100 * min(1.0, max(0.0, score))),
            fill=band.fill if band else "#52606d",
            ticks=tuple(_num(100 * b.min_score) for b in self.results.bands if 0 < b.min_score < 1),
        )

    def score_change(self, change: ScoreChange | None) -> tuple[str, str]:
        if change is None:
            return "", ""
        interval = _sampled_interval(change)
        return change.change_printed, (f"95% interval {interval}" if interval else "")

    # -- sections ----------------------------------------------------------------------------

    def header(self) -> dict[str, object]:
        results = self.results
        review = self.context.review
        comparison = results.comparison
        published = review.published
        return {
            "title": review.title,
            "publisher": review.publisher,
            "published": fmt_date(published) if isinstance(published, dt.date) else str(published),
            "period": results.period,
            "baseline": comparison.baseline if comparison else None,
            "source": _source_text(results.basis),
            "baseline_source": _source_text(comparison.baseline_basis) if comparison else "",
        }

    def response(self) -> dict[str, object]:
        response = self.results.response
        low_response = exact(self.results.method.flags.low_response_rate)
        rows = tuple(
            RegionRow(
                name=region.name,
                invited=str(region.invited),
                responded=str(region.responded),
                rate=f"{region.printed}%" if region.printed is not None else DASH,
                below=region.invited > 0 and Fraction(region.responded, region.invited) < low_response,
            )
            for region in response.regions
        )
        return {
            "invited": response.invited,
            "responded": response.responded,
            "responded_invited": response.responded_invited,
            "rate": f"{response.printed}%" if response.printed is not None else DASH,
            "statement": response.statement,
            "regions": rows,
            "uninvited": (
                response.responded - response.responded_invited
                if response.responded is not None and response.responded_invited is not None
                else 0
            ),
        }

    def levels(self) -> tuple[LevelView, ...]:
        views = []
        for level in self.results.levels:
            members = [self.recommendations[r] for r in level.recommendations if r in self.recommendations]
            rows = tuple(self._recommendation_rows(members))
            views.append(
                LevelView(
                    id=level.id,
                    label=level.label,
                    score=level.score_printed or DASH,
                    band=self.band(level.band),
                    meter=self.meter(level.score, level.score_printed, level.band, f"{level.label} level"),
                    count=len(members),
                    rows=rows,
                )
            )
        return tuple(views)

    def _recommendation_rows(self, members: list[RecommendationScore]) -> Iterator[RecommendationRow]:
        """Members in tree order: each recommendation followed by its children, indented."""
        ids = {r.id for r in members}
        placed: set[str] = set()

        def walk(rec: RecommendationScore, depth: int) -> Iterator[RecommendationRow]:
            if rec.id in placed:
                return
            placed.add(rec.id)
            yield self._recommendation_row(rec, depth)
            for child in rec.children:
                if child in ids:
                    yield from walk(self.recommendations[child], depth + 1)

        for rec in members:
            if rec.parent is None or rec.parent not in ids:
                yield from walk(rec, 0)
        for rec in members:  # anything a cycle or an odd parent left out
            yield from walk(rec, 0)

    def _recommendation_row(self, rec: RecommendationScore, depth: int) -> RecommendationRow:
        change = self.recommendation_changes.get(rec.id)
        change_text, interval = self.score_change(change.score_change if change else None)
        count = len(rec.indicators)
        basis = f"{count} indicator{'s' if count != 1 else ''}" if count else "none yet"
        with_children = ""
        if rec.children and rec.score_with_children is not None:
            with_children = f"{rec.score_with_children_printed} with {_id_range(rec.children)}"
        return RecommendationRow(
            id=rec.id,
            title=rec.title,
            depth=min(depth, 3),
            commitment=rec.kind == "commitment",
            score=rec.score_printed or DASH,
            meter=self.meter(rec.score, rec.score_printed, rec.band, rec.id),
            band=self.band(rec.band),
            with_children=with_children,
            trend=trend_view(change.trend) if change else None,
            change=f"{change_text} ({interval})" if change_text and interval else change_text,
            basis=basis,
        )

    def glance(self) -> dict[str, object]:
        results = self.results
        by_band = Counter(r.band for r in results.recommendations)
        cards = [CountCard(view.label, by_band.get(band_id, 0), view) for band_id, view in reversed(self.bands.items())]
        unscored = sum(1 for r in results.recommendations if r.band is None)
        if unscored:
            cards.append(CountCard("No figures yet", unscored, None))
        trends: list[tuple[TrendView, int]] = []
        if results.comparison:
            counted = Counter(r.trend for r in results.comparison.recommendations)
            trends = [(trend_view(t), counted[t]) for t in _TRENDS if counted.get(t)]
        return {"cards": tuple(cards), "total": len(results.recommendations), "trends": tuple(trends)}

    def question_groups(self) -> tuple[QuestionGroup, ...]:
        results = self.results
        scale_indicators = [i for i in results.indicator_scores if i.kind == "scale"]
        distributions = {d.id: d for d in results.distributions}
        groups: list[QuestionGroup] = []
        for group_id, members in itertools.groupby(scale_indicators, key=_first_measured):
            blocks = list(self._question_blocks(list(members), distributions))
            rec = self.recommendations.get(group_id)
            groups.append(
                QuestionGroup(
                    anchor=self.ids("questions"),
                    id=group_id,
                    title=rec.title if rec else "",
                    blocks=tuple(blocks),
                )
            )
        return tuple(groups)

    def _question_blocks(
        self, indicators: list[IndicatorScore], distributions: dict[str, Distribution]
    ) -> Iterator[QuestionBlock]:
        def block_key(indicator: IndicatorScore) -> tuple[object, ...]:
            first = distributions.get(indicator.questions[0]) if indicator.questions else None
            is_grid = first is not None and first.item is not None
            options = tuple(o.id for o in first.options) if first else ()
            return (is_grid, indicator.id if is_grid else "", first.scale if first else "", options)

        for (is_grid, _, _, _), members in itertools.groupby(indicators, key=block_key):
            run = list(members)
            questions = [distributions[q] for indicator in run for q in indicator.questions if q in distributions]
            if not questions:
                continue
            yield self._question_block(run, questions, bool(is_grid))

    def _question_block(
        self, indicators: list[IndicatorScore], questions: list[Distribution], grid: bool
    ) -> QuestionBlock:
        period = self.results.period
        options = questions[0].options
        columns = tuple(o.label for o in options)
        block_id = self.ids("block")
        if grid:
            indicator = indicators[0]
            number, heading = indicator.id, indicator.label
            caption = f"Question {indicator.id}, {period}: number of responding units answering each item (percentage)"
            change = self.indicator_changes.get(indicator.id)
            parts = [f"Score {indicator.score_printed or DASH}"]
            band = self.band(indicator.band)
            if band:
                parts[-1] += f" ({band.label})"
            parts[-1] += ", the mean of its items' scores"
            if change is not None:
                change_text, interval = self.score_change(change.score_change)
                since = f"Since {self.baseline}: {trend_view(change.trend).word.lower()}"
                if change_text:
                    since += f" ({change_text}" + (f"; {interval}" if interval else "") + ")"
                parts.append(since)
            if indicator.withdrawn:
                parts = [f"Withheld: {indicator.withdrawn_reason or 'no reason given'}"]
            summary = ". ".join(parts) + "."
        else:
            ids = [q.id for q in questions]
            if len(ids) == 1:
                number, heading = ids[0], questions[0].label
                name = f"Question {ids[0]}"
            else:
                number, heading = "", f"Questions {ids[0]} to {ids[-1]}"
                name = heading
            caption = f"{name}, {period}: number of responding units giving each answer (percentage of the base)"
            summary = ""
        rows = tuple(self._question_row(q, grid, with_label=grid or len(questions) > 1) for q in questions)
        chart_title = f"{number} {heading}: answers in {period}" if number else f"{heading}: answers in {period}"
        chart = self._chart(questions, grid, chart_title)
        others_label = ""
        others: list[OtherView] = []
        indicator_ids = {i.id for i in indicators}
        for entry in self.results.others:
            if entry.indicator in indicator_ids:
                others_label = entry.label
                others.append(OtherView(entry.text, fmt_count(entry.count, entry.printed)))
        notes = []
        for q in questions:
            if q.not_applicable_by_condition:
                notes.append(
                    f"{q.label if grid else q.id}: asked only where an earlier answer made it apply; "
                    f"{q.not_applicable_by_condition} responding unit"
                    f"{'s' if q.not_applicable_by_condition != 1 else ''} "
                    f"{'were' if q.not_applicable_by_condition != 1 else 'was'} not asked."
                )
        return QuestionBlock(
            id=block_id,
            number=number,
            heading=heading,
            caption=caption,
            columns=columns,
            rows=rows,
            chart=chart,
            summary=summary,
            others_label=others_label,
            others=tuple(others),
            notes=tuple(notes),
        )

    def _question_row(self, question: Distribution, grid: bool, *, with_label: bool) -> QuestionRow:
        """One table row; a lone question's row shows only its number, the heading above has its text."""
        change: QuestionChange | None = self.question_changes.get(question.id)
        change_text = ""
        if change is not None and change.score_change is not None:
            change_text = change.score_change.change_printed
        return QuestionRow(
            id=question.id,
            number="" if grid else question.id,
            label=question.label if with_label else "",
            cells=tuple(fmt_count(o.count, o.printed) for o in question.options),
            base=str(question.base) if question.base is not None else DASH,
            score=question.score_printed or DASH,
            band=self.band(question.band),
            trend=trend_view(change.trend) if change else None,
            change=change_text,
            withheld=(question.withdrawn_reason or "withheld, no reason given") if question.withdrawn else "",
            flags=tuple(FlagTag(FLAG_NAMES.get(f.code, str(f.code)), f.message) for f in question.flags),
        )

    def _chart(self, questions: list[Distribution], grid: bool, title: str) -> Chart:
        """Stacked bars, one per question: labels beside the bars when short, above them when long."""
        chart_id = self.ids("chart")
        if len(questions) == 1 and not grid:
            labels = [""]  # the heading names the only question
        elif grid:
            labels = [_truncate(q.label, _LABEL_CHARS) for q in questions]
        else:
            labels = [_truncate(f"{q.id} {q.label}", _LABEL_CHARS) for q in questions]
        longest = max(len(label) for label in labels)
        if longest == 0:
            layout = _Layout(label_above=False, bar_x=0)
        elif longest <= _SIDE_LABEL_CHARS:
            layout = _Layout(label_above=False, bar_x=_SIDE_LABEL_WIDTH)
        else:
            layout = _Layout(label_above=True, bar_x=0)
        bars = []
        y = 0
        for question, label in zip(questions, labels, strict=True):
            bars.append(self._bar(question, label, y, layout))
            y += layout.row_height
        options = questions[0].options
        legend = tuple(LegendItem(o.label, option_colour(o.role, o.score)) for o in options)
        names = ", ".join(o.label for o in options)
        what = "One bar per item" if grid else "One bar per question" if len(questions) > 1 else "A bar"
        desc = (
            f"{what}, split into the shares of the answers ({names}), each labelled with its percentage. "
            "The table that follows gives every count and percentage."
        )
        height = max(y - _ROW_GAP, 1)
        return Chart(chart_id, title, desc, CHART_WIDTH, height, _BAR_HEIGHT, tuple(bars), legend)

    def _bar(self, question: Distribution, label: str, top: int, layout: _Layout) -> Bar:
        bar_y = top + (_LABEL_HEIGHT if layout.label_above else 0)
        text_y = bar_y + _BAR_HEIGHT / 2 + 4
        bar_x = layout.bar_x
        bar_width = CHART_WIDTH - bar_x - _BASE_WIDTH
        common = {
            "label": label,
            "label_y": _num(top + 12 if layout.label_above else text_y),
            "bar_x": _num(bar_x),
            "bar_y": _num(bar_y),
            "bar_width": _num(bar_width),
            "text_y": _num(text_y),
            "base_y": _num(text_y),
            "empty_x": _num(bar_x + bar_width / 2),
        }
        if question.withdrawn:
            return Bar(base="withheld", segments=(), empty="Figures withheld (reason in the table)", **common)
        if not question.base:
            return Bar(base="base 0", segments=(), empty="No answers in this period", **common)
        base = question.base
        segments = []
        x = Fraction(bar_x)
        scale = Fraction(bar_width)
        known = 0
        for option in question.options:
            if not option.count:
                continue
            known += option.count
            width = scale * option.count / base
            fill = option_colour(option.role, option.score)
            segments.append(self._segment(option.label, option.count, option.printed, x, width, fill, question))
            x += width
        if known < base:
            width = scale * (base - known) / base
            segments.append(self._segment("Not published", base - known, None, x, width, _UNPUBLISHED, question))
        return Bar(base=f"base {base}", segments=tuple(segments), empty="", **common)

    def _segment(
        self,
        label: str,
        count: int,
        printed: int | None,
        x: Fraction,
        width: Fraction,
        fill: str,
        question: Distribution,
    ) -> Segment:
        share = f"{printed}%" if printed is not None else str(count)
        return Segment(
            label=label,
            title=f"{question.id} {DASH} {label}: {fmt_count(count, printed)}",
            x=_num(float(x)),
            width=_num(float(width)),
            fill=fill,
            ink=ink_on(fill),
            text=share if width >= _MIN_TEXT_WIDTH else "",
            text_x=_num(float(x + width / 2)),
        )

    def comparison(self) -> dict[str, object] | None:
        comparison = self.results.comparison
        if comparison is None:
            return None
        rows = ("Recommendations", "Indicators", "Questions")
        counters = (
            Counter(r.trend for r in comparison.recommendations),
            Counter(i.trend for i in comparison.indicators),
            Counter(q.trend for q in comparison.questions),
        )
        trend_columns = tuple(t for t in _TRENDS if any(c.get(t) for c in counters))
        summary = tuple(
            (name, tuple(c.get(t, 0) for t in trend_columns)) for name, c in zip(rows, counters, strict=True)
        )

        recommendations = []
        for change in comparison.recommendations:
            if change.trend == Trend.NO_DATA:
                continue
            parts = []
            for word, ids in (
                ("improved", change.improved),
                ("worsened", change.worsened),
                ("new", change.new),
                ("withdrawn", change.withdrawn),
            ):
                if ids:
                    parts.append(f"{word}: {', '.join(ids)}")
            recommendations.append(
                self._change_row(change.id, change.title, change.score_change, change.trend, "; ".join(parts))
            )
        no_data = [c.id for c in comparison.recommendations if c.trend == Trend.NO_DATA]

        questions = []
        for q in comparison.questions:
            if q.trend not in (Trend.IMPROVED, Trend.WORSENED):
                continue
            moved = [
                f"{s.label} {s.change_printed} (95% interval {s.interval_printed})"
                for s in q.shares
                if s.distinguishable
            ]
            before = q.before_base if q.before_base is not None else DASH
            after = q.after_base if q.after_base is not None else DASH
            detail = "; ".join(moved) + (". " if moved else "") + f"Base {before} → {after}"
            questions.append(self._change_row(q.id, q.label, q.score_change, q.trend, detail))

        indicators = []
        for i in comparison.indicators:
            if i.kind == "scale" or i.trend in (Trend.NO_CLEAR_CHANGE, Trend.NO_DATA):
                continue
            indicators.append(self._change_row(i.id, i.label, i.score_change, i.trend, i.kind))

        return {
            "period": comparison.period,
            "baseline": comparison.baseline,
            "both_years_only": comparison.both_years_only,
            "units_in_both": comparison.units_in_both,
            "columns": tuple(trend_view(t) for t in trend_columns),
            "summary": summary,
            "recommendations": tuple(recommendations),
            "no_data": ", ".join(no_data),
            "questions": tuple(questions),
            "indicators": tuple(indicators),
            "question_count": len(comparison.questions),
        }

    def _change_row(self, item_id: str, title: str, score: ScoreChange | None, trend: Trend, detail: str) -> ChangeRow:
        return ChangeRow(
            id=item_id,
            title=title,
            before=score.before_printed if score else DASH,
            after=score.after_printed if score else DASH,
            change=score.change_printed if score else DASH,
            interval=_sampled_interval(score) if score else "",
            trend=trend_view(trend),
            detail=detail,
        )

    def milestones(self) -> tuple[MilestoneRow, ...]:
        return tuple(self._milestone(m) for m in self.results.milestones)

    def _milestone(self, milestone: MilestoneStatus) -> MilestoneRow:
        change = self.indicator_changes.get(milestone.indicator)
        score = milestone.score
        css = "none" if score is None else "good" if score >= 1 else "warn" if score > 0 else "bad"
        note = ""
        if milestone.status_period and milestone.status_period != self.results.period:
            note = f"as evidenced in {milestone.status_period}"
        return MilestoneRow(
            id=milestone.indicator,
            label=milestone.label,
            measures=", ".join(milestone.measures),
            due=fmt_date(milestone.due),
            status=milestone.status_label or milestone.status or "No evidence yet",
            status_css=css,
            status_note=note,
            trend=trend_view(change.trend) if change else None,
            history=tuple(
                MilestoneEvidence(
                    period=entry.period,
                    status=entry.status_label,
                    date=fmt_date(entry.date) if entry.date else "",
                    source=entry.document_title or "",
                    note=entry.note or "",
                )
                for entry in milestone.history
            ),
        )

    def numeric(self) -> tuple[NumericRow, ...]:
        return tuple(self._numeric(n) for n in self.results.numeric)

    def _numeric(self, number: NumericProgress) -> NumericRow:
        def value(v: float | None, period: str | None) -> str:
            if v is None:
                return "no value yet"
            return fmt_number(v, number.unit) + (f" ({period})" if period else "")

        target = DASH
        if number.target_value is not None:
            target = fmt_number(number.target_value, number.unit)
            if number.target_date is not None:
                target += f" by {fmt_date(number.target_date)}"
        way = DASH if number.share_of_way is None else f"{round_half_up(Fraction(100 * number.share_of_way))}%"
        detail = ""
        if number.ratio is not None and number.method is not None:
            observed = display.signed(number.observed_rate or 0.0, 3)
            required = display.signed(number.required_rate or 0.0, 3)
            detail = f"{number.method}: observed rate {observed} a year, required {required}"
        elif number.status == ProgressStatus.UNABLE_TO_ASSESS:
            missing = [
                what
                for what, present in (
                    ("a baseline", number.baseline is not None),
                    ("a value after the baseline", number.latest is not None),
                    ("a target", number.target_value is not None),
                )
                if not present
            ]
            detail = "needs " + " and ".join(missing) if missing else ""
        return NumericRow(
            id=number.indicator,
            label=number.label,
            measures=", ".join(number.measures),
            baseline=value(number.baseline.value, number.baseline.period) if number.baseline else "no baseline",
            latest=value(number.latest.value, number.latest.period) if number.latest else "no value yet",
            target=target,
            way=way,
            status=str(number.status).capitalize(),
            status_css=_PROGRESS_CLASSES.get(number.status, "none"),
            detail=detail,
        )

    def flags(self) -> tuple[FlagRow, ...]:
        rows = [
            FlagRow("Period", self.results.period, FLAG_NAMES.get(f.code, str(f.code)), f.message)
            for f in self.results.flags
        ]
        for question in self.results.distributions:
            for flag in question.flags:
                rows.append(
                    FlagRow(question.id, question.label, FLAG_NAMES.get(flag.code, str(flag.code)), flag.message)
                )
        return tuple(rows)

    def flag_counts(self, rows: Iterable[FlagRow]) -> tuple[tuple[str, int], ...]:
        return tuple(Counter(row.name for row in rows).most_common())

    def methodology(self) -> dict[str, object]:
        method = self.results.method
        bands = tuple(self.bands.values())
        return {
            "bands": bands,
            "dont_know": fmt_share(exact(method.flags.dont_know)),
            "not_applicable": fmt_share(exact(method.flags.not_applicable)),
            "low_response": fmt_share(exact(method.flags.low_response_rate)),
            "on_track": f"{method.progress_thresholds.on_track:g}",
            "some_progress": f"{method.progress_thresholds.some_progress:g}",
        }

    def provenance(self) -> dict[str, object]:
        provenance = self.context.provenance
        generated = provenance.generated
        if generated.tzinfo is not None:
            generated = generated.astimezone(dt.UTC)
        return {
            "generator": provenance.generator,
            "version": provenance.version,
            "generated": generated.strftime("%Y-%m-%d %H:%M UTC") if generated.tzinfo else generated.isoformat(" "),
            "generated_iso": generated.isoformat().replace("+00:00", "Z"),
            "generated_day": fmt_date(generated.date()),
            "inputs": tuple(InputRow(f.path, f.kind, f.sha256) for f in provenance.inputs),
        }

    def view(self) -> dict[str, object]:
        flags = self.flags()
        return {
            "header": self.header(),
            "excluded": excluded_view(self.context.results),
            "response": self.response(),
            "glance": self.glance(),
            "levels": self.levels(),
            "comparison": self.comparison(),
            "groups": self.question_groups(),
            "milestones": self.milestones(),
            "numeric": self.numeric(),
            "flags": flags,
            "flag_counts": self.flag_counts(flags),
            "method": self.methodology(),
            "provenance": self.provenance(),
            "bands": tuple(self.bands.values()),
        }


def _first_measured(indicator: IndicatorScore) -> str:
    """The recommendation an indicator is listed under: the first it measures."""
    return indicator.measures[0] if indicator.measures else ""


def _sampled_interval(change: ScoreChange) -> str:
    """The change's 95% interval, or nothing for milestones and numbers, which have no sampling error."""
    if change.se == 0 or change.interval_printed is None:
        return ""
    return change.interval_printed


_SOURCES = {"returns": "per-unit returns", "tallies": "published tallies"}


def _source_text(source: str | None) -> str:
    return _SOURCES.get(source or "", "no questionnaire evidence")


def _truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _id_range(ids: Sequence[str]) -> str:
    if len(ids) == 1:
        return ids[0]
    if len(ids) == 2:
        return f"{ids[0]} and {ids[1]}"
    return f"{ids[0]}–{ids[-1]}"


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment: templates from this package, HTML autoescaping, no silent blanks."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("recotrack.reporters", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_visible,
    )


def _visible(value: object) -> object:
    """Every value the template prints, with bidi overrides written out (``\\u202e``), so none can reorder the page."""
    return without_bidi_controls(value) if isinstance(value, str) else value


def report_view(context: ReportContext) -> dict[str, object]:
    """What the template receives (plain strings and numbers), for tests and other templates."""
    return _Builder(context).view()


def render(context: ReportContext) -> str:
    return environment().get_template(TEMPLATE).render(report_view(context))


@hookimpl
def recotrack_register_reporters() -> list[Reporter]:
    return [
        Reporter(
            "html",
            "a self-contained web page to share: charts, tables, comparison, method (no scripts, no network)",
            render,
            "html",
            "text/html",
        )
    ]
