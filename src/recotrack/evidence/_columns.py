"""What the columnar readers share: a period's answer arrays seen through numpy, rows grouped by a key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from recotrack.evidence.model import PeriodEvidence


def answer_views(
    evidence: PeriodEvidence, question: str
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.unsignedinteger[Any]]]:
    """The question's answers and lines in ``evidence`` (made empty when it has none yet), as writable views."""
    answers = np.frombuffer(evidence.answers.get(question) or evidence.answer_array(question), dtype=np.uint8)
    lines = evidence.lines[question]
    return answers, np.frombuffer(lines, dtype=np.dtype(f"u{lines.itemsize}"))


def grouped(rows: npt.NDArray[np.intp], keys: npt.NDArray[Any]) -> Iterator[tuple[int, npt.NDArray[np.intp]]]:
    """``rows`` by their ``keys``, in key order, each group's rows in file order."""
    if not len(rows):
        return
    order = np.argsort(keys, kind="stable")
    keys, rows = keys[order], rows[order]
    bounds = np.flatnonzero(np.diff(keys)) + 1
    for group_keys, group_rows in zip(np.split(keys, bounds), np.split(rows, bounds), strict=True):
        yield int(group_keys[0]), group_rows
