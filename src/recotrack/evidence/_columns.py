"""A period's answer arrays seen through numpy, so that a columnar reader writes a column's answers at once."""

from __future__ import annotations

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
