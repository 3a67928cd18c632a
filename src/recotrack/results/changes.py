"""What changed: two periods compared, and series over every period with their trends."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from recotrack.results._base import Basis, Interval, Result

__all__ = [
    "Comparison",
    "IndicatorChange",
    "QuestionChange",
    "RecommendationChange",
    "ScoreChange",
    "ScoreSeries",
    "Series",
    "SeriesPoint",
    "SeriesTrend",
    "ShareChange",
    "Trend",
]


class Trend(StrEnum):
    """How a figure moved between two periods."""

    IMPROVED = "improved"
    NO_CLEAR_CHANGE = "no clear change"
    WORSENED = "worsened"
    NEW = "new"
    """A figure now, none in the earlier period."""
    WITHDRAWN = "withdrawn"
    """Withdrawn now, or no longer measured."""
    NO_DATA = "no data"
    """No figure in either period."""
    DROPPED = "dropped"
    """Asked in the earlier period, not in the later one."""
    NOT_COMPARABLE = "not comparable"
    """The two periods' questions are not like-for-like (the crosswalk says so): a series break, no change."""


class ShareChange(Result):
    """Change in one option's share, in percentage points, with Newcombe's 95% interval."""

    option: str
    label: str
    before: float
    after: float
    change: float
    change_printed: str
    interval: Interval
    interval_printed: str
    distinguishable: bool
    """True when the interval excludes zero: the change is more than sampling noise."""


class ScoreChange(Result):
    """Change in a score (after − before) with a 95% interval."""

    before: float
    before_printed: str
    after: float
    after_printed: str
    change: float
    change_printed: str
    se: float | None
    """Standard error of ``change``; 0 for milestones and numbers (observed, not sampled); None when too few
    answers to estimate it."""
    interval: Interval | None
    interval_printed: str | None
    """None when there is no interval, or when it has no width (milestones and numbers)."""
    distinguishable: bool


class QuestionChange(Result):
    """A question's change; ``id`` is the later period's question, or the earlier one's when it was dropped."""

    id: str
    label: str
    indicator: str
    baseline_question: str | None
    """The earlier period's question it is compared with (through the crosswalk, or the same id); None if new."""
    comparable: Literal["yes", "after-recode", "no"] | None
    """The crosswalk's verdict; "yes" for the same question in both periods; None when new or dropped."""
    note: str | None
    """The crosswalk's note on what changed between the two questions."""
    before_base: int | None
    after_base: int | None
    shares: tuple[ShareChange, ...]
    score_change: ScoreChange | None
    trend: Trend


class IndicatorChange(Result):
    id: str
    label: str
    kind: Literal["scale", "milestone", "numeric"]
    score_change: ScoreChange | None
    trend: Trend


class RecommendationChange(Result):
    """What moved for a recommendation: its score, and which of its indicators changed and how."""

    id: str
    title: str
    score_change: ScoreChange | None
    trend: Trend
    improved: tuple[str, ...]
    worsened: tuple[str, ...]
    new: tuple[str, ...]
    withdrawn: tuple[str, ...]
    dropped: tuple[str, ...]
    not_comparable: tuple[str, ...]


class Comparison(Result):
    """Year on year: ``period`` against ``baseline``; every change is period − baseline."""

    period: str
    baseline: str
    baseline_basis: Basis | None
    both_years_only: bool
    """Only units that responded in both periods, compared pair by pair."""
    units_in_both: int | None
    questions: tuple[QuestionChange, ...]
    indicators: tuple[IndicatorChange, ...]
    recommendations: tuple[RecommendationChange, ...]


class SeriesPoint(Result):
    """One period's figure in a series."""

    period: str
    id: str
    """The question (or indicator, recommendation) id in that period: crosswalked questions change id."""
    basis: Basis | None
    base: int | None
    score: float | None
    score_printed: str | None
    se: float | None


class SeriesTrend(Result):
    """The trend over a series' last points, or why there is none (methodology: "Trends over several periods")."""

    status: Literal["increasing", "decreasing", "no significant change", "cannot be calculated"]
    label: str
    """What a reader sees: "increasing and getting better", or "cannot be calculated: too few points"."""
    reason: str | None
    """Why the trend cannot be calculated; None when it can."""
    chi_square: float | None
    """The χ² statistic for linear trend (1 degree of freedom); None when not calculated."""
    points: int
    """How many points the test used (at most 5, after the last series break)."""


class ScoreSeries(Result):
    """A question's, indicator's or recommendation's figure in every period with evidence, through the crosswalk."""

    id: str
    """The id in the latest period."""
    label: str
    kind: Literal["question", "indicator", "recommendation"]
    points: tuple[SeriesPoint, ...]
    breaks: tuple[str, ...]
    """Where the series breaks: "2020→2021: <note>" for each pair that is not like-for-like."""
    trend: SeriesTrend


class Series(Result):
    """Every period with evidence up to the scored one, and each figure's series over them."""

    periods: tuple[str, ...]
    questions: tuple[ScoreSeries, ...]
    indicators: tuple[ScoreSeries, ...]
    recommendations: tuple[ScoreSeries, ...]
