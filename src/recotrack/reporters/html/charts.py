"""Chart geometry: stacked answer bars for each question and small score meters, worked out in Python.

The answer charts are HTML and CSS, not SVG: each bar is a row of segments whose widths are shares
of the base, so the text in them (labels, percentages, bases) is laid out at the width the chart is
shown at, at its own font size, and wraps like any text. A segment's percentage is written inside it
only where it fits: the CSS hides it, by a container query on the segment's width, where it would
not (the table of counts has every figure). The meters are tiny SVGs without text. The template only
places what is computed here; numbers are written with at most two decimals so that the same results
always give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from recotrack import display
from recotrack.display import DASH
from recotrack.reporters.html.palette import UNPUBLISHED, ink_on, option_colour
from recotrack.results import Distribution, Spine

SIDE_LABEL_CHARS = 90
"""Labels up to this long go beside their bars on wide screens; longer ones go above them."""
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


def meter_title(what: str, printed: str, band_label: str | None) -> str:
    status = f" ({band_label})" if band_label else ""
    return f"{what}: score {printed} on a scale from 0 to 1{status}"


@dataclass(frozen=True)
class Segment:
    label: str
    title: str
    """The segment's tooltip: question, answer and '16 (24%)'."""
    width: str
    """Its share of the bar, in percent with at most two decimals; a bar's widths add up to 100."""
    fill: str
    ink: str
    text: str
    """The share written inside the segment ('24%'), where it fits."""
    size: int
    """How many characters ``text`` has (at most 5): the CSS hides longer texts in narrower segments."""


@dataclass(frozen=True)
class Bar:
    label: str
    base: str
    segments: tuple[Segment, ...]
    empty: str
    """Text shown instead of segments (withheld, no answers); empty when there are segments."""


@dataclass(frozen=True)
class LegendItem:
    label: str
    fill: str


Layout = Literal["alone", "side", "above"]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    layout: Layout
    """'alone' for one question (the heading names it), 'side' for short labels (beside their bars on
    wide screens, above them on narrow ones), 'above' for long labels (always above)."""
    bars: tuple[Bar, ...]
    legend: tuple[LegendItem, ...]


def question_number(question: Distribution) -> str:
    """What a reader knows a question by: its number ('1.1'); a grid item by its grid's ('0.2a')."""
    return question.indicator if question.item is not None else question.id


def chart(chart_id: str, questions: Sequence[Distribution], grid: bool, title: str) -> Chart:
    """Stacked bars, one per question or grid item, split into the shares of the answers."""
    if len(questions) == 1 and not grid:
        labels = [""]  # the heading names the only question
    elif grid:
        labels = [truncate(q.label, LABEL_CHARS) for q in questions]
    else:
        labels = [truncate(f"{q.id} {q.label}", LABEL_CHARS) for q in questions]
    longest = max(len(label) for label in labels)
    layout: Layout = "alone" if longest == 0 else "side" if longest <= SIDE_LABEL_CHARS else "above"
    bars = tuple(_bar(question, label) for question, label in zip(questions, labels, strict=True))
    options = questions[0].options
    legend = tuple(LegendItem(o.label, option_colour(o.role, o.score)) for o in options)
    names = ", ".join(o.label for o in options)
    what = "One bar per item" if grid else "One bar per question" if len(questions) > 1 else "A bar"
    desc = (
        f"{what}, split into the shares of the answers ({names}), each labelled with its percentage where "
        "it fits. The table of counts below gives every count and percentage."
    )
    return Chart(chart_id, title, desc, layout, bars, legend)


def _bar(question: Distribution, label: str) -> Bar:
    if question.withdrawn:
        return Bar(label, "withdrawn", (), "Question withdrawn (reason in the table)")
    if not question.base:
        return Bar(label, "base 0", (), "No answers in this period")
    base = question.base
    parts: list[tuple[str, int, int | None, str]] = [
        (o.label, o.count, o.printed, option_colour(o.role, o.score)) for o in question.options if o.count
    ]
    known = sum(count for _, count, _, _ in parts)
    if known < base:
        parts.append(("Not published", base - known, None, UNPUBLISHED))
    number = question_number(question)
    segments = []
    done = 0
    edge = Fraction(0)
    for label_, count, printed, fill in parts:
        done += count
        # Widths are differences of rounded edges, so that they add up to exactly 100.
        next_edge = Fraction(round(Fraction(100 * done, base) * 100), 100)
        text = f"{printed}%" if printed is not None else str(count)
        segments.append(
            Segment(
                label=label_,
                title=f"{number} {DASH} {label_}: {display.count(count, printed)}",
                width=svg_number(float(next_edge - edge)),
                fill=fill,
                ink=ink_on(fill),
                text=text,
                size=min(len(text), 5),
            )
        )
        edge = next_edge
    return Bar(label, f"base {base}", tuple(segments), "")


@dataclass(frozen=True)
class SpineChart:
    """A spine chart in a 200 × 20 box: the spread of the units' scores, the national line, the unit's marker.

    The national figure is at the centre; the scale reaches the farther of the worst and the best, so
    the chart reads the same way for every indicator: worse to the left, better to the right (a
    low-is-good indicator is drawn the other way round).
    """

    id: str
    title: str
    range_x: str
    range_width: str
    middle_x: str
    middle_width: str
    national_x: str | None
    unit_x: str | None


SPINE_WIDTH = 200
_SPINE_HALF = 94


def spine_chart(chart_id: str, spine: Spine, title: str) -> SpineChart:
    sign = -1 if spine.low_is_good else 1
    centre = spine.national if spine.national is not None else (spine.worst + spine.best) / 2
    half = max(abs(spine.best - centre), abs(spine.worst - centre))

    def x(value: float) -> float:
        return SPINE_WIDTH / 2 + (_SPINE_HALF * sign * (value - centre) / half if half else 0.0)

    left, right = sorted((x(spine.worst), x(spine.best)))
    low, high = sorted((x(spine.q25), x(spine.q75)))
    return SpineChart(
        id=chart_id,
        title=title,
        range_x=svg_number(left),
        range_width=svg_number(max(right - left, 1)),
        middle_x=svg_number(low),
        middle_width=svg_number(max(high - low, 1)),
        national_x=svg_number(x(spine.national)) if spine.national is not None else None,
        unit_x=svg_number(x(spine.unit)) if spine.unit is not None else None,
    )
