"""Evidence: each period's returns from the reporting units, published tallies, milestones, values.

Formats are documented in ``docs/formats.md``. Reading never stops at the first bad answer: every
problem is reported with its file and line, and valid evidence is always kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from recotrack._problems import ProblemSink
from recotrack._sections import SectionReader
from recotrack.discovery import evidence_files, is_csv, reading_order
from recotrack.evidence.builder import EvidenceBuilder, FileFacts
from recotrack.evidence.files import EvidenceFile
from recotrack.evidence.model import (
    NO_ANSWER,
    Evidence,
    LeftOut,
    Location,
    MilestoneRecord,
    OtherTally,
    PeriodEvidence,
    PublishedTallies,
    ReturnInfo,
    SourceFile,
    Tally,
    TextEntry,
    ValueRecord,
)
from recotrack.evidence.readers import EVIDENCE_MODELS, read_yaml_evidence
from recotrack.inputs import InputRegistry
from recotrack.model import Catalog, Units
from recotrack.periods import tracker_periods

__all__ = [
    "NO_ANSWER",
    "Evidence",
    "EvidenceFile",
    "FileFacts",
    "LeftOut",
    "Location",
    "MilestoneRecord",
    "OtherTally",
    "PeriodEvidence",
    "Progress",
    "PublishedTallies",
    "ReturnInfo",
    "SourceFile",
    "Tally",
    "TextEntry",
    "ValueRecord",
    "evidence_files",
    "read_evidence",
]

Progress = Callable[[int, int, Path], None]
"""Called before each evidence file is read with (index, total, path): for progress bars."""


def read_evidence(
    catalog: Catalog,
    units: Units,
    files: Iterable[Path],
    inputs: InputRegistry,
    problems: ProblemSink,
    default_period: str | None = None,
    progress: Progress | None = None,
    skipped: Iterable[str] = (),
    files_facts: Mapping[str, FileFacts] | None = None,
) -> Evidence:
    """Read evidence files into one :class:`Evidence`; each file goes to ``inputs``, each problem to ``problems``.

    ``skipped`` names evidence files or folders found and not read (already reported): they are
    recorded as left out. ``files_facts`` is what the catalog's ``evidence:`` manifest says of each
    file (by the name messages give it): its period, and whether it is synthetic.
    """
    sections = SectionReader(inputs, problems, EVIDENCE_MODELS)
    builder = EvidenceBuilder(
        catalog, units, problems, inputs.limits, tracker_periods(catalog, units), files_facts or {}
    )
    for shown in skipped:
        builder.left_out(shown, "not-read")
    ordered = reading_order(files)
    if any(is_csv(path) for path in ordered):  # the columnar engine is imported only when there is CSV to read
        from recotrack.evidence.csv_reader import read_csv_evidence
    for index, path in enumerate(ordered):
        if progress is not None:
            progress(index, len(ordered), path)
        if is_csv(path):
            read_csv_evidence(builder, inputs, path, default_period)
        else:
            read_yaml_evidence(builder, sections, path, default_period)
    return builder.finish()
