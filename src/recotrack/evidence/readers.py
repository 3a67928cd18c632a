"""Readers for each evidence format. They parse; the rules (:mod:`recotrack.evidence.rules`) check; the builder stores.

* YAML files: ``return`` / ``returns``, ``tallies``, ``milestones``, ``values``, ``column_map``;
* tidy CSV: ``unit,period,indicator,answer`` (extra columns allowed), one answer per row;
* wide CSV: a ``unit`` column, optionally ``period``, then one column per question.

CSV is streamed row by row: nothing holds the file in memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel

from recotrack._sections import SectionReader
from recotrack._yaml import Origin, YamlDocument
from recotrack.errors import FieldPath, Finding, format_field
from recotrack.evidence import rules
from recotrack.evidence._text import EncodingRefused, sniff
from recotrack.evidence.builder import EvidenceBuilder, ReturnsLimit, Where
from recotrack.evidence.files import (
    MilestoneEntry,
    ReturnEntry,
    TalliesEntry,
    ValueEntry,
)
from recotrack.evidence.model import (
    MilestoneRecord,
    OtherTally,
    PeriodEvidence,
    PublishedTallies,
    ReturnInfo,
    SourceFile,
    Tally,
    ValueRecord,
)
from recotrack.inputs import InputRefused, InputRegistry
from recotrack.limits import how_to_raise
from recotrack.model import normalise_label

EVIDENCE_MODELS: dict[str, type[BaseModel]] = {
    "return": ReturnEntry,
    "returns": ReturnEntry,
    "tallies": TalliesEntry,
    "milestones": MilestoneEntry,
    "values": ValueEntry,
}
TIDY_COLUMNS = ("unit", "period", "indicator", "answer")
RETURN_COLUMNS = ("submitted", "completed_by", "supersedes")
_TRUE = {"true", "yes", "1", "y"}
MAX_CSV_FIELD = 1 << 20
"""A CSV cell larger than this (1 MiB) is refused: no answer or comment needs more (the default of ``cell-bytes``)."""


# -- YAML ---------------------------------------------------------------------------------------


def read_yaml_evidence(builder: EvidenceBuilder, sections: SectionReader, path: Path) -> None:
    documents = sections.read([path], "evidence")
    if not documents:
        builder.left_out(sections.inputs.shown(path), "unreadable-file")
        return
    document = documents[0]
    builder.evidence.sources.append(SourceFile(document.file, "yaml", document.sha256, "utf-8"))
    collected = sections.collect(documents, ("return", "tallies", "column_map"), ("returns", "milestones", "values"))

    def where(origin: Origin, rel: FieldPath = ()) -> Where:
        full = (*origin.path, *rel)
        line, column = document.position(full)
        return Where(document.file, line, column, format_field(full))

    items: list[tuple[str, Any, Origin]] = []
    if "return" in collected.singletons:
        items.append(("return", *collected.singletons["return"]))
    items += [("returns", raw, origin) for raw, origin in collected.lists["returns"]]
    try:
        for section, raw, origin in items:
            entry = sections.validate(section, raw, origin, ReturnEntry.model_validate)
            if isinstance(entry, ReturnEntry):
                _add_return(builder, document, entry, origin, where)
    except ReturnsLimit:
        builder.error(
            where(origin),
            f"more returns than the limit returns ({builder.limits.returns:,}); the rest of the file's returns "
            "are not read",
            expected=how_to_raise("returns"),
        )
        builder.left_out(document.file, "limit")
    if "tallies" in collected.singletons:
        raw, origin = collected.singletons["tallies"]
        tallies = sections.validate("tallies", raw, origin, TalliesEntry.model_validate)
        if isinstance(tallies, TalliesEntry):
            _add_tallies(builder, tallies, partial(where, origin))
    for raw, origin in collected.lists["milestones"]:
        milestone = sections.validate("milestones", raw, origin, MilestoneEntry.model_validate)
        if isinstance(milestone, MilestoneEntry):
            _add_milestone(builder, milestone, partial(where, origin))
    for raw, origin in collected.lists["values"]:
        value = sections.validate("values", raw, origin, ValueEntry.model_validate)
        if isinstance(value, ValueEntry):
            _add_value(builder, value, partial(where, origin))
    if "column_map" in collected.singletons:
        raw, origin = collected.singletons["column_map"]
        _add_column_map(builder, raw, partial(where, origin))


def _add_return(
    builder: EvidenceBuilder,
    document: YamlDocument,
    entry: ReturnEntry,
    origin: Origin,
    where: Callable[[Origin, FieldPath], Where],
) -> None:
    info = ReturnInfo(
        entry.unit,
        entry.period,
        where(origin, ("unit",)).location,
        entry.completed_by,
        entry.submitted,
        entry.supersedes,
    )
    position = builder.start_return(info, where(origin, ("unit",)))
    if position is None:
        return
    evidence = builder.period(entry.period)
    for question, value in entry.answers.items():
        path = (*origin.path, "answers", question)
        if value is None:
            continue
        text = value if isinstance(value, str) else document.raw_scalars.get(path, str(value))
        place = where(origin, ("answers", question))
        builder.answer(evidence, position, question, text.strip(), place.line, place)
    for question, texts in entry.other.items():
        for index, text in enumerate(texts):
            builder.text_entry(
                evidence, entry.unit, question, text, where(origin, ("other", question, index)), comment=False
            )
    for question, text in entry.comments.items():
        builder.text_entry(evidence, entry.unit, question, text, where(origin, ("comments", question)), comment=True)


def _add_tallies(builder: EvidenceBuilder, entry: TalliesEntry, where: Callable[[FieldPath], Where]) -> None:
    if entry.period in builder.evidence.published:
        first = builder.evidence.published[entry.period].location
        _report(builder, where, (), rules.tallies_twice(entry.period, first))
        return
    published = PublishedTallies(entry.period, where(()).location, entry.respondents)
    questions = builder.catalog.questions
    for question_id, tally in entry.indicators.items():
        here: FieldPath = ("indicators", question_id)
        question = questions.get(question_id)
        if question is None:
            builder.report(where(here), builder.rules.unanswerable(question_id))
            continue
        counts, printed, findings = rules.check_tally(question, tally)
        for finding in findings:
            _report(builder, where, here, finding)
        published.tallies[question_id] = Tally(
            question_id, where(here).location, tally.base, counts, printed, tally.withheld
        )
    for question_id, entries in entry.others.items():
        if not builder.rules.takes_other_entries(question_id):
            builder.report(where(("others", question_id)), builder.rules.no_other_entries(question_id))
            continue
        for text, other in entries.items():
            published.others.append(
                OtherTally(question_id, text, other.count, other.printed, where(("others", question_id, text)).location)
            )
    builder.evidence.published[entry.period] = published


def _report(builder: EvidenceBuilder, where: Callable[[FieldPath], Where], here: FieldPath, finding: Finding) -> None:
    """Report a rule's finding at its path inside the entry read at ``where``, below ``here``."""
    builder.report(where((*here, *finding.path)), finding)


