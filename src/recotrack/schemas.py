"""JSON Schemas for the tracker's YAML files and the JSON report, generated from the models so they cannot drift.

Regenerate the committed copies with ``python -m recotrack.schemas schemas/``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from recotrack.evidence.files import EvidenceFile
from recotrack.model import (
    Band,
    CrosswalkEntry,
    Disclosure,
    DisclosurePreset,
    EvidenceSource,
    Indicator,
    Invitation,
    Level,
    LifecycleSettings,
    MethodSettings,
    Period,
    PeriodDeclaration,
    Recommendation,
    Review,
    Scale,
    Section,
    Theme,
    Unit,
    UnitKind,
)
from recotrack.reporters.json import ProfileDocument, ReportDocument

SCHEMA_BASE = "https://recotrack.invalid/schemas/"


class CatalogFile(BaseModel):
    """One catalog file; a catalog folder's files are merged, so every section is optional."""

    model_config = ConfigDict(extra="forbid", title="recotrack catalog file")

    review: Review | None = None
    levels: list[Level] = Field(default_factory=list, description="Levels in order, top first.")
    themes: list[Theme] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    scales: list[Scale] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    bands: list[Band] = Field(
        default_factory=list, description="Status bands for scores; the defaults apply when none are given."
    )
    lifecycle: LifecycleSettings | None = Field(
        default=None, description="Scales of responses and implementation statuses; the ECA's by default."
    )
    crosswalk: list[CrosswalkEntry] = Field(
        default_factory=list, description="Questions mapped between periods, and whether they compare."
    )
    sections: list[Section] = Field(
        default_factory=list, description="Questionnaire sections asked of some kinds of unit only (asked_of)."
    )
    method: MethodSettings | None = Field(
        default=None, description="Roll-up rules, progress assessment and flag thresholds (given once)."
    )
    disclosure: DisclosurePreset | Disclosure | None = Field(
        default=None,
        description="Disclosure control of sub-national figures: a preset's name, or a preset with parameters "
        "(given once).",
    )
    periods: list[PeriodDeclaration | Period] = Field(
        default_factory=list, description="The tracker's reporting periods, in time order."
    )
    evidence: list[EvidenceSource] = Field(
        default_factory=list,
        description="The evidence manifest: the period and synthetic-ness of evidence files and folders.",
    )


class UnitsFile(BaseModel):
    """One units file: unit kinds, the units, and who was invited to report in each period."""

    model_config = ConfigDict(extra="forbid", title="recotrack units file")

    kinds: list[UnitKind] = Field(default_factory=list)
    units: list[Unit] = Field(default_factory=list)
    invited: list[Invitation] = Field(default_factory=list)


def _schema(
    model: type[BaseModel], name: str, mode: Literal["validation", "serialization"] = "validation"
) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True, mode=mode)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_BASE + name, **schema}


def schemas() -> dict[str, dict[str, Any]]:
    """File name → JSON Schema for every file format recotrack reads or writes."""
    return {
        "catalog.schema.json": _schema(CatalogFile, "catalog.schema.json"),
        "units.schema.json": _schema(UnitsFile, "units.schema.json"),
        "evidence.schema.json": _schema(EvidenceFile, "evidence.schema.json"),
        "report.schema.json": _schema(ReportDocument, "report.schema.json", mode="serialization"),
        "profile.schema.json": _schema(ProfileDocument, "profile.schema.json", mode="serialization"),
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = directory / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m recotrack.schemas DIRECTORY", file=sys.stderr)
        return 2
    for path in write_schemas(Path(args[0])):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
