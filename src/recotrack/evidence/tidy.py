"""The tidy CSV layout, ``unit,period,indicator,answer``, checked by distinct values rather than by rows.

A national file holds millions of rows but a few thousand returns and a few hundred question–answer
pairs. So each column is encoded once (polars), every distinct ``(period, unit)`` is started as a
return and every distinct ``(question, answer, period)`` judged by the builder's own rules, in Python,
once; the verdicts are spread back over the rows (numpy), duplicates found by first occurrence, and
the answers stored straight into the builder's arrays. Only rows with a problem become problems,
each with its line, in file order, worded exactly as a row-by-row reader would word them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from recotrack.errors import Finding
from recotrack.evidence import rules
from recotrack.evidence._columns import answer_views, grouped
from recotrack.evidence._csv_table import CsvTable
from recotrack.evidence.builder import EvidenceBuilder, Refusal, ReturnsLimit, Target, Where
from recotrack.evidence.model import PeriodEvidence, ReturnInfo

TIDY_COLUMNS = ("unit", "period", "indicator", "answer")
RETURN_COLUMNS = ("submitted", "completed_by", "supersedes")
_TRUE = {"true", "yes", "1", "y"}

Codes = npt.NDArray[np.signedinteger[Any]]
"""Row-long arrays of integer keys: 32-bit when their range allows (most files), else 64-bit."""

_BLOCK = 1 << 20
"""Rows judged and stored at a time: the arrays that work on rows (keys, groups, sorts) hold one block's."""

# What became of each row, in the order the rules apply.
_STORED, _NO_ANSWER, _NOT_READ, _SPACED_ID, _REFUSED, _OUTSIDE_AUDIENCE, _SECOND_ANSWER = range(7)


def read_tidy(
    builder: EvidenceBuilder, shown: str, table: CsvTable, names: list[str], default_period: str | None
) -> None:
    """Check and store the rows of a tidy CSV (``names``: its header, lower-cased and stripped)."""
    if table.height == 0:
        return
    columns = {name: index for index, name in enumerate(names)}
    reading = _TidyRows(builder, shown, table, columns, builder.file_period(shown, default_period))
    reading.start_returns()
    reading.judge_answers()
    reading.report_rows()
    reading.store()


def _keys(high: npt.NDArray[Any], count: int, low: npt.NDArray[Any]) -> Codes:
    """``high * count + low`` per row, in 32 bits when every key fits (half the memory of 64), else 64."""
    wide = (int(high.max(initial=0)) + 1) * count > np.iinfo(np.int32).max
    keys: Codes = high.astype(np.int64 if wide else np.int32)
    keys *= count
    keys += low
    return keys


def _distinct(values: Codes, space: int) -> tuple[Codes, Codes, Codes]:
    """The distinct ``values`` in order of first appearance, the row each first appears at, and each row's group.

    ``space`` bounds the values (all lie in ``range(space)``). Rows usually come in runs of one value
    (a return's answers together): when runs are few, the work is done once per run.
    """
    if len(values) > 1:
        changes = values[1:] != values[:-1]
        if np.count_nonzero(changes) < len(values) // 4:
            starts = np.concatenate((np.zeros(1, dtype=np.int64), np.flatnonzero(changes) + 1))
            found, first_runs, run_group = _distinct_rows(values[starts], space)
            return found, starts[first_runs], np.repeat(run_group, np.diff(starts, append=len(values)))
    return _distinct_rows(values, space)


def _distinct_rows(values: Codes, space: int) -> tuple[Codes, Codes, Codes]:
    """:func:`_distinct` row by row: a dense table finds each row's group when it is small enough, a sort when not."""
    firsts = pl.Series(values).arg_unique().to_numpy().astype(np.int64)
    found = values[firsts]
    if space <= max(4 * len(values), 1 << 20):
        group: Codes = np.full(space, -1, dtype=np.int32 if len(found) <= np.iinfo(np.int32).max else np.int64)
        group[found] = np.arange(len(found))
        grouped: Codes = group[values]
        return found, firsts, grouped
    order = np.argsort(found)
    return found, firsts, order[np.searchsorted(found, values, sorter=order)]


