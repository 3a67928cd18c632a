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

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates: they reorder the text after them on screen (U+202A–U+202E, U+2066–U+2069)."""


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(character: str) -> str:
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def without_bidi_controls(text: str) -> str:
    """``text`` with each bidi embedding, override or isolate written out (``\\u202e``), the rest unchanged.

    For reports, whose own output may hold escape codes (colours) that :func:`printable` would escape.
    """
    if not any(c in BIDI_CONTROLS for c in text):
        return text
    return "".join(_escaped(c) if c in BIDI_CONTROLS else c for c in text)


def printable(text: str) -> str:
    """``text`` safe to show: every control character, bidi override and other unprintable one escaped.

    ESC becomes ``\\x1b`` and U+202E ``\\u202e``, as Python writes them, so text from an input can
    neither drive a terminal (colours, clearing it, its title) nor reorder what a reader sees.
    Ordinary text, accents and typographic punctuation are kept as they are.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() and c not in BIDI_CONTROLS else _escaped(c) for c in text)


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
    first_at: FieldPath | None = None
    """For a duplicate: the path of the item it repeats (a loader may say where that item was read)."""


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
        return printable(text)

    def as_dict(self) -> dict[str, str | int | None]:
        """The problem as plain data, for tools (``recotrack validate --format json``)."""
        return {
            "path": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "field": self.field,
            "message": self.message,
            "found": self.found,
            "expected": self.expected,
        }


class RecotrackError(Exception):
    """The base of every error recotrack raises on purpose: catch it to handle them all."""


class PeriodError(RecotrackError, ValueError):
    """A period that the tracker has no evidence for, or periods given in the wrong order."""


class SettingError(RecotrackError, ValueError):
    """A setting that cannot be used, such as a ``SOURCE_DATE_EPOCH`` that is not a time recotrack can write."""


class OutputError(RecotrackError):
    """An output path that is refused before anything is written: one of the tracker's inputs, or inside it."""


class TrackerError(RecotrackError):
    """Raised by :func:`recotrack.load` when a tracker has errors; carries every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found:\n{lines}")


class InvalidEvidenceError(TrackerError):
    """A report asked for on evidence with errors, without ``skip_invalid``: nothing is left out in silence."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        count = len(problems)
        shown = "\n".join(str(p) for p in problems[:5])
        more = f"\n… and {count - 5:,} more" if count > 5 else ""
        Exception.__init__(
            self,
            f"the evidence has {count:,} error{'s' if count != 1 else ''}, so the report would leave out what "
            f"they concern:\n{shown}{more}\nFix them (see `recotrack validate`), or pass skip_invalid=True "
            "(--skip-invalid) to report without them and say so in the report.",
        )


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
