"""The CSV evidence reader: one parse into a table (:mod:`._csv_table`), then the file's layout.

* tidy: ``unit,period,indicator,answer`` (extra columns allowed), one answer per row, checked by
  distinct values (:mod:`.tidy`);
* wide: a ``unit`` column, optionally ``period``, then one column per question, one return per row.
"""

from __future__ import annotations

import csv
from pathlib import Path

from recotrack._text import EncodingRefused, LineTooLong, sniff
from recotrack.evidence import rules
from recotrack.evidence._csv_table import CsvParser
from recotrack.evidence.builder import EvidenceBuilder, ReturnsLimit, Where
from recotrack.evidence.model import SourceFile
from recotrack.evidence.tidy import RETURN_COLUMNS, TIDY_COLUMNS, read_tidy, return_info
from recotrack.inputs import InputRefused, InputRegistry
from recotrack.limits import how_to_raise
from recotrack.model import normalise_label

MAX_CSV_FIELD = 1 << 20
"""A CSV cell larger than this (1 MiB) is refused: no answer or comment needs more (the default of ``cell-bytes``)."""


def read_csv_evidence(builder: EvidenceBuilder, inputs: InputRegistry, path: Path, default_period: str | None) -> None:
    """Read one CSV file, recording it in ``inputs`` with the SHA-256 taken in the encoding check's pass.

    The file is read twice (the encoding check, then the table) and within the limits of
    ``inputs.limits``: its size, the length of a line, the cells of a row, the returns.
    """
    shown = inputs.shown(path)
    limits = inputs.limits
    try:
        stream, _ = inputs.open(path, limits.csv_bytes, "csv-bytes")
        with stream:
            sniffed = sniff(stream, limits.line_bytes)
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
    parser: CsvParser | None = None
    try:
        binary, _ = inputs.open(path, limits.csv_bytes, "csv-bytes")
        with binary:
            parser = CsvParser(builder, shown, path, binary, sniffed, limits)
            header = parser.header()
            if parser.stopped:
                return
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
                dropped = (1, 0)
                read_tidy(builder, shown, parser.table(len(names), lambda _: dropped), names, default_period)
            elif "unit" in names:
                _read_wide(builder, shown, parser, header, names, default_period)
            else:
                builder.error(
                    Where(shown, 1, 1),
                    "unrecognised CSV layout",
                    ", ".join(header[:6])[:200],
                    "a tidy header `unit,period,indicator,answer` or a wide one starting with `unit`",
                )
                builder.left_out(shown, "layout")
    except InputRefused as exc:  # swapped for something else since the first pass
        builder.error(Where(shown, 0), exc.message, expected=exc.expected)
        builder.left_out(shown, "unreadable-file")
    except (OSError, UnicodeDecodeError) as exc:  # changed since the first pass
        builder.error(Where(shown, parser.line_num if parser else 0), f"the file changed while it was read: {exc}")
        builder.left_out(shown, "unreadable-file")


def _filled(row: list[str], skip: frozenset[int] = frozenset()) -> int:
    """Cells with something in them, outside the columns ``skip`` (unit, period...): the answers a row holds."""
    return sum(1 for index, cell in enumerate(row) if index not in skip and cell.strip())


def _read_wide(
    builder: EvidenceBuilder,
    shown: str,
    parser: CsvParser,
    header: list[str],
    names: list[str],
    default_period: str | None,
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
        _count_unread(builder, shown, parser, len(names), structural, "no-period")
        return
    if period_at is None and not (
        builder.valid_period(str(file_period), Where(shown, 1, 1))
        and builder.period_known(str(file_period), Where(shown, 1, 1))
    ):
        _count_unread(builder, shown, parser, len(names), structural, "invalid-period")
        return
    questions: list[tuple[int, str, Where]] = []
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
        questions.append((index, question, Where(shown, 0, index + 1, question)))
    answered = structural | unread
    table = parser.table(len(names), lambda row: (_filled(row, structural), 1))
    for line, row in table.rows():
        if unread:
            builder.left_out(shown, None, sum(1 for index in unread if row[index].strip()))
        period = row[period_at].strip() if period_at is not None else file_period
        assert period is not None
        if period_at is not None:
            at_period = Where(shown, line, period_at + 1, "period")
            if not period and file_period is not None:
                period = file_period
            elif not builder.valid_period(period, at_period) or not builder.stated_period(shown, period, at_period):
                builder.left_out(shown, "invalid-period", _filled(row, answered), 1)
                continue
        where = Where(shown, line, unit_at + 1, "unit")
        try:
            target = builder.start_return(
                return_info(row, columns, row[unit_at].strip(), period, where, builder), where
            )
        except ReturnsLimit:
            builder.returns_limit_reached(Where(shown, line))
            return
        if target is None:
            builder.left_out(shown, None, _filled(row, answered))
            continue
        evidence, position = target
        for index, question, place in questions:
            builder.answer(evidence, position, question, row[index].strip(), line, place)


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
