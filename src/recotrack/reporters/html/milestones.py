"""Milestones and numbers: each milestone's status with its evidence, each number's progress to target."""

from __future__ import annotations

from dataclasses import dataclass

from recotrack import display
from recotrack.display import DASH
from recotrack.reporters.html._base import FlagTag, Report, TrendView, flag_name, trend_view
from recotrack.results import MilestoneStatus, NumericProgress, ProgressStatus

_PROGRESS_CLASSES = {
    ProgressStatus.TARGET_MET: "good",
    ProgressStatus.ON_TRACK: "good",
    ProgressStatus.ACCELERATION_NEEDED: "warn",
    ProgressStatus.LIMITED_PROGRESS: "bad",
    ProgressStatus.DETERIORATION: "bad",
    ProgressStatus.TARGET_MISSED: "bad",
    ProgressStatus.UNABLE_TO_ASSESS: "none",
}


@dataclass(frozen=True)
class MilestoneEvidence:
    period: str
    status: str
    date: str
    source: str
    note: str


@dataclass(frozen=True)
class MilestoneRow:
    id: str
    label: str
    measures: str
    due: str
    """The target date as the evidence leaves it (the review's, or its latest revision)."""
    revisions: tuple[str, ...]
    """'Set on 1 October 2020: reason', for each revision of the target."""
    status: str
    status_css: str
    status_note: str
    flags: tuple[FlagTag, ...]
    trend: TrendView | None
    history: tuple[MilestoneEvidence, ...]
    units: str = ""
    """How it stands per unit, for a milestone evidenced per unit."""


@dataclass(frozen=True)
class NumericRow:
    id: str
    label: str
    measures: str
    baseline: str
    latest: str
    target: str
    way: str
    status: str
    status_css: str
    detail: str
    units: str = ""
    """How it stands per unit, for a number measured per unit."""


def milestones(report: Report) -> tuple[MilestoneRow, ...]:
    return tuple(_milestone(report, m) for m in report.results.milestones)


def _milestone(report: Report, milestone: MilestoneStatus) -> MilestoneRow:
    change = report.indicator_changes.get(milestone.indicator)
    score = milestone.score
    css = "none" if score is None else "good" if score >= 1 else "warn" if score > 0 else "bad"
    note = ""
    if milestone.status_period and milestone.status_period != report.results.period:
        note = f"as evidenced in {milestone.status_period}"
    return MilestoneRow(
        id=milestone.indicator,
        label=milestone.label,
        measures=", ".join(milestone.measures),
        due=display.date(milestone.target),
        revisions=tuple(r.printed for r in milestone.target_revisions),
        status=milestone.status_label or milestone.status or ("Per unit" if milestone.units else "No evidence yet"),
        status_css=css,
        status_note=note,
        flags=tuple(FlagTag(flag_name(f.code), f.message) for f in milestone.flag_details),
        trend=trend_view(change.trend) if change else None,
        history=tuple(
            MilestoneEvidence(
                period=entry.period,
                status=entry.status_label,
                date=display.date(entry.date) if entry.date else "",
                source=entry.document_title or "",
                note=entry.note or "",
            )
            for entry in milestone.history
        ),
        units=display.units_milestone(milestone) if milestone.units else "",
    )


def numeric(report: Report) -> tuple[NumericRow, ...]:
    return tuple(_numeric(n) for n in report.results.numeric)


def _numeric(number: NumericProgress) -> NumericRow:
    target = DASH
    if number.target_value is not None:
        target = number.target_printed or DASH
        if number.target_date is not None:
            target += f" by {display.date(number.target_date)}"
    way = number.share_of_way_printed or DASH
    detail = ""
    if number.ratio is not None and number.method is not None:
        observed = display.signed(number.observed_rate or 0.0, 3)
        required = display.signed(number.required_rate or 0.0, 3)
        detail = f"{number.method}: observed rate {observed} a year, required {required}"
    elif number.status == ProgressStatus.UNABLE_TO_ASSESS:
        missing = [
            what
            for what, present in (
                ("a baseline", number.baseline is not None),
                ("a value after the baseline", number.latest is not None),
                ("a target", number.target_value is not None),
            )
            if not present
        ]
        detail = "needs " + " and ".join(missing) if missing else ""
    return NumericRow(
        id=number.indicator,
        label=number.label,
        measures=", ".join(number.measures),
        baseline=f"{number.baseline.value_printed} ({number.baseline.period})" if number.baseline else "no baseline",
        latest=f"{number.latest.value_printed} ({number.latest.period})" if number.latest else "no value yet",
        target=target,
        way=way,
        status=str(number.status).capitalize(),
        status_css=_PROGRESS_CLASSES.get(number.status, "none"),
        detail=detail,
        units=display.units_number(number) if number.units else "",
    )
