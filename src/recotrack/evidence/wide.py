"""The wide CSV layout: a ``unit`` column, maybe ``period``, then one column per question; a return per row.

Returns are started row by row, in file order, as the builder's rules need (a few thousand rows).
The answers (rows times questions: millions of cells) are judged once per distinct (question,
answer, period) and stored a column at a time with numpy; only cells with a problem become
problems, each at its line and column. Rows are taken in segments in which no (period, unit) comes
twice, so that a unit's later return (a correction) meets the earlier one's answers already stored,
as it would reading row by row.
"""

from __future__ import annotations

import csv

import numpy as np
import numpy.typing as npt

from recotrack._text import LineTooLong
from recotrack.evidence import rules
from recotrack.evidence._columns import answer_views, grouped
from recotrack.evidence._csv_table import CsvParser, CsvTable
from recotrack.evidence.builder import EvidenceBuilder, Refusal, ReturnsLimit, Target, Where
from recotrack.evidence.model import NO_ANSWER, PeriodEvidence
from recotrack.evidence.tidy import RETURN_COLUMNS, return_info
from recotrack.model import normalise_label

__all__ = ["read_wide"]

Rows = npt.NDArray[np.int64]


def read_wide(
    builder: EvidenceBuilder,
    shown: str,
    parser: CsvParser,
    header: list[str],
    names: list[str],
    default_period: str | None,
) -> None:
    """Check and store the returns of a wide CSV (``names``: its header, lower-cased and stripped)."""
    columns = {name: index for index, name in enumerate(names)}
    structural = frozenset(columns[name] for name in ("unit", "period", *RETURN_COLUMNS) if name in columns)
    file_period = builder.file_period(shown, default_period)
    if "period" not in columns and file_period is None:
        builder.error(
            Where(shown, 1, 1),
            "the wide CSV has no `period` column and no period is given for it; the file is not read",
            expected="a `period` column, the file's period in the catalog's `evidence:` manifest, or "
            "--default-period on the command line",
        )
        _count_unread(builder, shown, parser, len(names), structural, "no-period")
        return
    if "period" not in columns and not (
        builder.valid_period(str(file_period), Where(shown, 1, 1))
        and builder.period_known(str(file_period), Where(shown, 1, 1))
    ):
        _count_unread(builder, shown, parser, len(names), structural, "invalid-period")
        return
    questions: list[tuple[int, str]] = []
    unread: set[int] = set()
    for index, (name, title) in enumerate(zip(names, header, strict=True)):
        if name in ("unit", "period", *RETURN_COLUMNS):
            continue
        if title in builder.catalog.questions:
            question: str | None = title
        elif title.strip() in builder.catalog.questions:
            builder.report(Where(shown, 1, index + 1, "header"), rules.spaced_id(title))
            builder.left_out(shown, "unknown-question", 1)
            unread.add(index)
            continue
        else:
            question = builder.column_map.get(normalise_label(title))
        if question is None:
            builder.report(Where(shown, 1, index + 1, "header"), builder.rules.unread_column(title.strip()))
            builder.left_out(shown, "unknown-question")
            unread.add(index)
            continue
        questions.append((index, question))
    table = parser.table(len(names), lambda row: (_filled(row, structural), 1))
    _WideRows(builder, shown, table, columns, questions, structural | unread, file_period).read(sorted(unread))


def _filled(row: list[str], skip: frozenset[int] = frozenset()) -> int:
    """Cells with something in them, outside the columns ``skip`` (unit, period...): the answers a row holds."""
    return sum(1 for index, cell in enumerate(row) if index not in skip and cell.strip())


def _count_unread(
    builder: EvidenceBuilder, shown: str, parser: CsvParser, width: int, structural: frozenset[int], reason: str
) -> None:
    """Count the returns and answers of a wide CSV that is not read, so that the report can say what it left out."""
    returns = answers = 0
    try:
        for row in parser.raw_rows():
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            returns += 1
            answers += _filled(row[:width], structural)
    except (csv.Error, LineTooLong) as exc:
        parser.stop(exc)
    builder.left_out(shown, reason, answers, returns)


