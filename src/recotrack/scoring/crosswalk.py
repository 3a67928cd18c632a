"""Which question of an earlier period each question of a later one is compared with, through the crosswalk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from recotrack.method import Method
from recotrack.model import Catalog, Comparable, Question
from recotrack.results import Distribution
from recotrack.scoring.distributions import Counted, Ident, distribution

__all__ = ["Pair", "pairs_between", "recoded"]


@dataclass(frozen=True)
class Pair:
    """A later question and the earlier one it is compared with; either may be None (new, or dropped)."""

    question: str | None
    baseline: str | None
    comparable: Comparable | None
    """None for a new or dropped question; "yes" for the same question asked in both periods."""
    recode: Mapping[str, str] = field(default_factory=dict)
    note: str | None = None


def pairs_between(catalog: Catalog, before: str, after: str) -> list[Pair]:
    """Every question of ``after`` with its ``before`` counterpart, then the ``before`` questions that were dropped.

    A crosswalk entry from ``before`` to ``after`` decides a pair; otherwise a question asked in both
    periods is compared with itself. A split (two entries with one ``from``) pairs both new questions
    with the old one, which is then not dropped.
    """
    asked_after = catalog.questions_in(after)
    asked_before = catalog.questions_in(before)
    mapped = {
        entry.target.question: entry
        for entry in catalog.crosswalk
        if entry.source.period == before and entry.target.period == after
    }
    pairs: list[Pair] = []
    for question in asked_after:
        entry = mapped.get(question)
        if entry is not None:
            pairs.append(Pair(question, entry.source.question, entry.comparable, entry.recode, entry.note))
        elif question in asked_before:
            pairs.append(Pair(question, question, "yes"))
        else:
            pairs.append(Pair(question, None, None))
    used = {pair.baseline for pair in pairs}
    pairs += [Pair(None, question, None) for question in asked_before if question not in used]
    return pairs


def recoded(earlier: Distribution, recode: Mapping[str, str], later: Question, method: Method) -> Distribution:
    """The earlier distribution's counts moved onto the later question's options, every figure worked out again."""
    if earlier.withdrawn or earlier.base is None:
        counts: tuple[int | None, ...] | None = None
    else:
        totals = dict.fromkeys(later.scale.option_ids, 0)
        for option in earlier.options:
            if option.count is None:
                counts = None
                break
            totals[recode.get(option.id, option.id)] += option.count
        else:
            counts = tuple(totals.values())
    counted = Counted(
        counts=counts,
        base=earlier.base,
        item_non_response=earlier.item_non_response,
        not_applicable_by_condition=earlier.not_applicable_by_condition,
        answered_when_not_applicable=earlier.answered_when_not_applicable,
    )
    reason = earlier.withdrawn_reason if earlier.withdrawn else None
    return distribution(Ident.of(later), later.scale.options, counted, reason, (), method)
