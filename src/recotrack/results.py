"""What scoring produces: plain, typed, immutable figures that reporters read.

Nothing here refers to how the evidence arrived (returns, published tallies, milestone records): a
reporter gets the same shapes whatever the source, and ``model_dump(mode="json")`` gives JSON directly.
Percentages are on a 0-100 scale; ``printed`` is the whole number a report shows, rounded half up.
Every ``*_printed`` string is made by :mod:`recotrack.display`, so every report prints the same.
Every formula, default and threshold is in ``docs/methodology.md``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

from recotrack._rounding import round_half_up
from recotrack.method import Method
from recotrack.model import Band, Direction, OptionRole, RecommendationKind, normalise_label
from recotrack.statistics import wilson_interval

__all__ = [
    "Basis",
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
    "MilestoneEntry",
    "MilestoneStatus",
    "NumericProgress",
    "NumericValue",
    "OptionCount",
    "OtherEntryCount",
    "ProgressStatus",
    "QuestionChange",
    "RecommendationChange",
    "RecommendationScore",
    "RegionResponse",
    "ResponseSummary",
    "Results",
    "ScoreChange",
    "Share",
    "ShareChange",
    "Trend",
]

Basis = Literal["returns", "tallies"]
"""What a period's figures were counted from: per-unit returns, or the published tallies."""


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Interval(_Result):
    """A 95% interval, in the unit of the figure it belongs to (percentage points or score)."""

    low: float
    high: float

    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


class FlagCode(StrEnum):
    """Why a figure deserves a second look (thresholds in docs/methodology.md)."""

    HIGH_DONT_KNOW = "high-dont-know"
    """Many 'don't know' answers: the person answering may not know local practice."""
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


class Flag(_Result):
    """A data-quality warning on a figure or on the whole period."""

    code: FlagCode
    message: str


class Share(_Result):
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


class OptionCount(_Result):
    """One answer option of a distribution; count and percentages are None when not known (tallies)."""

    id: str
    label: str
    role: OptionRole
    score: float | None
    """The option's score on its scale; None for options outside the score."""
    score_printed: str | None
    count: int | None
    percent: float | None
    printed: int | None
    interval: Interval | None


class Distribution(_Result):
    """The answers to one question (a scale indicator or one grid item) in one period.

    ``base`` counts the units that responded, to which the question applied, and that answered it.
    Counts and figures are None when the period has none (no evidence, or the question is withdrawn).
    """

    id: str
    label: str
    indicator: str
    item: str | None
    """The grid item's label; None for a question that is not a grid item."""
    section: str | None
    scale: str
    withdrawn: bool
    withdrawn_reason: str | None
    base: int | None
    options: tuple[OptionCount, ...]
    item_non_response: int | None
    """Units to which the question applied that responded but left it blank."""
    not_applicable_by_condition: int | None
    """Responding units whose answer to the question's condition left it not applying to them."""
    answered_when_not_applicable: int | None
    """Answers given by those units anyway; never counted."""
    score: float | None
    score_printed: str | None
    score_se: float | None
    """Standard error of ``score`` (normal approximation; the 95% interval is score ± 1.96 × se)."""
    scored_base: int | None
    """Answers that carry a score (substantive answers): the denominator of ``score``."""
    band: str | None
    band_label: str | None
    dont_know: Share | None
    not_applicable: Share | None
    flags: tuple[Flag, ...]

    def option(self, option_id: str) -> OptionCount:
        """The option with this id or printed label (ignoring case and spaces)."""
        wanted = normalise_label(option_id)
        for option in self.options:
            if (
                option.id == option_id
                or normalise_label(option.id) == wanted
                or normalise_label(option.label) == wanted
            ):
                return option
        raise KeyError(
            f"{self.id} has no option {option_id!r}; its options are {', '.join(o.id for o in self.options)}"
        )

    def combined(self, *option_ids: str) -> Share:
        """Several options together ("always or sometimes"), from the counts, not from rounded percentages."""
        if not self.base:
            raise ValueError(f"{self.id} has no answers to share out in this period")
        counts = [self.option(option_id).count for option_id in option_ids]
        if any(count is None for count in counts):
            raise ValueError(f"{self.id}: a count of {', '.join(option_ids)} is not known")
        return Share.of(sum(count for count in counts if count is not None), self.base)


class OtherEntryCount(_Result):
    """How many units named one free-text 'other' entry of a question (e.g. an 'Others:' table row)."""

    indicator: str
    label: str
    text: str
    count: int
    base: int | None
    percent: float | None
    printed: int | None


class RegionResponse(_Result):
    id: str | None
    """The region's unit id; None for invited units with no region."""
    name: str
    invited: int
    responded: int
    percent: float | None
    printed: int | None


class ResponseSummary(_Result):
    """Who was asked and who answered: figures describe respondents, not all invited units."""

    invited: int | None
    """Units invited for the period; None when the tracker declares no invitation."""
    responded: int | None
    """Units that sent a return (or the published number of respondents); None without evidence."""
    responded_invited: int | None
    """Responding units that were invited: the numerator of the response rate."""
    percent: float | None
    printed: int | None
    regions: tuple[RegionResponse, ...]
    statement: str


class IndicatorScore(_Result):
    """An indicator's score in a period, whatever its kind, as recommendation scores use it."""

    id: str
    label: str
    kind: Literal["scale", "milestone", "numeric"]
    measures: tuple[str, ...]
    weight: float
    questions: tuple[str, ...]
    """The distributions (question ids) it is made of; empty for milestones and numbers."""
    score: float | None
    score_printed: str | None
    score_se: float | None
    band: str | None
    band_label: str | None
    withdrawn: bool
    withdrawn_reason: str | None


