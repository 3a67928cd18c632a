"""The crosswalk: which question of one period is which question of another, and whether they compare.

Survey practice keeps a stable identity per item across waves and records, for each pair, whether the
two are comparable (DDI's commonality, CLOSER's mappings). The same id in two periods is the same
question; the crosswalk maps the rest. A split is two entries with the same ``from``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from recotrack.model._base import Id, Model, Text
from recotrack.periods import period_problem

__all__ = ["Comparable", "CrosswalkEntry", "QuestionRef"]

Comparable = Literal["yes", "after-recode", "no"]
"""Whether a pair compares: as it stands, once the old answers are recoded onto the new scale, or not at all."""


class QuestionRef(Model):
    """``"<period>:<question id>"``, read into its two parts."""

    period: str
    question: str

    @classmethod
    def parse(cls, text: str) -> QuestionRef:
        period, _, question = text.partition(":")
        return cls(period=period, question=question)

    def __str__(self) -> str:
        return f"{self.period}:{self.question}"


def _check_ref(value: str) -> str:
    period, colon, question = value.partition(":")
    if not colon or not question:
        raise ValueError(f"expected '<period>:<question id>' such as '2019:1.1', got {value!r}")
    problem = period_problem(period)
    if problem is not None:
        raise ValueError(f"{problem[0]} {period!r} before ':' (expected {problem[1]})")
    return value


class CrosswalkEntry(Model):
    """One correspondence between a question of one period and a question of another."""

    from_: str = Field(alias="from", min_length=3, max_length=300)
    """``"<period>:<question id>"`` of the earlier question."""
    to: str = Field(min_length=3, max_length=300)
    """``"<period>:<question id>"`` of the later question."""
    comparable: Comparable
    recode: dict[Id, Id] = Field(default_factory=dict)
    """Old option id → new option id; required, and covering every old option, with ``after-recode``."""
    note: Text | None = None
    """What changed (reworded, split, rescaled...), shown wherever the pair is compared."""

    _refs = field_validator("from_", "to")(_check_ref)

    @property
    def source(self) -> QuestionRef:
        return QuestionRef.parse(self.from_)

    @property
    def target(self) -> QuestionRef:
        return QuestionRef.parse(self.to)
