"""The input registry: every file a tracker was read from, what it was read as, and its SHA-256.

It is the one source of provenance. Digests are taken from the bytes the readers already hold
(the YAML parse, the CSV encoding check), so no file is ever read a second time to hash it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from recotrack.errors import display_path

InputKind = Literal["catalog", "units", "evidence"]


@dataclass(frozen=True)
class InputFile:
    """A file the tracker (and so any report) was computed from, with its content hash.

    ``path`` is POSIX and relative to the tracker directory (to the folder of a single catalog
    file); a file outside it, such as one given with ``--evidence``, keeps its path as given.
    ``kind`` is what the file was read as: ``catalog``, ``units`` or ``evidence``.
    """

    path: str
    sha256: str
    kind: str


class InputRegistry:
    """Every file loading tried to read, in order; for those it could read, their kind and hash."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._is_dir = root.is_dir()
        self.base = root if self._is_dir else root.parent
        """The folder paths are shown relative to: the tracker directory, or a single catalog file's folder."""
        self._tried: list[Path] = []
        self._read: dict[Path, InputFile] = {}

    def shown(self, path: Path) -> str:
        """How messages name ``path``: relative to the tracker's root, when inside it (never its folder's name)."""
        return display_path(path, self.base)

    def record(self, path: Path, kind: InputKind, sha256: str | None) -> None:
        """Note that ``path`` was read as ``kind``; ``sha256`` is None when it could not be read."""
        self._tried.append(path)
        if sha256 is not None:
            self._read.setdefault(path, InputFile(self.shown(path), sha256, kind))

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