class RecommendationScore(_Result):
    """How far a recommendation has got: its indicators' scores combined by its level's roll-up rule."""

    id: str
    title: str
    kind: RecommendationKind
    level: str
    theme: str | None
    parent: str | None
    children: tuple[str, ...]
    indicators: tuple[str, ...]
    """Its indicators that have a score in this period (withdrawn and unscored ones are left out)."""
    score: float | None
    """None when none of its indicators has a score in the period."""
    score_printed: str | None
    score_se: float | None
    band: str | None
    band_label: str | None
    score_with_children: float | None
    """Over its own indicators and those of every recommendation below it (each indicator once)."""
    score_with_children_printed: str | None
    unit_scores: dict[str, float]
    """Per responding unit: the weighted mean of that unit's scores on the questionnaire indicators."""


class GroupScore(_Result):
    """A theme's or a level's score: its recommendations' indicators combined by the level's roll-up rule."""

    id: str
    label: str
    recommendations: tuple[str, ...]
    indicators: tuple[str, ...]
    score: float | None
    """None when no indicator of its recommendations has a score ("not measured")."""
    score_printed: str | None
    score_se: float | None
    band: str | None
    band_label: str | None


class MilestoneEntry(_Result):
    """One evidenced status of a milestone."""

    period: str
    status: str
    status_label: str
    date: dt.date | None
    document: str | None
    """The id of the source document that evidences it, when the evidence names one."""
    document_title: str | None
    note: str | None
    location: str
    """``path:line`` of the evidence, relative to the tracker."""


class MilestoneStatus(_Result):
    """A milestone's status as at the period, with its history up to then."""

    indicator: str
    label: str
    measures: tuple[str, ...]
    due: dt.date | None
    status: str | None
    status_label: str | None
    status_period: str | None
    """The period the status was evidenced in (earlier than the scored period when carried forward)."""
    score: float | None
    score_printed: str | None
    history: tuple[MilestoneEntry, ...]


class ProgressStatus(StrEnum):
    """Progress categories of the SDG-style assessment (Statistics Canada / Open SDG, after Eurostat)."""

    TARGET_MET = "target met"
    ON_TRACK = "on track"
    ACCELERATION_NEEDED = "progress made but acceleration needed"
    LIMITED_PROGRESS = "limited progress"
    DETERIORATION = "deterioration"
    TARGET_MISSED = "target missed"
    UNABLE_TO_ASSESS = "unable to assess"


class NumericValue(_Result):
    period: str
    value: float
    value_printed: str
    document: str | None
    document_title: str | None
    note: str | None


class NumericProgress(_Result):
    """A number's way from its baseline towards its target, and whether it is on course."""

    indicator: str
    label: str
    unit: str
    direction: Direction
    measures: tuple[str, ...]
    baseline: NumericValue | None
    """The catalog's baseline, or else the earliest observed value."""
    latest: NumericValue | None
    target_value: float | None
    target_printed: str | None
    target_date: dt.date | None
    share_of_way: float | None
    """(latest − baseline) / (target − baseline): 0 at the baseline, 1 at the target."""
    share_of_way_printed: str | None
    method: str | None
    """How the rates were worked out ('growth rate' or 'linear'); None when not assessed."""
    observed_rate: float | None
    required_rate: float | None
    ratio: float | None
    status: ProgressStatus
    on_course: bool | None
    history: tuple[NumericValue, ...]


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


class ShareChange(_Result):
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


class ScoreChange(_Result):
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


class QuestionChange(_Result):
    id: str
    label: str
    indicator: str
    before_base: int | None
    after_base: int | None
    shares: tuple[ShareChange, ...]
    score_change: ScoreChange | None
    trend: Trend


class IndicatorChange(_Result):
    id: str
    label: str
    kind: Literal["scale", "milestone", "numeric"]
    score_change: ScoreChange | None
    trend: Trend


class RecommendationChange(_Result):
    """What moved for a recommendation: its score, and which of its indicators changed and how."""

    id: str
    title: str
    score_change: ScoreChange | None
    trend: Trend
    improved: tuple[str, ...]
    worsened: tuple[str, ...]
    new: tuple[str, ...]
    withdrawn: tuple[str, ...]


class Comparison(_Result):
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


class ExcludedFile(_Result):
    """What of one evidence file was left out of the figures because of errors."""

    path: str
    """The file, relative to the tracker's root (as messages name it)."""
    count: int
    """Answers left out (with other entries: tally rows, milestone statuses, values, 'other' entries, comments)."""
    returns: int
    """Whole returns left out (their answers are counted in ``count`` too, when they could be counted)."""
    reasons: tuple[str, ...]
    """Why, as reason codes (``unknown-option``, ``unknown-unit``, ``conflicting-returns``…), sorted."""


class Excluded(_Result):
    """Evidence with errors that the figures were computed without (``skip_invalid``): how much, from where, why."""

    count: int
    """Answers (and other entries) left out, over every file."""
    returns: int
    """Whole returns left out."""
    files: tuple[ExcludedFile, ...]
    """Each file with something left out, by path."""


class Results(_Result):
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
    """Evidence left out because of errors (a report made with ``skip_invalid``); None when nothing was."""

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

    def recommendation(self, recommendation_id: str) -> RecommendationScore:
        for found in self.recommendations:
            if found.id == recommendation_id:
                return found
        raise KeyError(f"no recommendation {recommendation_id!r} in the results")
