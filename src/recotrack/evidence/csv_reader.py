"""The CSV evidence reader: one parse into a table (:mod:`._csv_table`), then the file's layout.

* tidy: ``unit,period,indicator,answer`` (extra columns allowed), one answer per row, checked by
  distinct values (:mod:`.tidy`);
* wide: a ``unit`` column, optionally ``period``, then one column per question, one return per row,
  its answers checked by distinct values too (:mod:`.wide`).
"""

from __future__ import annotations

from pathlib import Path

from recotrack._text import EncodingRefused, sniff
from recotrack.evidence._csv_table import CsvParser
from recotrack.evidence.builder import EvidenceBuilder, Where
from recotrack.evidence.model import SourceFile
from recotrack.evidence.tidy import TIDY_COLUMNS, read_tidy
from recotrack.evidence.wide import read_wide
from recotrack.inputs import InputRefused, InputRegistry
from recotrack.limits import how_to_raise

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
                read_wide(builder, shown, parser, header, names, default_period)
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
