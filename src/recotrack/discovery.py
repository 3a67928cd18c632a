"""Which files make up a tracker: the one place that decides what is read, and in what order.

A tracker directory holds ``catalog.yaml`` (or ``.yml``, or a ``catalog/`` folder of YAML files),
optionally ``units.yaml`` or ``units/``, and an ``evidence/`` folder of YAML and CSV files. The same
rules hold everywhere: suffixes match whatever their case (``.YAML`` is YAML), files and folders
whose name starts with ``.`` are skipped, and the order is stable (by path inside the folder, with
evidence YAML before evidence CSV, because column maps must be known before wide CSVs are read).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")
CSV_SUFFIXES = (".csv",)
EVIDENCE_SUFFIXES = (*YAML_SUFFIXES, *CSV_SUFFIXES)


@dataclass(frozen=True)
class TrackerFiles:
    """The files found for each part of a tracker."""

    catalog: list[Path] | None
    """None when no catalog was found (an empty list: a catalog folder without YAML files)."""
    units: list[Path]
    evidence: list[Path]


def discover(root: Path) -> TrackerFiles:
    """The files of the tracker at ``root``: a directory, or a single catalog file read alone."""
    if root.is_file():
        return TrackerFiles([root], [], [])
    return TrackerFiles(part_files(root, "catalog"), part_files(root, "units") or [], evidence_files(root / "evidence"))


def is_yaml(path: Path) -> bool:
    return path.suffix.lower() in YAML_SUFFIXES


def is_csv(path: Path) -> bool:
    return path.suffix.lower() in CSV_SUFFIXES


def part_files(root: Path, name: str) -> list[Path] | None:
    """The YAML files of one part (``catalog``, ``units``): ``<name>.yaml``, ``<name>.yml``, or ``<name>/``.

    None when the part is not there at all.
    """
    for suffix in YAML_SUFFIXES:
        # Exact spelling first, so that the choice is the same on case-sensitive file systems and others.
        candidates = sorted(
            (p for p in _children(root) if p.stem == name and p.suffix.lower() == suffix),
            key=lambda p: (p.suffix != suffix, p.name),
        )
        if candidates:
            return [candidates[0]]
    folder = root / name
    if folder.is_dir():
        return _files_in(folder, YAML_SUFFIXES)
    if folder.is_file():
        return [folder]
    return None


def evidence_files(folder: Path) -> list[Path]:
    """The evidence files of a folder (or the file itself), in reading order."""
    if folder.is_file():
        return [folder]
    return reading_order(_files_in(folder, EVIDENCE_SUFFIXES))


def reading_order(paths: Iterable[Path]) -> list[Path]:
    """Evidence files in the order they are read: YAML before CSV, otherwise as given."""
    return sorted(paths, key=is_csv)


def _children(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        return []


def _files_in(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Files under ``folder`` with one of ``suffixes`` (any case), skipping hidden ones, by path."""
    if not folder.is_dir():
        return []
    return sorted(
        (
            p
            for p in folder.rglob("*")
            if p.suffix.lower() in suffixes
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            and p.is_file()
        ),
        key=lambda p: p.relative_to(folder).as_posix(),
    )
