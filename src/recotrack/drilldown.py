"""Drill-down: the units behind a figure, each with the file and line of its answer.

::

    found = recotrack.explain(tracker, "2019", "1.1", "always")
    found.count                      # 27: the count in the report
    found.units[0].location          # 'evidence/2019/hwb-007.yaml:24'

The units counted are exactly those the report counts (the same masks: who responded, who was
asked, to whom the question applied). On request, the units that were asked and gave no answer
(no return, or left it blank) and those to which the question did not apply are listed too, each
with its status.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from recotrack._wording import declared_id
from recotrack.errors import RecotrackError
from recotrack.evidence.model import NO_ANSWER
from recotrack.scoring.period import TrackerParts
from recotrack.scoring.returns import ReturnsView
from recotrack.scoring.sources import check_periods, known_periods, returns_of

__all__ = ["Explanation", "UnitAnswer", "explain"]

Status = Literal["counted", "left blank", "no return", "not applicable", "answered where not applicable"]


class UnitAnswer(BaseModel):
    """One unit behind a figure: its answer and where it is written."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: str
    name: str
    kind: str
    answer: str | None
    """The option id of its answer; None when it gave none."""
    answer_label: str | None
    status: Status
    """``counted`` (in the figure), ``left blank``, ``no return``, ``not applicable`` (its answers to the
    question's condition left it out), or ``answered where not applicable`` (an answer never counted)."""
    location: str | None
    """``path:line`` of the answer (of its return when it left the question blank); None without a return."""


class Explanation(BaseModel):
    """The units behind one figure: a question's base, or one answer's count."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="recotrack explanation")

    period: str
    question: str
    label: str
    option: str | None
    """The answer asked about; None for the whole base."""
    option_label: str | None
    count: int
    """How many units the figure counts: the listed units with status ``counted``."""
    base: int
    units: tuple[UnitAnswer, ...]


def explain(
    tracker: TrackerParts,
    period: str,
    question: str,
    option: str | None = None,
    *,
    include_non_respondents: bool = False,
    include_not_applicable: bool = False,
) -> Explanation:
    """The units counted in ``question``'s figure for ``period`` (its base, or the count of ``option``).

    ``option`` is an option id or printed label. With ``include_non_respondents``, the units asked
    that gave no answer are listed too (invited ones with no return, and respondents that left it
    blank); with ``include_not_applicable``, the respondents to which it did not apply. Raises
    :class:`~recotrack.errors.RecotrackError` for an unknown question or option, and
    :class:`~recotrack.errors.PeriodError` for a period without per-unit returns.
    """
    catalog, units = tracker.catalog, tracker.units
    check_periods(known_periods(units, tracker.evidence), period)
    evidence = returns_of(tracker.evidence, period)
    known = catalog.questions.get(question)
    if known is None:
        grid = [q for q in catalog.questions if q.startswith(f"{question}/")]
        hint = f"{question} is a grid: name one of its items, such as {grid[0]!r}" if grid else None
        raise RecotrackError(
            hint or f"unknown question {question!r}; expected {declared_id(question, catalog.questions)}"
        )
    wanted: int | None = None
    if option is not None:
        resolved = known.scale.resolve(option)
        if resolved is None:
            raise RecotrackError(
                f"{option!r} is not an answer on the scale of {question}; its answers: "
                + ", ".join(known.scale.option_ids)
            )
        wanted = known.scale.option_ids.index(resolved)
    view = ReturnsView(catalog, evidence, None, units, units.invited_in(period))
    effective = view.effective(question)
    dropped = view.dropped(question)
    asked = view.asked(known)
    raw = evidence.answers.get(question)
    lines = evidence.lines.get(question)
    by_id = units.by_id
    labels = known.scale.options

    def entry(unit_id: str, position: int | None, status: Status, index: int | None) -> UnitAnswer:
        unit = by_id.get(unit_id)
        location = None
        if position is not None and unit_id in evidence.returns:
            line = lines[position] if lines is not None and index is not None else 0
            returned = evidence.returns[unit_id].location
            location = f"{returned.file}:{line or returned.line}"
        return UnitAnswer(
            unit=unit_id,
            name=unit.name if unit else unit_id,
            kind=unit.kind if unit else "",
            answer=labels[index].id if index is not None else None,
            answer_label=labels[index].label if index is not None else None,
            status=status,
            location=location,
        )

    listed: list[UnitAnswer] = []
    count = 0
    base = 0
    for position in view.positions:
        unit_id = view.unit_ids[position]
        given = raw[position] if raw is not None else NO_ANSWER
        index = None if given == NO_ANSWER else given
        if asked[position]:
            continue  # not asked: outside the question's audience
        if dropped[position]:
            if include_not_applicable:
                status: Status = "answered where not applicable" if index is not None else "not applicable"
                listed.append(entry(unit_id, position, status, index))
            continue
        if effective[position] == NO_ANSWER:
            if include_non_respondents:
                listed.append(entry(unit_id, position, "left blank", None))
            continue
        base += 1
        if wanted is None or effective[position] == wanted:
            count += 1
            listed.append(entry(unit_id, position, "counted", effective[position]))
    if include_non_respondents:
        responding = set(evidence.returns)
        for unit_id in view.in_audience(known, units.invited_in(period)):
            if unit_id not in responding:
                listed.append(entry(unit_id, None, "no return", None))
    return Explanation(
        period=period,
        question=question,
        label=known.label,
        option=labels[wanted].id if wanted is not None else None,
        option_label=labels[wanted].label if wanted is not None else None,
        count=count,
        base=base,
        units=tuple(listed),
    )