class _TidyRows:
    """The rows of one tidy file on their way through the rules (one object per file)."""

    def __init__(
        self,
        builder: EvidenceBuilder,
        shown: str,
        table: CsvTable,
        columns: dict[str, int],
        period_of_file: str | None,
    ) -> None:
        self.builder = builder
        self.shown = shown
        self.table = table
        self.columns = columns
        self.period_of_file = period_of_file
        unit_at, period_at, question_at, answer_at = (columns[name] for name in TIDY_COLUMNS)
        self.periods, self.period_names = table.codes[period_at], table.values[period_at]
        self.units, self.unit_names = table.codes[unit_at], table.values[unit_at]
        self.questions, self.question_names = table.codes[question_at], table.values[question_at]
        self.answers, self.answer_names = table.codes[answer_at], table.values[answer_at]
        self.at_question = Where(shown, 0, question_at + 1, "indicator")
        self.at_answer = Where(shown, 0, answer_at + 1, "answer")
        self.rows = table.height
        """Rows read: fewer than the table's when the returns limit stops the file."""
        self.targets: list[Target | None] = []
        """Each return (a distinct stripped (period, unit)): where its answers go, or None when it was refused."""
        self.key_periods: list[str] = []
        self.key_units: list[str] = []
        self.key_lines: list[int] = []
        self.return_of: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        """Each row's return (an index into ``targets``)."""
        self.outcome = np.zeros(0, dtype=np.int8)
        self.options = np.zeros(0, dtype=np.uint8)
        self.refusals: list[Refusal] = []
        self.refusal_of: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self.question_of: list[str] = []
        """Each distinct question as written → the id it is read as."""
        self.first_lines: dict[int, int] = {}
        """(return, question) answered twice → the line of its first answer, the one kept."""
        self.seconds_of: dict[int, int] = {}
        """Row of a second answer → its (return, question)."""

    # -- returns -------------------------------------------------------------------------------

    def start_returns(self) -> None:
        """Start a return for each distinct (period, unit) at its first row, in file order."""
        builder = self.builder
        width = len(self.unit_names)
        written, firsts, group = _distinct(_keys(self.periods, width, self.units), len(self.period_names) * width)
        first_cells = [self.table.cells(row) for row in firsts.tolist()]
        return_of_written = np.full(len(written), -1, dtype=np.int32)
        started: dict[tuple[str, str], int] = {}
        for index, (value, first, cells) in enumerate(zip(written.tolist(), firsts.tolist(), first_cells, strict=True)):
            period_code, unit_code = divmod(value, width)
            key = (
                self.period_names[period_code].strip() or self.period_of_file or "",
                self.unit_names[unit_code].strip(),
            )
            found = started.get(key)
            if found is None:
                line = self.table.line(first)
                try:
                    target = self._start(line, list(cells), key)
                except ReturnsLimit:
                    builder.returns_limit_reached(Where(self.shown, line))
                    self.rows = first
                    break
                found = started[key] = len(self.targets)
                self.targets.append(target)
                self.key_periods.append(key[0])
                self.key_units.append(key[1])
                self.key_lines.append(line)
            return_of_written[index] = found
        self.return_of = return_of_written[group[: self.rows]]
        self._count_refused()

    def _start(self, line: int, cells: list[str], key: tuple[str, str]) -> Target | None:
        """Start the return of the first row of a (period, unit): where its answers go, or None if refused."""
        builder, columns = self.builder, self.columns
        period, unit = key
        at_period = Where(self.shown, line, columns["period"] + 1, "period")
        if not builder.valid_period(period, at_period) or not builder.stated_period(self.shown, period, at_period):
            builder.left_out(self.shown, "invalid-period", returns=1)
            return None
        where = Where(self.shown, line, columns["unit"] + 1, "unit")
        return builder.start_return(return_info(cells, columns, unit, period, where, builder), where)

    def _count_refused(self) -> None:
        """Count the rows of returns not taken (their reason was reported once, at their first row)."""
        refused = np.array([target is None for target in self.targets], dtype=bool)
        if not refused.any():
            return
        of_refused = self.return_of[refused[self.return_of]]
        filled = ~np.array([not answer.strip() for answer in self.answer_names], dtype=bool)
        answered = self.return_of[refused[self.return_of] & filled[self.answers[: self.rows]]]
        rows = np.bincount(of_refused, minlength=len(self.targets))
        answers = np.bincount(answered, minlength=len(self.targets))
        for key in np.flatnonzero(refused).tolist():
            self.builder.left_out(self.shown, None, int(answers[key]))
            if rows[key] > 1:
                self.builder.warn(
                    Where(self.shown, self.key_lines[key]),
                    f"{rows[key]} rows for unit {self.key_units[key]!r}, period {self.key_periods[key]!r} were not "
                    f"read: their return was not taken (the reason is reported at line {self.key_lines[key]})",
                )

    # -- answers -------------------------------------------------------------------------------

    def judge_answers(self) -> None:
        """Judge each distinct (question, answer, period) once, then each row by its own, a block of rows at a time."""
        known = self.builder.catalog.questions
        spaced = np.zeros(len(self.question_names), dtype=bool)
        for index, written in enumerate(self.question_names):
            if written in known:
                self.question_of.append(written)
                continue
            stripped = written.strip()
            spaced[index] = len(stripped) != len(written) and bool(stripped)
            self.question_of.append(stripped)
        self.outcome = np.full(self.rows, _NOT_READ, dtype=np.int8)
        self.options = np.zeros(self.rows, dtype=np.uint8)
        taken = np.array([target is not None for target in self.targets], dtype=bool)
        judging = _Judging(self, sorted(set(self.key_periods)))
        for start in range(0, self.rows, _BLOCK):
            block = slice(start, min(start + _BLOCK, self.rows))
            questions = self.questions[block]
            returns = self.return_of[block]
            taken_rows = taken[returns]
            spaced_rows = taken_rows & spaced[questions]
            self.outcome[block][spaced_rows] = _SPACED_ID
            judged = taken_rows & ~spaced_rows
            del taken_rows, spaced_rows
            rows_judged: slice | npt.NDArray[np.bool_] = slice(None) if judged.all() else judged
            verdicts, options, refusals = judging.rows(
                questions[rows_judged], self.answers[block][rows_judged], returns[rows_judged]
            )
            self.outcome[block][rows_judged] = verdicts
            self.options[block][rows_judged] = options
            if refusals is not None:
                if not len(self.refusal_of):
                    self.refusal_of = np.full(self.rows, -1, dtype=np.int32)
                self.refusal_of[block][rows_judged] = refusals
        self._check_audiences()
        self._find_second_answers()

    def _check_audiences(self) -> None:
        """Refuse answers from units of a kind their question is not asked of (found once per question and unit)."""
        stored = np.flatnonzero(self.outcome == _STORED)
        if not any(q.audience for q in self.builder.catalog.questions.values()) or not len(stored):
            return
        pairs = _keys(self.questions[stored], len(self.targets), self.return_of[stored])
        found, _, group = _distinct(pairs, len(self.question_names) * len(self.targets))
        outside = np.zeros(len(found), dtype=bool)
        for index, value in enumerate(found.tolist()):
            question, key = divmod(value, len(self.targets))
            target = self.targets[key]
            assert target is not None
            outside[index] = self.builder.outside_audience(self.question_of[question], target[1]) is not None
        self.outcome[stored[outside[group]]] = _OUTSIDE_AUDIENCE

    def _find_second_answers(self) -> None:
        """A second answer to a question in one return is refused; the first, in file order, is kept."""
        kept = self.outcome == _STORED
        count = int(np.count_nonzero(kept))
        if not count:
            return
        # A stored answer names a catalog id exactly as written, so the question as written is the question.
        answered = _keys(self.return_of[kept], len(self.question_names), self.questions[: self.rows][kept])
        space = len(self.targets) * len(self.question_names)
        if space <= max(4 * count, 1 << 20):
            seen = np.zeros(space, dtype=bool)
            seen[answered] = True
            if np.count_nonzero(seen) == count:
                return  # every (return, question) answered once: the usual file, told without hashing
            del seen
        first = pl.Series(answered).is_first_distinct().to_numpy()
        if first.all():
            return
        stored = np.flatnonzero(kept)
        seconds = stored[~first]
        self.outcome[seconds] = _SECOND_ANSWER
        again = set(answered[~first].tolist())
        self.first_lines = {
            value: self.table.line(row)
            for value, row in zip(answered[first].tolist(), stored[first].tolist(), strict=True)
            if value in again
        }
        self.seconds_of = dict(zip(seconds.tolist(), answered[~first].tolist(), strict=True))

    # -- problems ------------------------------------------------------------------------------

    def report_rows(self) -> None:
        """Report each row's problem at its line; what each left out is counted once per reason.

        The file's first problems, as many as the ``errors`` limit keeps, are worded, those of one
        wrong value (or one spaced id) together; the rest are only counted, also together: a flood
        costs little more than its count.
        """
        problems = np.flatnonzero(self.outcome >= _SPACED_ID)
        room = self.builder.problems.room(self.shown)
        left_out: Counter[str] = Counter()
        self._word(problems[:room], left_out)
        self._count_past_limit(problems[room:], left_out)
        for reason, count in left_out.items():
            self.builder.left_out(self.shown, reason, count, times=count)

    def _word(self, rows: npt.NDArray[np.intp], left_out: Counter[str]) -> None:
        builder, kinds = self.builder, self.outcome[rows]
        refused = rows[kinds == _REFUSED]
        for index, same in grouped(refused, self.refusal_of[refused]):
            found = self.refusals[index]
            builder.report_lines(self.at_answer, found.finding, self.table.lines_of(same).tolist())
            if found.reason is not None:
                left_out[found.reason] += len(same)
        spaced = rows[kinds == _SPACED_ID]
        for code, same in grouped(spaced, self.questions[spaced]):
            finding = rules.spaced_id(self.question_names[code])
            builder.report_lines(self.at_question, finding, self.table.lines_of(same).tolist())
            left_out["unknown-question"] += len(same)
        self._report_one_by_one(rows[kinds > _REFUSED], left_out)

    def _count_past_limit(self, rows: npt.NDArray[np.intp], left_out: Counter[str]) -> None:
        """Count the problems of ``rows``, past the ``errors`` limit: refused answers and spaced ids in bulk."""
        sink, kinds = self.builder.problems, self.outcome[rows]
        refused = rows[kinds == _REFUSED]
        if len(refused):
            for index, count in enumerate(np.bincount(self.refusal_of[refused]).tolist()):
                if count:
                    found = self.refusals[index]
                    sink.count(self.shown, found.finding.severity, count)
                    if found.reason is not None:
                        left_out[found.reason] += count
        spaced = rows[kinds == _SPACED_ID]
        if len(spaced):
            for code, count in enumerate(np.bincount(self.questions[spaced]).tolist()):
                if count:
                    sink.count(self.shown, rules.spaced_id(self.question_names[code]).severity, count)
                    left_out["unknown-question"] += count
        self._report_one_by_one(rows[kinds > _REFUSED], left_out)

    def _report_one_by_one(self, rows: npt.NDArray[np.intp], left_out: Counter[str]) -> None:
        """Answers from outside a question's audience, and second answers: each its own message."""
        builder, at_answer = self.builder, self.at_answer
        for row in rows.tolist():
            where = Where(self.shown, self.table.line(row), at_answer.column, at_answer.field)
            question = self.question_of[self.questions[row]]
            if self.outcome[row] == _OUTSIDE_AUDIENCE:
                target = self.targets[self.return_of[row]]
                assert target is not None
                outside = builder.outside_audience(question, target[1])
                assert outside is not None
                builder.report(where, outside)
            else:
                raw = self.answer_names[self.answers[row]].strip()
                builder.report(where, rules.second_answer(question, raw, self.first_lines[self.seconds_of[row]]))
                left_out["second-answer"] += 1

    # -- storing -------------------------------------------------------------------------------

    def store(self) -> None:
        """Write the answers kept into their returns' arrays, question by question, a block of rows at a time."""
        if not np.any(self.outcome == _STORED):
            return
        places: list[PeriodEvidence] = []
        evidence_of_return = np.full(len(self.targets), -1, dtype=np.int32)
        position_of_return = np.zeros(len(self.targets), dtype=np.int32)
        for key, target in enumerate(self.targets):
            if target is not None:
                index = next((i for i, place in enumerate(places) if place is target[0]), len(places))
                if index == len(places):
                    places.append(target[0])
                evidence_of_return[key], position_of_return[key] = index, target[1]
        for start in range(0, self.rows, _BLOCK):
            self._store_block(start, places, evidence_of_return, position_of_return)

    def _store_block(
        self,
        start: int,
        places: list[PeriodEvidence],
        evidence_of_return: npt.NDArray[np.int32],
        position_of_return: npt.NDArray[np.int32],
    ) -> None:
        """Store one block's answers: sorted by (period, question), each group written with one array assignment.

        Each (return, question) is answered once in a file (second answers are refused), so blocks are
        independent; they bound the sort's memory, and they come in file order, so the first line
        noted of a withdrawn question is the file's first.
        """
        kept = np.flatnonzero(self.outcome[start : start + _BLOCK] == _STORED) + start
        if not len(kept):
            return
        returns = self.return_of[kept]
        questions = len(self.question_names)
        groups = evidence_of_return[returns] * questions + self.questions[kept]
        if len(places) * questions <= 1 << 16:
            groups = groups.astype(np.uint16)  # a stable sort of 16-bit keys is a radix sort: linear
        order = np.argsort(groups, kind="stable")
        groups, rows = groups[order], kept[order]
        bounds = np.flatnonzero(np.diff(groups)) + 1
        for chunk in np.split(rows, bounds):
            first = int(chunk[0])
            evidence = places[int(evidence_of_return[self.return_of[first]])]
            question = self.question_of[self.questions[first]]
            positions = position_of_return[self.return_of[chunk]]
            answers, lines = answer_views(evidence, question)
            answers[positions] = self.options[chunk]
            lines[positions] = self.table.lines_of(chunk)
            self.builder.note_withdrawn(evidence.period, question)


