"""Every question's answers by each kind of unit above its respondents, through the disclosure policy.

A breakdown is a table: one row per group (a region, a partnership... and, when some respondents
are under none, a row for them), one column per answer, and the base. Its column totals are the
national counts, which are published whatever the policy, so every table is protected as a whole
(:mod:`recotrack.scoring.disclosure`). Percentages and intervals are worked out from the published
counts and base, so that they never tell more than the counts do.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from recotrack import display
from recotrack.method import Method
from recotrack.model import OptionRole, Question
from recotrack.results import Breakdown, BreakdownGroup, BreakdownOption, Distribution, Share
from recotrack.scoring.disclosure import protect, published
from recotrack.scoring.hierarchy import Group, Hierarchy
from recotrack.scoring.returns import ReturnsView

__all__ = ["breakdowns"]


def breakdowns(
    view: ReturnsView, hierarchy: Hierarchy, distributions: Mapping[str, Distribution], method: Method
) -> tuple[Breakdown, ...]:
    """A breakdown of every question in use by every kind of unit above the units it was asked of."""
    policy = method.disclosure
    found: list[Breakdown] = []
    tables = _Tables(view, hierarchy)
    for question_id, question in view.catalog.questions.items():
        distribution = distributions.get(question_id)
        if distribution is None or distribution.withdrawn or distribution.base is None:
            continue
        answers = np.frombuffer(view.effective(question_id), dtype=np.uint8)
        options = len(question.scale.options)
        for kind, rows, row_of in tables.of(question):
            counted = (row_of >= 0) & (answers < options)
            cells = np.bincount(row_of[counted] * options + answers[counted], minlength=len(rows) * options)
            table = [[*counts, sum(counts)] for counts in cells.reshape(len(rows), options).tolist()]
            rules = protect(table, policy)
            groups = tuple(
                _group(question, row.id, row.name, values, row_rules, method)
                for row, values, row_rules in zip(rows, table, rules, strict=True)
            )
            found.append(
                Breakdown(
                    question=question_id,
                    label=question.label,
                    by=kind,
                    by_label=hierarchy.kind_label(kind),
                    groups=groups,
                )
            )
    return tuple(found)


class _Tables:
    """The rows of every table by kind, with each unit's row, worked out once per audience, not per question.

    A unit's row is its index among the rows when it is a member (asked the question, in the group),
    else -1, so that a table's counts are one ``bincount`` of (row, answer) over the units.
    """

    def __init__(self, view: ReturnsView, hierarchy: Hierarchy) -> None:
        self._view = view
        self._hierarchy = hierarchy
        self._responding = [view.unit_ids[p] for p in view.positions]
        self._found: dict[tuple[str, ...], list[tuple[str, list[Group], npt.NDArray[np.int64]]]] = {}

    def of(self, question: Question) -> list[tuple[str, list[Group], npt.NDArray[np.int64]]]:
        found = self._found.get(question.audience)
        if found is None:
            view, hierarchy = self._view, self._hierarchy
            asked = view.in_audience(question, self._responding)
            found = self._found[question.audience] = []
            for kind in hierarchy.parent_kinds(asked):
                rows = list(hierarchy.groups(asked, kind, shown=asked))
                found.append((kind, rows, self._row_of(rows)))
        return found

    def _row_of(self, rows: list[Group]) -> npt.NDArray[np.int64]:
        position = self._view.position
        row_of = np.full(len(self._view.unit_ids), -1, dtype=np.int64)
        for index, row in enumerate(rows):
            row_of[[position[unit_id] for unit_id in row.members]] = index
        return row_of


def _group(
    question: Question,
    unit: str | None,
    name: str,
    values: list[int],
    rules: list[str | None],
    method: Method,
) -> BreakdownGroup:
    policy = method.disclosure
    base = published(values[-1], rules[-1], policy)
    options = []
    weighted: list[tuple[int, float]] = []
    score_known = question.scored
    for option, count, rule in zip(question.scale.options, values[:-1], rules[:-1], strict=True):
        shown = published(count, rule, policy)
        share = Share.of(shown, base) if shown is not None and base else None
        options.append(
            BreakdownOption(
                id=option.id,
                label=option.label,
                count=shown,
                percent=share.percent if share else None,
                printed=share.printed if share else None,
                interval=share.interval if share else None,
                suppressed=rule,
            )
        )
        if option.role is OptionRole.SUBSTANTIVE and option.score is not None:
            if shown is None:
                score_known = False
            else:
                weighted.append((shown, option.score))
    scored = sum(count for count, _ in weighted)
    score = sum(count * value for count, value in weighted) / scored if score_known and scored else None
    return BreakdownGroup(
        unit=unit,
        name=name,
        base=base,
        base_suppressed=rules[-1],
        options=tuple(options),
        score=score,
        score_printed=display.score(score, method.bands),
    )
