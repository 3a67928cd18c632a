"""Turns answers from any format into compact per-question arrays, checking each as it goes.

Every reader (YAML returns, tidy CSV, wide CSV) feeds the same builder, so the same answers give
the same data whatever format they came in. The builder stores; what is wrong, and how to say it,
is decided by :mod:`recotrack.evidence.rules`.
"""

from __future__ import annotations

from typing import NamedTuple

from recotrack._problems import ProblemSink
from recotrack.errors import Finding, Problem, Severity
from recotrack.evidence import rules
from recotrack.evidence.model import (
    NO_ANSWER,
    Evidence,
    LeftOut,
    Location,
    PeriodEvidence,
    ReturnInfo,
    TextEntry,
)
from recotrack.evidence.rules import CatalogRules
from recotrack.limits import Limits
from recotrack.model import (
    Catalog,
    Question,
    Units,
)


class Where(NamedTuple):
    """A place in a file that a problem can point at (a named tuple: one is made per CSV row)."""

    file: str
    line: int
    column: int = 0
    field: str = ""

    @property
    def location(self) -> Location:
        return Location(self.file, self.line)


class ReturnsLimit(Exception):
    """A file holds more returns than the ``returns`` limit: the reader stops there (and reports it)."""


class EvidenceBuilder:
    """Collects evidence into an :class:`Evidence`, recording every problem with its place."""

    def __init__(self, catalog: Catalog, units: Units, problems: ProblemSink, limits: Limits | None = None) -> None:
        self.catalog = catalog
        self.units = units
        self.problems = problems
        self.limits = limits or Limits()
        self.evidence = Evidence()
        self._returns_in: dict[str, int] = {}
        self.unit_ids = tuple(unit.id for unit in units.units)
        self._unit_position = {unit_id: i for i, unit_id in enumerate(self.unit_ids)}
        self._questions = catalog.questions
        self._option_cache: dict[str, dict[str, int]] = {scale.id: {} for scale in catalog.scales}
        self.rules = CatalogRules(catalog, self.unit_ids)
        self._invited: dict[str, frozenset[str]] = {}
        self._withdrawn: dict[tuple[str, str], tuple[int, Location]] = {}
        self.column_map: dict[str, str] = {}

    # -- reporting ---------------------------------------------------------------------------

    def error(self, where: Where, message: str, found: str | None = None, expected: str | None = None) -> None:
        self.problems.add(Problem(where.file, where.line, where.column, where.field, message, found, expected))

    def warn(self, where: Where, message: str, found: str | None = None, expected: str | None = None) -> None:
        self.problems.add(
            Problem(where.file, where.line, where.column, where.field, message, found, expected, Severity.WARNING)
        )

    def report(self, where: Where, finding: Finding) -> None:
        """Report what a rule found at ``where`` (the finding's own path is the caller's to apply)."""
        self.problems.add(
            Problem(
                where.file,
                where.line,
                where.column,
                where.field,
                finding.message,
                finding.found,
                finding.expected,
                finding.severity,
            )
        )

    def left_out(self, file: str, reason: str, answers: int = 0, returns: int = 0) -> None:
        """Record that evidence of ``file`` was not taken: ``answers`` answers, ``returns`` whole returns, and why."""
        found = self.evidence.left_out.get(file)
        if found is None:
            found = self.evidence.left_out[file] = LeftOut(file)
        found.answers += answers
        found.returns += returns
        found.reasons[reason] = found.reasons.get(reason, 0) + 1

    # -- returns -------------------------------------------------------------------------------

    def period(self, period: str) -> PeriodEvidence:
        found = self.evidence.periods.get(period)
        if found is None:
            found = self.evidence.periods[period] = PeriodEvidence(period, self.unit_ids)
        return found

    def start_return(self, info: ReturnInfo, where: Where) -> int | None:
        """Register a return; its unit's position, or None when the return is refused (and reported).

        Raises :class:`ReturnsLimit` when the file already holds as many returns as the limit allows.
        """
        count = self._returns_in.get(where.file, 0) + 1
        self._returns_in[where.file] = count
        if count > self.limits.returns:
            raise ReturnsLimit
        position = self._unit_position.get(info.unit)
        if position is None:
            self.report(where, self.rules.unknown_unit(info.unit))
            return None
        evidence = self.period(info.period)
        earlier = evidence.returns.get(info.unit)
        if earlier is not None:
            finding, replaces = rules.repeated_return(info, earlier)
            self.report(where, finding)
            if not replaces:
                return None
            self._clear(evidence, position, info.unit)
        invited = self._invited_in(info.period)
        if invited and info.unit not in invited:
            self.report(where, rules.not_invited(info.unit, info.period))
        evidence.returns[info.unit] = info
        return position

    def _invited_in(self, period: str) -> frozenset[str]:
        if period not in self._invited:
            self._invited[period] = frozenset(self.units.invited_in(period))
        return self._invited[period]

    def _clear(self, evidence: PeriodEvidence, position: int, unit: str) -> None:
        for question, answers in evidence.answers.items():
            answers[position] = NO_ANSWER
            evidence.lines[question][position] = 0
        for excluded in evidence.excluded.values():
            excluded[position] = 0
        evidence.others[:] = [e for e in evidence.others if e.unit != unit]
        evidence.comments[:] = [e for e in evidence.comments if e.unit != unit]

    # -- answers -------------------------------------------------------------------------------

    def answer(self, evidence: PeriodEvidence, position: int, question: str, raw: str, line: int, place: Where) -> None:
        """Record one answer (an option id or printed label) read at ``line``; empty means no answer.

        ``place`` names the file, column and field that a problem points at; its own line is not
        used, so that one ``place`` serves every row of a CSV column and nothing is made per answer.
        """
        if not raw:
            return
        known = self._questions.get(question)
        if known is None:
            self.report(place._replace(line=line), self.rules.unanswerable(question))
            return
        option = self._option_cache[known.scale.id].get(raw)
        if option is None:
            option = self._option_index(known, raw, place._replace(line=line))
            if option is None:
                return
        answers = evidence.answers.get(question) or evidence.answer_array(question)
        if answers[position] != NO_ANSWER:
            self.report(
                place._replace(line=line), rules.second_answer(question, raw, evidence.lines[question][position])
            )
            return
        answers[position] = option
        evidence.lines[question][position] = line
        if known.indicator.withdrawn:
            key = (evidence.period, known.indicator.id)
            count, first_at = self._withdrawn.get(key, (0, Location(place.file, line)))
            self._withdrawn[key] = (count + 1, first_at)

    def _option_index(self, known: Question, raw: str, where: Where) -> int | None:
        """The index of the option ``raw`` names on the question's scale (cached), or None (reported)."""
        option_id = known.scale.resolve(raw)
        if option_id is None:
            self.report(where, rules.unknown_option(known, raw))
            return None
        option = self._option_cache[known.scale.id][raw] = known.scale.option_ids.index(option_id)
        return option

    def text_entry(
        self, evidence: PeriodEvidence, unit: str, question: str, text: str, where: Where, *, comment: bool
    ) -> None:
        """Keep a free-text 'other' entry or comment, checking what it is attached to."""
        wrong = self.rules.text_entry(question, comment=comment)
        if wrong is not None:
            self.report(where, wrong)
            return
        entries = evidence.comments if comment else evidence.others
        entries.append(TextEntry(unit, question, text, where.location))

    # -- finishing -----------------------------------------------------------------------------

    def finish(self) -> Evidence:
        """Apply the rules that need a whole return: conditions and withdrawn questions."""
        for evidence in self.evidence.periods.values():
            self._apply_conditions(evidence)
        for (period, indicator_id), (count, first) in sorted(self._withdrawn.items()):
            # Count again from the data: answers of a superseded return were cleared after being counted.
            count, first = self._withdrawn_answers(self.evidence.periods[period], indicator_id)
            if not count:
                continue
            reason = self.catalog.indicator(indicator_id).withdrawn
            self.report(Where(first.file, first.line), rules.withdrawn_answers(count, indicator_id, period, reason))
        return self.evidence

    def _withdrawn_answers(self, evidence: PeriodEvidence, indicator_id: str) -> tuple[int, Location]:
        """How many answers to a withdrawn indicator (all its grid items) the data holds, and the first one."""
        found: list[Location] = []
        for question_id, question in self._questions.items():
            answers = evidence.answers.get(question_id)
            if question.indicator.id != indicator_id or answers is None:
                continue
            lines = evidence.lines[question_id]
            for position, option in enumerate(answers):
                if option != NO_ANSWER:
                    file = evidence.returns[self.unit_ids[position]].location.file
                    found.append(Location(file, lines[position]))
        return len(found), min(found, key=lambda at: (at.file, at.line), default=Location("", 0))

    def _apply_conditions(self, evidence: PeriodEvidence) -> None:
        unit_of = self.unit_ids
        for question_id, question in self._questions.items():
            condition = question.indicator.applies_when
            answers = evidence.answers.get(question_id)
            if condition is None or answers is None:
                continue
            parent = self._questions.get(condition.indicator)
            if parent is None:
                continue
            allowed = {parent.scale.option_ids.index(o) for o in map(parent.scale.resolve, condition.in_) if o}
            parent_answers = evidence.answers.get(condition.indicator)
            parent_excluded = evidence.excluded.get(condition.indicator)
            for position, option in enumerate(answers):
                if option == NO_ANSWER:
                    continue
                given = NO_ANSWER if parent_answers is None else parent_answers[position]
                if parent_excluded is not None and parent_excluded[position]:
                    given = NO_ANSWER
                if given in allowed:
                    continue
                excluded = evidence.excluded.setdefault(question_id, bytearray(len(answers)))
                excluded[position] = 1
                unit = unit_of[position]
                said = "did not answer it" if given == NO_ANSWER else f"answered {parent.scale.options[given].label!r}"
                self.warn(
                    Where(
                        evidence.returns[unit].location.file, evidence.lines[question_id][position], field=question_id
                    ),
                    f"answer to {question_id} from unit {unit!r} kept but left out of figures: it applies only "
                    f"where {condition.indicator} is {' or '.join(condition.in_)}, and this return {said}",
                )
