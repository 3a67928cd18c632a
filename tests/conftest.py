from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "cqc-cypmh"
MINIMAL = Path(__file__).resolve().parent / "data" / "minimal"


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A writable copy of the small valid tracker."""
    target = tmp_path / "tracker"
    shutil.copytree(MINIMAL, target)
    return target


Edit = Callable[..., Path]


@pytest.fixture
def edit(minimal: Path) -> Edit:
    """Replace text once in a file of the minimal tracker; returns the tracker path."""

    def apply(old: str, new: str, file: str = "catalog.yaml") -> Path:
        path = minimal / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur exactly once in {file}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return minimal

    return apply


def line_of(path: Path, marker: str) -> int:
    """1-based line of the only line that contains ``marker``."""
    lines = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if marker in line]
    assert len(lines) == 1, f"{marker!r} found on lines {lines}"
    return lines[0]