def _add_milestone(builder: EvidenceBuilder, entry: MilestoneEntry, where: Callable[[FieldPath], Where]) -> None:
    status = builder.rules.milestone_status(entry.indicator, entry.status)
    if isinstance(status, Finding):
        _report(builder, where, (), status)
        return
    builder.evidence.milestones.append(
        MilestoneRecord(
            entry.indicator,
            entry.period,
            status,
            where(()).location,
            entry.date,
            entry.source.document if entry.source else None,
            entry.note,
        )
    )


def _add_value(builder: EvidenceBuilder, entry: ValueEntry, where: Callable[[FieldPath], Where]) -> None:
    wrong = builder.rules.numeric_indicator(entry.indicator)
    if wrong is not None:
        _report(builder, where, (), wrong)
        return
    builder.evidence.values.append(
        ValueRecord(
            entry.indicator,
            entry.period,
            entry.value,
            where(()).location,
            entry.date,
            entry.source.document if entry.source else None,
            entry.note,
        )
    )


def _add_column_map(builder: EvidenceBuilder, raw: Any, where: Callable[[FieldPath], Where]) -> None:
    if not isinstance(raw, dict):
        _report(builder, where, (), rules.not_a_column_map())
        return
    for header, question in raw.items():
        wrong = builder.rules.column_map_entry(builder.column_map, header, question)
        if wrong is not None:
            _report(builder, where, (), wrong)
            continue
        builder.column_map[normalise_label(header)] = str(question)


# -- CSV ----------------------------------------------------------------------------------------


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
                    _read_tidy(builder, shown, reader, names)
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
    reader: Iterator[list[str]], width: int, builder: EvidenceBuilder, shown: str, line_of: Callable[[], int]
) -> Iterator[tuple[int, list[str]]]:
    for row in reader:
        if len(row) != width and _skipped(row, width, builder, shown, line_of()):
            continue
        yield line_of(), row


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
        return True
    if any(cell.strip() for cell in row[width:]):
        builder.error(
            Where(shown, line),
            f"the row has {len(row)} cells, the header {width}; the row is not read",
            found=repr(",".join(row[width:])[:80]),
            expected="a cell per column (put text with commas in double quotes)",
        )
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


