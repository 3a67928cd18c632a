"""Turns answers from any format into compact per-question arrays, checking each as it goes.

Every reader (YAML returns, tidy CSV, wide CSV) feeds the same builder, so the same answers give
the same data whatever format they came in. The builder stores; what is wrong, and how to say it,
is decided by :mod:`recotrack.evidence.rules`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from recotrack._problems import ProblemSink
from recotrack.errors import Finding, Problem, Severity
from recotrack.evidence import rules
from recotrack.evidence.applicability import Applicability
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
from recotrack.limits import Limits, how_to_raise
from recotrack.model import (
    Catalog,
    Question,
    Units,
)
from recotrack.periods import TrackerPeriods, tracker_periods

_ANSWERED = bytes([1] * NO_ANSWER + [0])
"""Translation table: 1 for an option index, 0 for NO_ANSWER."""


class _Answerable(NamedTuple):
    question: Question
    options: dict[str, int]
    """The scale's answers seen so far, as written → option index."""
    audience: tuple[str, ...]
    in_some_periods: bool
    withdrawn: bool


class Where(NamedTuple):
    """A place in a file that a problem can point at (a named tuple: one is made per CSV row)."""

    file: str
    line: int
    column: int = 0
    field: str = ""

    @property
    def location(self) -> Location:
        return Location(self.file, self.line)


MAX_SHOWN = 200
"""Longest value a problem quotes (a CSV cell may hold a megabyte): what is found is shortened beyond it."""
MAX_REMEMBERED = 100_000
"""Most wrong values whose message is kept to be said again: beyond it each is worked out anew (bounded memory)."""
MAX_RETURNS_OF_ONE = 1_000
"""Most returns of one unit for one period that are weighed against each other; more are an error."""


def _shortened(found: str | None) -> str | None:
    if found is None or len(found) <= MAX_SHOWN:
        return found
    return f"{found[: MAX_SHOWN - 1]}… ({len(found):,} characters)"


class Refusal(NamedTuple):
    """Why an answer is not taken: what to report, and the reason it is counted as left out (None: not counted)."""

    finding: Finding
    reason: str | None


class ReturnsLimit(Exception):
    """A file holds more returns than the ``returns`` limit: the reader stops there (and reports it)."""


Target = tuple[PeriodEvidence, int]
"""Where a return's answers go: a period's evidence and the unit's position in it."""


@dataclass
class _Candidate:
    """One return read for a unit and period, while several compete: which one counts is decided on all of them."""

    info: ReturnInfo
    where: Where
    target: Target
    answers: int = -1
    """Answers it held when it was set aside (-1: still in ``target``, count them there)."""


_SET_ASIDE: Target = (PeriodEvidence("", ()), 0)
"""Where a return set aside points once its answers are counted (nothing of it is kept)."""


@dataclass
class FileFacts:
    """What the catalog's ``evidence:`` manifest says of one evidence file."""

    period: str | None = None
    synthetic: bool = False


