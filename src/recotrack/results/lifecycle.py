"""A recommendation's life apart from its indicators: responses, ratings, and target dates with revisions."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from recotrack.results._base import Result

__all__ = ["Lifecycle", "StatusEntry", "TargetRevision"]


class StatusEntry(Result):
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


class TargetRevision(Result):
    """A target date set or revised, with when, why and on whose word."""

    target: dt.date
    set_on: dt.date
    reason: str
    document: str | None
    document_title: str | None
    location: str
    printed: str
    """How every report writes it: "30 June 2022, set on 30 September 2021: the reason"."""


class Lifecycle(Result):
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
