"""Problems found in a tracker's files, reported all at once with where they are."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


FieldPath = tuple[str | int, ...]


def format_field(path: FieldPath) -> str:
    """Render ('indicators', 3, 'scale') as ``indicators[3].scale``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Finding:
    """A problem found in data already parsed, pointed at by its field path (``("indicators", 12, "scale")``).

    Checks work on models that no longer know their files; the loader turns the path into a file,
    line and column. Living here, at the bottom, it lets checks and loaders share it without
    importing each other.
    """

    path: FieldPath
    message: str
    found: str | None = None
    expected: str | None = None
    severity: Severity = Severity.ERROR


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a warning) in the user's files.

    ``line`` and ``column`` are 1-based; 0 when the problem concerns the file as a whole.
    """

    file: str
    line: int
    column: int
    field: str
    message: str
    found: str | None = None
    expected: str | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}" if self.column else f":{self.line}"
        text = f"{where}: {self.severity.value}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        details = []
        if self.found is not None:
            details.append(f"found {self.found}")
        if self.expected is not None:
            details.append(f"expected {self.expected}")
        if details:
            text += " (" + "; ".join(details) + ")"
        return text


class RecotrackError(Exception):
    """The base of every error recotrack raises on purpose: catch it to handle them all."""


class PeriodError(RecotrackError, ValueError):
    """A period that the tracker has no evidence for, or periods given in the wrong order."""


class TrackerError(RecotrackError):
    """Raised by :func:`recotrack.load` when a tracker has errors; carries every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found:\n{lines}")


def display_path(path: Path, base: Path | None) -> str:
    """A path as messages and reports show it: relative to the tracker's root folder ``base`` when inside it.

    The comparison is made on the paths as written (made absolute, never resolved), so a link keeps
    the name it has in the tracker and the same tracker gives the same names wherever it is. A path
    outside ``base`` (an ``--evidence`` file elsewhere) is shown as given.
    """
    if base is not None:
        try:
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(base)).as_posix()
        except ValueError:
            pass
    return path.as_posix()
