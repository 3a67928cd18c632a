"""Provenance: what generated the page, when, and from which input files (with their SHA-256)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from recotrack import display
from recotrack.reporters.html._base import Report


@dataclass(frozen=True)
class InputRow:
    path: str
    kind: str
    sha256: str


def provenance(report: Report) -> dict[str, object]:
    provenance = report.context.provenance
    generated = provenance.generated
    if generated.tzinfo is not None:
        generated = generated.astimezone(dt.UTC)
    return {
        "generator": provenance.generator,
        "version": provenance.version,
        "generated": generated.strftime("%Y-%m-%d %H:%M UTC") if generated.tzinfo else generated.isoformat(" "),
        "generated_iso": generated.isoformat().replace("+00:00", "Z"),
        "generated_day": display.date(generated.date()),
        "inputs": tuple(InputRow(f.path, f.kind, f.sha256) for f in provenance.inputs),
    }
