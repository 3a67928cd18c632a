"""The shapes every result shares: intervals, shares, flags, and what figures were counted from."""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

from recotrack._rounding import round_half_up
from recotrack.statistics import wilson_interval

__all__ = ["Basis", "Flag", "FlagCode", "Interval", "Share"]

Basis = Literal["returns", "tallies"]
"""What a period's figures were counted from: per-unit returns, or the published tallies."""


class Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Interval(Result):
    """A 95% interval, in the unit of the figure it belongs to (percentage points or score)."""

    low: float
    high: float

    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


class FlagCode(StrEnum):
    """Why a figure deserves a second look (thresholds in docs/methodology.md)."""

    HIGH_DONT_KNOW = "high-dont-know"
    """Many 'don't know' answers (what they may mean is the scale's ``dont_know_means``)."""
    HIGH_NOT_APPLICABLE = "high-not-applicable"
    """Many 'not applicable' answers to a question that applied to them."""
    ITEM_NON_RESPONSE = "item-non-response"
    """Units to which the question applied sent a return but left it blank."""
    ANSWERED_WHEN_NOT_APPLICABLE = "answered-when-not-applicable"
    """Answers from units to which the question did not apply (kept out of the figures)."""
    LOW_RESPONSE_RATE = "low-response-rate"
    """Few of the invited units responded, so respondents may not represent them."""
    COUNT_INFERRED = "count-inferred"
    """A count not published was worked out as the base less the published counts."""
    PRINTED_DIFFERS = "printed-differs"
    """A published percentage differs from the one computed from the published counts."""
    DIFFERS_FROM_PUBLISHED = "differs-from-published"
    """Counts computed from the returns differ from the published tallies of the same period."""
    LATE = "late"
    """Delivered after the target date then in force."""
    OVERDUE = "overdue"
    """Not delivered, and the target date in force had passed by the period's end."""
    TARGET_MOVED = "target-moved"
    """The target date was revised (the message says how many times)."""


class Flag(Result):
    """A data-quality warning on a figure or on the whole period."""

    code: FlagCode
    message: str


class Share(Result):
    """A count out of a base, as an exact percentage, its printed whole number and a Wilson interval."""

    count: int
    base: int
    percent: float
    printed: int
    interval: Interval

    @classmethod
    def of(cls, count: int, base: int) -> Share:
        """The share count/base; the one place percentages, printed figures and intervals are worked out."""
        exact = Fraction(100 * count, base)
        low, high = wilson_interval(count, base)
        return cls(
            count=count,
            base=base,
            percent=float(exact),
            printed=round_half_up(exact),
            interval=Interval(low=100 * low, high=100 * high),
        )

    @property
    def exact(self) -> Fraction:
        """The share as an exact fraction (0 to 1)."""
        return Fraction(self.count, self.base)
