"""The review, its source documents, levels, themes and recommendations."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

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


class Recommendation(Model):
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
    due: dt.date | None = None
    """The target date the review set for it, if any; revisions come with the evidence (``lifecycle:``)."""
