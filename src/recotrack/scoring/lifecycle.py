"""Responses, implementation and target dates: a recommendation's or milestone's life, and whether it is late.

The response and the implementation status are kept apart from the indicators' scores, as the
recommendation trackers of audit bodies keep them; the self-assessed and the independent ratings are
kept apart from each other. A target date is the review's, until the evidence revises it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from recotrack import display
from recotrack.evidence.model import Evidence, LifecycleRecord
from recotrack.model import Catalog, MilestoneIndicator, Recommendation, Review, Scale
from recotrack.results import Flag, FlagCode, Lifecycle, MilestoneEntry, StatusEntry, TargetRevision

__all__ = [
    "Timeline",
    "done_statuses",
    "milestone_timeline",
    "period_end",
    "recommendation_lifecycle",
    "status_printed",
    "up_to",
]

_YEAR = re.compile(r"^\d{4}$")


def period_end(period: str) -> dt.date | None:
    """When a period ends, for what is overdue: the 31 December of a period named by its year."""
    return dt.date(int(period), 12, 31) if _YEAR.match(period) else None


def _title(review: Review, document: str | None) -> str | None:
    if document is None:
        return None
    return next((d.title for d in review.documents if d.id == document), document)


@dataclass(frozen=True)
class Timeline:
    """A target in force over time, and the delivery date: what the late, overdue and moved flags need."""

    due: dt.date | None
    """The review's own target date."""
    revisions: tuple[TargetRevision, ...]
    delivered: dt.date | None

    def target_on(self, day: dt.date) -> dt.date | None:
        """The target date in force on ``day``: the latest revision set by then, else the review's."""
        current = self.due
        for revision in self.revisions:
            if revision.set_on <= day:
                current = revision.target
        return current

    @property
    def latest_target(self) -> dt.date | None:
        """The target as the period's evidence leaves it: the last revision recorded up to the period."""
        return self.revisions[-1].target if self.revisions else self.due

    def flags(self, what: str, end: dt.date | None) -> list[Flag]:
        found: list[Flag] = []
        if self.delivered is not None:
            target = self.target_on(self.delivered)
            if target is not None and self.delivered > target:
                days = (self.delivered - target).days
                found.append(
                    Flag(
                        code=FlagCode.LATE,
                        message=f"{what} was delivered on {display.date(self.delivered)}, {days} days after its "
                        f"target date of {display.date(target)}",
                    )
                )
        elif end is not None:
            target = self.latest_target
            if target is not None and target < end:
                found.append(
                    Flag(
                        code=FlagCode.OVERDUE,
                        message=f"{what} was not delivered by the end of the period ({display.date(end)}); "
                        f"its target date was {display.date(target)}",
                    )
                )
        targets = [self.due, *(revision.target for revision in self.revisions)]
        moves = sum(1 for earlier, later in itertools.pairwise(targets) if earlier is not None and earlier != later)
        if moves:
            found.append(
                Flag(
                    code=FlagCode.TARGET_MOVED,
                    message=f"{what}'s target date was moved {moves} time{'s' if moves != 1 else ''}, "
                    f"to {display.date(self.latest_target)}",
                )
            )
        return found


def _revisions(review: Review, records: Iterable[LifecycleRecord]) -> tuple[TargetRevision, ...]:
    return tuple(
        TargetRevision(
            target=record.target,
            set_on=record.date,
            reason=record.reason or "",
            document=record.source,
            document_title=_title(review, record.source),
            location=str(record.location),
            printed=f"{display.date(record.target)}, set on {display.date(record.date)}: {record.reason or ''}",
        )
        for record in sorted(records, key=lambda r: (r.date, str(r.location)))
        if record.target is not None
    )


def up_to(period: str, periods: Sequence[str]) -> set[str]:
    """The periods up to and including ``period``, in the tracker's order."""
    return set(periods[: periods.index(period) + 1]) if period in periods else {period}


