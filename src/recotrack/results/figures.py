"""A period's figures: distributions, the response, and indicator, recommendation and group scores."""

from __future__ import annotations

from typing import Literal

from recotrack.model import OptionRole, RecommendationKind, normalise_label
from recotrack.results._base import Flag, FlagCode, Interval, Result, Share
from recotrack.results.lifecycle import Lifecycle

__all__ = [
    "Breakdown",
    "BreakdownGroup",
    "BreakdownOption",
    "Distribution",
    "GroupScore",
    "IndicatorScore",
    "OptionCount",
    "OtherEntryCount",
    "RecommendationScore",
    "RegionResponse",
    "ResponseGroup",
    "ResponseSummary",
]


class OptionCount(Result):
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


class Distribution(Result):
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


class OtherEntryCount(Result):
    """How many units named one free-text 'other' entry of a question (e.g. an 'Others:' table row)."""

    indicator: str
    label: str
    text: str
    count: int
    base: int | None
    percent: float | None
    printed: int | None


class RegionResponse(Result):
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


class ResponseGroup(Result):
    """The response by one kind of unit above the invited ones (by region, by partnership...)."""

    kind: str
    kind_label: str
    rows: tuple[RegionResponse, ...]


class ResponseSummary(Result):
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


class IndicatorScore(Result):
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


class RecommendationScore(Result):
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


class GroupScore(Result):
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


class BreakdownOption(Result):
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


class BreakdownGroup(Result):
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


class Breakdown(Result):
    """One question's answers by one kind of unit above its respondents (by region...)."""

    question: str
    label: str
    by: str
    """The kind of unit grouped by."""
    by_label: str
    groups: tuple[BreakdownGroup, ...]
