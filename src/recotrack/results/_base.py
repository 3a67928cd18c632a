"""The shapes every result shares: intervals, shares, flags, and what figures were counted from."""

from __future__ import annotations

import functools
from enum import StrEnum
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

from recotrack._rounding import round_half_up
from recotrack.statistics import wilson_interval

__all__ = ["Basis", "Excluded", "ExcludedFile", "Flag", "FlagCode", "Interval", "Share"]

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
    COUNT_FROM_PERCENT = "count-from-percent"
    """A count not published was derived from its printed percentage and the base (the only count that rounds to it)."""
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
        return _share_of(count, base)

    @property
    def exact(self) -> Fraction:
        """The share as an exact fraction (0 to 1)."""
        return Fraction(self.count, self.base)


@functools.lru_cache(maxsize=4_096)
def _share_of(count: int, base: int) -> Share:
    """Shares are frozen and the same few counts and bases recur in every table: each is worked out once.

    About 1.6 KB a share, so the cache holds at most about 6 MB.
    """
    exact = Fraction(100 * count, base)
    low, high = wilson_interval(count, base)
    return Share(
        count=count,
        base=base,
        percent=float(exact),
        printed=round_half_up(exact),
        interval=Interval(low=100 * low, high=100 * high),
    )


class ExcludedFile(Result):
    """What of one evidence file was left out of the figures because of errors."""

    path: str
    """The file, relative to the tracker's root (as messages name it)."""
    count: int
    """Answers left out (with other entries: tally rows, milestone statuses, values, 'other' entries, comments)."""
    returns: int
    """Whole returns left out (their answers are counted in ``count`` too, when they could be counted)."""
    reasons: tuple[str, ...]
    """Why, as reason codes (``unknown-option``, ``unknown-unit``, ``conflicting-returns``…), sorted."""


class SyntheticPeriod(Result):
    """A period some of whose evidence is invented (a demonstration year, or returns made up to fit tallies)."""

    period: str
    """The period, as the tracker names it."""
    declared: bool
    """Whether the catalog's ``periods:`` declares the whole period ``synthetic``."""
    files: tuple[str, ...]
    """The evidence files marked synthetic (by the manifest or by ``synthetic: true`` returns) that gave
    evidence for the period, by path; empty when only the period is declared so."""


class Synthetic(Result):
    """Invented evidence among what the figures were computed from: every reporter says so where it is seen."""

    periods: tuple[SyntheticPeriod, ...]
    """Each period, up to the report's own, with synthetic evidence, in time order."""


class Excluded(Result):
    """Evidence with errors that the figures were computed without (``skip_invalid``): how much, from where, why."""

    count: int
    """Answers (and other entries) left out, over every file."""
    returns: int
    """Whole returns left out."""
    files: tuple[ExcludedFile, ...]
    """Each file with something left out, by path."""
