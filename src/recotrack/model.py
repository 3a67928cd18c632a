"""The recommendation catalog and the reporting units, as typed, immutable pydantic models.

These models describe *what is tracked*. They validate one object at a time; checks that span the
whole catalog (unknown references, duplicates, cycles) live in :mod:`recotrack.checks` so that
every problem can be reported together, with the line it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from recotrack.periods import PERIOD_MAX_LENGTH, PERIOD_PATTERN, period_problem

__all__ = [
    "DEFAULT_BANDS",
    "DEFAULT_PROGRESS",
    "DEFAULT_ROLLUP",
    "Band",
    "Catalog",
    "Condition",
    "Direction",
    "Document",
    "FlagThresholds",
    "GridItem",
    "Indicator",
    "Invitation",
    "Level",
    "MethodSettings",
    "MilestoneIndicator",
    "Numeric",
    "NumericIndicator",
    "Option",
    "OptionRole",
    "OtherEntries",
    "ProgressThresholds",
    "Question",
    "Recommendation",
    "RecommendationKind",
    "Review",
    "Scale",
    "ScaleIndicator",
    "SourceRef",
    "Target",
    "Theme",
    "Unit",
    "UnitKind",
    "Units",
    "band_of",
    "decimal_reading",
    "normalise_label",
    "slugify",
]

Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"),
]
"""An identifier: letters, digits, '.', '_' and '-', starting with a letter or digit."""


def _check_period(value: str) -> str:
    problem = period_problem(value)
    if problem is not None:
        message, expected = problem
        raise PydanticCustomError("invalid_period", message, {"expected": expected})
    return value


Period = Annotated[
    str,
    AfterValidator(_check_period),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": PERIOD_MAX_LENGTH, "pattern": PERIOD_PATTERN}),
]
"""A reporting period as the tracker names it, such as ``"2019"`` or ``"2019-20"`` (see :mod:`recotrack.periods`)."""

Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]

_SLUG_SEPARATORS = re.compile(r"[^a-z0-9]+")


def slugify(label: str) -> str:
    """The id part of a grid item: lower case, each run of other characters as one '-', trimmed."""
    return _SLUG_SEPARATORS.sub("-", label.lower()).strip("-")


def normalise_label(text: str) -> str:
    """How option labels are compared: case-, space- and apostrophe-style-insensitively."""
    return "".join(text.replace("\u2019", "'").replace("\u2018", "'").casefold().split())


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def reject_control_characters(value: object) -> object:
    """Refuse terminal control characters (e.g. ESC) in any text: they could rewrite a reader's terminal."""
    texts: list[object]
    if isinstance(value, dict):
        texts = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple):
        texts = list(value)
    else:
        texts = [value]
    for text in texts:
        if isinstance(text, str) and (found := _CONTROL.search(text)):
            raise ValueError(f"text contains the control character {found.group()!r}; remove it")
        if isinstance(text, list | tuple):
            reject_control_characters(text)
    return value


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    _no_control_characters = field_validator("*", mode="after")(reject_control_characters)


class SourceRef(_Model):
    """Where something is written in the source documents."""

    document: Id
    section: str | None = None
    page: int | None = Field(default=None, ge=1)


class Document(_Model):
    """A source document of the review or of its follow-up."""

    id: Id
    title: Text
    published: dt.date | Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2})?$")] | None = None
    file: str | None = None
    url: str | None = None


class Review(_Model):
    """The review whose recommendations are tracked."""

    id: Id
    title: Text
    publisher: Text
    published: dt.date | Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2})?$")]
    documents: tuple[Document, ...] = ()


class Level(_Model):
    """A level at which recommendations are made; the catalog declares them in order, top first."""

    id: Id
    label: Text


class Theme(_Model):
    id: Id
    label: Text


class RecommendationKind(StrEnum):
    RECOMMENDATION = "recommendation"
    COMMITMENT = "commitment"
    """An action the reviewing body committed to take itself."""


class Recommendation(_Model):
    """An action asked of named owners, at a level, in the review's own words."""

    id: Id
    kind: RecommendationKind = RecommendationKind.RECOMMENDATION
    level: Id
    owners: tuple[Text, ...] = Field(min_length=1)
    title: Text
    text: Text
    theme: Id | None = None
    source: SourceRef | None = None
    parent: Id | None = None


