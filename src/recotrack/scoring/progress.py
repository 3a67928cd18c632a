"""Milestones and numbers: a milestone's status as at a period, and a number's way towards its target."""

from __future__ import annotations

import re
from collections.abc import Sequence

from recotrack import display
from recotrack.evidence.model import Evidence, MilestoneRecord, ValueRecord
from recotrack.method import Method
from recotrack.model import Catalog, Indicator, MilestoneIndicator, NumericIndicator, OptionRole, Review, Scale
from recotrack.results import (
    MilestoneEntry,
    MilestoneStatus,
    NumericProgress,
    NumericValue,
    ProgressStatus,
    UnitMilestone,
    UnitNumber,
)
from recotrack.scoring.lifecycle import milestone_timeline, period_end, up_to
from recotrack.scoring.methods import ProgressInput, ProgressMethod

__all__ = ["milestone_status", "numeric_progress", "period_year", "progress_score", "unit_rule"]

_YEAR = re.compile(r"\d{4}")


def document_title(review: Review, document_id: str | None) -> str | None:
    """A source document's title, so that readers see 'Joint inspection report', not its id."""
    if document_id is None:
        return None
    return next((d.title for d in review.documents if d.id == document_id), document_id)


def unit_rule(catalog: Catalog, indicator: Indicator, method: Method) -> str:
    """The roll-up rule that combines an indicator's per-unit figures: its first recommendation's level's."""
    levels = {r.id: r.level for r in catalog.recommendations}
    level = levels.get(indicator.measures[0], catalog.levels[0].id) if indicator.measures else catalog.levels[0].id
    return method.rollup_of(level).method


def _combined(rule: str, scores: list[float]) -> float | None:
    return sum(scores) / len(scores) if scores else None


def _status_score(scale: Scale, status: str) -> float | None:
    if status not in scale.option_ids:
        return None
    option = scale.option(status)
    return option.score if option.role is OptionRole.SUBSTANTIVE else None


def milestone_status(
    catalog: Catalog,
    evidence: Evidence,
    indicator: MilestoneIndicator,
    period: str,
    periods: Sequence[str],
    method: Method,
) -> MilestoneStatus:
    """The latest evidenced status up to the period (carried forward), every status before it, and its flags.

    Records with a ``unit`` are each unit's own milestone: each unit's latest status is in ``units``
    and, when there are any, the milestone's score is theirs combined (a mean over the units with a
    status: a ratio of sums of status scores is their mean too).
    """
    scale = catalog.scale(indicator.statuses)
    until = up_to(period, periods)
    order = {p: i for i, p in enumerate(periods)}
    mine = sorted(
        (m for m in evidence.milestones if m.indicator == indicator.id and m.period in until),
        key=lambda m: (order.get(m.period, -1), m.date is not None, m.date),
    )
    records = [m for m in mine if m.unit is None]
    latest_of_unit: dict[str, MilestoneRecord] = {}
    for record in (m for m in mine if m.unit is not None):
        assert record.unit is not None
        latest_of_unit[record.unit] = record
    units = []
    for unit_id, record in latest_of_unit.items():
        option_id = scale.resolve(record.status) or record.status
        score = _status_score(scale, option_id)
        units.append(
            UnitMilestone(
                unit=unit_id,
                status=option_id,
                status_label=scale.option(option_id).label if option_id in scale.option_ids else record.status,
                status_period=record.period,
                score=score,
                score_printed=display.score(score, method.bands),
                location=str(record.location),
            )
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
    value = _status_score(scale, latest.status) if latest is not None else None
    rule = None
    if units:
        rule = unit_rule(catalog, indicator, method)
        value = _combined(rule, [u.score for u in units if u.score is not None])
    timeline = milestone_timeline(catalog, evidence, indicator, history, period, periods)
    flags = timeline.flags(f"‘{indicator.text}’", period_end(period))
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
        units=tuple(sorted(units, key=lambda u: u.unit)),
        units_rule=rule,
        target=timeline.latest_target,
        target_revisions=timeline.revisions,
        delivered=timeline.delivered,
        flags=tuple(flag.code for flag in flags),
        flag_details=tuple(flags),
    )


def period_year(period: str) -> int | None:
    """A period's year for rates: its first year ("2016-17" is 2016), as Open SDG reads reference periods."""
    found = _YEAR.search(period)
    return int(found.group()) if found else None


def _value(value: ValueRecord, catalog: Catalog, indicator: NumericIndicator) -> NumericValue:
    return NumericValue(
        period=value.period,
        value=value.value,
        value_printed=display.number(value.value, indicator.unit),
        document=value.source,
        document_title=document_title(catalog.review, value.source),
        note=value.note,
    )


def _share(baseline: NumericValue | None, latest: NumericValue | None, indicator: NumericIndicator) -> float | None:
    target = indicator.target
    if baseline is None or latest is None or target is None or target.value == baseline.value:
        return None
    return (latest.value - baseline.value) / (target.value - baseline.value)