def _read_tidy(builder: EvidenceBuilder, shown: str, reader: Any, names: list[str]) -> None:
    # The hot path of large files: one pass, one dict lookup per row to find its return, and the
    # answer handed to the builder, which checks and stores it. Nothing is kept per row.
    columns = {name: index for index, name in enumerate(names)}
    unit_at, period_at, question_at, answer_at = (columns[c] for c in TIDY_COLUMNS)
    width = len(names)
    started: dict[tuple[str, str], tuple[PeriodEvidence, int] | None] = {}
    """(period, unit) → where its answers go, or None when its return was refused."""
    refused_rows: dict[tuple[str, str], tuple[int, int]] = {}
    """(period, unit) of a return not read → (rows left out, line of its first row)."""
    answer = builder.answer
    place = Where(shown, 0, answer_at + 1, "answer")
    for row in reader:
        if len(row) != width and _skipped(row, width, builder, shown, reader.line_num):
            continue
        line = reader.line_num
        key = (row[period_at].strip(), row[unit_at].strip())
        target = started.get(key)
        if target is None:
            if key not in started:
                target = started[key] = _start_tidy_return(builder, shown, line, row, columns, key)
            if target is None:
                count, first = refused_rows.get(key, (0, line))
                refused_rows[key] = (count + 1, first)
                continue
        answer(target[0], target[1], row[question_at].strip(), row[answer_at].strip(), line, place)
    for (period, unit), (count, first) in refused_rows.items():
        if count > 1:
            builder.warn(
                Where(shown, first),
                f"{count} rows for unit {unit!r}, period {period!r} were not read: their return was not "
                f"taken (the reason is reported at line {first})",
            )


def _start_tidy_return(
    builder: EvidenceBuilder, shown: str, line: int, row: list[str], columns: dict[str, int], key: tuple[str, str]
) -> tuple[PeriodEvidence, int] | None:
    """Start the return of the first row of a (period, unit): where its answers go, or None if refused."""
    period, unit = key
    if not _valid_period(builder, period, Where(shown, line, columns["period"] + 1, "period")):
        return None
    where = Where(shown, line, columns["unit"] + 1, "unit")
    position = builder.start_return(_return_info(row, columns, unit, period, where, builder), where)
    return None if position is None else (builder.period(period), position)


def _read_wide(
    builder: EvidenceBuilder, shown: str, reader: Any, header: list[str], names: list[str], default_period: str | None
) -> None:
    columns = {name: index for index, name in enumerate(names)}
    unit_at = columns["unit"]
    period_at = columns.get("period")
    if period_at is None and default_period is None:
        builder.error(
            Where(shown, 1, 1),
            "the wide CSV has no `period` column and no period was given",
            expected="a `period` column, or --default-period on the command line",
        )
        return
    if period_at is None and not _valid_period(builder, str(default_period), Where(shown, 1, 1)):
        return
    questions: list[tuple[int, str, Where]] = []
    for index, (name, title) in enumerate(zip(names, header, strict=True)):
        if name in ("unit", "period", *RETURN_COLUMNS):
            continue
        question = (
            title.strip()
            if title.strip() in builder.catalog.questions
            else builder.column_map.get(normalise_label(title))
        )
        if question is None:
            builder.report(Where(shown, 1, index + 1, "header"), builder.rules.unread_column(title.strip()))
            continue
        questions.append((index, question, Where(shown, 0, index + 1, question)))
    for line, row in _rows(reader, len(names), builder, shown, lambda: reader.line_num):
        period = row[period_at].strip() if period_at is not None else default_period
        assert period is not None
        if period_at is not None and not _valid_period(builder, period, Where(shown, line, period_at + 1, "period")):
            continue
        where = Where(shown, line, unit_at + 1, "unit")
        position = builder.start_return(_return_info(row, columns, row[unit_at].strip(), period, where, builder), where)
        if position is None:
            continue
        evidence = builder.period(period)
        for index, question, place in questions:
            builder.answer(evidence, position, question, row[index].strip(), line, place)


def _valid_period(builder: EvidenceBuilder, period: str, where: Where) -> bool:
    wrong = rules.invalid_period(period)
    if wrong is not None:
        builder.report(where, wrong)
    return wrong is None
