"""Milestones and numbers: a milestone's status as at a period, and a number's way towards its target."""

from __future__ import annotations

import re
from collections.abc import Sequence

from recotrack import display
from recotrack.evidence.model import Evidence, ValueRecord
from recotrack.method import Method
from recotrack.model import Catalog, MilestoneIndicator, NumericIndicator, OptionRole, Review
from recotrack.periods import order_key
from recotrack.results import MilestoneEntry, MilestoneStatus, NumericProgress, NumericValue, ProgressStatus
from recotrack.scoring.methods import ProgressInput, ProgressMethod

__all__ = ["milestone_status", "numeric_progress", "period_year", "progress_score"]

_YEAR = re.compile(r"\d{4}")


def document_title(review: Review, document_id: str | None) -> str | None:
    """A source document's title, so that readers see 'Joint inspection report', not its id."""
    if document_id is None:
        return None
    return next((d.title for d in review.documents if d.id == document_id), document_id)


def milestone_status(
    catalog: Catalog, evidence: Evidence, indicator: MilestoneIndicator, period: str, method: Method
) -> MilestoneStatus:
    """The latest evidenced status up to the period (carried forward), and every status before it."""
    scale = catalog.scale(indicator.statuses)
    when = order_key(evidence.period_order)
    records = sorted(
        (m for m in evidence.milestones if m.indicator == indicator.id and when(m.period) <= when(period)),
        key=lambda m: (when(m.period), m.date is not None, m.date),
    )
    history = []
    for record in records:
        option_id = scale.resolve(record.status) or record.status
        label = scale.option(option_id).label if option_id in scale.option_ids else record.status
        history.append(
            MilestoneEntry(
                period=record.period,
                status=option_id,
                status_label=label,
                date=record.date,
                document=record.source,
                document_title=document_title(catalog.review, record.source),
                note=record.note,
                location=str(record.location),
            )
        )
    latest = history[-1] if history else None
    value = None
    if latest is not None and latest.status in scale.option_ids:
        option = scale.option(latest.status)
        value = option.score if option.role is OptionRole.SUBSTANTIVE else None
    return MilestoneStatus(
        indicator=indicator.id,
        label=indicator.text,
        measures=indicator.measures,
        due=indicator.due,
        status=latest.status if latest else None,
        status_label=latest.status_label if latest else None,
        status_period=latest.period if latest else None,
        score=value,
        score_printed=display.score(value, method.bands),
        history=tuple(history),
    )


def period_year(period: str) -> int | None:
    """A period's year for rates: its first year ("2016-17" is 2016), as Open SDG reads reference periods."""
    found = _YEAR.search(period)
    return int(found.group()) if found else None


def numeric_progress(
    catalog: Catalog,
    values: Sequence[ValueRecord],
    indicator: NumericIndicator,
    period: str,
    method: Method,
    assessor: ProgressMethod,
    order: Sequence[str] = (),
) -> NumericProgress:
    """A number's progress up to ``period``; ``order`` is the tracker's periods in time order (default: by name)."""
    when = order_key(order)
    observed = sorted(
        (v for v in values if v.indicator == indicator.id and when(v.period) <= when(period)),
        key=lambda v: when(v.period),
    )
    history = tuple(
        NumericValue(
            period=v.period,
            value=v.value,
            value_printed=display.number(v.value, indicator.unit),
            document=v.source,
            document_title=document_title(catalog.review, v.source),
            note=v.note,
        )
        for v in observed
    )
    baseline = (
        NumericValue(
            period=indicator.baseline.period,
            value=indicator.baseline.value,
            value_printed=display.number(indicator.baseline.value, indicator.unit),
            document=None,
            document_title=None,
            note=None,
        )
        if indicator.baseline is not None
        else (history[0] if len(history) > 1 else None)
    )
    latest = history[-1] if history else None
    target = indicator.target
    share = None
    if baseline is not None and latest is not None and target is not None and target.value != baseline.value:
        share = (latest.value - baseline.value) / (target.value - baseline.value)
    assessed = assessor.assess(ProgressInput(indicator, baseline, latest), method)
    return NumericProgress(
        indicator=indicator.id,
        label=indicator.text,
        unit=indicator.unit,
        direction=indicator.direction,
        measures=indicator.measures,
        baseline=baseline,
        latest=latest,
        target_value=target.value if target else None,
        target_printed=display.number(target.value, indicator.unit) if target else None,
        target_date=target.date if target else None,
        share_of_way=share,
        share_of_way_printed=display.percent(display.whole(100 * share)) if share is not None else None,
        method=assessed.method,
        observed_rate=assessed.observed,
        required_rate=assessed.required,
        ratio=assessed.ratio,
        status=assessed.status,
        on_course=_ON_COURSE.get(assessed.status),
        history=history,
    )


_ON_COURSE = {
    ProgressStatus.TARGET_MET: True,
    ProgressStatus.ON_TRACK: True,
    ProgressStatus.ACCELERATION_NEEDED: False,
    ProgressStatus.LIMITED_PROGRESS: False,
    ProgressStatus.DETERIORATION: False,
    ProgressStatus.TARGET_MISSED: False,
}


def progress_score(progress: NumericProgress) -> float | None:
    """A number's score for roll-ups: its share of the way to the target, kept within 0 to 1."""
    if progress.status is ProgressStatus.TARGET_MET:
        return 1.0
    if progress.share_of_way is None:
        return None
    return min(1.0, max(0.0, progress.share_of_way))
