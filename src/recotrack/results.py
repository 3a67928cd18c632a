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
    "Benchmark",
    "BenchmarkComparison",
    "Breakdown",
    "BreakdownGroup",
    "BreakdownOption",
    "Comparison",
    "Distribution",
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
    "TargetRevision",
    "Trend",
    "UnitMilestone",
    "UnitNumber",
    "UnitProfile",
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
    scored: bool = True
    """False for a routing question (``scored: false``): no score, no "not applicable" flag."""
    asked_of: tuple[str, ...] = ()
    """The unit kinds the question is asked of; empty: every unit invited."""
    asked: int | None = None
    """Responding units the question is asked of: the base, item non-response and the rest are among these."""
    invited: int | None = None
    """Invited units the question is asked of; None when the tracker declares no invitation."""
    response: Share | None = None
    """``asked`` of ``invited``: the question's own response rate, over its audience."""

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
    """One row of a response table by a kind of unit: a region, a partnership..."""

    id: str | None
    """The unit id of the group (a region's); None for invited units under no unit of that kind."""
    name: str
    invited: int
    responded: int | None
    """None when the catalog's disclosure policy suppresses it (``suppressed`` says by which rule)."""
    percent: float | None
    printed: int | None
    kind: str | None = None
    """The kind of unit the table groups by."""
    suppressed: str | None = None
    """The disclosure rule that withheld ``responded`` (and so the percentage); None when published."""


class ResponseGroup(_Result):
    """The response by one kind of unit above the invited ones (by region, by partnership...)."""

    kind: str
    kind_label: str
    rows: tuple[RegionResponse, ...]


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
    """The rows of the first of ``groups`` (kept for JSON format 2 readers): by region in the example."""
    statement: str
    groups: tuple[ResponseGroup, ...] = ()
    """The response by each kind of unit above the invited units that is present, in the units file's order."""

    def tables(self) -> tuple[ResponseGroup, ...]:
        """The response tables to show: ``groups``, or ``regions`` as one table for results made without them."""
        if self.groups:
            return self.groups
        if self.regions:
            kind = self.regions[0].kind or "region"
            return (ResponseGroup(kind=kind, kind_label=kind.capitalize(), rows=self.regions),)
        return ()


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


class StatusEntry(_Result):
    """One dated statement: a response, an implementation rating, or a milestone's status."""

    period: str
    status: str
    status_label: str
    assessed_by: Literal["self", "independent"] | None
    """Who rated an implementation status; None for responses and milestone statuses."""
    date: dt.date | None
    document: str | None
    document_title: str | None
    note: str | None
    location: str
    """``path:line`` of the evidence, relative to the tracker."""
    printed: str
    """How every report writes it: "Accepted, 1 March 2021 (the document's title)"."""


class TargetRevision(_Result):
    """A target date set or revised, with when, why and on whose word."""

    target: dt.date
    set_on: dt.date
    reason: str
    document: str | None
    document_title: str | None
    location: str
    printed: str
    """How every report writes it: "30 June 2022, set on 30 September 2021: the reason"."""


class Lifecycle(_Result):
    """A recommendation's response and implementation as at the period, kept apart from its indicators' scores."""

    response: StatusEntry | None
    """The latest response up to the period (accepted, partly accepted, not accepted, noted...); None if none."""
    self_assessed: StatusEntry | None
    """The latest implementation status the body reported itself; None if none."""
    independent: StatusEntry | None
    """The latest implementation status from an independent assessment; None if none."""
    disagreement: bool
    """Both ratings exist and differ."""
    target: dt.date | None
    """The target date as the period's evidence leaves it: the review's, or the latest revision; None without one."""
    target_revisions: tuple[TargetRevision, ...]
    delivered: dt.date | None
    """The first date a fully-implemented status was recorded; None while it is not."""
    superseded_by: str | None
    closed: str | None
    """Why it was closed, when it was."""
    history: tuple[StatusEntry, ...]
    """Every response and implementation statement up to the period, in date order."""


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
    lifecycle: Lifecycle
    flags: tuple[FlagCode, ...]
    """Codes of the flags that apply (``late``, ``overdue``, ``target-moved``), its own and its milestones'."""
    flag_details: tuple[Flag, ...]
    """Each flag with the message that explains it."""
    levels: tuple[str, ...] = ()
    """Every level it belongs to (``level`` is the first); it counts in each of their scores."""


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


class UnitMilestone(_Result):
    """One unit's own milestone (evidence with ``unit:``): its latest status up to the period."""

    unit: str
    status: str
    status_label: str
    status_period: str
    score: float | None
    score_printed: str | None
    location: str
    """``path:line`` of the evidence of that status."""


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
    target: dt.date | None
    """The target date as the period's evidence leaves it: the catalog's ``due``, or the latest revision."""
    target_revisions: tuple[TargetRevision, ...]
    delivered: dt.date | None
    """The date of the first status that means delivered, up to the period; None while not delivered."""
    flags: tuple[FlagCode, ...]
    """Codes of the flags that apply: ``late``, ``overdue``, ``target-moved``."""
    flag_details: tuple[Flag, ...]
    """The national (whole-programme) evidence; each unit's own is in ``units``."""
    units: tuple[UnitMilestone, ...] = ()
    """Each unit's own status, for a milestone evidenced per unit; its score is then theirs combined."""
    units_rule: str | None = None
    """How the units' scores make the milestone's score (the roll-up rule of its recommendation's level)."""


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


