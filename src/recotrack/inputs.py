"""The input registry: every file a tracker was read from, what it was read as, and its SHA-256.

It is the one source of provenance, and the tracker's boundary: every input is opened here, and
nothing is opened that is not a regular file (a FIFO would hang the reader, ``/dev/zero`` would fill
its memory) or that a link inside the tracker points at outside it (``evidence/x.csv`` →
``/etc/shadow``), unless such links are allowed. Digests are taken from the bytes the readers
already hold (the YAML parse, the CSV encoding check), so no file is ever read a second time to hash it.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from recotrack.errors import display_path
from recotrack.limits import Limits, how_to_raise

InputKind = Literal["catalog", "units", "evidence"]


@dataclass(frozen=True)
class InputFile:
    """A file the tracker (and so any report) was computed from, with its content hash.

    ``path`` is POSIX and relative to the tracker directory (to the folder of a single catalog
    file); a file outside it, such as one given with ``--evidence``, keeps its path as given.
    ``kind`` is what the file was read as: ``catalog``, ``units`` or ``evidence``; ``synthetic``
    says that the catalog's ``evidence:`` manifest marks it as invented data.
    """

    path: str
    sha256: str
    kind: str
    synthetic: bool = False


class InputRefused(Exception):
    """A file that is not read: not a regular file, a link out of the tracker, too large, unreadable."""

    def __init__(self, message: str, expected: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is ('a FIFO (named pipe)', 'a directory'...); None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def is_within(path: str, folder: str) -> bool:
    """Whether the absolute ``path`` is ``folder`` or inside it (both normalised the same way)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


OUTSIDE_LINK = "a symbolic link to a file outside the tracker; it is not read"
ALLOW_LINKS = "files inside the tracker (or allow links out of it with --allow-outside-links)"


class InputRegistry:
    """Every file loading tried to read, in order; for those it could read, their kind and hash."""

    def __init__(self, root: Path, *, limits: Limits | None = None, allow_outside_links: bool = False) -> None:
        self.root = root
        self._is_dir = root.is_dir()
        self.base = root if self._is_dir else root.parent
        """The folder paths are shown relative to: the tracker directory, or a single catalog file's folder."""
        self.limits = limits or Limits()
        self.allow_outside_links = allow_outside_links
        self._absolute_base = os.path.abspath(self.base)
        self._real_base = os.path.realpath(self.base)
        self._tried: list[Path] = []
        self._read: dict[Path, InputFile] = {}
        self._synthetic: set[Path] = set()
        self._redacted: set[str] = set()

    def shown(self, path: Path) -> str:
        """How messages name ``path``: relative to the tracker's root, when inside it (never its folder's name)."""
        return display_path(path, self.base)

    def inside(self, path: Path | str) -> bool:
        """Whether ``path``, as written, is in the tracker's folder (links are not followed)."""
        return is_within(os.path.abspath(path), self._absolute_base)

    def leaves(self, path: Path | str) -> bool:
        """Whether ``path`` is in the tracker as written but, links followed, outside it (and that is refused)."""
        if self.allow_outside_links or not self.inside(path):
            return False
        return not is_within(os.path.realpath(path), self._real_base)

    def links_out(self, path: Path | str) -> bool:
        """Whether ``path`` is in the tracker as written but, links followed, outside it (allowed or not)."""
        return self.inside(path) and not is_within(os.path.realpath(path), self._real_base)

    @property
    def redacted(self) -> frozenset[str]:
        """Files (as shown) read through a link out of the tracker: nothing of them is shown in messages."""
        return frozenset(self._redacted)

    def mark_synthetic(self, path: Path) -> None:
        self._synthetic.add(Path(os.path.abspath(path)))

    def record(self, path: Path, kind: InputKind, sha256: str | None) -> None:
        """Note that ``path`` was read as ``kind``; ``sha256`` is None when it could not be read."""
        self._tried.append(path)
        if self.links_out(path):
            self._redacted.add(self.shown(path))
        if sha256 is not None:
            synthetic = Path(os.path.abspath(path)) in self._synthetic
            self._read.setdefault(path, InputFile(self.shown(path), sha256, kind, synthetic))

    def admit(self, path: Path) -> os.stat_result:
        """The status of ``path`` when it may be read; raises :class:`InputRefused` saying why not.

        Checked before anything is opened: a FIFO, a device, a socket or a directory is refused (so
        opening it cannot hang or flood), and so is a link inside the tracker to a file outside it.
        """
        try:
            status = os.stat(path)
        except FileNotFoundError:
            if os.path.lexists(path):
                raise InputRefused("a broken symbolic link: the file it points at does not exist") from None
            raise InputRefused("no such file") from None
        except (OSError, RuntimeError, ValueError) as exc:
            if isinstance(exc, OSError) and exc.errno != errno.ELOOP:
                raise InputRefused(f"cannot read file: {exc.strerror or exc}") from None
            raise InputRefused("a symbolic link loop: the link leads back to itself") from None
        kind = special_kind(status.st_mode)
        if kind is not None:
            raise InputRefused(f"not a regular file ({kind}); it is not read", "a regular file")
        if self.leaves(path):
            raise InputRefused(OUTSIDE_LINK, ALLOW_LINKS)
        return status

    def open(
        self, path: Path, max_bytes: int, limit_name: str, too_large: str = "file is too large"
    ) -> tuple[BinaryIO, int]:
        """Open a regular file of the tracker for reading, with its size; raises :class:`InputRefused`.

        The file is opened without blocking and checked again once open (it could have been swapped
        for a FIFO in between); a file larger than ``max_bytes`` is refused before any of it is read.
        """
        self.admit(path)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            descriptor = os.open(path, flags)
        except OSError as exc:
            raise InputRefused(f"cannot read file: {exc.strerror or exc}") from None
        try:
            status = os.fstat(descriptor)
            kind = special_kind(status.st_mode)
            if kind is not None:
                raise InputRefused(f"not a regular file ({kind}); it is not read", "a regular file")
            if status.st_size > max_bytes:
                raise InputRefused(
                    f"{too_large} ({status.st_size:,} bytes; the limit {limit_name} is {max_bytes:,})",
                    how_to_raise(limit_name),
                )
            if hasattr(os, "set_blocking"):
                os.set_blocking(descriptor, True)
            stream = os.fdopen(descriptor, "rb")
        except BaseException:
            os.close(descriptor)
            raise
        return stream, status.st_size

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file loading tried to read, readable or not, in reading order."""
        return tuple(self._tried)

    @property
    def digests(self) -> dict[Path, str]:
        """SHA-256 of each file that could be read."""
        return {path: read.sha256 for path, read in self._read.items()}

    @property
    def inputs(self) -> tuple[InputFile, ...]:
        """The files that could be read, sorted by path (unreadable ones were reported as errors)."""
        return tuple(sorted(self._read.values(), key=lambda f: f.path))

    def identities(self) -> set[tuple[int, int]]:
        """(device, inode) of every file read: a report written onto one of them is refused, hard links too."""
        found = set()
        for path in self._read:
            try:
                status = os.stat(path)
            except OSError:
                continue
            found.add((status.st_dev, status.st_ino))
        return found
