"""Answers by region (or by any kind of unit above the respondents): one folded part per kind, a table per question."""

from __future__ import annotations

from dataclasses import dataclass

from recotrack import display
from recotrack.display import DASH
from recotrack.reporters.html._base import Report
from recotrack.results import Breakdown, BreakdownOption

SUPPRESSED = "suppressed"
"""What a cell withheld by the disclosure policy shows (the method section says why)."""


@dataclass(frozen=True)
class BreakdownRow:
    name: str
    cells: tuple[str, ...]
    base: str
    score: str


@dataclass(frozen=True)
class BreakdownTable:
    question: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[BreakdownRow, ...]


@dataclass(frozen=True)
class BreakdownKind:
    id: str
    kind: str
    label: str
    """The kind's label in lower case: 'region'."""
    tables: tuple[BreakdownTable, ...]
    suppressed: int
    """How many cells the disclosure policy withheld."""


def cell(option: BreakdownOption) -> str:
    """'16 (24%)', or 'suppressed' when the policy withholds the count."""
    if option.count is None:
        return SUPPRESSED
    return display.count(option.count, option.printed)


def breakdown_kinds(report: Report) -> tuple[BreakdownKind, ...]:
    results = report.results
    by_kind: dict[str, list[Breakdown]] = {}
    for breakdown in results.breakdowns:
        by_kind.setdefault(breakdown.by, []).append(breakdown)
    found = []
    for kind, tables in by_kind.items():
        label = tables[0].by_label.lower()
        found.append(
            BreakdownKind(
                id=report.ids("by"),
                kind=kind,
                label=label,
                tables=tuple(_table(report, b, label) for b in tables),
                suppressed=sum(1 for b in tables for g in b.groups for o in g.options if o.suppressed),
            )
        )
    return tuple(found)


def _table(report: Report, breakdown: Breakdown, label: str) -> BreakdownTable:
    columns = tuple(o.label for o in breakdown.groups[0].options) if breakdown.groups else ()
    number, _, item = breakdown.question.partition("/")
    name = f"{number} – {breakdown.label}" if item else f"{number} {breakdown.label}"
    return BreakdownTable(
        question=number,
        caption=f"{name}: answers by {label}, {report.results.period}",
        columns=columns,
        rows=tuple(
            BreakdownRow(
                name=group.name,
                cells=tuple(cell(o) for o in group.options),
                base=str(group.base) if group.base is not None else SUPPRESSED,
                score=group.score_printed or DASH,
            )
            for group in breakdown.groups
        ),
    )