class EvidenceBuilder:
    """Collects evidence into an :class:`Evidence`, recording every problem with its place."""

    def __init__(
        self,
        catalog: Catalog,
        units: Units,
        problems: ProblemSink,
        limits: Limits | None = None,
        periods: TrackerPeriods | None = None,
        files: Mapping[str, FileFacts] | None = None,
    ) -> None:
        self.catalog = catalog
        self.units = units
        self.problems = problems
        self.limits = limits or Limits()
        self.periods = periods or tracker_periods(catalog, units)
        self.files: Mapping[str, FileFacts] = files or {}
        self.evidence = Evidence(period_order=self.periods.ids if self.periods.source == "catalog" else ())
        self._returns_in: dict[str, int] = {}
        self.unit_ids = tuple(unit.id for unit in units.units)
        self._kind_of = tuple(unit.kind for unit in units.units)
        self._unit_position = {unit_id: i for i, unit_id in enumerate(self.unit_ids)}
        self._questions = catalog.questions
        self._option_cache: dict[str, dict[str, int]] = {scale.id: {} for scale in catalog.scales}
        self._answerable = {
            question_id: _Answerable(
                question,
                self._option_cache[question.scale.id],
                question.audience,
                bool(question.indicator.periods),
                question.indicator.withdrawn is not None,
            )
            for question_id, question in catalog.questions.items()
        }
        """What ``answer`` needs of each question, looked up once per row rather than worked out."""
        self.rules = CatalogRules(catalog, self.unit_ids, units)
        self._invited: dict[str, frozenset[str]] = {}
        self._withdrawn: set[tuple[str, str]] = set()
        """(period, indicator) of withdrawn questions with answers kept (counted from the data at the end)."""
        self.column_map: dict[str, str] = {}
        self._candidates: dict[tuple[str, str], list[_Candidate]] = {}
        self._undeclared: dict[str, Finding] = {}
        self._accepted: dict[str, Location] = {}
        """Periods seen when none are declared: each with where it was first seen."""
        self._synthetic: dict[str, set[str]] = {}
        self._bad_options: dict[tuple[str, str], Finding] = {}

    # -- reporting ---------------------------------------------------------------------------

    def error(self, where: Where, message: str, found: str | None = None, expected: str | None = None) -> None:
        self.problems.add(
            Problem(where.file, where.line, where.column, where.field, message, _shortened(found), expected)
        )

    def warn(self, where: Where, message: str, found: str | None = None, expected: str | None = None) -> None:
        self.problems.add(
            Problem(
                where.file,
                where.line,
                where.column,
                where.field,
                message,
                _shortened(found),
                expected,
                Severity.WARNING,
            )
        )

    def report(self, where: Where, finding: Finding) -> None:
        """Report what a rule found at ``where`` (the finding's own path is the caller's to apply)."""
        if self.problems.full(where.file):
            self.problems.count(where.file, finding.severity)
            return
        self.problems.add(
            Problem(
                where.file,
                where.line,
                where.column,
                where.field[:MAX_SHOWN],
                finding.message,
                _shortened(finding.found),
                finding.expected,
                finding.severity,
            )
        )

    def report_lines(self, where: Where, finding: Finding, lines: Sequence[int]) -> None:
        """Report one finding at each of ``lines`` (``where`` gives the file and column): a flood of one wrong value,
        worded as :meth:`report` words it, kept up to the ``errors`` limit and counted past it, at once."""
        room = self.problems.room(where.file)
        shown = (where.column, where.field[:MAX_SHOWN], finding.message, _shortened(finding.found), finding.expected)
        kept = [Problem(where.file, line, *shown, finding.severity) for line in lines[:room]]
        self.problems.add_kept(where.file, kept)
        if len(lines) > room:
            self.problems.count(where.file, finding.severity, len(lines) - room)

    def left_out(self, file: str, reason: str | None, answers: int = 0, returns: int = 0, times: int = 1) -> None:
        """Record that evidence of ``file`` was not taken: ``answers`` answers, ``returns`` whole returns, and why.

        ``reason`` is a short code (``unknown-option``), given by ``times`` problems; None adds to the
        counts without a new reason.
        """
        found = self.evidence.left_out.get(file)
        if found is None:
            found = self.evidence.left_out[file] = LeftOut(file)
        found.answers += answers
        found.returns += returns
        if reason is not None:
            found.reasons[reason] = found.reasons.get(reason, 0) + times

    # -- periods -------------------------------------------------------------------------------

    def file_period(self, file: str, default: str | None = None) -> str | None:
        """The period of a file's returns that name none: the manifest's for the file, else ``default``."""
        facts = self.files.get(file)
        return facts.period if facts is not None and facts.period is not None else default

    def stated_period(self, file: str, stated: str, where: Where) -> bool:
        """Whether a period a return states agrees with the manifest's period for its file (else an error)."""
        facts = self.files.get(file)
        if facts is None or facts.period is None or facts.period == stated:
            return True
        self.report(
            where,
            Finding(
                (),
                "the period differs from the one the catalog's `evidence:` manifest gives this file",
                repr(stated),
                repr(facts.period),
            ),
        )
        return False

    def valid_period(self, period: str, where: Where) -> bool:
        """Whether ``period`` is written as a period can be (:func:`recotrack.evidence.rules.invalid_period`)."""
        wrong = rules.invalid_period(period)
        if wrong is not None:
            self.report(where, wrong)
        return wrong is None

    def period_known(self, period: str, where: Where) -> bool:
        """Whether ``period`` is one of the tracker's periods; an error (with the near miss) when it is not.

        Only the catalog's ``periods:`` makes the list strict. With periods known only from ``invited:``
        (or from nothing), a period outside them is accepted unless it is a near miss of a known one; one
        warning says so (the units file's, or with nothing declared one at the end naming every period).
        """
        if period in self.periods.ids:
            return True
        miss = self.periods.near_miss(period)
        if self.periods.source != "catalog" and miss is None:
            if self.periods.source == "evidence":
                self._accepted.setdefault(period, where.location)
            return True
        finding = self._undeclared.get(period)
        if finding is None:
            declared = ", ".join(repr(p) for p in self.periods.ids)
            where_declared = "the catalog's `periods:`" if self.periods.source == "catalog" else "`invited:`"
            finding = self._undeclared[period] = Finding(
                (),
                f"evidence for a period the tracker does not declare (its periods, from {where_declared}: {declared})",
                repr(period),
                (f"did you mean {miss!r}? " if miss else "")
                + "a declared period (declare new ones in the catalog's `periods:`)",
            )
        self.report(where, finding)
        return False

    def contributed(self, period: str, file: str, synthetic: bool = False) -> None:
        """Note that ``file`` gave evidence for ``period``, and whether that evidence is synthetic."""
        facts = self.files.get(file)
        if synthetic or (facts is not None and facts.synthetic):
            self._synthetic.setdefault(period, set()).add(file)

    # -- returns -------------------------------------------------------------------------------

    def period(self, period: str) -> PeriodEvidence:
        found = self.evidence.periods.get(period)
        if found is None:
            found = self.evidence.periods[period] = PeriodEvidence(period, self.unit_ids)
        return found

    def returns_limit_reached(self, where: Where) -> None:
        """Report that a CSV file holds more returns than the ``returns`` limit: it is not read from ``where`` on."""
        self.error(
            where,
            f"more returns than the limit returns ({self.limits.returns:,}); the file is not read from here on",
            expected=how_to_raise("returns"),
        )
        self.left_out(where.file, "limit")

    def start_return(self, info: ReturnInfo, where: Where, synthetic: bool = False) -> Target | None:
        """Register a return; where its answers go, or None when it is refused (and reported).

        When a unit sends several returns for one period, the latest ``submitted`` wins whatever the
        format or the order they are read in (:func:`recotrack.evidence.rules.winning_return`). A
        return that does not win (yet) still has its answers checked, in a place of its own that is
        not part of the data. Raises :class:`ReturnsLimit` when the file already holds as many
        returns as the limit allows.
        """
        count = self._returns_in.get(where.file, 0) + 1
        self._returns_in[where.file] = count
        if count > self.limits.returns:
            raise ReturnsLimit
        if not self.period_known(info.period, where):
            self.left_out(where.file, "undeclared-period", returns=1)
            return None
        position = self._unit_position.get(info.unit)
        if position is None:
            self.report(where, self.rules.unknown_unit(info.unit))
            self.left_out(where.file, "unknown-unit", returns=1)
            return None
        self.contributed(info.period, where.file, synthetic)
        evidence = self.period(info.period)
        candidates = self._candidates.setdefault((info.period, info.unit), [])
        if len(candidates) >= MAX_RETURNS_OF_ONE:
            self.report(
                where,
                Finding(
                    (),
                    f"more than {MAX_RETURNS_OF_ONE:,} returns for unit {info.unit!r} in period {info.period!r}; "
                    "this one is not read",
                    expected="one return per unit and period, and a few corrections",
                ),
            )
            self.left_out(where.file, "conflicting-returns", returns=1)
            return None
        if not candidates:  # the usual case: the first return of its unit and period, which counts (for now)
            candidate = _Candidate(info, where, (evidence, position))
            candidates.append(candidate)
            evidence.returns[info.unit] = info
            return candidate.target
        for earlier in candidates:  # read in full by now: keep only how many answers each set aside held
            if earlier.answers < 0 and earlier.target[0] is not evidence:
                earlier.answers = self._answers_of(earlier)
                earlier.target = _SET_ASIDE
        held = next((c for c in candidates if c.target[0] is evidence), None)
        candidate = _Candidate(info, where, (PeriodEvidence(info.period, (info.unit,)), 0))
        candidates.append(candidate)
        winner = rules.winning_return([c.info for c in candidates])
        if held is not None and winner is not held.info:  # beaten, or tied: its answers leave the data
            held.answers = self._clear(evidence, position, info.unit)
            held.target = (PeriodEvidence(info.period, (info.unit,)), 0)
            del evidence.returns[info.unit]
        if winner is info:
            candidate.target = (evidence, position)
            evidence.returns[info.unit] = info
        return candidate.target

    def _invited_in(self, period: str) -> frozenset[str]:
        if period not in self._invited:
            self._invited[period] = frozenset(self.units.invited_in(period))
        return self._invited[period]

    def _clear(self, evidence: PeriodEvidence, position: int, unit: str) -> int:
        """Remove a unit's answers, 'other' entries and comments from a period's data; how many there were."""
        removed = 0
        for question, answers in evidence.answers.items():
            removed += answers[position] != NO_ANSWER
            answers[position] = NO_ANSWER
            evidence.lines[question][position] = 0
        for excluded in evidence.excluded.values():
            excluded[position] = 0
        before = len(evidence.others) + len(evidence.comments)
        evidence.others[:] = [e for e in evidence.others if e.unit != unit]
        evidence.comments[:] = [e for e in evidence.comments if e.unit != unit]
        return removed + before - len(evidence.others) - len(evidence.comments)

    # -- answers -------------------------------------------------------------------------------

    def answer(self, evidence: PeriodEvidence, position: int, question: str, raw: str, line: int, place: Where) -> None:
        """Record one answer (an option id or printed label) read at ``line``; empty or blank means no answer.

        ``raw`` may carry the spaces it was written with: an answer seen before is found as written,
        without stripping it again. ``place`` names the file, column and field that a problem points
        at; its own line is not used, so that one ``place`` serves every row of a CSV column and
        nothing is made per answer.
        """
        verdict = self.judge(question, raw, evidence.period)
        if verdict is None:
            return
        if isinstance(verdict, Refusal):
            self.refuse(place._replace(line=line), verdict)
            return
        outside = self.outside_audience(question, position)
        if outside is not None:
            self.report(place._replace(line=line), outside)
            return
        answers = evidence.answers.get(question) or evidence.answer_array(question)
        if answers[position] != NO_ANSWER:
            self.report(
                place._replace(line=line),
                rules.second_answer(question, raw.strip(), evidence.lines[question][position]),
            )
            self.left_out(place.file, "second-answer", 1)
            return
        answers[position] = verdict
        evidence.lines[question][position] = line
        self.note_withdrawn(evidence.period, question)

    def judge(self, question: str, raw: str, period: str) -> int | Refusal | None:
        """What an answer as written comes to in ``period``, whoever gave it: its option's index, None for no
        answer (empty or blank), or why it is refused. The one home of the answer rules, in the order they apply."""
        if not raw:
            return None
        found = self._answerable.get(question)
        if found is None:
            return Refusal(self.rules.unanswerable(question), "unknown-question")
        known, options, _, in_some_periods, _ = found
        if in_some_periods and (other := self.rules.not_asked(known, period)) is not None:
            return Refusal(other, None)
        option = options.get(raw)
        if option is None:
            written, raw = raw, raw.strip()
            if not raw:
                return None
            option = options.get(raw)
            if option is None:
                resolved = self._option_index(known, raw)
                if isinstance(resolved, Finding):
                    return Refusal(resolved, "unknown-option")
                option = resolved
            if len(written) <= len(raw) + 2:  # " always", "always ": common spacings only, so memory stays bounded
                options[written] = option
        return option

    def refuse(self, where: Where, refusal: Refusal) -> None:
        """Report an answer refused at ``where`` and count it as left out (when its refusal says why)."""
        self.report(where, refusal.finding)
        if refusal.reason is not None:
            self.left_out(where.file, refusal.reason, 1)

    def outside_audience(self, question: str, position: int) -> Finding | None:
        """Why the unit at ``position`` may not answer ``question`` (its kind is not asked), or None when it may."""
        audience = self._answerable[question].audience
        if not audience or self._kind_of[position] in audience:
            return None
        return self.rules.outside_audience(question, self.unit_ids[position], audience)

    def note_withdrawn(self, period: str, question: str) -> None:
        """Note answers kept for a withdrawn question (the warning is given once all is read)."""
        if self._answerable[question].withdrawn:
            self._withdrawn.add((period, self._questions[question].indicator.id))

    def _option_index(self, known: Question, raw: str) -> int | Finding:
        """The index of the option ``raw`` names on the question's scale (cached), or why there is none."""
        key = (known.id, raw)
        finding = self._bad_options.get(key)
        if finding is not None:  # a wrong answer seen before: said again without working it out again
            return finding
        option_id = known.scale.resolve(raw)
        if option_id is None:  # worked out once per question and wrong answer: floods stay linear
            finding = rules.unknown_option(known, raw)
            if len(self._bad_options) < MAX_REMEMBERED and len(raw) <= MAX_SHOWN:
                self._bad_options[key] = finding
            return finding
        option = self._option_cache[known.scale.id][raw] = known.scale.option_ids.index(option_id)
        return option

    def text_entry(
        self, evidence: PeriodEvidence, unit: str, question: str, text: str, where: Where, *, comment: bool
    ) -> None:
        """Keep a free-text 'other' entry or comment, checking what it is attached to."""
        wrong = self.rules.text_entry(question, comment=comment)
        if wrong is not None:
            self.report(where, wrong)
            self.left_out(where.file, "unknown-question" if comment else "no-other-entries", 1)
            return
        entries = evidence.comments if comment else evidence.others
        entries.append(TextEntry(unit, question, text, where.location))

    # -- finishing -----------------------------------------------------------------------------

    def finish(self) -> Evidence:
        """Apply the rules that need every return: competing returns, invitations, conditions, withdrawn questions."""
        self._settle_returns()
        for evidence in self.evidence.periods.values():
            self._apply_conditions(evidence)
        for period, indicator_id in sorted(self._withdrawn):
            # Counted from the data: answers of a superseded return were cleared after being kept.
            count, first = self._withdrawn_answers(self.evidence.periods[period], indicator_id)
            if not count:
                continue
            reason = self.catalog.indicator(indicator_id).withdrawn
            self.report(Where(first.file, first.line), rules.withdrawn_answers(count, indicator_id, period, reason))
        self.evidence.synthetic = {p: tuple(sorted(files)) for p, files in sorted(self._synthetic.items())}
        if self._accepted:
            first = min(self._accepted.values(), key=lambda at: (at.file, at.line))
            self.warn(
                Where(first.file, first.line),
                "the tracker declares no periods, so every period its evidence names is accepted ("
                + ", ".join(repr(p) for p in sorted(self._accepted))
                + "), in the order of their names",
                expected="the periods, in time order, in the catalog's `periods:`",
            )
        return self.evidence

    def _settle_returns(self) -> None:
        """Say, once all is read, which of several returns of a unit and period counts, and what the others were."""
        for (period, unit), candidates in self._candidates.items():
            winner = rules.winning_return([c.info for c in candidates])
            chosen = next((c for c in candidates if c.info is winner), None)
            if chosen is not None:
                invited = self._invited_in(period)
                if invited and unit not in invited:
                    self.report(chosen.where, rules.not_invited(unit, period))
            if len(candidates) == 1:
                continue
            by_info = {id(c.info): c for c in candidates}
            for info, finding, reason in rules.competing_returns([c.info for c in candidates], winner):
                candidate = by_info[id(info)]
                self.report(candidate.where, finding)
                if reason is not None:
                    self.left_out(candidate.where.file, reason, answers=self._answers_of(candidate), returns=1)

    def _answers_of(self, candidate: _Candidate) -> int:
        """How many answers (and 'other' entries and comments) a return set aside held."""
        if candidate.answers >= 0:
            return candidate.answers
        evidence, position = candidate.target
        held = sum(answers[position] != NO_ANSWER for answers in evidence.answers.values())
        return held + len(evidence.others) + len(evidence.comments)

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
        """Work out where each conditional question applies, once, and set aside answers given elsewhere."""
        applicability = Applicability(self._questions, evidence)
        evidence.not_applicable.update(applicability.all())
        unit_of = self.unit_ids
        for question_id, not_met in evidence.not_applicable.items():
            answers = evidence.answers.get(question_id)
            if answers is None:
                continue
            for position in _answered_where_not_met(answers, not_met):
                excluded = evidence.excluded.setdefault(question_id, bytearray(len(answers)))
                excluded[position] = 1
                condition, given = applicability.unmet_condition(question_id, position)
                unit = unit_of[position]
                parent = self._questions[condition.indicator]
                said = _what_it_said(parent, given, evidence.answers.get(parent.id), position)
                file = evidence.returns[unit].location.file
                self.warn(
                    Where(file, evidence.lines[question_id][position], field=question_id),
                    f"answer to {question_id} from unit {unit!r} kept but left out of figures: it applies only "
                    f"where {condition.indicator} is {' or '.join(condition.in_)}, and this return {said}",
                )


def _answered_where_not_met(answers: bytearray, not_met: bytearray) -> list[int]:
    """Positions with an answer where the question does not apply (found with bytes.find, not a loop)."""
    answered = int.from_bytes(answers.translate(_ANSWERED), "big")
    both = (answered & int.from_bytes(not_met, "big")).to_bytes(len(answers), "big")
    found: list[int] = []
    position = both.find(1)
    while position >= 0:
        found.append(position)
        position = both.find(1, position + 1)
    return found


def _what_it_said(parent: Question, counting: int, raw: bytearray | None, position: int) -> str:
    """How a return stands on the parent question, for the message about a condition not met."""
    if counting != NO_ANSWER:
        return f"answered {parent.scale.options[counting].label!r}"
    if raw is not None and raw[position] != NO_ANSWER:
        label = parent.scale.options[raw[position]].label
        return f"answered {label!r}, an answer left out of figures itself, as {parent.id} does not apply to it"
    return "did not answer it"
