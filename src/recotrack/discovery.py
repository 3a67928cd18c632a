"""Which files make up a tracker: the one place that decides what is read, and in what order.

A tracker directory holds ``catalog.yaml`` (or ``.yml``, or a ``catalog/`` folder of YAML files),
optionally ``units.yaml``, ``units.csv`` or a ``units/`` folder (of YAML and CSV files), and an
``evidence/`` folder of YAML and CSV files. The same
rules hold everywhere: suffixes match whatever their case (``.YAML`` is YAML), files and folders
whose name starts with ``.`` are skipped, and the order is stable (by path inside the folder, with
evidence YAML before evidence CSV, because column maps must be known before wide CSVs are read).

Nothing is passed over in silence: a folder that cannot be read, a link to a folder outside the
tracker, a link that loops back, and a second catalog beside the first (``catalog.yaml`` and
``catalog/``) are each named in a problem. Files that do not look like tracker files (``README.md``)
are not read and not reported. Whether a file found may be opened (a regular file, inside the
tracker) is decided when it is opened, by :class:`recotrack.inputs.InputRegistry`.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from recotrack.errors import Severity
from recotrack.inputs import ALLOW_LINKS, InputRegistry
from recotrack.limits import how_to_raise

YAML_SUFFIXES = (".yaml", ".yml")
CSV_SUFFIXES = (".csv",)
EVIDENCE_SUFFIXES = (*YAML_SUFFIXES, *CSV_SUFFIXES)
UNITS_SUFFIXES = EVIDENCE_SUFFIXES
"""Units may be listed in CSV too (a register is a spreadsheet); kinds and invitations are YAML."""


@dataclass(frozen=True)
class Skipped:
    """Something in the tracker that is not read, and why: every one becomes a problem."""

    path: Path
    message: str
    expected: str | None = None
    severity: Severity = Severity.ERROR
    part: str = "evidence"
    """What it belongs to: ``catalog``, ``units`` or ``evidence``."""


@dataclass(frozen=True)
class TrackerFiles:
    """The files found for each part of a tracker."""

    catalog: list[Path] | None
    """None when no catalog was found (an empty list: a catalog folder without YAML files)."""
    units: list[Path]
    evidence: list[Path]
    skipped: tuple[Skipped, ...] = field(default=())
    """What was found and is not read (each is reported)."""


def discover(root: Path, inputs: InputRegistry | None = None) -> TrackerFiles:
    """The files of the tracker at ``root``: a directory, or a single catalog file read alone."""
    if not os.path.lexists(root):
        return TrackerFiles(None, [], [])
    if not _is_dir(root):
        return TrackerFiles([root], [], [])
    registry = inputs or InputRegistry(root)
    skipped: list[Skipped] = []
    catalog = part_files(root, "catalog", registry, skipped)
    units = part_files(root, "units", registry, skipped, UNITS_SUFFIXES) or []
    evidence = evidence_files(root / "evidence", registry, skipped)
    return TrackerFiles(catalog, units, evidence, tuple(skipped))


def is_yaml(path: Path) -> bool:
    return path.suffix.lower() in YAML_SUFFIXES


def is_csv(path: Path) -> bool:
    return path.suffix.lower() in CSV_SUFFIXES


def part_files(
    root: Path,
    name: str,
    inputs: InputRegistry | None = None,
    skipped: list[Skipped] | None = None,
    suffixes: tuple[str, ...] = YAML_SUFFIXES,
) -> list[Path] | None:
    """The files of one part (``catalog``, ``units``): ``<name>.yaml``, ``<name>.yml`` (or another of
    ``suffixes``), or ``<name>/``.

    None when the part is not there at all. When it is there twice (``catalog.yaml`` and
    ``catalog/``, or ``catalog.yaml`` and ``catalog.yml``), neither is read and the clash is reported.
    """
    registry = inputs or InputRegistry(root)
    found = skipped if skipped is not None else []
    names = _names(root)
    candidates = sorted(
        (root / n for n in names if Path(n).stem == name and Path(n).suffix.lower() in suffixes),
        key=lambda p: (p.suffix not in suffixes, p.name),
    )
    folder = root / name
    if os.path.lexists(folder):
        candidates.append(folder)
    if not candidates:
        return None
    if len(candidates) > 1:
        listed = " and ".join(f"'{p.name}{'/' if p.is_dir() else ''}'" for p in candidates)
        found.append(
            Skipped(
                candidates[0],
                f"two {name}s: {listed}; neither is read",
                f"one {name} (remove or rename the other)",
                part=name,
            )
        )
        return []
    chosen = candidates[0]
    if chosen == folder and _is_dir(folder):
        return _files_in(folder, suffixes, registry, found, name)
    return [chosen]  # a file (or something that is not: refused, and reported, when it is opened)


def evidence_files(
    folder: Path, inputs: InputRegistry | None = None, skipped: list[Skipped] | None = None
) -> list[Path]:
    """The evidence files of a folder (or the file itself), in reading order."""
    registry = inputs or InputRegistry(folder.parent)
    found = skipped if skipped is not None else []
    if not os.path.lexists(folder):
        return []
    if not _is_dir(folder):
        return [folder]
    return reading_order(_files_in(folder, EVIDENCE_SUFFIXES, registry, found, "evidence"))


def reading_order(paths: Iterable[Path]) -> list[Path]:
    """Evidence files in the order they are read: YAML before CSV, otherwise as given."""
    return sorted(paths, key=is_csv)


def _names(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entry.name for entry in entries)
    except OSError:
        return []


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _files_in(
    folder: Path, suffixes: tuple[str, ...], inputs: InputRegistry, skipped: list[Skipped], part: str
) -> list[Path]:
    """Files under ``folder`` with one of ``suffixes`` (any case), skipping hidden ones, by path.

    Links to folders are followed while they stay inside the tracker; a folder reached twice (a
    link loop) is read once.
    """
    if inputs.leaves(folder):
        skipped.append(
            Skipped(
                folder,
                "a symbolic link to a folder outside the tracker; its files are not read",
                ALLOW_LINKS,
                part=part,
            )
        )
        return []
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    limit = inputs.limits.files
    pending = deque([folder])
    while pending:
        current = pending.popleft()
        try:
            status = os.stat(current)
        except OSError:
            continue
        if (status.st_dev, status.st_ino) in seen:
            skipped.append(
                Skipped(
                    current,
                    "a link to a folder that is already read (a loop); not read again",
                    severity=Severity.WARNING,
                    part=part,
                )
            )
            continue
        seen.add((status.st_dev, status.st_ino))
        try:
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            skipped.append(
                Skipped(
                    current,
                    f"cannot read this folder ({exc.strerror or exc}); its files are not read",
                    "a folder recotrack may read",
                    part=part,
                )
            )
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if entry.is_symlink() and inputs.leaves(path):
                    skipped.append(
                        Skipped(
                            path,
                            "a symbolic link to a folder outside the tracker; its files are not read",
                            ALLOW_LINKS,
                            part=part,
                        )
                    )
                    continue
                pending.append(path)
            elif path.suffix.lower() in suffixes:
                found.append(path)  # whether it may be read is decided when it is opened
                if len(found) > limit:
                    skipped.append(
                        Skipped(
                            folder,
                            f"more than {limit:,} files (the limit files); none is read",
                            how_to_raise("files"),
                            part=part,
                        )
                    )
                    return []
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())
