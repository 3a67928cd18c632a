"""Reporting units listed in CSV: ``units.csv``, or CSV files in a ``units/`` folder, one row per unit.

A national register (25,000 schools) is a spreadsheet, not a YAML document, and reading it as YAML
takes seconds. The header names the columns ``id``, ``name``, ``kind`` and, optionally, ``parent``,
in any order; unit kinds and invitations stay in YAML (a ``units/`` folder may hold both). Each row
is checked by the same model as a YAML unit, and each problem names the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from recotrack._problems import ProblemSink
from recotrack._text import EncodingRefused, LineTooLong, bounded_lines, sniff
from recotrack._wording import validation_problems
from recotrack.errors import FieldPath, Problem, Severity
from recotrack.inputs import InputRefused, InputRegistry
from recotrack.limits import how_to_raise
from recotrack.model import Unit

UNIT_COLUMNS = ("id", "name", "kind", "parent")
REQUIRED_COLUMNS = ("id", "name", "kind")


@dataclass(frozen=True)
class CsvRowOrigin:
    """Where a unit sits in a CSV file: its line, and the column of each field (for problems about it)."""

    file: str
    line: int
    columns: dict[str, int]
    """Field name → 1-based column."""

    def problem(
        self,
        rel: FieldPath,
        message: str,
        found: str | None = None,
        expected: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        """A problem about the field ``rel`` names (its first part) of this row."""
        field = str(rel[0]) if rel else ""
        return Problem(self.file, self.line, self.columns.get(field, 0), field, message, found, expected, severity)


def read_units_csv(
    inputs: InputRegistry, problems: ProblemSink, path: Path, broken: set[str]
) -> list[tuple[Unit, CsvRowOrigin]]:
    """The valid units of one CSV file, each with where it was read; every problem goes to ``problems``.

    The ids of rows that are not valid units are added to ``broken``: checks that name them say nothing more.
    """
    shown = inputs.shown(path)
    limits = inputs.limits
    try:
        stream, _ = inputs.open(path, limits.csv_bytes, "csv-bytes")
        with stream:
            sniffed = sniff(stream, limits.line_bytes)
            stream.seek(0)
            inputs.record(path, "units", sniffed.sha256)
            text = io.TextIOWrapper(stream, encoding=sniffed.encoding, newline="")
            csv.field_size_limit(limits.cell_bytes)
            reader = csv.reader(bounded_lines(text, limits.line_bytes), strict=True)
            return _units(problems, shown, reader, broken, limits.units)
    except InputRefused as exc:
        inputs.record(path, "units", None)
        problems.add(Problem(shown, 0, 0, "", exc.message, expected=exc.expected))
    except EncodingRefused as exc:
        inputs.record(path, "units", None)
        problems.add(Problem(shown, exc.line, 1, "", str(exc), expected=exc.expected))
    except (OSError, UnicodeDecodeError) as exc:  # unreadable, or changed since its encoding was checked
        if path not in inputs.digests:
            inputs.record(path, "units", None)
        problems.add(Problem(shown, 0, 0, "", f"cannot read file: {exc}"))
    return []


def _units(
    problems: ProblemSink, shown: str, reader: Iterator[list[str]], broken: set[str], most: int
) -> list[tuple[Unit, CsvRowOrigin]]:
    found: list[tuple[Unit, CsvRowOrigin]] = []
    line = 0
    try:
        header = next(reader, None)
        if header is None:
            problems.add(
                Problem(shown, 0, 0, "", "the CSV file is empty", expected="a header row: id,name,kind,parent")
            )
            return found
        names = [cell.strip().lower() for cell in header]
        missing = [name for name in REQUIRED_COLUMNS if name not in names]
        if missing:
            problems.add(
                Problem(
                    shown,
                    1,
                    1,
                    "header",
                    f"a units CSV needs the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                    ", ".join(header[:6])[:200],
                    "a header naming id, name and kind (and parent, if units have one)",
                )
            )
            return found
        columns = {name: index for index, name in enumerate(names) if name in UNIT_COLUMNS}
        for index, name in enumerate(names):
            if name not in UNIT_COLUMNS:
                problems.add(
                    Problem(
                        shown,
                        1,
                        index + 1,
                        "header",
                        "a column recotrack does not read; its cells are ignored",
                        repr(header[index][:200]),
                        "the columns id, name, kind and parent",
                        Severity.WARNING,
                    )
                )
        at = {name: index + 1 for name, index in columns.items()}
        for row in reader:
            line = reader.line_num  # type: ignore[attr-defined]
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) < len(names) or any(cell.strip() for cell in row[len(names) :]):
                problems.add(
                    Problem(
                        shown,
                        line,
                        0,
                        "",
                        f"the row has {len(row):,} cells, the header {len(names):,}; the unit is not read",
                        expected="a cell per column (put text with commas in double quotes)",
                    )
                )
                continue
            if len(found) >= most:
                problems.add(
                    Problem(
                        shown,
                        line,
                        0,
                        "",
                        f"more units than the limit units ({most:,}); the file is not read from here on",
                        expected=how_to_raise("units"),
                    )
                )
                break
            raw = {name: row[index].strip() for name, index in columns.items()}
            if not raw.get("parent"):
                raw.pop("parent", None)
            origin = CsvRowOrigin(shown, line, at)
            try:
                found.append((Unit.model_validate(raw), origin))
            except ValidationError as exc:
                problems.extend(validation_problems(exc, "units", raw, origin, {"units": Unit}))
                if raw.get("id"):
                    broken.add(raw["id"])
    except csv.Error as exc:
        problems.add(Problem(shown, line + 1, 0, "", f"the CSV cannot be read from here on: {exc}"))
    except LineTooLong:
        problems.add(
            Problem(
                shown,
                line + 1,
                0,
                "",
                "a line longer than the limit line-bytes; the file is not read from here on",
                expected=how_to_raise("line-bytes"),
            )
        )
    return found
