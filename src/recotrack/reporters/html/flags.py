"""Data-quality flags: the period's and every question's, with a count by kind."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from recotrack.reporters.html._base import Report, flag_name
from recotrack.reporters.html.charts import question_number


@dataclass(frozen=True)
class FlagRow:
    where: str
    """'Period', or the question's number (a grid item's is its grid's)."""
    label: str
    name: str
    message: str


def flags(report: Report) -> tuple[FlagRow, ...]:
    results = report.results
    rows = [FlagRow("Period", results.period, flag_name(f.code), f.message) for f in results.flags]
    for question in results.distributions:
        for flag in question.flags:
            rows.append(FlagRow(question_number(question), question.label, flag_name(flag.code), flag.message))
    return tuple(rows)


def flag_counts(rows: Iterable[FlagRow]) -> tuple[tuple[str, int], ...]:
    return tuple(Counter(row.name for row in rows).most_common())