class OptionRole(StrEnum):
    """What an answer option means for scoring."""

    SUBSTANTIVE = "substantive"
    DONT_KNOW = "dont_know"
    NOT_APPLICABLE = "not_applicable"


class Option(_Model):
    """One answer option of a scale, with the label as printed and its score."""

    id: Id
    label: Text
    score: float | None = Field(default=None, ge=0, le=1, allow_inf_nan=False)
    role: OptionRole = OptionRole.SUBSTANTIVE


class Scale(_Model):
    """A set of answer options declared once and shared by many questions."""

    id: Id
    label: str | None = None
    options: tuple[Option, ...] = Field(min_length=1)

    @cached_property
    def _lookup(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for option in self.options:
            table.setdefault(normalise_label(option.id), option.id)
        for option in self.options:
            table.setdefault(normalise_label(option.label), option.id)
        return table

    def resolve(self, answer: str) -> str | None:
        """The option id that ``answer`` names (by id or printed label), or None."""
        return self._lookup.get(normalise_label(answer))

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)


class Condition(_Model):
    """A question applies only where another indicator was answered with one of these options."""

    indicator: Id
    in_: tuple[str, ...] = Field(alias="in", min_length=1)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class GridItem(_Model):
    """One row of a question grid, answered on its own; its id is ``<question>/<slug>``."""

    label: Text

    @property
    def slug(self) -> str:
        return slugify(self.label)


class OtherEntries(_Model):
    """A question that also takes free-text 'other' entries (e.g. 'Others:' rows of a table)."""

    label: Text = "Other"


class _IndicatorBase(_Model):
    id: Id
    measures: tuple[Id, ...] = Field(min_length=1)
    text: Text
    section: str | None = None
    weight: float = Field(default=1.0, gt=0, allow_inf_nan=False)
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


class Numeric(_Model):
    value: float = Field(allow_inf_nan=False)
    period: Period


class Target(_Model):
    value: float = Field(allow_inf_nan=False)
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


class Band(_Model):
    """A status band for scores (such as red, amber, green): scores from ``min_score`` up to the next band."""

    id: Id
    label: Text
    min_score: float = Field(ge=0, le=1, allow_inf_nan=False)


DEFAULT_BANDS: tuple[Band, ...] = (
    Band(id="red", label="Red", min_score=0),
    Band(id="amber", label="Amber", min_score=0.5),
    Band(id="green", label="Green", min_score=0.75),
)
"""Bands used when the catalog sets none: 0.5 is "sometimes" on average, 0.75 halfway from there to "always"."""


def decimal_reading(value: float) -> Decimal:
    """The decimal a computed float stands for: 12 significant digits drop noise such as 0.7449999999999999.

    Bands, printed figures and thresholds all compare this reading, so a score and its printed form
    can never fall on different sides of a threshold.
    """
    return Decimal(f"{value:.12g}")


def band_of(score: float | None, bands: Sequence[Band]) -> Band | None:
    """The band a score falls in: the one with the highest ``min_score`` it reaches (None below them all)."""
    if score is None:
        return None
    reading = decimal_reading(score)
    found: Band | None = None
    for band in bands:
        if reading >= decimal_reading(band.min_score) and (found is None or band.min_score > found.min_score):
            found = band
    return found


Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class FlagThresholds(_Model):
    """When a figure is flagged for a second look."""

    dont_know: Share = 0.1
    """Share of a question's base answering "don't know" from which it is flagged."""
    not_applicable: Share = 0.1
    """Share of a question's base answering "not applicable" (where it applied) from which it is flagged."""
    low_response_rate: Share = 0.5
    """Response rate below which a period is flagged."""
    min_base: int = Field(default=1, ge=1, le=1_000_000_000)
    """Smallest base at which a share flag is raised: at a base of 5, one answer is already 20%."""


class ProgressThresholds(_Model):
    """Observed ÷ required rate thresholds of a number's progress towards its target."""

    on_track: float = Field(default=0.95, gt=0, le=1_000, allow_inf_nan=False)
    some_progress: float = Field(default=0.6, ge=0, le=1_000, allow_inf_nan=False)


