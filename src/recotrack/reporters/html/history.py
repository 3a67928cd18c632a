"""Follow-up over the years: how the questionnaire changed since the compared period, and every figure's
series with its trend (when the results carry one)."""

from __future__ import annotations

from dataclasses import dataclass

from recotrack.reporters.html._base import Report, TrendView, trend_view
from recotrack.results import ScoreSeries, Trend

__all__ = ["HistoryRow", "PairRow", "history", "questionnaire_changes"]

_RELATIONS = {
    "yes": "Comparable",
    "after-recode": "Comparable once recoded",
    "no": "Not comparable",
}


@dataclass(frozen=True)
class PairRow:
    question: str
    label: str
    baseline: str
    relation: str
    note: str
    trend: TrendView


@dataclass(frozen=True)
class HistoryRow:
    id: str
    label: str
    cells: tuple[str, ...]
    trend: str
    cannot: bool
    """True when the trend cannot be calculated (the label says why)."""


def questionnaire_changes(report: Report) -> tuple[PairRow, ...]:
    """Questions compared with another question, new, dropped or not like-for-like since the compared period."""
    comparison = report.results.comparison
    if comparison is None:
        return ()
    rows = []
    for change in comparison.questions:
        changed = change.baseline_question != change.id or change.comparable not in ("yes", None)
        if not changed and change.trend not in (Trend.NEW, Trend.DROPPED):
            continue
        if change.trend is Trend.DROPPED:
            relation = f"Not asked in {comparison.period}"
        elif change.baseline_question is None:
            relation = f"New in {comparison.period}"
        else:
            relation = _RELATIONS.get(change.comparable or "", "")
        rows.append(
            PairRow(
                question=_number(change.id),
                label=change.label,
                baseline=_number(change.baseline_question or ""),
                relation=relation,
                note=change.note or "",
                trend=trend_view(change.trend),
            )
        )
    return tuple(rows)


def history(report: Report) -> dict[str, object] | None:
    series = report.results.series
    if series is None:
        return None
    return {
        "periods": series.periods,
        "recommendations": tuple(_row(row, series.periods) for row in series.recommendations),
        "questions": tuple(_row(row, series.periods) for row in series.questions),
    }


def _row(row: ScoreSeries, periods: tuple[str, ...]) -> HistoryRow:
    by_period = {point.period: point for point in row.points}
    cells = []
    for period in periods:
        point = by_period.get(period)
        if point is None or point.score_printed is None:
            cells.append("—")
        else:
            cells.append(point.score_printed + (f" (as {_number(point.id)})" if point.id != row.id else ""))
    return HistoryRow(_number(row.id), row.label, tuple(cells), row.trend.label, row.trend.reason is not None)


def _number(question_id: str) -> str:
    """What a reader knows a question by: its number; a grid item by its grid's (the label names the item)."""
    return question_id.split("/", 1)[0]
