"""A profile for one unit: its own figures next to its parent's and the national ones, and where it stands."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from recotrack.results._base import Interval, Result
from recotrack.results.progress import UnitMilestone, UnitNumber

__all__ = [
    "Benchmark",
    "BenchmarkComparison",
    "ProfileAnswer",
    "ProfileMilestone",
    "ProfileNumber",
    "ProfileRecommendation",
    "ProfileShare",
    "Spine",
    "UnitProfile",
]

BenchmarkComparison = Literal["better", "similar", "worse", "higher", "lower", "not compared"]
"""A figure against its benchmark (national): ``similar`` when the benchmark lies inside the figure's
interval, else ``better`` or ``worse`` by the polarity (``higher`` or ``lower`` when it has none)."""


class ProfileShare(Result):
    """A share compared with a benchmark: its published count and base, with its 95% and 99.8% intervals."""

    count: int | None
    base: int | None
    percent: float | None
    printed: int | None
    interval: Interval | None
    interval_998: Interval | None
    suppressed: str | None = None
    """The disclosure rule that withheld a count it is made of; None when published."""


class Spine(Result):
    """A spine chart's figures: the spread of the units' scores, the national figure and the unit's own."""

    worst: float
    q25: float
    national: float | None
    q75: float
    best: float
    unit: float | None
    low_is_good: bool
    """Whether low scores are good (the chart is then drawn the other way round, best on the right)."""


class Benchmark(Result):
    """Where a unit stands on one indicator with per-unit scores: among all units, and against national."""

    indicator: str
    label: str
    kind: Literal["scale", "milestone", "numeric"]
    polarity: str
    unit_value: float | None
    """The unit's own score: its answer's (a grid: the mean of its items'), its number's or milestone's; for a
    unit with units below it that gave no answer itself, their combined score."""
    unit_printed: str | None
    from_units_below: bool = False
    """True when ``unit_value`` is the combined score of the units below it (it has none of its own)."""
    parent_value: float | None
    """The parent's score from its units' published figures; None when withheld or there is no parent."""
    parent_printed: str | None
    national: float | None
    national_printed: str | None
    rank: int | None
    """1 for the best score among the ``of`` units with one (ties share a rank); None when withheld."""
    of: int | None
    tied: int | None = None
    """How many other units share the unit's score (and so its rank)."""
    quintile: int | None
    """1 (the best fifth) to 5 (the worst), tied units taking the middle of their ranks; None with fewer
    than 5 units."""
    quintile_label: str | None
    spine: Spine | None
    share_label: str | None
    """What is compared: 'share answering Yes, always' (single questions only)."""
    unit_share: ProfileShare | None
    parent_share: ProfileShare | None
    national_share: float | None
    """The national share (0 to 1), the benchmark."""
    comparison: BenchmarkComparison
    """The unit's own share against national at 95%."""
    comparison_998: BenchmarkComparison
    parent_comparison: BenchmarkComparison
    """Its parent's share against national at 95%."""
    parent_comparison_998: BenchmarkComparison
    note: str | None
    """Why a comparison was not made, when it was not."""


class ProfileAnswer(Result):
    """The unit's own answer to one question, next to its parent's and the national figures."""

    question: str
    label: str
    indicator: str
    status: Literal["answered", "left blank", "no return", "not applicable", "not asked", "withdrawn"]
    answer: str | None
    answer_label: str | None
    score: float | None
    score_printed: str | None
    location: str | None
    """``path:line`` of its answer."""
    parent_share: ProfileShare | None
    """The parent's share giving the compared answers (``share_label``)."""
    parent_score_printed: str | None
    national_share: ProfileShare | None
    national_score_printed: str | None
    share_label: str | None
    parent_comparison: BenchmarkComparison
    parent_comparison_998: BenchmarkComparison


class ProfileRecommendation(Result):
    id: str
    title: str
    level: str
    unit_score: float | None
    unit_printed: str | None
    from_units_below: bool = False
    """True when ``unit_score`` is the mean of the units below it (it has no score of its own)."""
    band: str | None
    band_label: str | None
    parent_score: float | None
    """The mean of the parent's units' own scores; None when withheld (fewer units than the policy allows)."""
    parent_printed: str | None
    national: float | None
    national_printed: str | None
    rank: int | None
    of: int | None


class ProfileMilestone(Result):
    indicator: str
    label: str
    unit: UnitMilestone | None
    national_status: str | None
    national_printed: str | None


class ProfileNumber(Result):
    indicator: str
    label: str
    unit: UnitNumber | None
    national_share_printed: str | None
    national_printed: str | None


class UnitProfile(Result):
    """One unit's figures for a period next to its parent's and the national ones (``--unit ID``)."""

    id: str
    name: str
    kind: str
    kind_label: str
    period: str
    parent: str | None
    parent_name: str | None
    parent_kind: str | None
    parent_kind_label: str | None
    invited: bool | None
    """Whether it was invited for the period; None when the tracker declares no invitation."""
    responded: bool
    return_location: str | None
    submitted: dt.date | None
    respondents_below: int
    """Responding units below it (a region's boards that responded)."""
    recommendations: tuple[ProfileRecommendation, ...]
    benchmarks: tuple[Benchmark, ...]
    answers: tuple[ProfileAnswer, ...]
    milestones: tuple[ProfileMilestone, ...]
    numbers: tuple[ProfileNumber, ...]
    notes: tuple[str, ...]
    """The profile's limits in words: few respondents, non-response, what is withheld."""