DEFAULT_ROLLUP = "ratio-of-sums"
"""Each indicator's score is a ratio of sums over the answers; a group's is their weighted mean."""
DEFAULT_PROGRESS = "sdg"
"""The SDG progress assessment (Statistics Canada / Open SDG, after Eurostat)."""


class MethodSettings(_Model):
    """The catalog's choices of method (``method:``); everything has a documented default."""

    rollup: Id = DEFAULT_ROLLUP
    """The roll-up rule of every level that ``levels`` does not name."""
    levels: dict[str, Id] = Field(default_factory=dict)
    """Level id → its roll-up rule."""
    progress: Id = DEFAULT_PROGRESS
    """How numbers are judged against their targets."""
    progress_thresholds: ProgressThresholds = ProgressThresholds()
    flags: FlagThresholds = FlagThresholds()


class Catalog(_Model):
    """Everything a review asks for and how its implementation is measured."""

    review: Review
    levels: tuple[Level, ...] = Field(min_length=1)
    themes: tuple[Theme, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    scales: tuple[Scale, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    bands: tuple[Band, ...] = DEFAULT_BANDS
    """Status bands for scores, in any order; see docs/methodology.md for the defaults and why."""
    method: MethodSettings = MethodSettings()
    """How figures are rolled up, judged and flagged; see docs/methodology.md."""

    @cached_property
    def _by_id(self) -> dict[str, dict[str, object]]:
        return {
            "level": {x.id: x for x in self.levels},
            "theme": {x.id: x for x in self.themes},
            "recommendation": {x.id: x for x in self.recommendations},
            "scale": {x.id: x for x in self.scales},
            "indicator": {x.id: x for x in self.indicators},
        }

    def recommendation(self, recommendation_id: str) -> Recommendation:
        return self._by_id["recommendation"][recommendation_id]  # type: ignore[return-value]

    def scale(self, scale_id: str) -> Scale:
        return self._by_id["scale"][scale_id]  # type: ignore[return-value]

    def indicator(self, indicator_id: str) -> ScaleIndicator | MilestoneIndicator | NumericIndicator:
        return self._by_id["indicator"][indicator_id]  # type: ignore[return-value]

    @cached_property
    def questions(self) -> dict[str, Question]:
        """Every answerable id (scale indicators and grid items) in catalog order."""
        found: dict[str, Question] = {}
        scales = self._by_id["scale"]
        for indicator in self.indicators:
            if not isinstance(indicator, ScaleIndicator) or indicator.scale not in scales:
                continue
            scale = scales[indicator.scale]
            assert isinstance(scale, Scale)
            if indicator.items:
                for item in indicator.items:
                    found.setdefault(
                        f"{indicator.id}/{item.slug}",
                        Question(id=f"{indicator.id}/{item.slug}", indicator=indicator, scale=scale, item=item),
                    )
            else:
                found.setdefault(indicator.id, Question(id=indicator.id, indicator=indicator, scale=scale))
        return found

    def children(self, recommendation_id: str) -> tuple[Recommendation, ...]:
        return tuple(r for r in self.recommendations if r.parent == recommendation_id)

    def indicators_for(self, recommendation_id: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if recommendation_id in i.measures)


class UnitKind(_Model):
    id: Id
    label: Text


class Unit(_Model):
    """Who sends evidence: a board, a region, a national body."""

    id: Id
    name: Text
    kind: Id
    parent: Id | None = None


class Invitation(_Model):
    """The units invited to report for a period: every unit of a kind, or a list."""

    period: Period
    kind: Id | None = None
    units: tuple[Id, ...] = ()


class Units(_Model):
    """The reporting units and, per period, who was invited to report."""

    kinds: tuple[UnitKind, ...] = ()
    units: tuple[Unit, ...] = ()
    invited: tuple[Invitation, ...] = ()

    @cached_property
    def by_id(self) -> dict[str, Unit]:
        return {unit.id: unit for unit in self.units}

    def invited_in(self, period: str) -> tuple[str, ...]:
        """Ids of the units invited to report for ``period`` (empty when none declared)."""
        chosen: dict[str, None] = {}
        for invitation in self.invited:
            if invitation.period != period:
                continue
            if invitation.kind is not None:
                chosen.update((u.id, None) for u in self.units if u.kind == invitation.kind)
            chosen.update((unit_id, None) for unit_id in invitation.units)
        return tuple(chosen)
