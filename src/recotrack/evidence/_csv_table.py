"""A CSV file as a table of text cells, each row with the line it ends on: one parse for every layout.

A file in UTF-8 with no lone carriage returns, whose quotes (if any) each wrap a whole cell holding
no quote or line break, is parsed by polars, and its shape is then proved by counting bytes: when
every row has exactly as many cells as the header, the cells, quotes, commas and line ends add up to
the file's size, and any row with fewer cells (or a blank line) makes them fall short (a row with
more makes polars refuse the file). Any other file, or one whose bytes do not add up, is read by
Python's csv module, which names each malformed row at its line. Both parsers give the same table,
so the layouts' readers (tidy, wide) never know which one ran.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt
import polars as pl

from recotrack._text import LineTooLong, Sniffed, bounded_lines
from recotrack.evidence.builder import EvidenceBuilder, Where
from recotrack.limits import Limits, how_to_raise

LINE = "line"
"""The table's column holding the line each row ends on (as Python's ``csv.reader`` counts lines)."""
_QUOTED_ROW = re.compile(r'(?:"[^"]*"|[^",]*)(?:,(?:"[^"]*"|[^",]*))*')
"""A row on one line whose quotes, if any, each wrap a whole cell that holds no quote: polars and Python's
csv module read it alike (anything else goes to the csv module alone)."""
_QUOTE_OR_LINE_END = re.compile(r'["\r\n]')
_FIRST_LINE = 2
"""The line of a file's first row after its header, when every row is one line."""
_BATCH = 65_536
"""Rows the csv-module parser holds as Python strings before they join the table."""

DroppedRow = Callable[[list[str]], tuple[int, int]]
"""For a row left out because it does not fit the header: the (answers, returns) it held, for what was left out."""


def column(index: int) -> str:
    """The name of the table's column for the header's column ``index``."""
    return str(index)


