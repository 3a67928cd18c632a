"""What scoring produces: plain, typed, immutable figures that reporters read.

Nothing here refers to how the evidence arrived (returns, published tallies, milestone records): a
reporter gets the same shapes whatever the source, and ``model_dump(mode="json")`` gives JSON directly.
Percentages are on a 0-100 scale; ``printed`` is the whole number a report shows, rounded half up.
Every ``*_printed`` string is made by :mod:`recotrack.display`, so every report prints the same.
Every formula, default and threshold is in ``docs/methodology.md``.
"""

from __future__ import annotations

from recotrack.method import Method
from recotrack.model import Band
from recotrack.results._base import (
    Basis,
    Excluded,
    ExcludedFile,
    Flag,
    FlagCode,
    Interval,
    Result,
    Share,
    Synthetic,
    SyntheticPeriod,
)
from recotrack.results.changes import (
    Comparison,
    IndicatorChange,
    QuestionChange,
    RecommendationChange,
    ScoreChange,
    ScoreSeries,
    Series,
    SeriesPoint,
    SeriesTrend,
    ShareChange,
    Trend,
)
from recotrack.results.figures import (
    Breakdown,
    BreakdownGroup,
    BreakdownOption,
    Distribution,
    GroupScore,
    IndicatorScore,
    OptionCount,
    OtherEntryCount,
    RecommendationScore,
    RegionResponse,
    ResponseGroup,
    ResponseSummary,
)
from recotrack.results.lifecycle import Lifecycle, StatusEntry, TargetRevision
from recotrack.results.profile import (
    Benchmark,
    BenchmarkComparison,
    ProfileAnswer,
    ProfileMilestone,
    ProfileNumber,
    ProfileRecommendation,
    ProfileShare,
    Spine,
    UnitProfile,
)
from recotrack.results.progress import (
    MilestoneEntry,
    MilestoneStatus,
    NumericProgress,
    NumericValue,
    ProgressStatus,
    UnitMilestone,
    UnitNumber,
)

__all__ = [
    "Basis",
    "Benchmark",
    "BenchmarkComparison",
    "Breakdown",
    "BreakdownGroup",
    "BreakdownOption",
    "Comparison",
    "Distribution",
    "Excluded",
    "ExcludedFile",
    "Flag",
    "FlagCode",
    "GroupScore",
    "IndicatorChange",
    "IndicatorScore",
    "Interval",
    "Lifecycle",
    "MilestoneEntry",
    "MilestoneStatus",
    "NumericProgress",
    "NumericValue",
    "OptionCount",
    "OtherEntryCount",
    "ProfileAnswer",
    "ProfileMilestone",
    "ProfileNumber",
    "ProfileRecommendation",
    "ProfileShare",
    "ProgressStatus",
    "QuestionChange",
    "RecommendationChange",
    "RecommendationScore",
    "RegionResponse",
    "ResponseGroup",
    "ResponseSummary",
    "Results",
    "ScoreChange",
    "ScoreSeries",
    "Series",
    "SeriesPoint",
    "SeriesTrend",
    "Share",
    "ShareChange",
    "Spine",
    "StatusEntry",
    "Synthetic",
    "SyntheticPeriod",
    "TargetRevision",
    "Trend",
    "UnitMilestone",
    "UnitNumber",
    "UnitProfile",
]


class Results(Result):
    """Everything scored for one period, and optionally its comparison with another."""

    period: str
    basis: Basis | None
    """What the questionnaire figures were counted from; None when the period has no questionnaire evidence."""
    method: Method
    response: ResponseSummary
    distributions: tuple[Distribution, ...]
    """One distribution per question: each scale indicator, and each item of a grid, in catalog order."""
    others: tuple[OtherEntryCount, ...]
    indicator_scores: tuple[IndicatorScore, ...]
    recommendations: tuple[RecommendationScore, ...]
    themes: tuple[GroupScore, ...]
    levels: tuple[GroupScore, ...]
    milestones: tuple[MilestoneStatus, ...]
    numeric: tuple[NumericProgress, ...]
    flags: tuple[Flag, ...]
    comparison: Comparison | None
    excluded: Excluded | None = None
    """Evidence left out because of errors (a report made with ``skip_invalid``)."""
    synthetic: Synthetic | None = None
    """The invented evidence the figures rest on (this period and every one before it)."""
    series: Series | None = None
    """Every period up to this one, with trends: only when asked for (``history=True``)."""
    breakdowns: tuple[Breakdown, ...] = ()
    """Every question's answers by each kind of unit above its respondents, through the disclosure policy
    (per-unit returns only)."""

    @property
    def bands(self) -> tuple[Band, ...]:
        """The status bands of the method, lowest first."""
        return self.method.bands

    def distribution(self, question_id: str) -> Distribution:
        for found in self.distributions:
            if found.id == question_id:
                return found
        grid = [d.id for d in self.distributions if d.indicator == question_id]
        if grid:
            raise KeyError(f"{question_id} is a grid: ask for one of its items, such as {grid[0]!r}")
        raise KeyError(f"no question {question_id!r} in the results")

    def breakdown(self, question_id: str, by: str) -> Breakdown:
        for found in self.breakdowns:
            if found.question == question_id and found.by == by:
                return found
        raise KeyError(f"no breakdown of {question_id!r} by {by!r} in the results")

    def recommendation(self, recommendation_id: str) -> RecommendationScore:
        for found in self.recommendations:
            if found.id == recommendation_id:
                return found
        raise KeyError(f"no recommendation {recommendation_id!r} in the results")