class UnitNumber(_Result):
    """One unit's own number (values with ``unit:``): its way from its baseline towards the target."""

    unit: str
    baseline: NumericValue | None
    """The unit's value in the catalog baseline's period, else its earliest value."""
    latest: NumericValue | None
    """Its latest value after the baseline, up to the period; None when there is none yet."""
    share_of_way: float | None
    share_of_way_printed: str | None
    status: ProgressStatus
    on_course: bool | None
    score: float | None
    score_printed: str | None
    location: str | None
    """``path:line`` of the latest value's evidence."""


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
    """The national values (without ``unit:``); each unit's own are in ``units``."""
    units: tuple[UnitNumber, ...] = ()
    """Each unit's own progress, for a number measured per unit; its score is then theirs combined."""
    units_rule: str | None = None
    """How the units' figures make the number's score: ``ratio-of-sums`` is Σ(latest − baseline) ÷
    Σ(target − baseline) over the units, anything else the mean of the units' scores."""
    units_share_of_way: float | None = None
    units_share_of_way_printed: str | None = None
    units_on_course: int | None = None
    """Units on course (target met or on track) of those assessed."""
    units_assessed: int | None = None
    score: float | None = None
    """The number's score in roll-ups: from its units when measured per unit, else its share of the way."""
    score_printed: str | None = None


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
    dropped: tuple[str, ...]
    not_comparable: tuple[str, ...]


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


class SeriesPoint(_Result):
    """One period's figure in a series."""

    period: str
    id: str
    """The question (or indicator, recommendation) id in that period: crosswalked questions change id."""
    basis: Basis | None
    base: int | None
    score: float | None
    score_printed: str | None
    se: float | None


class SeriesTrend(_Result):
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


class ScoreSeries(_Result):
    """A question's, indicator's or recommendation's figure in every period with evidence, through the crosswalk."""

    id: str
    """The id in the latest period."""
    label: str
    kind: Literal["question", "indicator", "recommendation"]
    points: tuple[SeriesPoint, ...]
    breaks: tuple[str, ...]
    """Where the series breaks: "2020→2021: <note>" for each pair that is not like-for-like."""
    trend: SeriesTrend


class Series(_Result):
    """Every period with evidence up to the scored one, and each figure's series over them."""

    periods: tuple[str, ...]
    questions: tuple[ScoreSeries, ...]
    indicators: tuple[ScoreSeries, ...]
    recommendations: tuple[ScoreSeries, ...]


class BreakdownOption(_Result):
    """One answer's count in one group, as published under the disclosure policy."""

    id: str
    label: str
    count: int | None
    """None when suppressed (``suppressed`` names the rule); rounded when the policy rounds."""
    percent: float | None
    """Of the group's published base, from the published count; None when either is withheld."""
    printed: int | None
    interval: Interval | None
    """Wilson's 95% interval of the published share."""
    suppressed: str | None = None
    """The disclosure rule that withheld the count: ``primary``, ``secondary-row``, ``secondary-column`` or
    ``secondary-linked``; None when published."""


class BreakdownGroup(_Result):
    """The answers of one group (a region, a partnership...) to one question."""

    unit: str | None
    """The group's unit id; None for the respondents under no unit of that kind."""
    name: str
    base: int | None
    """The group's respondents who answered; None when suppressed."""
    base_suppressed: str | None = None
    options: tuple[BreakdownOption, ...]
    score: float | None
    """The mean score of the published counts; None when a scored count is withheld, or unscored."""
    score_printed: str | None


class Breakdown(_Result):
    """One question's answers by one kind of unit above its respondents (by region...)."""

    question: str
    label: str
    by: str
    """The kind of unit grouped by."""
    by_label: str
    groups: tuple[BreakdownGroup, ...]


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


# -- a profile for one unit -----------------------------------------------------------------------

BenchmarkComparison = Literal["better", "similar", "worse", "higher", "lower", "not compared"]
"""A figure against its benchmark (national): ``similar`` when the benchmark lies inside the figure's
interval, else ``better`` or ``worse`` by the polarity (``higher`` or ``lower`` when it has none)."""


class ProfileShare(_Result):
    """A share compared with a benchmark: its published count and base, with its 95% and 99.8% intervals."""

    count: int | None
    base: int | None
    percent: float | None
    printed: int | None
    interval: Interval | None
    interval_998: Interval | None
    suppressed: str | None = None
    """The disclosure rule that withheld a count it is made of; None when published."""


class Spine(_Result):
    """A spine chart's figures: the spread of the units' scores, the national figure and the unit's own."""

    worst: float
    q25: float
    national: float | None
    q75: float
    best: float
    unit: float | None
    low_is_good: bool
    """Whether low scores are good (the chart is then drawn the other way round, best on the right)."""


class Benchmark(_Result):
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


class ProfileAnswer(_Result):
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


class ProfileRecommendation(_Result):
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


class ProfileMilestone(_Result):
    indicator: str
    label: str
    unit: UnitMilestone | None
    national_status: str | None
    national_printed: str | None


class ProfileNumber(_Result):
    indicator: str
    label: str
    unit: UnitNumber | None
    national_share_printed: str | None
    national_printed: str | None


class UnitProfile(_Result):
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