@dataclass
class CsvTable:
    """The rows of a CSV file that fit its header, each column encoded: its distinct texts, each row's index into them.

    A national file repeats a few thousand units and a few hundred answers millions of times, so the
    table holds small integers per cell and each distinct text once ('' for an empty cell).
    """

    header: list[str]
    codes: list[npt.NDArray[np.unsignedinteger[Any]]]
    """Per header column, each row's index into :attr:`values` (as few bytes as the count of values needs)."""
    values: list[list[str]]
    """Per header column, its distinct texts."""
    height: int
    """How many rows."""
    lines: npt.NDArray[np.uint32] | None = None
    """The line each row ends on, as Python's ``csv.reader`` counts them; None when row ``r`` is on line ``r + 2``
    (a file with one line per row after its header: not held, a saving of four bytes a row)."""

    def line(self, row: int) -> int:
        """The line ``row`` ends on."""
        return row + _FIRST_LINE if self.lines is None else int(self.lines[row])

    def lines_of(self, rows: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.uint32]:
        """The lines the ``rows`` end on."""
        if self.lines is None:
            found: npt.NDArray[np.uint32] = rows.astype(np.uint32)
            found += _FIRST_LINE
        else:
            found = self.lines[rows]
        return found

    def cells(self, row: int) -> list[str]:
        """One row's cells, as text."""
        return [values[codes[row]] for codes, values in zip(self.codes, self.values, strict=True)]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Each row as (line, cells), in file order: for layouts read row by row."""
        for row in range(self.height):
            yield self.line(row), self.cells(row)

    def text_bytes(self) -> tuple[int, int]:
        """The bytes of every cell together, and of the longest cell (UTF-8), worked out from the distinct texts."""
        total = longest = 0
        for codes, values in zip(self.codes, self.values, strict=True):
            sizes = np.array([len(value.encode()) for value in values], dtype=np.int64)
            total += int(np.bincount(codes, minlength=len(values)) @ sizes)
            longest = max(longest, int(sizes.max(initial=0)))
        return total, longest


def _encoded(header: list[str], frame: pl.LazyFrame, lines: npt.NDArray[np.uint32] | None) -> CsvTable:
    """Encode every column of ``frame`` (text, null for empty) in one streaming pass: its distinct texts and codes.

    Each column is cast to a categorical of its own, whose categories are the distinct texts in the
    order of their codes; the texts of every row are never held at once. The codes are collected in
    16 bits, half what the categorical holds; a column with more distinct texts than 16 bits count
    makes the pass run again in 32.
    """
    try:
        return _encoded_in(pl.UInt16, header, frame, lines)
    except pl.exceptions.InvalidOperationError:  # over 65,536 distinct texts in a column: a code did not fit
        return _encoded_in(pl.UInt32, header, frame, lines)


def _encoded_in(
    code_type: type[pl.UInt16 | pl.UInt32],
    header: list[str],
    frame: pl.LazyFrame,
    lines: npt.NDArray[np.uint32] | None,
) -> CsvTable:
    names = [column(i) for i in range(len(header))]
    categories = [pl.Categories.random() for _ in names]
    # Texts stay in their categories only while a column of that type lives: an empty one keeps them.
    keep = [pl.Series(dtype=pl.Categorical(found)) for found in categories]
    coded = frame.select(
        pl.col(name).fill_null("").cast(pl.Categorical(found)).to_physical().cast(code_type)
        for name, found in zip(names, categories, strict=True)
    ).collect(engine="streaming")
    values = [found.to_series().to_list() for found in categories]
    del keep
    codes = [_narrowed(coded[name].to_numpy(), len(found)) for name, found in zip(names, values, strict=True)]
    if any(
        len(column_codes) and int(column_codes.max()) >= len(found)
        for column_codes, found in zip(codes, values, strict=True)
    ):
        raise pl.exceptions.ComputeError("a categorical code without its text")  # never seen: the engine changed
    return CsvTable(header, codes, values, coded.height, lines)


def _narrowed(codes: npt.NDArray[np.unsignedinteger[Any]], count: int) -> npt.NDArray[np.unsignedinteger[Any]]:
    """Codes in as few bytes as ``count`` distinct values need."""
    for kind in (np.uint8, np.uint16):
        if count <= np.iinfo(kind).max + 1:
            return codes.astype(kind, copy=False)
    return codes


class CsvParser:
    """Reads one opened CSV file: its header, then its rows as a :class:`CsvTable`.

    Problems of shape (rows that do not fit the header, broken quoting, lines or cells over the
    limits) are reported through the builder as they are found; each stops nothing but the row, or
    the file from there on, exactly as Python's csv module meets them.
    """

    def __init__(
        self, builder: EvidenceBuilder, shown: str, path: Path, binary: BinaryIO, sniffed: Sniffed, limits: Limits
    ) -> None:
        self.builder = builder
        self.shown = shown
        self.path = path
        self.binary = binary
        self.sniffed = sniffed
        self.limits = limits
        self._text: io.TextIOWrapper | None = None
        self._reader: Iterator[list[str]] | None = None
        self._header: list[str] = []
        self._polars_header: tuple[list[str], int, int] | None = None
        """The header of a file polars may read, with the bytes of its line (end included) and its quotes."""
        self.line_num = 0
        """The last line the csv module reached (for a message about where a file stopped being read)."""
        self.stopped = False
        """Whether the csv module stopped reading the file (reported): nothing after that point is read."""

    # -- the header ------------------------------------------------------------------------

    def header(self) -> list[str] | None:
        """The header row, or None for an empty file, or for one that cannot be parsed (then :attr:`stopped`)."""
        if self.sniffed.columnar:
            first = self.binary.readline(self.limits.line_bytes + 1)
            text = first.decode(self.sniffed.encoding).rstrip("\r\n")
            if first and len(first) <= self.limits.line_bytes and (quoted := _quoted_row(text)) is not None:
                self._polars_header = (quoted, len(first), first.count(b'"'))
                self._header = quoted
                self.line_num = 1
                return self._header
            self.binary.seek(0)
        try:
            header = next(self._csv_rows(), None)
        except (csv.Error, LineTooLong) as exc:
            self.stop(exc)
            return None
        self._header = header or []
        return header

    def _csv_rows(self) -> Iterator[list[str]]:
        if self._reader is None:
            self._text = io.TextIOWrapper(self.binary, encoding=self.sniffed.encoding, newline="")
            csv.field_size_limit(self.limits.cell_bytes)
            self._reader = csv.reader(bounded_lines(self._text, self.limits.line_bytes), strict=True)
        return self._reader

    # -- the rows --------------------------------------------------------------------------

    def table(self, width: int, dropped: DroppedRow) -> CsvTable:
        """Every row that fits a header of ``width`` columns; those that do not are reported and counted."""
        if self._polars_header is not None:
            table = self._polars_table(width)
            if table is not None:
                return table
            self._restart()  # the bytes did not add up: read it again, with the csv module
        frame = self._csv_frame(width, dropped)
        lines = frame[LINE].to_numpy()
        return _encoded(self._header, frame.drop(LINE).lazy(), lines)

    def raw_rows(self) -> Iterator[list[str]]:
        """The rows as the csv module reads them, unchecked (to count what a file not read held)."""
        if self._polars_header is not None:
            self._restart()
        return self._csv_rows()

    def _restart(self) -> None:
        """Read a plain file again from the top with the csv module, past its header (read without it)."""
        if self._text is not None:
            self._text.detach()  # the file stays open: it is the caller's to close
        self.binary.seek(0)
        self._text = self._reader = None
        next(self._csv_rows(), None)

    def _polars_table(self, width: int) -> CsvTable | None:
        """The rows through polars; None when their shape is not proved (the csv module reads the file then)."""
        assert self._polars_header is not None
        quoted = self.sniffed.quotes
        if width == 0 or (quoted and not self._quotes_wrap_cells()):
            return None
        names = [column(i) for i in range(width)]
        scan = pl.scan_csv(
            _source(self.binary, self.path),
            has_header=False,
            skip_rows=1,
            separator=",",
            quote_char='"' if quoted else None,
            infer_schema=False,
            schema=dict.fromkeys(names, pl.String),
            truncate_ragged_lines=False,
            raise_if_empty=False,
        )
        try:
            table = _encoded(self._header, scan, None)
        except (pl.exceptions.PolarsError, OSError):
            return None
        if quoted and any(_QUOTE_OR_LINE_END.search(text) for texts in table.values for text in texts):
            return None  # an escaped quote, or a line break in a cell: lines and rows part ways
        total, longest_cell = table.text_bytes()
        quotes = self.sniffed.quote_count - self._polars_header[2]  # each wraps a cell, in pairs
        # A line over line-bytes made the file not columnar (the encoding check measures lines).
        if not self._adds_up(width, table.height, total + quotes) or longest_cell > self.limits.cell_bytes:
            return None
        _same_file(self.binary, self.path)
        return table

    def _quotes_wrap_cells(self) -> bool:
        """Whether every quote after the header wraps a whole cell holding no quote (one streaming polars pass)."""
        lines = pl.scan_lines(_source(self.binary, self.path), name="line").slice(1)
        misquoted: int = (
            lines.filter(pl.col("line").str.contains('"', literal=True))
            .select((~pl.col("line").str.contains(f"^{_QUOTED_ROW.pattern}$")).sum())
            .collect(engine="streaming")
            .item()
        )
        return misquoted == 0

    def _adds_up(self, width: int, rows: int, total: int) -> bool:
        """Whether every row has ``width`` cells: then cells, commas and line ends make up the file's bytes."""
        assert self._polars_header is not None
        header_bytes = self._polars_header[1]
        header_crlf = 0  # a plain header's line end: \r\n counts one carriage return more
        if header_bytes >= 2:
            self.binary.seek(header_bytes - 2)
            header_crlf = self.binary.read(2) == b"\r\n"
        found = total + rows * width + (self.sniffed.crlf - header_crlf)
        if rows and not self.sniffed.final_newline:
            found -= 1
        return found == self.sniffed.size - header_bytes

    def _csv_frame(self, width: int, dropped: DroppedRow) -> pl.DataFrame:
        """The rows through the csv module, checking each against the header as it goes."""
        reader = self._csv_rows()
        columns: list[list[str]] = [[] for _ in range(width)]
        lines: list[int] = []
        batches: list[pl.DataFrame] = []
        names = [column(i) for i in range(width)]

        def flush() -> None:
            data: dict[str, list[str] | list[int]] = dict(zip(names, columns, strict=True))
            data[LINE] = lines
            batches.append(pl.DataFrame(data, schema={**dict.fromkeys(names, pl.String), LINE: pl.UInt32}))
            for cells in columns:
                cells.clear()
            lines.clear()

        try:
            for row in reader:
                line = self._line()
                if len(row) != width and self._misfit(row, width, line):
                    if len(row) > 1 or (row and row[0].strip()):
                        answers, returns = dropped(row)
                        self.builder.left_out(self.shown, None, answers, returns)
                    continue
                for cells, cell in zip(columns, row, strict=False):
                    cells.append(cell)
                lines.append(line)
                if len(lines) >= _BATCH:
                    flush()
        except (csv.Error, LineTooLong) as exc:
            self.stop(exc)
        flush()
        return pl.concat(batches) if len(batches) > 1 else batches[0]

    def stop(self, exc: csv.Error | LineTooLong) -> None:
        """Report where and why the csv module stopped reading: nothing after it is read."""
        self.stopped = True
        if isinstance(exc, LineTooLong):
            self.builder.error(
                Where(self.shown, self._line() + 1),
                f"a line longer than the limit line-bytes ({self.limits.line_bytes:,} characters); "
                "the file is not read from here on",
                expected=how_to_raise("line-bytes"),
            )
            self.builder.left_out(self.shown, "limit")
            return
        self.builder.error(
            Where(self.shown, self._line()),
            f"the CSV cannot be read from here on: {exc}",
            expected=f"well-formed CSV (check quotes; a cell is at most {self.limits.cell_bytes:,} characters: "
            f"{how_to_raise('cell-bytes')})",
        )
        self.builder.left_out(self.shown, "malformed-csv")

    def _line(self) -> int:
        assert self._reader is not None
        self.line_num = self._reader.line_num  # type: ignore[attr-defined]
        return self.line_num

    def _misfit(self, row: list[str], width: int, line: int) -> bool:
        """Whether a row that does not fit the header is left out: blank rows silently, the others reported.

        Empty cells past the header (trailing commas from a spreadsheet) are harmless; anything else past
        it means the row does not line up (often an unquoted comma), so none of it can be trusted.
        """
        if not row or (len(row) == 1 and not row[0].strip()):
            return True
        if len(row) < width:
            self.builder.error(
                Where(self.shown, line),
                f"the row has {len(row)} cells, the header {width}",
                expected="a cell for every column (empty is fine)",
            )
            self.builder.left_out(self.shown, "malformed-row")
            return True
        if any(cell.strip() for cell in row[width:]):
            self.builder.error(
                Where(self.shown, line),
                f"the row has {len(row):,} cells, the header {width:,}; the row is not read",
                found=repr(",".join(row[width:])[:80]),
                expected="a cell per column (put text with commas in double quotes)",
            )
            self.builder.left_out(self.shown, "malformed-row")
            return True
        return False


def _quoted_row(text: str) -> list[str] | None:
    """The cells of a one-line row, or None when its quotes do more than wrap whole cells holding no quote."""
    if '"' not in text:
        return text.split(",") if text else []
    if _QUOTED_ROW.fullmatch(text) is None:
        return None
    return next(csv.reader([text], strict=True))


def _source(binary: BinaryIO, path: Path) -> str:
    """What polars opens: the very file already open (on Linux), else its path (checked after, :func:`_same_file`)."""
    through_descriptor = f"/proc/self/fd/{binary.fileno()}"
    return through_descriptor if os.path.exists(through_descriptor) else str(path)


def _same_file(binary: BinaryIO, path: Path) -> None:
    """Raise ``OSError`` when the file at ``path`` is no longer the one opened, or has changed since."""
    opened = os.fstat(binary.fileno())
    now = os.stat(path)
    if (opened.st_dev, opened.st_ino, opened.st_size, opened.st_mtime_ns) != (
        now.st_dev,
        now.st_ino,
        now.st_size,
        now.st_mtime_ns,
    ):
        raise OSError("it was replaced or modified while it was read")
