"""Milestones and numbers: statuses with their history and flags, numbers on their way to a target."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from recotrack.model import Direction
from recotrack.results._base import Flag, FlagCode, Result
from recotrack.results.lifecycle import TargetRevision

__all__ = [
    "MilestoneEntry",
    "MilestoneStatus",
    "NumericProgress",
    "NumericValue",
    "ProgressStatus",
    "UnitMilestone",
    "UnitNumber",
]


class MilestoneEntry(Result):
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


class UnitMilestone(Result):
    """One unit's own milestone (evidence with ``unit:``): its latest status up to the period."""

    unit: str
    status: str
    status_label: str
    status_period: str
    score: float | None
    score_printed: str | None
    location: str
    """``path:line`` of the evidence of that status."""


class MilestoneStatus(Result):
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


class NumericValue(Result):
    period: str
    value: float
    value_printed: str
    document: str | None
    document_title: str | None
    note: str | None


class UnitNumber(Result):
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


class NumericProgress(Result):
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
