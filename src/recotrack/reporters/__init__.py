"""Reporters turn scored results into a report: one small module per format, one shared writer.

Built-in reporters (``terminal``, ``json``, ``html``, ``xlsx``, ``csv``) register through the same
hook as third-party ones (:func:`recotrack.hookspecs.recotrack_register_reporters`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from recotrack.errors import SettingError, printable
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


MAX_EPOCH = 253_402_300_799
"""9999-12-31T23:59:59Z: the latest time a report can carry."""


def generation_time() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, so that reproducible builds give the same bytes.

    ``SOURCE_DATE_EPOCH`` must be a whole number of seconds from 0 to 253402300799 (the end of the
    year 9999); anything else raises :class:`recotrack.errors.SettingError` rather than being
    ignored (an empty value counts as unset).
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip():
        return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
    text = epoch.strip()
    if not text.isascii() or not text.isdigit() or int(text) > MAX_EPOCH:
        raise SettingError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, from 0 to {MAX_EPOCH} "
            f"(the end of the year 9999); it is {printable(repr(epoch)[:60])}"
        )
    return dt.datetime.fromtimestamp(int(text), tz=dt.UTC)


TEMPORARY = ".{name}.recotrack-{pid}.tmp"
"""How a report being written is named beside its target, so that a later run can remove what a killed one left."""
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.recotrack-(?P<pid>[0-9]+)\.tmp$")


def write_report(content: str | bytes, output: str | Path | None) -> None:
    """Write a report to a file atomically (temporary file, then rename), or to stdout for None or '-'.

    A failed run never leaves a half-written report: the temporary file (``.NAME.recotrack-PID.tmp``)
    is removed on any error, and one left by a run that was killed is removed by the next run that
    writes the same file. Missing parent folders are created. An existing report keeps its
    permissions; a link is followed (the file it points at is replaced, the link kept); a special
    file (a terminal, a FIFO, ``/dev/stdout``, ``/proc/self/fd/1``) is written to, never replaced.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    try:
        status: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        status = None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a directory", str(target))
    if (status is not None and not stat.S_ISREG(status.st_mode)) or _is_process_file(target):
        with open(target, "wb") as stream:  # a device, FIFO or descriptor: written to as it is
            stream.write(data)
        return
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    temporary = target.parent / TEMPORARY.format(name=target.name, pid=os.getpid())
    mode = stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask()
    temporary.unlink(missing_ok=True)  # only this process (or a dead one with its pid) names a file so
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Remove the temporary files that runs since killed left beside ``target``; the paths removed."""
    removed: list[Path] = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        match = _TEMPORARY.match(name)
        if match is None or match.group("name") != target.name:
            continue
        pid = int(match.group("pid"))
        if pid == os.getpid() or _alive(pid):
            continue
        path = target.parent / name
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def _is_process_file(target: Path) -> bool:
    """A path into ``/proc`` or ``/dev`` (``/proc/self/fd/1``, ``/dev/stdout``): written to, never replaced."""
    absolute = os.path.abspath(target)
    return absolute.startswith(("/proc/", "/dev/"))


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
