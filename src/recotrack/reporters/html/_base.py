"""What every section of the HTML report shares: band and trend views, flag names, element ids, and
:class:`Report`, the results with the look-ups the section builders need."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from recotrack import display
from recotrack.model import Band
from recotrack.reporters import ReportContext
from recotrack.reporters.html import charts
from recotrack.reporters.html.palette import band_palette
from recotrack.results import FlagCode, RecommendationScore, Results, ScoreChange, Trend

FLAG_NAMES: dict[str, str] = {
    FlagCode.HIGH_DONT_KNOW: "Many “don't know” answers",
    FlagCode.HIGH_NOT_APPLICABLE: "Many “not applicable” answers",
    FlagCode.ITEM_NON_RESPONSE: "Left blank by some",
    FlagCode.ANSWERED_WHEN_NOT_APPLICABLE: "Answered where it did not apply",
    FlagCode.LOW_RESPONSE_RATE: "Low response rate",
    FlagCode.LATE: "Late",
    FlagCode.OVERDUE: "Overdue",
    FlagCode.TARGET_MOVED: "Target moved",
    FlagCode.COUNT_INFERRED: "Count worked out",
    FlagCode.COUNT_FROM_PERCENT: "Count from a percentage",
    FlagCode.PRINTED_DIFFERS: "Printed figure differs",
    FlagCode.DIFFERS_FROM_PUBLISHED: "Differs from published",
}

TRENDS: dict[Trend, tuple[str, str, str]] = {
    Trend.IMPROVED: ("\u25b2", "Improved", "up"),
    Trend.WORSENED: ("\u25bc", "Worsened", "down"),
    Trend.NO_CLEAR_CHANGE: ("\u25cf", "No clear change", "flat"),
    Trend.NEW: ("\u271a", "New", "new"),
    Trend.WITHDRAWN: ("\u2715", "Withdrawn", "gone"),
    Trend.NO_DATA: ("\u2013", "No data", "none"),
    Trend.DROPPED: ("\u2715", "Dropped", "gone"),
    Trend.NOT_COMPARABLE: ("\u2260", "Not like-for-like", "none"),
}


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
class FlagTag:
    name: str
    message: str


def flag_name(code: str) -> str:
    return FLAG_NAMES.get(code, str(code))


def band_views(bands: Sequence[Band]) -> dict[str, BandView]:
    """Colours and ranges for each band, lowest first."""
    ordered = sorted(bands, key=lambda b: b.min_score)
    views: dict[str, BandView] = {}
    for rank, band in enumerate(ordered):
        background, ink, border, fill = band_palette(band.id, rank, len(ordered))
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
    symbol, word, css = TRENDS[trend]
    return TrendView(symbol, word, css)


def sampled_interval(change: ScoreChange) -> str:
    """The change's 95% interval, or nothing for milestones and numbers, which have no sampling error."""
    if change.se == 0 or change.interval_printed is None:
        return ""
    return change.interval_printed


@dataclass
class Ids:
    """Element ids, numbered in document order so that the same context gives the same page."""

    counts: Counter[str] = field(default_factory=Counter)

    def __call__(self, prefix: str) -> str:
        self.counts[prefix] += 1
        return f"{prefix}-{self.counts[prefix]}"


class Report:
    """A report context with the look-ups that the section builders share."""

    def __init__(self, context: ReportContext) -> None:
        self.context = context
        self.results: Results = context.results
        self.ids = Ids()
        self.bands = band_views(self.results.bands)
        comparison = self.results.comparison
        self.question_changes = {q.id: q for q in comparison.questions} if comparison else {}
        self.indicator_changes = {i.id: i for i in comparison.indicators} if comparison else {}
        self.recommendation_changes = {r.id: r for r in comparison.recommendations} if comparison else {}
        self.recommendations: dict[str, RecommendationScore] = {r.id: r for r in self.results.recommendations}
        self.indicators = {i.id: i for i in self.results.indicator_scores}
        self.baseline = comparison.baseline if comparison else ""

    def indicator_name(self, indicator_id: str) -> str:
        """How readers know an indicator: a question's number ('4.2'), else its label (ids of milestones
        and numbers are internal)."""
        indicator = self.indicators.get(indicator_id)
        if indicator is None or indicator.kind == "scale":
            return indicator_id
        return f"‘{charts.truncate(indicator.label, 60)}’"

    def band(self, band_id: str | None) -> BandView | None:
        return self.bands.get(band_id) if band_id is not None else None

    def meter(self, score: float | None, printed: str | None, band_id: str | None, what: str) -> charts.Meter | None:
        if score is None:
            return None
        band = self.band(band_id)
        return charts.meter(
            self.ids("meter"),
            charts.meter_title(what, printed or "", band.label if band else None),
            score,
            band.fill if band else "#52606d",
            [b.min_score for b in self.results.bands],
        )

    def score_change(self, change: ScoreChange | None) -> tuple[str, str]:
        """The change as '+0.19' and its interval as '95% interval …' (empty when it has none)."""
        if change is None:
            return "", ""
        interval = sampled_interval(change)
        return change.change_printed, (f"95% interval {interval}" if interval else "")
