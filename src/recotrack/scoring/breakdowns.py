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
from recotrack.evidence.model import NO_ANSWER
from recotrack.method import Method
from recotrack.model import OptionRole, Question
from recotrack.results import Breakdown, BreakdownGroup, BreakdownOption, Distribution, Share
from recotrack.scoring.disclosure import protect, published
from recotrack.scoring.hierarchy import Hierarchy
from recotrack.scoring.returns import ReturnsView

__all__ = ["breakdowns", "group_counts"]


def group_counts(view: ReturnsView, question: Question, members: tuple[str, ...]) -> list[int]:
    """How many of ``members`` gave each answer of ``question`` (the answers that count), in scale order."""
    answers = view.effective(question.id)
    position = view.position
    counts = [0] * len(question.scale.options)
    for unit_id in members:
        option = answers[position[unit_id]]
        if option != NO_ANSWER:
            counts[option] += 1
    return counts


def breakdowns(
    view: ReturnsView, hierarchy: Hierarchy, distributions: Mapping[str, Distribution], method: Method
) -> tuple[Breakdown, ...]:
    """A breakdown of every question in use by every kind of unit above the units it was asked of."""
    policy = method.disclosure
    found: list[Breakdown] = []
    responding = [view.unit_ids[p] for p in view.positions]
    for question_id, question in view.catalog.questions.items():
        distribution = distributions.get(question_id)
        if distribution is None or distribution.withdrawn or distribution.base is None:
            continue
        asked = view.in_audience(question, responding)
        answers = view.effective(question_id)
        answering = [unit_id for unit_id in asked if answers[view.position[unit_id]] != NO_ANSWER]
        for kind in hierarchy.parent_kinds(asked):
            rows = hierarchy.groups(answering, kind, shown=asked)
            table = []
            for row in rows:
                counts = group_counts(view, question, row.members)
                table.append([*counts, sum(counts)])
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
