"""Indicators: questions on a scale (single or grids), milestones, and numbers with targets."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from recotrack.model._base import Id, Model, Period, Text, slugify
from recotrack.model.review import SourceRef
from recotrack.model.scales import Scale

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

    indicator: Id
    in_: tuple[str, ...] = Field(alias="in", min_length=1)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class GridItem(Model):
    """One row of a question grid, answered on its own; its id is ``<question>/<slug>``."""

    label: Text

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


class ScaleIndicator(_IndicatorBase):
    """A question answered on a scale, optionally as a grid of items and optionally conditional."""

    kind: Literal["scale"] = "scale"
    scale: Id
    stem: str | None = None
    items: tuple[GridItem, ...] = ()
    applies_when: Condition | None = None
    other: OtherEntries | None = None

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


Indicator = Annotated[ScaleIndicator | MilestoneIndicator | NumericIndicator, Field(discriminator="kind")]


class Question(BaseModel):
    """Something a unit answers on a scale: a whole scale indicator, or one item of a grid."""

    model_config = ConfigDict(frozen=True)

    id: str
    indicator: ScaleIndicator
    scale: Scale
    item: GridItem | None = None

    @property
    def label(self) -> str:
        return self.item.label if self.item else self.indicator.text
