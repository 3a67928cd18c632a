"""The row-by-row CSV reader that recotrack used before its columnar one: the slow reference, for tests only.

Hypothesis feeds the same files to both (tests/test_csv_reference.py), which must give the same
problems, the same left-out counts and the same answers. It reads through the same builder, so
only how rows are found and checked differs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from recotrack._text import EncodingRefused, sniff
from recotrack.errors import Finding
from recotrack.evidence import rules
from recotrack.evidence.builder import EvidenceBuilder, ReturnsLimit, Target, Where
from recotrack.evidence.model import ReturnInfo, SourceFile
from recotrack.inputs import InputRefused, InputRegistry
from recotrack.limits import how_to_raise
from recotrack.model import normalise_label

TIDY_COLUMNS = ("unit", "period", "indicator", "answer")
RETURN_COLUMNS = ("submitted", "completed_by", "supersedes")
_TRUE = {"true", "yes", "1", "y"}
_REMEMBERED = 100_000


def read_csv_evidence(builder: EvidenceBuilder, inputs: InputRegistry, path: Path, default_period: str | None) -> None:
    """Read one CSV file, recording it in ``inputs`` with the SHA-256 taken in the encoding check's pass.

    The file is read twice, as a stream each time (the encoding check, then the rows), and within
    the limits of ``inputs.limits``: its size, the length of a line, the cells of a row, the returns.
    """
    shown = inputs.shown(path)
    limits = inputs.limits
    try:
        stream, _ = inputs.open(path, limits.csv_bytes, "csv-bytes")
        with stream:
            sniffed = sniff(stream)
    except InputRefused as exc:
        inputs.record(path, "evidence", None)
        builder.error(Where(shown, 0), exc.message, expected=exc.expected)
        builder.left_out(shown, "unreadable-file")
        return
    except EncodingRefused as exc:
        inputs.record(path, "evidence", None)
        builder.error(Where(shown, exc.line, 1), str(exc), expected=exc.expected)
        builder.left_out(shown, "encoding")
        return
    except OSError as exc:
        inputs.record(path, "evidence", None)
        builder.error(Where(shown, 0), f"cannot read file: {exc.strerror or exc}")
        builder.left_out(shown, "unreadable-file")
        return
    inputs.record(path, "evidence", sniffed.sha256)
    csv.field_size_limit(limits.cell_bytes)
    line_num = 0
    try:
        binary, _ = inputs.open(path, limits.csv_bytes, "csv-bytes")
        with io.TextIOWrapper(binary, encoding=sniffed.encoding, newline="") as text:
            reader = csv.reader(_lines(text, limits.line_bytes), strict=True)  # a quote cut by the end is an error
            try:
                header = next(reader, None)
                if header is None:
                    builder.error(
                        Where(shown, 0), "the CSV file is empty", expected="a header row, then one row per answer"
                    )
                    return
                if len(header) > limits.columns:
                    builder.error(
                        Where(shown, 1, 1),
                        f"the header has {len(header):,} columns, more than the limit columns ({limits.columns:,}); "
                        "the file is not read",
                        expected=how_to_raise("columns"),
                    )
                    builder.left_out(shown, "limit")
                    return
                names = [cell.strip().lower() for cell in header]
                layout = "tidy" if all(c in names for c in TIDY_COLUMNS) else "wide"
                builder.evidence.sources.append(SourceFile(shown, f"csv-{layout}", sniffed.sha256, sniffed.encoding))
                if layout == "tidy":
                    _read_tidy(builder, shown, reader, names, default_period)
                elif "unit" in names:
                    _read_wide(builder, shown, reader, header, names, default_period)
                else:
                    builder.error(
                        Where(shown, 1, 1),
                        "unrecognised CSV layout",
                        ", ".join(header[:6])[:200],
                        "a tidy header `unit,period,indicator,answer` or a wide one starting with `unit`",
                    )
                    builder.left_out(shown, "layout")
            except csv.Error as exc:
                builder.error(
                    Where(shown, reader.line_num),
                    f"the CSV cannot be read from here on: {exc}",
                    expected=f"well-formed CSV (check quotes; a cell is at most {limits.cell_bytes:,} characters: "
                    f"{how_to_raise('cell-bytes')})",
                )
                builder.left_out(shown, "malformed-csv")
            except _LineTooLong:
                builder.error(
                    Where(shown, reader.line_num + 1),
                    f"a line longer than the limit line-bytes ({limits.line_bytes:,} characters); "
                    "the file is not read from here on",
                    expected=how_to_raise("line-bytes"),
                )
                builder.left_out(shown, "limit")
            except ReturnsLimit:
                builder.error(
                    Where(shown, reader.line_num),
                    f"more returns than the limit returns ({limits.returns:,}); the file is not read from here on",
                    expected=how_to_raise("returns"),
                )
                builder.left_out(shown, "limit")
            line_num = reader.line_num
    except InputRefused as exc:  # swapped for something else since the first pass
        builder.error(Where(shown, 0), exc.message, expected=exc.expected)
        builder.left_out(shown, "unreadable-file")
    except (OSError, UnicodeDecodeError) as exc:  # changed since the first pass
        builder.error(Where(shown, line_num), f"the file changed while it was read: {exc}")
        builder.left_out(shown, "unreadable-file")


class _LineTooLong(Exception):
    pass


def _lines(text: TextIO, limit: int) -> Iterator[str]:
    """The lines of ``text``, refusing one longer than ``limit`` before more of it is read."""
    readline = text.readline
    while line := readline(limit):
        if len(line) == limit and not line.endswith(("\n", "\r")):
            raise _LineTooLong
        yield line


def _rows(
    reader: Iterator[list[str]],
    width: int,
    builder: EvidenceBuilder,
    shown: str,
    line_of: Callable[[], int],
    skip: frozenset[int] = frozenset(),
) -> Iterator[tuple[int, list[str]]]:
    """The rows of a wide CSV that fit its header (one return each); those that do not are reported and counted."""
    for row in reader:
        if len(row) != width and _skipped(row, width, builder, shown, line_of()):
            if len(row) > 1 or (row and row[0].strip()):
                builder.left_out(shown, None, _filled(row, skip), 1)
            continue
        yield line_of(), row


def _filled(row: list[str], skip: frozenset[int] = frozenset()) -> int:
    """Cells with something in them, outside the columns ``skip`` (unit, period...): the answers a row holds."""
    return sum(1 for index, cell in enumerate(row) if index not in skip and cell.strip())


def _skipped(row: list[str], width: int, builder: EvidenceBuilder, shown: str, line: int) -> bool:
    """Whether a row that does not fit the header is left out: blank rows silently, the others reported.

    Empty cells past the header (trailing commas from a spreadsheet) are harmless; anything else past
    it means the row does not line up (often an unquoted comma), so none of it can be trusted.
    """
    if not row or (len(row) == 1 and not row[0].strip()):
        return True
    if len(row) < width:
        builder.error(
            Where(shown, line),
            f"the row has {len(row)} cells, the header {width}",
            expected="a cell for every column (empty is fine)",
        )
        builder.left_out(shown, "malformed-row")
        return True
    if any(cell.strip() for cell in row[width:]):
        builder.error(
            Where(shown, line),
            f"the row has {len(row):,} cells, the header {width:,}; the row is not read",
            found=repr(",".join(row[width:])[:80]),
            expected="a cell per column (put text with commas in double quotes)",
        )
        builder.left_out(shown, "malformed-row")
        return True
    return False


def _return_info(
    row: list[str], columns: dict[str, int], unit: str, period: str, where: Where, builder: EvidenceBuilder
) -> ReturnInfo:
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


def _read_tidy(builder: EvidenceBuilder, shown: str, reader: Any, names: list[str], default_period: str | None) -> None:
    # The hot path of large files: one pass, one dict lookup per row to find its return, and the
    # answer handed to the builder, which checks and stores it. Nothing is kept per row.
    columns = {name: index for index, name in enumerate(names)}
    unit_at, period_at, question_at, answer_at = (columns[c] for c in TIDY_COLUMNS)
    width = len(names)
    started: dict[tuple[str, str], Target | None] = {}
    """(period, unit) → where its answers go, or None when its return was refused."""
    seen: dict[tuple[str, str], Target] = {}
    """(period, unit) as written, spaces and all → where its answers go: found again without stripping."""
    known = builder.catalog.questions
    refused_rows: dict[tuple[str, str], tuple[int, int, int]] = {}
    """(period, unit) of a return not read → (rows left out, answers in them, line of its first row)."""
    answer = builder.answer
    place = Where(shown, 0, answer_at + 1, "answer")
    period_of_file = builder.file_period(shown, default_period)
    try:  # (fixed 2026-12-07: a file that broke later lost the count of its refused returns' answers)
        for row in reader:
            if len(row) != width and _skipped(row, width, builder, shown, reader.line_num):
                if len(row) > 1 or (row and row[0].strip()):
                    builder.left_out(shown, None, 1)
                continue
            line = reader.line_num
            written = (row[period_at], row[unit_at])
            target = seen.get(written)
            if target is None:
                key = (written[0].strip() or period_of_file or "", written[1].strip())
                target = started.get(key)
                if target is not None and len(seen) < _REMEMBERED and len(written[0]) + len(written[1]) < 200:
                    seen[written] = target
            if target is None:
                if key not in started:
                    target = _start_tidy_return(builder, shown, line, row, columns, key)
                    if target is not None or (len(refused_rows) < _REMEMBERED and len(key[0]) + len(key[1]) < 200):
                        started[key] = target  # refused ones beyond the bound are refused (and reported) again
                if target is None:
                    if key not in started:
                        builder.left_out(shown, None, bool(row[answer_at].strip()))
                        continue
                    count, filled, first = refused_rows.get(key, (0, 0, line))
                    refused_rows[key] = (count + 1, filled + bool(row[answer_at].strip()), first)
                    continue
            question = row[question_at]
            if question not in known:
                stripped = question.strip()
                if len(stripped) != len(question) and stripped:
                    _spaced_id(builder, Where(shown, line, question_at + 1, "indicator"), question)
                    continue
                question = stripped
            answer(target[0], target[1], question, row[answer_at], line, place)
    finally:
        for (period, unit), (count, filled, first) in refused_rows.items():
            builder.left_out(shown, None, filled)
            if count > 1:
                builder.warn(
                    Where(shown, first),
                    f"{count} rows for unit {unit!r}, period {period!r} were not read: their return was not "
                    f"taken (the reason is reported at line {first})",
                )


def _spaced_id(builder: EvidenceBuilder, where: Where, written: str) -> None:
    builder.report(
        where,
        Finding(
            (),
            "a question id with spaces around it; ids are compared exactly as written, so it is not read",
            repr(written),
            repr(written.strip()),
        ),
    )
    builder.left_out(where.file, "unknown-question", 1)


def _start_tidy_return(
    builder: EvidenceBuilder, shown: str, line: int, row: list[str], columns: dict[str, int], key: tuple[str, str]
) -> Target | None:
    """Start the return of the first row of a (period, unit): where its answers go, or None if refused."""
    period, unit = key
    at_period = Where(shown, line, columns["period"] + 1, "period")
    if not _valid_period(builder, period, at_period) or not builder.stated_period(shown, period, at_period):
        builder.left_out(shown, "invalid-period", returns=1)
        return None
    where = Where(shown, line, columns["unit"] + 1, "unit")
    return builder.start_return(_return_info(row, columns, unit, period, where, builder), where)


def _read_wide(
    builder: EvidenceBuilder, shown: str, reader: Any, header: list[str], names: list[str], default_period: str | None
) -> None:
    columns = {name: index for index, name in enumerate(names)}
    unit_at = columns["unit"]
    period_at = columns.get("period")
    structural = frozenset(columns[name] for name in ("unit", "period", *RETURN_COLUMNS) if name in columns)
    file_period = builder.file_period(shown, default_period)
    if period_at is None and file_period is None:
        builder.error(
            Where(shown, 1, 1),
            "the wide CSV has no `period` column and no period is given for it; the file is not read",
            expected="a `period` column, the file's period in the catalog's `evidence:` manifest, or "
            "--default-period on the command line",
        )
        _count_unread(builder, shown, reader, len(names), structural, "no-period")
        return
    if period_at is None and not (
        _valid_period(builder, str(file_period), Where(shown, 1, 1))
        and builder.period_known(str(file_period), Where(shown, 1, 1))
    ):
        _count_unread(builder, shown, reader, len(names), structural, "invalid-period")
        return
    questions: list[tuple[int, str, Where]] = []
    unread: set[int] = set()
    for index, (name, title) in enumerate(zip(names, header, strict=True)):
        if name in ("unit", "period", *RETURN_COLUMNS):
            continue
        if title in builder.catalog.questions:
            question: str | None = title
        elif title.strip() in builder.catalog.questions:
            _spaced_id(builder, Where(shown, 1, index + 1, "header"), title)
            unread.add(index)
            continue
        else:
            question = builder.column_map.get(normalise_label(title))
        if question is None:
            builder.report(Where(shown, 1, index + 1, "header"), builder.rules.unread_column(title.strip()))
            builder.left_out(shown, "unknown-question")
            unread.add(index)
            continue
        questions.append((index, question, Where(shown, 0, index + 1, question)))
    answered = structural | unread
    for line, row in _rows(reader, len(names), builder, shown, lambda: reader.line_num, structural):
        if unread:
            builder.left_out(shown, None, sum(1 for index in unread if row[index].strip()))
        period = row[period_at].strip() if period_at is not None else file_period
        assert period is not None
        if period_at is not None:
            at_period = Where(shown, line, period_at + 1, "period")
            if not period and file_period is not None:
                period = file_period
            elif not _valid_period(builder, period, at_period) or not builder.stated_period(shown, period, at_period):
                builder.left_out(shown, "invalid-period", _filled(row, answered), 1)
                continue
        where = Where(shown, line, unit_at + 1, "unit")
        target = builder.start_return(_return_info(row, columns, row[unit_at].strip(), period, where, builder), where)
        if target is None:
            builder.left_out(shown, None, _filled(row, answered))
            continue
        evidence, position = target
        for index, question, place in questions:
            builder.answer(evidence, position, question, row[index].strip(), line, place)


def _count_unread(
    builder: EvidenceBuilder, shown: str, reader: Any, width: int, structural: frozenset[int], reason: str
) -> None:
    """Count the returns and answers of a wide CSV that is not read, so that the report can say what it left out."""
    returns = answers = 0
    for row in reader:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        returns += 1
        answers += _filled(row[:width], structural)
    builder.left_out(shown, reason, answers, returns)


def _valid_period(builder: EvidenceBuilder, period: str, where: Where) -> bool:
    wrong = rules.invalid_period(period)
    if wrong is not None:
        builder.report(where, wrong)
    return wrong is None
