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
3. Every kind of unit (docs/formats.md, "JSON report format history"): ``response.groups`` gives the
   response by each kind of unit above the invited ones (``kind``, ``kind_label``, ``rows``);
   ``response.regions`` stays, as the rows of the first of them, and a row's ``responded`` may be
   null with ``suppressed`` naming the disclosure rule; ``breakdowns`` has every question's answers by
   each such kind (``question``, ``by``, ``groups`` of ``unit``, ``name``, ``base``, ``options`` with
   ``id``, ``count``, ``percent`` and ``suppressed``); ``method.disclosure`` is the policy;
   distributions carry ``scored``, ``asked_of``, ``asked``, ``invited`` and ``response``; milestones
   and numbers carry each unit's own figures in ``units``; recommendations carry ``levels``; and a
   unit's profile (``--unit ID``) is a document with a top-level ``unit`` object (``id``, ``name``, ``kind``,
   ``benchmarks``, ``answers``...) as its own document (``schemas/profile.schema.json``): ``format``,
   ``meta``, ``review``, ``period``, ``basis``, ``synthetic``, ``method`` and ``unit``. Evidence honesty: ``excluded``
   (what a ``--skip-invalid`` report left out) and ``synthetic`` (the invented evidence the figures rest
   on, by period, with its files); ``meta.synthetic`` says whether there is any, and each of
   ``meta.inputs`` whether the tracker marks it synthetic.

The schema is ``schemas/report.schema.json``. Same input, same bytes: keys keep the model's order
and nothing depends on the clock unless ``SOURCE_DATE_EPOCH`` is unset.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from recotrack.hookspecs import hookimpl
from recotrack.method import Method
from recotrack.model import Review
from recotrack.reporters import Provenance, ReportContext, Reporter
from recotrack.results import Basis, Results, Synthetic, UnitProfile

FORMAT = 3


class InputRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str
    kind: str
    sha256: str
    synthetic: bool
    """Whether the tracker marks the file's evidence as invented."""


class Meta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    generator: str
    version: str
    generated: str
    synthetic: bool
    """Whether any figure of the document rests on invented evidence (the top-level ``synthetic`` says which)."""
    inputs: list[InputRecord]


class ReportDocument(Results):
    """The JSON report's shape, for its schema: the results plus format, provenance and the review."""

    model_config = ConfigDict(extra="forbid", title="recotrack JSON report")

    format: Literal[3]
    meta: Meta
    review: Review


class ProfileDocument(BaseModel):
    """A unit's profile as JSON (``--unit ID``), for its schema: the unit's figures with the national ones it is
    set against, the method and the provenance; the national report itself is not repeated in it."""

    model_config = ConfigDict(extra="forbid", title="recotrack JSON unit profile")

    format: Literal[3]
    meta: Meta
    review: Review
    period: str
    basis: Basis | None
    synthetic: Synthetic | None
    method: Method
    unit: UnitProfile


def report_document(context: ReportContext) -> dict[str, Any]:
    """The JSON document as plain data (what is written, before serialisation)."""
    head = {
        "format": FORMAT,
        "meta": _meta(context.provenance, context.results),
        "review": context.review.model_dump(mode="json", by_alias=True, exclude={"documents"}),
    }
    results = context.results
    if context.profile is not None:
        return {
            **head,
            "period": results.period,
            "basis": results.basis,
            "synthetic": None if results.synthetic is None else results.synthetic.model_dump(mode="json"),
            "method": results.method.model_dump(mode="json"),
            "unit": context.profile.model_dump(mode="json"),
        }
    return {**head, **results.model_dump(mode="json")}


def _meta(provenance: Provenance, results: Results) -> dict[str, Any]:
    return {
        "generator": provenance.generator,
        "version": provenance.version,
        "generated": provenance.generated.isoformat().replace("+00:00", "Z"),
        "synthetic": results.synthetic is not None,
        "inputs": [
            {"path": f.path, "kind": f.kind, "sha256": f.sha256, "synthetic": f.synthetic} for f in provenance.inputs
        ],
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
