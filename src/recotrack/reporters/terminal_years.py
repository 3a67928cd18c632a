"""The terminal report's follow-up over the years: lifecycles, late and overdue flags, crosswalked
questions, and the history of every figure (``--history``).

Kept beside :mod:`recotrack.reporters.terminal`, which places these pieces in its report.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from recotrack import display
from recotrack.results import (
    Flag,
    MilestoneStatus,
    QuestionChange,
    RecommendationScore,
    Results,
    ScoreSeries,
)

__all__ = ["dropped_questions", "flag_lines", "history", "lifecycle_line", "milestone_target", "pairing_note"]

_FLAG_STYLE = {"late": "bold yellow", "overdue": "bold red", "target-moved": "yellow"}


def lifecycle_line(recommendation: RecommendationScore) -> Text | None:
    """'Response: Accepted, 1 March 2021 · Self-assessed: … · Target: 30 June 2022', dimmed."""
    parts = display.lifecycle(recommendation.lifecycle)
    return Text(" · ".join(parts), style="dim") if parts else None


def flag_lines(flags: Sequence[Flag]) -> list[Text]:
    """Each late, overdue or moved flag as a line that names its code first, so it shows without colour."""
    return [
        Text.assemble((flag.code.value, _FLAG_STYLE.get(flag.code.value, "yellow")), f" {flag.message}")
        for flag in flags
    ]


def milestone_target(milestone: MilestoneStatus) -> str:
    """' · target 31 March 2020' and when it was delivered, for the milestone's status line."""
    text = f" · target {display.date(milestone.target)}" if milestone.target else ""
    if milestone.delivered is not None:
        text += f" · delivered on {display.date(milestone.delivered)}"
    return text


def pairing_note(change: QuestionChange, baseline: str) -> Text | None:
    """How the question was compared when it is not simply the same question: the crosswalk's pair and note."""
    if change.baseline_question is None or (change.baseline_question == change.id and change.comparable == "yes"):
        return None
    how = {"yes": "compared with", "after-recode": "compared, once recoded, with", "no": "not comparable with"}
    text = f"{how.get(change.comparable or '', 'compared with')} {baseline}'s {change.baseline_question}"
    if change.note:
        text += f": {change.note}"
    return Text(text, style="dim")


def dropped_questions(results: Results) -> Iterator[RenderableType]:
    comparison = results.comparison
    if comparison is None:
        return
    dropped = [q for q in comparison.questions if q.trend.value == "dropped"]
    if dropped:
        names = ", ".join(q.id for q in dropped)
        yield Text(f"\nNot asked in {results.period} (asked in {comparison.baseline}): {names}", style="dim")


def history(results: Results) -> Iterator[RenderableType]:
    """Every figure's series over the periods, with its trend, or why there is none."""
    series = results.series
    if series is None:
        return
    yield Text()
    yield Text(f"History {series.periods[0]} to {series.periods[-1]}", style="bold")
    yield Text(
        "Trends need three periods or more: the χ² test for trend on the last five scores, significant at 99.8%. "
        "Ids in brackets are the question an earlier period asked instead.",
        style="dim",
    )
    for title, rows in (
        ("Recommendations", series.recommendations),
        ("Questions", series.questions),
    ):
        yield Text(f"\n{title}", style="bold")
        yield _table(rows, series.periods)


def _table(rows: Sequence[ScoreSeries], periods: Sequence[str]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    for _ in periods:
        table.add_column(justify="right", no_wrap=True)
    table.add_column()
    for row in rows:
        by_period = {p.period: p for p in row.points}
        cells = []
        for period in periods:
            point = by_period.get(period)
            if point is None or point.score_printed is None:
                cells.append("–")
            else:
                cells.append(point.score_printed + (f" ({point.id})" if point.id != row.id else ""))
        table.add_row(row.id, *cells, Text(row.trend.label, style="dim" if row.trend.reason else ""))
    return table