def numeric_progress(
    catalog: Catalog,
    values: Sequence[ValueRecord],
    indicator: NumericIndicator,
    period: str,
    periods: Sequence[str],
    method: Method,
    assessor: ProgressMethod,
) -> NumericProgress:
    """A number's progress from the national values (no ``unit``), and each unit's from its own values.

    When some values name a unit, the number is measured per unit: each unit's baseline is its value
    in the catalog baseline's period (else its earliest), its latest is its last value after that, and
    the number's score combines the units' by the rule of its recommendation's level (``ratio-of-sums``:
    Σ(latest − baseline) ÷ Σ(target − baseline) over the units with both; otherwise the mean of their
    scores). The national values, if any, are still shown.
    """
    until = up_to(period, periods)
    rank = {p: i for i, p in enumerate(periods)}
    mine = sorted(
        (v for v in values if v.indicator == indicator.id and v.period in until), key=lambda v: rank.get(v.period, -1)
    )
    observed = [v for v in mine if v.unit is None]
    history = tuple(_value(v, catalog, indicator) for v in observed)
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
    share = _share(baseline, latest, indicator)
    assessed = assessor.assess(ProgressInput(indicator, baseline, latest), method)
    status = assessed.status
    score = _bounded(1.0 if status is ProgressStatus.TARGET_MET else share)
    units = _unit_numbers(catalog, [v for v in mine if v.unit is not None], indicator, method, assessor)
    rule = None
    units_share = None
    on_course = assessed_units = None
    if units:
        rule = unit_rule(catalog, indicator, method)
        scored = [u for u in units if u.score is not None]
        assessed_units = sum(1 for u in units if u.status is not ProgressStatus.UNABLE_TO_ASSESS)
        on_course = sum(1 for u in units if u.on_course)
        if rule == "ratio-of-sums" and target is not None:
            pairs = [(u.baseline.value, u.latest.value) for u in scored if u.baseline and u.latest]
            required = sum(target.value - b for b, _ in pairs)
            units_share = sum(latest_ - b for b, latest_ in pairs) / required if pairs and required else None
            score = _bounded(units_share)
        else:
            shares = [u.share_of_way for u in scored if u.share_of_way is not None]
            units_share = sum(shares) / len(shares) if shares else None
            score = _combined(rule, [u.score for u in scored if u.score is not None])
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
        share_of_way_printed=_way(share),
        method=assessed.method,
        observed_rate=assessed.observed,
        required_rate=assessed.required,
        ratio=assessed.ratio,
        status=status,
        on_course=_ON_COURSE.get(status),
        history=history,
        units=units,
        units_rule=rule,
        units_share_of_way=units_share,
        units_share_of_way_printed=_way(units_share),
        units_on_course=on_course,
        units_assessed=assessed_units,
        score=score,
        score_printed=display.score(score, method.bands),
    )


def _way(share: float | None) -> str | None:
    return display.percent(display.whole(100 * share)) if share is not None else None


def _bounded(value: float | None) -> float | None:
    return None if value is None else min(1.0, max(0.0, value))


def _unit_numbers(
    catalog: Catalog,
    values: Sequence[ValueRecord],
    indicator: NumericIndicator,
    method: Method,
    assessor: ProgressMethod,
) -> tuple[UnitNumber, ...]:
    by_unit: dict[str, list[ValueRecord]] = {}
    for value in values:
        assert value.unit is not None
        by_unit.setdefault(value.unit, []).append(value)
    found = []
    start = indicator.baseline.period if indicator.baseline is not None else None
    for unit_id in sorted(by_unit):
        own = by_unit[unit_id]
        at_start = [v for v in own if v.period == start]
        first = at_start[0] if at_start else own[0]
        later = [v for v in own if v.period > first.period]
        baseline = _value(first, catalog, indicator) if at_start or later else None
        last = later[-1] if later else None
        latest = _value(last, catalog, indicator) if last is not None else None
        assessed = assessor.assess(ProgressInput(indicator, baseline, latest), method)
        share = _share(baseline, latest, indicator)
        assessed_status = ProgressStatus.UNABLE_TO_ASSESS if latest is None else assessed.status
        score = _bounded(1.0 if assessed_status is ProgressStatus.TARGET_MET else share)
        found.append(
            UnitNumber(
                unit=unit_id,
                baseline=baseline,
                latest=latest,
                share_of_way=share,
                share_of_way_printed=_way(share),
                status=assessed_status,
                on_course=_ON_COURSE.get(assessed_status),
                score=score,
                score_printed=display.score(score, method.bands),
                location=str(last.location) if last is not None else None,
            )
        )
    return tuple(found)


_ON_COURSE = {
    ProgressStatus.TARGET_MET: True,
    ProgressStatus.ON_TRACK: True,
    ProgressStatus.ACCELERATION_NEEDED: False,
    ProgressStatus.LIMITED_PROGRESS: False,
    ProgressStatus.DETERIORATION: False,
    ProgressStatus.TARGET_MISSED: False,
}


def progress_score(progress: NumericProgress) -> float | None:
    """A number's score for roll-ups: its share of the way to the target, kept within 0 to 1 (its units'
    combined when it is measured per unit)."""
    if progress.units:
        return progress.score
    if progress.status is ProgressStatus.TARGET_MET:
        return 1.0
    if progress.share_of_way is None:
        return None
    return min(1.0, max(0.0, progress.share_of_way))
