"""Reporters turn scored results into a report: one small module per format, one shared writer.

Built-in reporters (``terminal``, ``json``, ``html``, ``xlsx``, ``csv``) register through the same
hook as third-party ones (:func:`recotrack.hookspecs.recotrack_register_reporters`).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from recotrack.inputs import InputFile
from recotrack.model import Review
from recotrack.results import Results, UnitProfile

__all__ = [
    "InputFile",
    "Provenance",
    "ReportContext",
    "Reporter",
    "document_title",
    "generation_time",
    "write_report",
]


@dataclass(frozen=True)
class Provenance:
    """What produced a report, so that any figure can be traced back."""

    generator: str
    version: str
    generated: dt.datetime
    inputs: tuple[InputFile, ...] = ()


@dataclass(frozen=True)
class ReportContext:
    """Everything a reporter may use. New fields may be added; existing ones stay."""

    results: Results
    review: Review
    provenance: Provenance
    color: bool = False
    """Whether the output may carry colour (terminal reporters)."""
    width: int | None = None
    """Preferred width in characters (terminal reporters); None to decide yourself."""
    options: dict[str, str] = field(default_factory=dict)
    """Free-form ``--option key=value`` settings for plugin reporters."""
    summary: bool = False
    """Only a one-screen summary (``--summary``), for reporters that can give one; others may ignore it."""
    profile: UnitProfile | None = None
    """A unit's profile (``--unit ID``): render it instead of the national report. ``results`` are still the
    national figures it is set against; a reporter that knows no profiles may ignore it."""


@dataclass(frozen=True)
class Reporter:
    """A report format: its name for ``--format``, a description, and how to render it."""

    name: str
    description: str
    render: Callable[[ReportContext], str | bytes]
    extension: str = "txt"
    media_type: str = "text/plain"


def document_title(review: Review, document_id: str | None) -> str:
    """A source document's title for readers (results carry its id); the id when it is not declared."""
    if document_id is None:
        return ""
    return next((d.title for d in review.documents if d.id == document_id), document_id)


def generation_time() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, so that reproducible builds give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def write_report(content: str | bytes, output: str | Path | None) -> None:
    """Write a report to a file atomically (temporary file, then rename), or to stdout for None or '-'.

    A failed run never leaves a half-written report: the temporary file is removed on any error.
    Missing parent folders are created.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
