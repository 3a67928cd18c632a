"""Where a conditional question applies: worked out once per period, carried by the evidence for scoring.

A question with ``applies_when`` applies to a unit whose counting answer to the parent question is
one of the allowed options. The counting answer is itself conditional: a parent's answer given where
the parent does not apply is no answer. Conditions form no cycle (the catalog checks), so the
recursion ends.
"""

from __future__ import annotations

from collections.abc import Mapping

from recotrack.evidence.model import NO_ANSWER, PeriodEvidence
from recotrack.model import Condition, Question

__all__ = ["Applicability"]

_ONE_TO_NO_ANSWER = bytes([0, NO_ANSWER] + [0] * 254)


class Applicability:
    """Applicability of every conditional question of one period, each worked out once."""

    def __init__(self, questions: Mapping[str, Question], evidence: PeriodEvidence) -> None:
        self._questions = questions
        self._evidence = evidence
        self._size = len(evidence.unit_ids)
        self._not_met: dict[str, bytearray] = {}
        self._counting: dict[str, bytes] = {}

    def all(self) -> dict[str, bytearray]:
        """Question id → 1 at every unit position where its conditions are not met, for each conditional question."""
        return {
            question_id: not_met
            for question_id in self._questions
            if (not_met := self.not_applicable(question_id)) is not None
        }

    def not_applicable(self, question_id: str) -> bytearray | None:
        """1 where the question's conditions are not met, answered or not; None without conditions."""
        found = self._not_met.get(question_id)
        question = self._questions[question_id]
        if found is not None or not question.conditions:
            return found
        not_met = 0
        for condition in question.conditions:
            parent = self._questions[condition.indicator]
            allowed = _allowed_indexes(condition, parent)
            unmet_of = bytes(0 if index in allowed else 1 for index in range(256))
            not_met |= int.from_bytes(self.counting_answers(parent.id).translate(unmet_of), "big")
        found = self._not_met[question_id] = bytearray(not_met.to_bytes(self._size, "big"))
        return found

    def counting_answers(self, question_id: str) -> bytes:
        """A question's answers, with NO_ANSWER wherever its conditions are not met."""
        found = self._counting.get(question_id)
        if found is not None:
            return found
        answers = self._evidence.answers.get(question_id)
        if answers is None:
            found = bytes([NO_ANSWER]) * self._size
        elif (not_met := self.not_applicable(question_id)) is None:
            found = bytes(answers)
        else:
            dropped = int.from_bytes(not_met.translate(_ONE_TO_NO_ANSWER), "big")
            found = (int.from_bytes(answers, "big") | dropped).to_bytes(self._size, "big")
        self._counting[question_id] = found
        return found

    def unmet_condition(self, question_id: str, position: int) -> tuple[Condition, int]:
        """The first condition of the question that the unit at ``position`` does not meet, with its answer."""
        for condition in self._questions[question_id].conditions:
            parent = self._questions[condition.indicator]
            given = self.counting_answers(parent.id)[position]
            if given not in _allowed_indexes(condition, parent):
                return condition, given
        raise ValueError(f"every condition of {question_id} is met at position {position}")


def _allowed_indexes(condition: Condition, parent: Question) -> frozenset[int]:
    resolved = (parent.scale.resolve(option) for option in condition.in_)
    return frozenset(parent.scale.option_ids.index(option) for option in resolved if option)
