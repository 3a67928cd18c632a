"""Chart geometry: stacked answer bars for each question and small score meters, worked out in Python.

The template only places what is computed here; coordinates are written with at most two decimals so
that the same results always give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from recotrack.reporters.html._format import DASH, fmt_count, fmt_score
from recotrack.reporters.html.palette import UNPUBLISHED, ink_on, option_colour
from recotrack.results import Distribution

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
LABEL_CHARS = 104
"""Longest chart label before it is cut with an ellipsis (the table beside it has the whole text)."""


def svg_number(value: float) -> str:
    """A coordinate for SVG: at most two decimals, no trailing zeros (stable text for stable bytes)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Meter:
    """A small score bar (0 to 1) with ticks at the band thresholds."""

    id: str
    title: str
    width: str
    fill: str
    ticks: tuple[str, ...]


def meter(meter_id: str, title: str, score: float, fill: str, thresholds: Sequence[float]) -> Meter:
    """A meter for ``score``, with a tick at each band threshold strictly between 0 and 1."""
    return Meter(
        id=meter_id,
        title=title,
        width=svg_number(100 * min(1.0, max(0.0, score))),
        fill=fill,
        ticks=tuple(svg_number(100 * t) for t in thresholds if 0 < t < 1),
    )


def meter_title(what: str, score: float, band_label: str | None) -> str:
    status = f" ({band_label})" if band_label else ""
    return f"{what}: score {fmt_score(score)} on a scale from 0 to 1{status}"


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


def chart(chart_id: str, questions: Sequence[Distribution], grid: bool, title: str) -> Chart:
    """Stacked bars, one per question: labels beside the bars when short, above them when long."""
    if len(questions) == 1 and not grid:
        labels = [""]  # the heading names the only question
    elif grid:
        labels = [truncate(q.label, LABEL_CHARS) for q in questions]
    else:
        labels = [truncate(f"{q.id} {q.label}", LABEL_CHARS) for q in questions]
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
        bars.append(_bar(question, label, y, layout))
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


def _bar(question: Distribution, label: str, top: int, layout: _Layout) -> Bar:
    bar_y = top + (_LABEL_HEIGHT if layout.label_above else 0)
    text_y = bar_y + _BAR_HEIGHT / 2 + 4
    bar_x = layout.bar_x
    bar_width = CHART_WIDTH - bar_x - _BASE_WIDTH
    common = {
        "label": label,
        "label_y": svg_number(top + 12 if layout.label_above else text_y),
        "bar_x": svg_number(bar_x),
        "bar_y": svg_number(bar_y),
        "bar_width": svg_number(bar_width),
        "text_y": svg_number(text_y),
        "base_y": svg_number(text_y),
        "empty_x": svg_number(bar_x + bar_width / 2),
    }
    if question.withheld:
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
        segments.append(_segment(option.label, option.count, option.printed, x, width, fill, question))
        x += width
    if known < base:
        width = scale * (base - known) / base
        segments.append(_segment("Not published", base - known, None, x, width, UNPUBLISHED, question))
    return Bar(base=f"base {base}", segments=tuple(segments), empty="", **common)


def _segment(
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
        x=svg_number(float(x)),
        width=svg_number(float(width)),
        fill=fill,
        ink=ink_on(fill),
        text=share if width >= _MIN_TEXT_WIDTH else "",
        text_x=svg_number(float(x + width / 2)),
    )
