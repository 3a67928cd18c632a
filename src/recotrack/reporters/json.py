"""The JSON reporter: every figure of the results, in a versioned format other tools can rely on.

``FORMAT`` is the version of this JSON layout, independent of recotrack's version:

1. First version: ``format``, ``meta`` (generator, version, generation time honouring
   ``SOURCE_DATE_EPOCH``, input files with SHA-256), ``review``, then every field of
   :class:`recotrack.results.Results` (``period``, ``source``, ``response``, ``indicators``, ...).
2. Honest names and printed figures (docs/formats.md, "JSON report format history", lists every change):
   ``indicators`` is ``distributions``; ``withheld`` / ``withheld_reason`` are ``withdrawn`` /
   ``withdrawn_reason``; ``source`` is ``basis`` (and ``baseline_source`` ``baseline_basis``); the
   changes' ``score`` is ``score_change``; milestone and number evidence name their ``document`` and
   ``document_title``; ``bands`` moved into ``method``, which states every setting and the methodology
   version; every object with a ``score`` carries ``score_printed``, the string every built-in reporter
   shows, and changes carry ``change_printed`` and ``interval_printed``. Following years (added
   within format 2): a comparison entry names its ``baseline_question``, the crosswalk's
   ``comparable`` and ``note``, and its ``trend`` may be ``"not comparable"`` (no change figures) or
   ``"dropped"``; recommendations carry ``lifecycle``, ``flags`` (codes: ``late``, ``overdue``,
   ``target-moved``) and ``flag_details``; milestones their ``target``, ``target_revisions``,
   ``delivered``, ``flags`` and ``flag_details``; with ``--history``, a top-level ``series``.

The schema is ``schemas/report.schema.json``. Same input, same bytes: keys keep the model's order
and nothing depends on the clock unless ``SOURCE_DATE_EPOCH`` is unset.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from recotrack.hookspecs import hookimpl
from recotrack.model import Review
from recotrack.reporters import Provenance, ReportContext, Reporter
from recotrack.results import Results

FORMAT = 2


class InputRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str
    kind: str
    sha256: str


class Meta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    generator: str
    version: str
    generated: str
    inputs: list[InputRecord]


class ReportDocument(Results):
    """The JSON report's shape, for its schema: the results plus format, provenance and the review."""

    model_config = ConfigDict(extra="forbid", title="recotrack JSON report")

    format: Literal[2]
    meta: Meta
    review: Review


def report_document(context: ReportContext) -> dict[str, Any]:
    """The JSON document as plain data (what is written, before serialisation)."""
    return {
        "format": FORMAT,
        "meta": _meta(context.provenance),
        "review": context.review.model_dump(mode="json", by_alias=True, exclude={"documents"}),
        **context.results.model_dump(mode="json"),
    }


def _meta(provenance: Provenance) -> dict[str, Any]:
    return {
        "generator": provenance.generator,
        "version": provenance.version,
        "generated": provenance.generated.isoformat().replace("+00:00", "Z"),
        "inputs": [{"path": f.path, "kind": f.kind, "sha256": f.sha256} for f in provenance.inputs],
    }


def render(context: ReportContext) -> str:
    return json.dumps(report_document(context), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


@hookimpl
def recotrack_register_reporters() -> list[Reporter]:
    return [
        Reporter(
            "json", "every figure as versioned JSON (schemas/report.schema.json)", render, "json", "application/json"
        )
    ]