class _Judging:
    """Verdicts on (question, answer, period) keys: each distinct key judged once by the builder, for the whole file."""

    def __init__(self, reading: _TidyRows, period_names: list[str]) -> None:
        self.reading = reading
        self.period_names = period_names
        code = {name: code for code, name in enumerate(period_names)}
        self.period_of_return = np.array([code[name] for name in reading.key_periods], dtype=np.int32)
        self.answers = len(reading.answer_names)
        self.pairs = len(reading.question_names) * self.answers
        self.known: dict[tuple[int, int, int], tuple[int, int, int]] = {}
        """(question code, answer code, period) → (outcome, option, refusal index)."""

    def rows(
        self, questions: npt.NDArray[Any], answers: npt.NDArray[Any], returns: npt.NDArray[Any]
    ) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.uint8], npt.NDArray[np.int32] | None]:
        """Each row's outcome, option and refusal (None when no row is refused), from its key's verdict."""
        keys = _keys(questions, self.answers, answers)
        periods = len(self.period_names)
        space = self.pairs
        pair_values: Codes | None = None
        if periods > 1:  # the period matters only to questions asked in some periods
            if space * periods < 1 << 62:
                keys = _keys(keys, periods, self.period_of_return[returns])
                space *= periods
            else:  # too many (question, answer) pairs for one key with the period: pairs first, then periods
                pair_values, _, pair_of = _distinct(keys, space)
                keys = _keys(pair_of, periods, self.period_of_return[returns])
                space = len(pair_values) * periods
        found, _, group = _distinct(keys, max(space, 1))
        del keys
        verdicts = np.empty(len(found), dtype=np.int8)
        options = np.empty(len(found), dtype=np.uint8)
        refusal_of = np.empty(len(found), dtype=np.int32)
        for index, value in enumerate(found.tolist()):
            pair, period = divmod(value, periods)
            if pair_values is not None:
                pair = int(pair_values[pair])
            question, answer = divmod(pair, self.answers)
            verdicts[index], options[index], refusal_of[index] = self._verdict(question, answer, period)
        refused = refusal_of[group] if np.any(refusal_of >= 0) else None
        return verdicts[group], options[group], refused

    def _verdict(self, question: int, answer: int, period: int) -> tuple[int, int, int]:
        key = (question, answer, period)
        found = self.known.get(key)
        if found is None:
            reading = self.reading
            verdict = reading.builder.judge(
                reading.question_of[question], reading.answer_names[answer], self.period_names[period]
            )
            if isinstance(verdict, Refusal):
                found = (_REFUSED, 0, len(reading.refusals))
                reading.refusals.append(verdict)
            elif verdict is not None:
                found = (_STORED, verdict, -1)
            else:
                found = (_NO_ANSWER, 0, -1)
            self.known[key] = found
        return found


def return_info(
    row: Sequence[str], columns: dict[str, int], unit: str, period: str, where: Where, builder: EvidenceBuilder
) -> ReturnInfo:
    """A return as its CSV row describes it (the optional ``submitted``, ``completed_by`` and ``supersedes`` cells)."""
    submitted = None
    if "submitted" in columns and row[columns["submitted"]].strip():
        date = rules.submitted_date(row[columns["submitted"]].strip())
        if isinstance(date, Finding):
            builder.report(Where(where.file, where.line, columns["submitted"] + 1, "submitted"), date)
        else:
            submitted = date
    completed_by = row[columns["completed_by"]].strip() or None if "completed_by" in columns else None
    supersedes = "supersedes" in columns and row[columns["supersedes"]].strip().lower() in _TRUE
    return ReturnInfo(unit, period, where.location, completed_by, submitted, supersedes)


__all__ = ["RETURN_COLUMNS", "TIDY_COLUMNS", "read_tidy", "return_info"]