def _up_to(
    records: Iterable[LifecycleRecord], subject: str, milestone: bool, period: str, periods: Sequence[str]
) -> list[LifecycleRecord]:
    until = up_to(period, periods)
    return [r for r in records if r.subject == subject and r.milestone == milestone and r.period in until]


def done_statuses(catalog: Catalog, indicator: MilestoneIndicator) -> set[str]:
    """The statuses that mean delivered: the catalog's ``done``, else the top-scoring ones."""
    if indicator.done:
        return set(indicator.done)
    return _top_options(catalog.scale(indicator.statuses))


def _top_options(scale: Scale) -> set[str]:
    return {option.id for option in scale.options if option.score == 1}


def milestone_timeline(
    catalog: Catalog,
    evidence: Evidence,
    indicator: MilestoneIndicator,
    history: Sequence[MilestoneEntry],
    period: str,
    periods: Sequence[str],
) -> Timeline:
    done = done_statuses(catalog, indicator)
    delivered = next((entry.date for entry in history if entry.status in done and entry.date is not None), None)
    records = _up_to(evidence.lifecycle, indicator.id, True, period, periods)
    return Timeline(indicator.due, _revisions(catalog.review, records), delivered)


def _entry(catalog: Catalog, record: LifecycleRecord, scale: Scale, status: str, assessed: bool) -> StatusEntry:
    label = scale.option(status).label if status in scale.option_ids else status
    title = _title(catalog.review, record.source)
    return StatusEntry(
        period=record.period,
        status=status,
        status_label=label,
        assessed_by="independent" if assessed and record.assessed_by == "independent" else "self" if assessed else None,
        date=record.date,
        document=record.source,
        document_title=title,
        note=record.note,
        location=str(record.location),
        printed=status_printed(label, record.date, title),
    )


def status_printed(label: str, date: dt.date | None, document_title: str | None) -> str:
    """'Accepted, 1 March 2021 (Findings from a questionnaire…)': a statement as every report writes it."""
    when = f", {display.date(date)}" if date else ""
    return f"{label}{when}" + (f" ({document_title})" if document_title else "")


def recommendation_lifecycle(
    catalog: Catalog,
    evidence: Evidence,
    recommendation: Recommendation,
    period: str,
    periods: Sequence[str],
    milestone_flags: Sequence[Flag],
) -> tuple[Lifecycle, tuple[Flag, ...]]:
    """The recommendation's lifecycle as at the period, and its flags (with those of its milestones)."""
    records = sorted(
        _up_to(evidence.lifecycle, recommendation.id, False, period, periods), key=lambda r: (r.date, str(r.location))
    )
    responses, implementation = catalog.response_scale, catalog.implementation_scale
    history: list[StatusEntry] = []
    latest: dict[str, StatusEntry] = {}
    delivered: dt.date | None = None
    superseded_by = closed = None
    for record in records:
        if record.response is not None:
            history.append(entry := _entry(catalog, record, responses, record.response, assessed=False))
            latest["response"] = entry
        if record.implementation is not None:
            history.append(entry := _entry(catalog, record, implementation, record.implementation, assessed=True))
            latest[record.assessed_by] = entry
            if delivered is None and record.implementation in _top_options(implementation):
                delivered = record.date
        superseded_by = record.superseded_by or superseded_by
        closed = record.closed or closed
    timeline = Timeline(recommendation.due, _revisions(catalog.review, records), delivered)
    own = latest.get("self"), latest.get("independent")
    lifecycle = Lifecycle(
        response=latest.get("response"),
        self_assessed=own[0],
        independent=own[1],
        disagreement=own[0] is not None and own[1] is not None and own[0].status != own[1].status,
        target=timeline.latest_target,
        target_revisions=timeline.revisions,
        delivered=delivered,
        superseded_by=superseded_by,
        closed=closed,
        history=tuple(history),
    )
    flags = [*timeline.flags(recommendation.id, period_end(period)), *milestone_flags]
    return lifecycle, tuple(flags)
