"""The YAML evidence file format, as pydantic models (also the source of its JSON Schema).

Answers themselves are checked against the catalog by the evidence builder, which knows the
scales; these models check the shape of everything around them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from recotrack.model import Id, Period, SourceRef, Text, reject_control_characters
from recotrack.model.indicators import MAX_MAGNITUDE

AnswerValue = str | int | float | bool | None


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    _no_control_characters = field_validator("*", mode="after")(reject_control_characters)


class ReturnEntry(_File):
    """One unit's answers for one period."""

    unit: Id
    period: Period | None = None
    """The return's period; when left out, the period the catalog's ``evidence:`` manifest gives its file."""
    completed_by: str | None = None
    submitted: dt.date | None = None
    supersedes: bool = False
    """True when this return replaces an earlier one for the same unit and period."""
    synthetic: bool = False
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    other: dict[str, list[Text]] = Field(default_factory=dict)
    comments: dict[str, Text] = Field(default_factory=dict)


MAX_COUNT = 1_000_000_000
"""The largest count, base or number of respondents a tally may give: far above any population, and
small enough that every figure computed from it is exact and finite."""

Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Percent = Annotated[int, Field(ge=0, le=100)] | Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
"""A percentage as printed: a whole number, or a number with one decimal (``24.6``)."""


class TallyEntry(_File):
    base: Count | None = None
    counts: dict[str, Annotated[int, Field(le=MAX_COUNT)]] = Field(default_factory=dict)
    """Counts per option (by id or label); negative ones are reported by the tally rule, with the option."""
    printed: dict[str, Percent] = Field(default_factory=dict)
    """Percentages per option exactly as printed; for an option without a count, the count is derived from it."""
    withheld: bool = False


class OtherTallyEntry(_File):
    count: Count
    printed: Percent | None = None


class TalliesEntry(_File):
    """Published counts for a period whose per-unit returns are not available."""

    period: Period
    source: SourceRef | None = None
    respondents: Count | None = None
    indicators: dict[str, TallyEntry] = Field(default_factory=dict)
    others: dict[str, dict[str, OtherTallyEntry]] = Field(default_factory=dict)


class MilestoneEntry(_File):
    indicator: Id
    unit: Id | None = None
    """The unit whose milestone this is; none for a milestone of the whole (national) programme."""
    period: Period
    status: str
    date: dt.date | None = None
    source: SourceRef | None = None
    note: str | None = None


class ValueEntry(_File):
    indicator: Id
    unit: Id | None = None
    """The unit the value measures; none for a national figure."""
    period: Period
    value: float = Field(allow_inf_nan=False, ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)
    date: dt.date | None = None
    source: SourceRef | None = None
    note: str | None = None


class LifecycleEntry(_File):
    """A dated statement about a recommendation or milestone: its response, its implementation, its target."""

    recommendation: Id | None = None
    indicator: Id | None = None
    """A milestone indicator, for a revision of its target date (instead of ``recommendation``)."""
    period: Period
    date: dt.date
    """When the statement was made: the response given, the assessment made, the target set."""
    response: str | None = None
    implementation: str | None = None
    assessed_by: Literal["self", "independent"] = "self"
    """Who rated ``implementation``: the body itself, or an independent assessor."""
    target: dt.date | None = None
    """A target date set or revised on ``date``; needs a ``reason``."""
    reason: Text | None = None
    superseded_by: Id | None = None
    """The recommendation that replaces this one."""
    closed: Text | None = None
    """Why the recommendation is closed (no further follow-up)."""
    source: SourceRef | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> LifecycleEntry:
        if (self.recommendation is None) == (self.indicator is None):
            raise ValueError("give exactly one of `recommendation` or `indicator`")
        if self.indicator is not None and (self.response or self.implementation or self.superseded_by or self.closed):
            raise ValueError(
                "a milestone (`indicator`) takes only a `target` revision; its status is a milestone record"
            )
        if self.target is not None and self.reason is None:
            raise ValueError("a target date set or revised needs a `reason`")
        return self


class EvidenceFile(_File):
    """One YAML evidence file; it may hold any of these sections."""

    model_config = ConfigDict(title="recotrack evidence file")

    return_: ReturnEntry | None = Field(default=None, alias="return")
    returns: list[ReturnEntry] = Field(default_factory=list)
    tallies: TalliesEntry | None = None
    milestones: list[MilestoneEntry] = Field(default_factory=list)
    values: list[ValueEntry] = Field(default_factory=list)
    lifecycle: list[LifecycleEntry] = Field(default_factory=list)
    column_map: dict[str, str] = Field(default_factory=dict)
    """Printed question text (as a wide CSV's column header) → question id."""
