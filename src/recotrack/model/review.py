"""The review, its source documents, levels, themes and recommendations."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from recotrack.model._base import Id, Model, Text

__all__ = ["Document", "Level", "Recommendation", "RecommendationKind", "Review", "SourceRef", "Theme"]


class SourceRef(Model):
    """Where something is written in the source documents."""

    document: Id
    section: str | None = None
    page: int | None = Field(default=None, ge=1)


class Document(Model):
    """A source document of the review or of its follow-up."""

    id: Id
    title: Text
    published: dt.date | Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2})?$")] | None = None
    file: str | None = None
    url: str | None = None


class Review(Model):
    """The review whose recommendations are tracked."""

    id: Id
    title: Text
    publisher: Text
    published: dt.date | Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2})?$")]
    documents: tuple[Document, ...] = ()


class Level(Model):
    """A level at which recommendations are made; the catalog declares them in order, top first."""

    id: Id
    label: Text


class Theme(Model):
    id: Id
    label: Text


class RecommendationKind(StrEnum):
    RECOMMENDATION = "recommendation"
    COMMITMENT = "commitment"
    """An action the reviewing body committed to take itself."""


def _level_optional_in_schema(schema: dict[str, Any]) -> None:
    """``level`` may be left out when ``levels`` is given: the schema says so (the validator fills it in)."""
    required = schema.get("required")
    if isinstance(required, list) and "level" in required:
        required.remove("level")


class Recommendation(Model):
    """An action asked of named owners, at a level, in the review's own words."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, json_schema_extra=_level_optional_in_schema
    )

    id: Id
    kind: RecommendationKind = RecommendationKind.RECOMMENDATION
    level: Id
    """The level it is made at; with ``levels``, the first of them (its roll-up rule is that level's)."""
    levels: tuple[Id, ...] = ()
    """Every level it belongs to, where the review addresses it to more than one (``levels: [regional, local]``);
    filled in from ``level`` when only that is given."""
    owners: tuple[Text, ...] = Field(min_length=1)
    title: Text
    text: Text
    theme: Id | None = None
    source: SourceRef | None = None
    parent: Id | None = None
    due: dt.date | None = None
    """The target date the review set for it, if any; revisions come with the evidence (``lifecycle:``)."""

    @model_validator(mode="before")
    @classmethod
    def _level_or_levels(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        level, levels = data.get("level"), data.get("levels")
        if levels is None or levels == [] or levels == ():
            if level is None:
                raise PydanticCustomError(
                    "missing_level",
                    "a recommendation needs `level` (or `levels`, a list of the levels it belongs to)",
                )
            return {**data, "levels": [level]}
        if not isinstance(levels, list | tuple):
            return data
        if level is None:
            return {**data, "level": levels[0] if levels else None}
        if level not in levels:
            raise PydanticCustomError(
                "level_not_in_levels", "`level` must be one of `levels` (the first is the default)"
            )
        return data
