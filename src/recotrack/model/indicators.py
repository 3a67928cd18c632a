"""Indicators: questions on a scale (single or grids), milestones, and numbers with targets."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from recotrack.model._base import Id, IdList, Model, Period, QuestionId, Text, slugify
from recotrack.model.review import SourceRef
from recotrack.model.scales import Polarity, Scale

__all__ = [
    "MAX_MAGNITUDE",
    "MAX_WEIGHT",
    "Condition",
    "Direction",
    "GridItem",
    "Indicator",
    "MilestoneIndicator",
    "Numeric",
    "NumericIndicator",
    "OtherEntries",
    "Question",
    "ScaleIndicator",
    "Section",
    "Target",
]


MAX_WEIGHT = 1e6
"""The largest weight of an indicator: a million times another is more than any method needs, and keeps
every weighted sum finite."""
MAX_MAGNITUDE = 1e15
"""The largest magnitude of a baseline, target or value: above any count of staff, money or days, and
small enough that every rate worked out from them stays finite."""


class Condition(Model):
    """A question applies only where another indicator was answered with one of these options."""

    indicator: QuestionId
    """A scale question, or one grid item (``<question>/<item slug>``)."""
    in_: tuple[str, ...] = Field(alias="in", min_length=1)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Section(Model):
    """A section of the questionnaire, by the title its indicators give as ``section:``, asked of some kinds."""

    title: Text
    asked_of: IdList = ()
    """The unit kinds its indicators are asked of, unless an indicator says otherwise."""


class GridItem(Model):
    """One row of a question grid, answered on its own; its id is ``<question>/<slug>``."""

    label: Text
    applies_when: Condition | None = None
    """The item applies only where this condition holds (as well as any condition of its question)."""

    @property
    def slug(self) -> str:
        return slugify(self.label)


class OtherEntries(Model):
    """A question that also takes free-text 'other' entries (e.g. 'Others:' rows of a table)."""

    label: Text = "Other"


class _IndicatorBase(Model):
    id: Id
    measures: tuple[Id, ...] = Field(min_length=1)
    text: Text
    section: str | None = None
    weight: float = Field(default=1.0, gt=0, le=MAX_WEIGHT, allow_inf_nan=False)
    source: SourceRef | None = None
    withdrawn: Text | None = None
    """Why figures for this indicator are withheld; None while it is in use."""
    asked_of: IdList = ()
    """The unit kinds that are asked (its audience); empty: every unit invited for the period."""
    polarity: Polarity | None = None
    """Which way is better when compared with a benchmark; None: the scale's, else high is good (numbers:
    the direction of progress)."""


class ScaleIndicator(_IndicatorBase):
    """A question answered on a scale, optionally as a grid of items and optionally conditional."""

    kind: Literal["scale"] = "scale"
    scale: Id
    stem: str | None = None
    items: tuple[GridItem, ...] = ()
    applies_when: Condition | None = None
    other: OtherEntries | None = None
    periods: tuple[Period, ...] = ()
    """The periods in which the question was asked; empty for every period."""

    def asked_in(self, period: str) -> bool:
        return not self.periods or period in self.periods

    scored: bool = True
    """False for a routing question: its answers are counted and shown, but it has no score and no
    "not applicable" flag (its "not applicable" answers are routing, not a problem)."""

    @field_validator("items", mode="before", json_schema_input_type=list[GridItem | str])
    @classmethod
    def _labels_as_items(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            return [{"label": item} if isinstance(item, str) else item for item in value]
        return value


class MilestoneIndicator(_IndicatorBase):
    """An expected deliverable whose status is evidenced over time."""

    kind: Literal["milestone"] = "milestone"
    statuses: Id
    """The scale that holds the status taxonomy (not started, in progress, delivered, ...)."""
    due: dt.date | None = None
    """The target date the review set; revisions come with the evidence (``lifecycle:``)."""
    done: tuple[Id, ...] = ()
    """The statuses that mean delivered; empty for those of the scale's options that score 1."""


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class Numeric(Model):
    value: float = Field(allow_inf_nan=False, ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)
    period: Period


class Target(Model):
    value: float = Field(allow_inf_nan=False, ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)
    date: dt.date


class NumericIndicator(_IndicatorBase):
    """A number with a baseline, a target and the direction that counts as progress."""

    kind: Literal["numeric"] = "numeric"
    unit: Text
    baseline: Numeric | None = None
    target: Target | None = None
    direction: Direction = Direction.INCREASE

    @property
    def effective_polarity(self) -> Polarity:
        """The declared polarity, else the direction of progress: an increase is good, or a decrease."""
        if self.polarity is not None:
            return self.polarity
        return Polarity.HIGH_IS_GOOD if self.direction is Direction.INCREASE else Polarity.LOW_IS_GOOD


Indicator = Annotated[ScaleIndicator | MilestoneIndicator | NumericIndicator, Field(discriminator="kind")]


class Question(BaseModel):
    """Something a unit answers on a scale: a whole scale indicator, or one item of a grid."""

    model_config = ConfigDict(frozen=True)

    id: str
    indicator: ScaleIndicator
    scale: Scale
    item: GridItem | None = None
    asked_of: tuple[str, ...] = ()
    """The unit kinds asked: the indicator's ``asked_of``, else its catalog section's (see ``Catalog.sections``)."""

    @property
    def label(self) -> str:
        return self.item.label if self.item else self.indicator.text

    @property
    def conditions(self) -> tuple[Condition, ...]:
        """Every condition for the question to apply: its indicator's, and its grid item's own."""
        found = []
        if self.indicator.applies_when is not None:
            found.append(self.indicator.applies_when)
        if self.item is not None and self.item.applies_when is not None:
            found.append(self.item.applies_when)
        return tuple(found)

    @property
    def audience(self) -> tuple[str, ...]:
        """The unit kinds asked the question; empty: every unit invited."""
        return self.asked_of or self.indicator.asked_of

    @property
    def scored(self) -> bool:
        return self.indicator.scored

    @property
    def polarity(self) -> Polarity:
        """Which way is better: the indicator's, else the scale's, else high is good when scored."""
        found = self.indicator.polarity or self.scale.polarity
        if found is not None:
            return found
        return Polarity.HIGH_IS_GOOD if self.scale.scored and self.scored else Polarity.NONE
