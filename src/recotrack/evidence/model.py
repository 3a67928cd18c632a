"""Evidence as read: compact per-question answer arrays, published tallies, milestones and values.

Answers are not kept as one object each: for every period and question there is one ``bytearray``
indexed by unit position (option index, or :data:`NO_ANSWER`) and a parallel array of source lines.
Memory therefore grows with units × questions, not with the number of rows read.
"""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass, field

NO_ANSWER = 255
"""Marks 'no answer' in an answer array (option indexes are 0..254)."""


@dataclass(frozen=True)
class SourceFile:
    """An evidence file that was read: where it is, what it held, and its content hash."""

    path: str
    format: str
    sha256: str
    encoding: str


@dataclass(frozen=True)
class Location:
    """Where a piece of evidence came from (1-based line; 0 when it is the whole file)."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class ReturnInfo:
    """One unit's return for one period: who sent it, when, and from where."""

    unit: str
    period: str
    location: Location
    completed_by: str | None = None
    submitted: dt.date | None = None
    supersedes: bool = False


@dataclass(frozen=True)
class Tally:
    """Published counts per option for one question, when per-unit returns are not available."""

    question: str
    location: Location
    base: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    printed: dict[str, float] = field(default_factory=dict)
    """Percentages as printed: whole numbers, or with one decimal (``24.6``)."""
    withheld: bool = False
    derived: tuple[str, ...] = ()
    """Options whose count was not published but derived from its printed percentage and the base."""


@dataclass(frozen=True)
class OtherTally:
    """A published count of one free-text 'other' entry."""

    question: str
    text: str
    count: int
    printed: float | None
    location: Location


@dataclass
class PublishedTallies:
    """The published figures of one period."""

    period: str
    location: Location
    respondents: int | None = None
    tallies: dict[str, Tally] = field(default_factory=dict)
    others: list[OtherTally] = field(default_factory=list)


@dataclass(frozen=True)
class TextEntry:
    """A free-text entry of a return ('other' answers and comments)."""

    unit: str
    question: str
    text: str
    location: Location


@dataclass
class PeriodEvidence:
    """Every unit-level answer of one period.

    ``answers[question][u]`` is the option index (into the question's scale) that the unit at
    position ``u`` of :attr:`unit_ids` gave, or :data:`NO_ANSWER`; ``lines[question][u]`` is the
    line it came from in the file of that unit's return.
    """

    period: str
    unit_ids: tuple[str, ...]
    returns: dict[str, ReturnInfo] = field(default_factory=dict)
    answers: dict[str, bytearray] = field(default_factory=dict)
    lines: dict[str, array[int]] = field(default_factory=dict)
    excluded: dict[str, bytearray] = field(default_factory=dict)
    """Answers kept in the data but left out of figures (condition not met): 1 where excluded."""
    not_applicable: dict[str, bytearray] = field(default_factory=dict)
    """Per question with ``applies_when``: 1 at every unit position where its condition is not met,
    answered or not. Worked out once by the evidence builder; scoring reads it and never re-applies
    conditions."""
    others: list[TextEntry] = field(default_factory=list)
    comments: list[TextEntry] = field(default_factory=list)

    def answer_array(self, question: str) -> bytearray:
        found = self.answers.get(question)
        if found is None:
            found = self.answers[question] = bytearray([NO_ANSWER]) * len(self.unit_ids)
            self.lines[question] = array("I", bytes(4 * len(self.unit_ids)))
        return found

    def responded(self) -> list[int]:
        """Positions of the units that sent a return, in unit order."""
        index = {unit: i for i, unit in enumerate(self.unit_ids)}
        return sorted(index[u] for u in self.returns)


@dataclass(frozen=True)
class MilestoneRecord:
    """The evidenced status of a milestone in a period."""

    indicator: str
    period: str
    status: str
    location: Location
    date: dt.date | None = None
    source: str | None = None
    note: str | None = None
    unit: str | None = None
    """The unit whose milestone it is; None for the whole (national) programme."""


@dataclass(frozen=True)
class ValueRecord:
    """An observed value of a numeric indicator in a period."""

    indicator: str
    period: str
    value: float
    location: Location
    date: dt.date | None = None
    source: str | None = None
    note: str | None = None
    unit: str | None = None
    """The unit the value measures; None for a national figure."""


@dataclass(frozen=True)
class LifecycleRecord:
    """A dated statement about a recommendation (response, implementation, target) or a milestone's target."""

    subject: str
    """The recommendation's id, or the milestone indicator's."""
    milestone: bool
    period: str
    date: dt.date
    location: Location
    response: str | None = None
    implementation: str | None = None
    assessed_by: str = "self"
    target: dt.date | None = None
    reason: str | None = None
    superseded_by: str | None = None
    closed: str | None = None
    source: str | None = None
    note: str | None = None


@dataclass
class LeftOut:
    """What of one evidence file was left out of the data because of errors, and why.

    ``answers`` counts answers (and other entries: tally rows, milestone statuses, values, 'other'
    entries and comments) not taken; ``returns`` counts whole returns not taken (their answers are
    in ``answers`` too); ``reasons`` maps a reason code (``unknown-option``, ``unknown-unit``…) to
    how many problems gave it. A file that could not be read at all has a reason and no counts.
    """

    path: str
    answers: int = 0
    returns: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


@dataclass
class Evidence:
    """All evidence of a tracker, by period."""

    periods: dict[str, PeriodEvidence] = field(default_factory=dict)
    published: dict[str, PublishedTallies] = field(default_factory=dict)
    milestones: list[MilestoneRecord] = field(default_factory=list)
    values: list[ValueRecord] = field(default_factory=list)
    lifecycle: list[LifecycleRecord] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)
    left_out: dict[str, LeftOut] = field(default_factory=dict)
    """Evidence file (as shown) → what of it was left out because of errors; empty when nothing was."""
    synthetic: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Period → the evidence files (as shown) of invented data that contributed to it: those marked ``synthetic``
    in the catalog's ``evidence:`` manifest, or holding returns marked ``synthetic: true``. (A period itself
    declared ``synthetic`` is in the catalog's ``periods:``.)"""
    period_order: tuple[str, ...] = ()
    """The tracker's declared periods in time order (empty when none are declared: then names are sorted)."""

    def all_periods(self) -> list[str]:
        """Every period with any evidence, in time order (declared order; sorted names when none are declared)."""
        found = set(self.periods) | set(self.published)
        found |= {m.period for m in self.milestones} | {v.period for v in self.values}
        found |= {r.period for r in self.lifecycle}
        declared = [p for p in self.period_order if p in found]
        return declared + sorted(found - set(declared))
