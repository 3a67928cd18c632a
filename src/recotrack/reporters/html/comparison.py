"""What changed since the compared period: counts by trend, then the recommendations, questions and
indicators that moved."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from recotrack.display import DASH
from recotrack.reporters.html._base import TRENDS, Report, TrendView, sampled_interval, trend_view
from recotrack.results import ScoreChange, Trend


@dataclass(frozen=True)
class ChangeRow:
    id: str
    """The number readers know it by ('L1.4', '4.2'); empty when it has none."""
    title: str
    before: str
    after: str
    change: str
    interval: str
    trend: TrendView
    detail: str


def comparison(report: Report) -> dict[str, object] | None:
    comparison = report.results.comparison
    if comparison is None:
        return None
    rows = ("Recommendations", "Indicators", "Questions")
    counters = (
        Counter(r.trend for r in comparison.recommendations),
        Counter(i.trend for i in comparison.indicators),
        Counter(q.trend for q in comparison.questions),
    )
    trend_columns = tuple(t for t in TRENDS if any(c.get(t) for c in counters))
    summary = tuple((name, tuple(c.get(t, 0) for t in trend_columns)) for name, c in zip(rows, counters, strict=True))

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
                parts.append(f"{word}: {', '.join(report.indicator_name(i) for i in ids)}")
        recommendations.append(_row(change.id, change.title, change.score_change, change.trend, "; ".join(parts)))
    no_data = [c.id for c in comparison.recommendations if c.trend == Trend.NO_DATA]

    questions = []
    for q in comparison.questions:
        if q.trend not in (Trend.IMPROVED, Trend.WORSENED):
            continue
        moved = [
            f"{s.label} {s.change_printed} (95% interval {s.interval_printed})" for s in q.shares if s.distinguishable
        ]
        before = q.before_base if q.before_base is not None else DASH
        after = q.after_base if q.after_base is not None else DASH
        detail = "; ".join(moved) + (". " if moved else "") + f"Base {before} → {after}"
        # A grid item is known by its grid's number ('0.2a') and its own label; its id is internal.
        questions.append(_row(q.indicator if q.id != q.indicator else q.id, q.label, q.score_change, q.trend, detail))

    indicators = []
    for i in comparison.indicators:
        if i.kind == "scale" or i.trend in (Trend.NO_CLEAR_CHANGE, Trend.NO_DATA):
            continue
        # Only milestones and numbers are listed here, and their ids are internal: readers see labels.
        indicators.append(_row("", i.label, i.score_change, i.trend, i.kind))

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


def _row(item_id: str, title: str, score: ScoreChange | None, trend: Trend, detail: str) -> ChangeRow:
    return ChangeRow(
        id=item_id,
        title=title,
        before=score.before_printed if score else DASH,
        after=score.after_printed if score else DASH,
        change=score.change_printed if score else DASH,
        interval=sampled_interval(score) if score else "",
        trend=trend_view(trend),
        detail=detail,
    )
