"""Counting per-unit returns: one period's answers seen through masks, with no object made per answer.

Per-unit answers are counted with ``bytes.count`` on whole answer arrays after masking out, in one
bitwise OR, every unit that did not respond or to which the question did not apply.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from recotrack.evidence.model import NO_ANSWER, PeriodEvidence
from recotrack.model import Catalog, OptionRole, Question, ScaleIndicator, Units
from recotrack.results import OtherEntryCount, Share
from recotrack.scoring.distributions import Counted
from recotrack.scoring.unit_scores import Floats, UnitColumn, UnitIndex, item_means

__all__ = ["ReturnsView", "bitwise_or", "keep_mask", "other_entry"]

_DROPPED = 0xFF
_NONZERO_TO_DROP = bytes([0] + [_DROPPED] * 255)


def bitwise_or(a: bytes | bytearray, b: bytes | bytearray) -> bytes:
    """Bytewise OR of two equally long arrays, in one big-integer operation."""
    return (int.from_bytes(a, "big") | int.from_bytes(b, "big")).to_bytes(len(a), "big")


def keep_mask(size: int, positions: Iterable[int]) -> bytes:
    """0 at each of ``positions``, 0xFF everywhere else: OR-ed with answers, it keeps those units only."""
    mask = bytearray([_DROPPED]) * size
    for position in positions:
        mask[position] = 0
    return bytes(mask)


class ReturnsView:
    """One period's answers seen through masks: 0xFF drops a unit (no return, left out, or not applicable).

    OR-ing an answer array with a mask turns every dropped unit's answer into :data:`NO_ANSWER`, so an
    option's count is one ``bytes.count`` over the masked array.
    """

    def __init__(
        self,
        catalog: Catalog,
        evidence: PeriodEvidence,
        keep: frozenset[str] | None,
        units: Units | None = None,
        invited: Iterable[str] = (),
    ) -> None:
        self.catalog = catalog
        self.evidence = evidence
        self.unit_ids = evidence.unit_ids
        self.position = {unit_id: position for position, unit_id in enumerate(self.unit_ids)}
        """Unit id → its position in the answer arrays."""
        self.index = UnitIndex(self.unit_ids, self.position)
        by_id = units.by_id if units is not None else {}
        self.kind_of = tuple(by_id[u].kind if u in by_id else "" for u in self.unit_ids)
        """Each unit's kind, in position order (for audiences)."""
        self.invited = frozenset(invited)
        self.positions = [
            position for position in evidence.responded() if keep is None or self.unit_ids[position] in keep
        ]
        self.not_responding = keep_mask(len(self.unit_ids), self.positions)
        self._nothing = bytes([NO_ANSWER]) * len(self.unit_ids)
        self._dropped: dict[str, bytes] = {}
        self._effective: dict[str, bytes] = {}
        self._asked: dict[tuple[str, ...], bytes] = {}
        self._invited_by_audience: dict[tuple[str, ...], int] = {}

    def asked(self, question: Question) -> bytes:
        """0 for every responding unit the question is asked of (its audience), 0xFF for all others."""
        audience = question.audience
        if not audience:
            return self.not_responding
        found = self._asked.get(audience)
        if found is None:
            outside = bytes(0 if kind in audience else _DROPPED for kind in self.kind_of)
            found = self._asked[audience] = bitwise_or(self.not_responding, outside)
        return found

    def in_audience(self, question: Question, unit_ids: Iterable[str]) -> list[str]:
        """Those of ``unit_ids`` whose kind the question is asked of (all of them without an audience)."""
        audience = question.audience
        if not audience:
            return list(unit_ids)
        position = self.position
        return [u for u in unit_ids if u in position and self.kind_of[position[u]] in audience]

    def _invited_asked(self, question: Question) -> int:
        """How many invited units the question is asked of (worked out once per audience)."""
        found = self._invited_by_audience.get(question.audience)
        if found is None:
            found = self._invited_by_audience[question.audience] = len(self.in_audience(question, self.invited))
        return found

    @property
    def responding(self) -> frozenset[str]:
        return frozenset(self.unit_ids[position] for position in self.positions)

    def dropped(self, question_id: str) -> bytes:
        """0xFF for every unit outside the question: no return, outside its audience, excluded, or condition not met.

        Where a condition is met comes from the evidence (worked out once, when it was read).
        """
        found = self._dropped.get(question_id)
        if found is not None:
            return found
        question = self.catalog.questions[question_id]
        mask = self.asked(question)
        excluded = self.evidence.excluded.get(question_id)
        if excluded is not None:
            mask = bitwise_or(mask, excluded.translate(_NONZERO_TO_DROP))
        not_applicable = self.evidence.not_applicable.get(question_id)
        if not_applicable is not None:
            mask = bitwise_or(mask, not_applicable.translate(_NONZERO_TO_DROP))
        self._dropped[question_id] = mask
        return mask

    def effective(self, question_id: str) -> bytes:
        """The answers that count: the unit's option index, or NO_ANSWER wherever the unit is dropped."""
        found = self._effective.get(question_id)
        if found is None:
            raw = self.evidence.answers.get(question_id, self._nothing)
            found = self._effective[question_id] = bitwise_or(raw, self.dropped(question_id))
        return found

    def counted(self, question: Question) -> Counted:
        answers = self.effective(question.id)
        dropped = self.dropped(question.id)
        asked = self.asked(question)
        tally = np.bincount(np.frombuffer(answers, dtype=np.uint8), minlength=256).tolist()  # every option at once
        counts = tuple(tally[: len(question.scale.options)])
        applicable = dropped.count(0)
        responding_asked = asked.count(0)
        base = sum(counts)
        raw = self.evidence.answers.get(question.id, self._nothing)
        answered_by_asked = len(raw) - bitwise_or(raw, asked).count(NO_ANSWER)
        answered_where_applicable = len(answers) - tally[NO_ANSWER]
        invited = self._invited_asked(question) if self.invited else None
        return Counted(
            counts=counts,
            base=base,
            item_non_response=applicable - base,
            not_applicable_by_condition=responding_asked - applicable,
            answered_when_not_applicable=answered_by_asked - answered_where_applicable,
            asked=responding_asked,
            invited=invited,
        )

    def unit_question_scores(self, question: Question) -> Floats:
        """Each unit's option score on the question, in position order: NaN where it has no scored answer."""
        table = np.full(256, math.nan)
        if question.scored:
            for index, option in enumerate(question.scale.options):
                if option.role is OptionRole.SUBSTANTIVE and option.score is not None:
                    table[index] = option.score
        return table[np.frombuffer(self.effective(question.id), dtype=np.uint8)]

    def unit_indicator_scores(self) -> dict[str, UnitColumn]:
        """Per scale indicator in use, each responding unit's score: its option score, or its mean over grid items."""
        by_indicator: dict[str, list[Floats]] = {}
        for question in self.catalog.questions.values():
            if question.indicator.withdrawn is None and question.scored:
                by_indicator.setdefault(question.indicator.id, []).append(self.unit_question_scores(question))
        return {
            indicator_id: UnitColumn(self.index, items[0] if len(items) == 1 else item_means(items))
            for indicator_id, items in by_indicator.items()
        }

    def other_entries(self) -> tuple[OtherEntryCount, ...]:
        """How many units named each free-text 'other' entry, over the units the indicator applied to."""
        first_question: dict[str, str] = {}
        for question in self.catalog.questions.values():
            first_question.setdefault(question.indicator.id, question.id)
        position_of = {unit_id: position for position, unit_id in enumerate(self.unit_ids)}
        naming: dict[tuple[str, str], set[str]] = {}
        for entry in self.evidence.others:
            question_id = first_question.get(entry.question)
            position = position_of.get(entry.unit)
            if question_id is None or position is None or self.dropped(question_id)[position]:
                continue
            naming.setdefault((entry.question, entry.text.strip()), set()).add(entry.unit)
        found = []
        order = {indicator.id: i for i, indicator in enumerate(self.catalog.indicators)}
        for (indicator_id, text), units in sorted(naming.items(), key=lambda k: (order[k[0][0]], k[0][1].casefold())):
            base = self.dropped(first_question[indicator_id]).count(0)
            found.append(other_entry(self.catalog, indicator_id, text, len(units), base))
        return tuple(found)


def other_entry(catalog: Catalog, indicator_id: str, text: str, count: int, base: int | None) -> OtherEntryCount:
    indicator = catalog.indicator(indicator_id)
    label = indicator.other.label if isinstance(indicator, ScaleIndicator) and indicator.other else "Other"
    shown = Share.of(count, base) if base else None
    return OtherEntryCount(
        indicator=indicator_id,
        label=label,
        text=text,
        count=count,
        base=base,
        percent=shown.percent if shown else None,
        printed=shown.printed if shown else None,
    )
