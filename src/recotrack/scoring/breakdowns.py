"""Every question's answers by each kind of unit above its respondents, through the disclosure policy.

A breakdown is a table: one row per group (a region, a partnership... and, when some respondents
are under none, a row for them), one column per answer, and the base. Its column totals are the
national counts, which are published whatever the policy, so every table is protected as a whole
(:mod:`recotrack.scoring.disclosure`). Percentages and intervals are worked out from the published
counts and base, so that they never tell more than the counts do.
"""

from __future__ import annotations

from collections.abc import Mapping

from recotrack import display
from recotrack.method import Method
from recotrack.model import OptionRole, Question
from recotrack.results import Breakdown, BreakdownGroup, BreakdownOption, Distribution, Share
from recotrack.scoring.disclosure import protect, published
from recotrack.scoring.hierarchy import Group, Hierarchy
from recotrack.scoring.returns import ReturnsView, bitwise_or, keep_mask

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
        answers = view.effective(question_id)
        options = range(len(question.scale.options))
        for kind, rows in tables.of(question):
            table = []
            for _, outside in rows:
                masked = bitwise_or(answers, outside)
                counts = [masked.count(option) for option in options]
                table.append([*counts, sum(counts)])
            rules = protect(table, policy)
            groups = tuple(
                _group(question, row.id, row.name, values, row_rules, method)
                for (row, _), values, row_rules in zip(rows, table, rules, strict=True)
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
    """The rows of every table by kind, with a mask per row, worked out once per audience, not per question.

    A row's mask is 0 at each unit of the group that the question was asked of and 0xFF elsewhere, so
    that a group's count of an answer is one ``bytes.count`` over the masked answers.
    """

    def __init__(self, view: ReturnsView, hierarchy: Hierarchy) -> None:
        self._view = view
        self._hierarchy = hierarchy
        self._responding = [view.unit_ids[p] for p in view.positions]
        self._found: dict[tuple[str, ...], list[tuple[str, list[tuple[Group, bytes]]]]] = {}

    def of(self, question: Question) -> list[tuple[str, list[tuple[Group, bytes]]]]:
        found = self._found.get(question.audience)
        if found is None:
            view, hierarchy = self._view, self._hierarchy
            asked = view.in_audience(question, self._responding)
            found = self._found[question.audience] = [
                (kind, [(row, self._mask(row.members)) for row in hierarchy.groups(asked, kind, shown=asked)])
                for kind in hierarchy.parent_kinds(asked)
            ]
        return found

    def _mask(self, members: tuple[str, ...]) -> bytes:
        position = self._view.position
        return keep_mask(len(self._view.unit_ids), (position[unit_id] for unit_id in members))


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