class _WideRows:
    """The rows of one wide file on their way through the rules (one object per file)."""

    def __init__(
        self,
        builder: EvidenceBuilder,
        shown: str,
        table: CsvTable,
        columns: dict[str, int],
        questions: list[tuple[int, str]],
        not_answers: frozenset[int],
        file_period: str | None,
    ) -> None:
        self.builder = builder
        self.shown = shown
        self.table = table
        self.columns = columns
        self.questions = questions
        self.not_answers = not_answers
        """Columns whose cells are not answers read: unit, period, return columns, and columns not read."""
        self.file_period = file_period
        self.structural = [columns[name] for name in ("unit", "period", *RETURN_COLUMNS) if name in columns]
        self.filled = [np.array([bool(text.strip()) for text in texts], dtype=bool) for texts in table.values]
        """Per column, per distinct text: whether it holds something."""
        self.targets: list[Target | None] = []
        """Each row read: where its answers go, or None when its return was not taken."""
        self.periods: list[str] = []
        """Each row read: its return's period ('' when not taken)."""
        self.verdicts: dict[tuple[int, int, str], int | Refusal | None] = {}
        """(column, text code, period) → what the answer comes to (see ``EvidenceBuilder.judge``)."""

    def _cell(self, column: int, row: int) -> str:
        return self.table.values[column][int(self.table.codes[column][row])]

    def _answers_held(self, row: int) -> int:
        return sum(
            int(self.filled[column][self.table.codes[column][row]])
            for column in range(len(self.table.header))
            if column not in self.not_answers
        )

    def read(self, unread: list[int]) -> None:
        """Start each row's return in file order, storing the answers of each segment before the next begins."""
        builder, shown, columns = self.builder, self.shown, self.columns
        width = len(self.table.header)
        period_at = columns.get("period")
        segment = 0
        seen: set[tuple[str, str]] = set()
        stop = self.table.height
        for row in range(self.table.height):
            line = self.table.line(row)
            period = self._cell(period_at, row).strip() if period_at is not None else self.file_period
            assert period is not None
            if period_at is not None:
                at_period = Where(shown, line, period_at + 1, "period")
                if not period and self.file_period is not None:
                    period = self.file_period
                elif not builder.valid_period(period, at_period) or not builder.stated_period(shown, period, at_period):
                    builder.left_out(shown, "invalid-period", self._answers_held(row), 1)
                    self._skip()
                    continue
            unit = self._cell(columns["unit"], row).strip()
            if (period, unit) in seen:
                self._store(segment, row)
                segment = row
                seen.clear()
            seen.add((period, unit))
            cells = [""] * width  # what ``return_info`` reads: the unit, period and return columns
            for column in self.structural:
                cells[column] = self._cell(column, row)
            where = Where(shown, line, columns["unit"] + 1, "unit")
            try:
                target = builder.start_return(return_info(cells, columns, unit, period, where, builder), where)
            except ReturnsLimit:
                builder.returns_limit_reached(Where(shown, line))
                stop = row + 1  # its cells of unread columns were counted, row by row, before the limit was met
                break
            if target is None:
                builder.left_out(shown, None, self._answers_held(row))
                self._skip()
                continue
            self.targets.append(target)
            self.periods.append(period)
        self._store(segment, len(self.targets))
        for column in unread:
            held = int(np.count_nonzero(self.filled[column][self.table.codes[column][:stop]]))
            builder.left_out(shown, None, held)

    def _skip(self) -> None:
        self.targets.append(None)
        self.periods.append("")

    def _store(self, start: int, end: int) -> None:
        """Judge and store the answers of rows ``start`` to ``end`` (their returns all distinct), column by column."""
        taken = [row for row in range(start, end) if self.targets[row] is not None]
        if not taken:
            return
        rows: Rows = np.array(taken, dtype=np.int64)
        places: list[PeriodEvidence] = []
        evidence_of = np.zeros(len(taken), dtype=np.int64)
        positions = np.zeros(len(taken), dtype=np.int64)
        for at, row in enumerate(taken):
            target = self.targets[row]
            assert target is not None
            index = next((i for i, place in enumerate(places) if place is target[0]), len(places))
            if index == len(places):
                places.append(target[0])
            evidence_of[at], positions[at] = index, target[1]
        period_names = sorted({self.periods[row] for row in taken})
        period_code = {name: code for code, name in enumerate(period_names)}
        period_of = np.array([period_code[self.periods[row]] for row in taken], dtype=np.int64)
        lines = self.table.lines_of(rows)
        for column, question in self.questions:
            self._store_column(column, question, rows, lines, period_names, period_of, places, evidence_of, positions)

    def _store_column(
        self,
        column: int,
        question: str,
        rows: Rows,
        lines: npt.NDArray[np.uint32],
        period_names: list[str],
        period_of: Rows,
        places: list[PeriodEvidence],
        evidence_of: Rows,
        positions: Rows,
    ) -> None:
        builder, texts = self.builder, self.table.values[column]
        at = Where(self.shown, 0, column + 1, question)
        keys = self.table.codes[column][rows].astype(np.int64) * len(period_names) + period_of
        distinct, group = np.unique(keys, return_inverse=True)
        options = np.zeros(len(distinct), dtype=np.int64)
        kept = np.zeros(len(distinct), dtype=bool)
        refused: dict[int, Refusal] = {}
        for index, key in enumerate(distinct.tolist()):
            code, period = divmod(key, len(period_names))
            verdict = self._judge(column, question, code, period_names[period])
            if isinstance(verdict, Refusal):
                refused[index] = verdict
            elif verdict is not None:
                kept[index], options[index] = True, verdict
        if refused:  # a wrong value: every row that gave it, worded at once
            is_refused = np.zeros(len(distinct), dtype=bool)
            is_refused[list(refused)] = True
            at_rows = np.flatnonzero(is_refused[group])
            room = builder.problems.room(self.shown)  # the rows kept are the first, whatever the values' order
            for part in (at_rows[:room], at_rows[room:]):
                for index, same in grouped(part, group[part]):
                    refusal = refused[index]
                    builder.report_lines(at, refusal.finding, lines[same].tolist())
                    if refusal.reason is not None:
                        builder.left_out(self.shown, refusal.reason, len(same), times=len(same))
        stored = kept[group]
        if builder.catalog.questions[question].audience:
            for at_row in np.flatnonzero(stored).tolist():
                outside = builder.outside_audience(question, int(positions[at_row]))
                if outside is not None:
                    builder.report(at._replace(line=int(lines[at_row])), outside)
                    stored[at_row] = False
        for index, evidence in enumerate(places):
            chosen = np.flatnonzero(stored & (evidence_of == index))
            if not len(chosen):
                continue
            answers, line_numbers = answer_views(evidence, question)
            again = answers[positions[chosen]] != NO_ANSWER
            for at_row in chosen[again].tolist():  # the same question in an earlier column of the row
                raw = texts[self.table.codes[column][rows[at_row]]].strip()
                first = int(line_numbers[positions[at_row]])
                builder.report(at._replace(line=int(lines[at_row])), rules.second_answer(question, raw, first))
                builder.left_out(self.shown, "second-answer", 1)
            chosen = chosen[~again]
            if not len(chosen):
                continue
            answers[positions[chosen]] = options[group[chosen]]
            line_numbers[positions[chosen]] = lines[chosen]
            builder.note_withdrawn(evidence.period, question)

    def _judge(self, column: int, question: str, code: int, period: str) -> int | Refusal | None:
        key = (column, code, period)
        if key not in self.verdicts:
            self.verdicts[key] = self.builder.judge(question, self.table.values[column][code].strip(), period)
        return self.verdicts[key]
