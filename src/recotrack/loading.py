"""Load a tracker directory (catalog, units, evidence) into typed objects, collecting every problem.

A tracker is a directory holding ``catalog.yaml`` or a ``catalog/`` folder of YAML files,
optionally ``units.yaml`` or ``units/``, and an ``evidence/`` folder. Each item (a recommendation,
an indicator, a unit...) is validated on its own so that one mistake never hides another.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, TypeAdapter

from recotrack._collection import collection_paused
from recotrack._problems import ProblemSink
from recotrack._sections import SectionReader
from recotrack._units_csv import CsvRowOrigin, read_units_csv
from recotrack._yaml import ItemOrigin, Origin
from recotrack.checks import check_audiences, check_catalog, check_invitations, check_units, unique_ids
from recotrack.discovery import Skipped, discover, evidence_files, is_csv
from recotrack.errors import FieldPath, Finding, Problem, Severity, TrackerError
from recotrack.evidence import Evidence, FileFacts, Progress, read_evidence
from recotrack.inputs import ALLOW_LINKS, InputFile, InputRegistry
from recotrack.limits import Limits, resolve_limits
from recotrack.model import (
    Band,
    Catalog,
    CrosswalkEntry,
    Disclosure,
    EvidenceSource,
    Indicator,
    Invitation,
    Level,
    LifecycleSettings,
    MethodSettings,
    MilestoneIndicator,
    NumericIndicator,
    PeriodDeclaration,
    Recommendation,
    Review,
    Scale,
    ScaleIndicator,
    Section,
    Theme,
    Unit,
    UnitKind,
    Units,
)
from recotrack.periods import TrackerPeriods, tracker_periods

_INDICATOR_KINDS: dict[str, type[BaseModel]] = {
    "scale": ScaleIndicator,
    "milestone": MilestoneIndicator,
    "numeric": NumericIndicator,
}

_CATALOG_LISTS: dict[str, Callable[[Any], BaseModel]] = {
    "levels": Level.model_validate,
    "themes": Theme.model_validate,
    "recommendations": Recommendation.model_validate,
    "scales": Scale.model_validate,
    "indicators": TypeAdapter(Indicator).validate_python,
    "bands": Band.model_validate,
    "crosswalk": CrosswalkEntry.model_validate,
    "sections": Section.model_validate,
    "periods": PeriodDeclaration.model_validate,
    "evidence": EvidenceSource.model_validate,
}
_UNITS_LISTS: dict[str, Callable[[Any], BaseModel]] = {
    "kinds": UnitKind.model_validate,
    "units": Unit.model_validate,
    "invited": Invitation.model_validate,
}
_MODEL_OF_SECTION: dict[str, type[BaseModel]] = {
    **{f"indicator:{kind}": model for kind, model in _INDICATOR_KINDS.items()},
    "review": Review,
    "method": MethodSettings,
    "lifecycle": LifecycleSettings,
    "crosswalk": CrosswalkEntry,
    "disclosure": Disclosure,
    "bands": Band,
    "levels": Level,
    "themes": Theme,
    "recommendations": Recommendation,
    "scales": Scale,
    "sections": Section,
    "kinds": UnitKind,
    "units": Unit,
    "invited": Invitation,
    "periods": PeriodDeclaration,
    "evidence": EvidenceSource,
}


@dataclass(frozen=True)
class Tracker:
    """A loaded tracker: the catalog, the reporting units, the evidence, and where they came from."""

    root: Path
    catalog: Catalog
    units: Units
    evidence: Evidence = field(default_factory=Evidence)
    files: tuple[Path, ...] = ()
    digests: Mapping[Path, str] = field(default_factory=dict)
    """SHA-256 of each file in ``files`` that could be read, taken as it was read."""
    problems: tuple[Problem, ...] = ()
    """Everything found while loading: warnings, and errors in evidence rows that were not read."""
    inputs: tuple[InputFile, ...] = ()
    """Every file that was read, sorted by path: what it was read as and its SHA-256 (the provenance of reports).

    Paths are POSIX and relative to the tracker directory; files that could not be read are not
    listed (they are errors in ``problems``).
    """

    @property
    def periods(self) -> TrackerPeriods:
        """The tracker's periods in time order, with each one's end date (:func:`recotrack.periods.tracker_periods`)."""
        return tracker_periods(self.catalog, self.units, self.evidence.all_periods())


_CATALOG_SETTINGS: dict[str, Callable[[Any], BaseModel]] = {
    "method": MethodSettings.model_validate,
    "lifecycle": LifecycleSettings.model_validate,
    "disclosure": Disclosure.model_validate,
}
"""Catalog sections given at most once, with a documented default (``method:``, ``lifecycle:``, ``disclosure:``)."""


@dataclass
class _CatalogRead:
    """A catalog as read, with where each item came from (for checks that need the units too)."""

    catalog: Catalog | None = None
    origins: dict[FieldPath, ItemOrigin] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)


def _load_catalog(
    sections: SectionReader, files: list[Path], read: _CatalogRead, root: Path | None = None
) -> Catalog | None:
    documents = sections.read(files, "catalog")
    collected = sections.collect(documents, ("review", *_CATALOG_SETTINGS), _CATALOG_LISTS)
    review_raw = collected.singletons.get("review")
    if review_raw is None:
        if documents:
            sections.problems.add(
                Origin(documents[0], ()).problem(
                    (),
                    "the catalog has no `review` section",
                    expected="a `review:` with id, title, publisher and published",
                )
            )
        return None
    review = sections.validate("review", review_raw[0], review_raw[1], Review.model_validate)
    parts, origins, broken = sections.validate_lists(collected, _CATALOG_LISTS)
    origins[("review",)] = review_raw[1]
    if not parts["levels"] and documents:
        sections.problems.add(
            Origin(documents[0], ()).problem(
                (),
                "the catalog declares no levels",
                expected="a `levels:` list, top level first (e.g. national, regional, local)",
            )
        )
    settings: dict[str, Any] = {}
    for name, validator in _CATALOG_SETTINGS.items():
        if name in collected.singletons:
            raw, origin = collected.singletons[name]
            origins[(name,)] = origin
            setting = sections.validate(name, raw, origin, validator)
            if setting is not None:  # else reported: the catalog has errors and is not used
                settings[name] = setting
    if not isinstance(review, Review) or not parts["levels"]:
        return None
    # Items were validated one by one above; assembling them again would only repeat that work.
    if not collected.lists["bands"]:
        del parts["bands"]  # none declared: keep the documented default bands
    catalog = Catalog.model_construct(review=review, **cast(dict[str, Any], parts), **settings)
    findings = check_catalog(catalog)
    if root is not None:
        findings += _check_manifest(catalog, root, sections.inputs)
    sections.report_findings(findings, origins, broken)
    read.catalog, read.origins, read.broken = catalog, origins, broken
    return catalog


def _check_manifest(catalog: Catalog, root: Path, inputs: InputRegistry) -> list[Finding]:
    """Every path of the evidence manifest must be in the tracker (links followed)."""
    found = []
    for index, source in enumerate(catalog.evidence):
        path = root / source.path
        if not os.path.lexists(path):
            found.append(
                Finding(
                    ("evidence", index, "path"),
                    "no such file or folder in the tracker",
                    repr(source.path),
                    "a path relative to the tracker's root, such as 'evidence/2020-returns.csv'",
                )
            )
        elif inputs.leaves(path):
            found.append(
                Finding(
                    ("evidence", index, "path"), "the path leads outside the tracker", repr(source.path), ALLOW_LINKS
                )
            )
    return found


def _load_units(sections: SectionReader, files: list[Path], catalog: Catalog | None = None) -> Units:
    documents = sections.read([f for f in files if not is_csv(f)], "units")
    collected = sections.collect(documents, (), _UNITS_LISTS)
    parts, origins, broken = sections.validate_lists(collected, _UNITS_LISTS)
    listed = [
        found for f in files if is_csv(f) for found in read_units_csv(sections.inputs, sections.problems, f, broken)
    ]
    if listed:  # units listed in CSV follow those of YAML, each with its row for problems about it
        origins.update((("units", len(parts["units"]) + i), origin) for i, (_, origin) in enumerate(listed))
        parts["units"] = (*parts["units"], *(unit for unit, _ in listed))
    units = Units.model_construct(**cast(dict[str, Any], parts))
    findings = [_first_use_placed(finding, origins) for finding in check_units(units)]
    if catalog is not None and catalog.periods:
        findings += check_invitations(units, [p.id for p in catalog.periods])
    elif catalog is not None and units.invited:
        periods = tracker_periods(catalog, units)
        findings.append(
            Finding(
                ("invited", 0, "period"),
                "the catalog declares no `periods:`, so the tracker's periods are those `invited:` names "
                f"({', '.join(repr(p) for p in periods.ids)}) and any other its evidence names, in the order "
                "of their names; evidence for a near miss of an invited period is an error",
                expected="the periods, in time order, in the catalog's `periods:`",
                severity=Severity.WARNING,
            )
        )
    sections.report_findings(findings, origins, broken)
    return units


def _first_use_placed(finding: Finding, origins: Mapping[FieldPath, ItemOrigin]) -> Finding:
    """A duplicate of a unit first listed in a CSV says the file and line it was first used at (not its index)."""
    at = finding.first_at
    first = origins.get(at) if at is not None else None
    if at is None or not isinstance(first, CsvRowOrigin):
        return finding
    return replace(finding, expected=unique_ids(str(at[0]), f"{first.file} line {first.line}"))


def _manifest_files(
    catalog: Catalog, root: Path, inputs: InputRegistry, skipped: list[Skipped]
) -> tuple[list[Path], dict[str, FileFacts]]:
    """The files the evidence manifest names (folders: every evidence file under them) and what it says of each.

    A more specific entry (a file, or a deeper folder) overrides what a folder above it says.
    """
    if not root.is_dir():
        return [], {}
    files: list[Path] = []
    facts: dict[str, FileFacts] = {}
    for source in sorted(catalog.evidence, key=lambda s: len(Path(s.path).parts)):
        path = root / source.path
        if not os.path.lexists(path) or inputs.leaves(path):
            continue  # reported with the catalog
        for file in evidence_files(path, inputs, skipped):
            shown = inputs.shown(file)
            before = facts.get(shown, FileFacts())
            synthetic = before.synthetic if source.synthetic is None else source.synthetic
            facts[shown] = FileFacts(source.period or before.period, synthetic)
            files.append(file)
    for file in files:
        if facts[inputs.shown(file)].synthetic:
            inputs.mark_synthetic(file)
    return files, facts


@collection_paused()
def read_tracker(
    path: str | Path,
    *,
    evidence: Iterable[str | Path] = (),
    period: str | None = None,
    progress: Progress | None = None,
    limits: Limits | Mapping[str, int] | None = None,
    allow_outside_links: bool = False,
) -> tuple[Tracker | None, list[Problem]]:
    """Load what can be loaded and return it with every problem found (errors and warnings).

    ``evidence`` names more evidence files besides the tracker's ``evidence/`` folder; ``period``
    is the period of wide CSV files that have no ``period`` column; ``progress`` is called before
    each evidence file is read. ``limits`` changes the limits readers work within (by name, such as
    ``{"csv-bytes": 4 << 30}``; see :class:`recotrack.limits.Limits`; ``RECOTRACK_LIMITS`` is read
    too); ``allow_outside_links`` lets links inside the tracker lead to files outside it. The
    tracker is None when the catalog or units have errors (evidence is then not read, since it
    could not be checked).
    """
    root = Path(path)
    resolved_limits = resolve_limits(limits)
    if not os.path.lexists(root):
        return None, [
            Problem(
                root.as_posix(),
                0,
                0,
                "",
                "no such file or directory",
                expected="a tracker directory or a catalog YAML file",
            )
        ]
    inputs = InputRegistry(root, limits=resolved_limits, allow_outside_links=allow_outside_links)
    found = discover(root, inputs)
    problems = ProblemSink(resolved_limits.errors)
    for skipped in found.skipped:
        if skipped.part != "evidence":
            problems.add(_skipped_problem(inputs, skipped))
    if found.catalog is None or (not found.catalog and problems.has_errors):
        if found.catalog is None:
            problems.add(
                Problem(
                    root.as_posix(),
                    0,
                    0,
                    "",
                    "no catalog found",
                    expected="catalog.yaml or a catalog/ folder of YAML files in the tracker directory",
                )
            )
        return None, problems.ordered()
    sections = SectionReader(inputs, problems, _MODEL_OF_SECTION)
    catalog_read = _CatalogRead()
    catalog = _load_catalog(sections, found.catalog, catalog_read, root if root.is_dir() else None)
    units = _load_units(sections, found.units, catalog)
    if catalog is not None:
        sections.report_findings(check_audiences(catalog, units), catalog_read.origins, catalog_read.broken)
    skipped_in_manifest: list[Skipped] = []
    manifest, facts = ([], {}) if catalog is None else _manifest_files(catalog, root, inputs, skipped_in_manifest)
    files = _unique([*found.evidence, *manifest, *(Path(p) for p in evidence)])
    if catalog is None or problems.has_errors:
        if files:
            problems.add(
                Problem(
                    inputs.shown(files[0].parent),
                    0,
                    0,
                    "",
                    "evidence was not checked because the catalog or units have errors",
                    severity=Severity.WARNING,
                )
            )
        return None, problems.ordered()
    skipped_evidence = []
    for skipped in _unique_skipped([*found.skipped, *skipped_in_manifest]):
        if skipped.part == "evidence":
            problems.add(_skipped_problem(inputs, skipped))
            if skipped.severity is Severity.ERROR:
                skipped_evidence.append(inputs.shown(skipped.path))
    read = read_evidence(catalog, units, files, inputs, problems, period, progress, skipped_evidence, facts)
    ordered = _redact(problems.ordered(), inputs.redacted)
    tracker = Tracker(root, catalog, units, read, inputs.files, inputs.digests, tuple(ordered), inputs.inputs)
    return tracker, ordered


NOT_SHOWN = "(not shown: the file is outside the tracker)"


def _redact(problems: list[Problem], files: frozenset[str]) -> list[Problem]:
    """Problems in files read through links out of the tracker, with nothing of those files' content in them."""
    if not files:
        return problems
    return [replace(p, found=NOT_SHOWN) if p.file in files and p.found is not None else p for p in problems]


def _unique(paths: Iterable[Path]) -> list[Path]:
    """Paths without repeats (the same file found in ``evidence/``, in the manifest and with ``--evidence``)."""
    seen: dict[str, Path] = {}
    for path in paths:
        seen.setdefault(os.path.abspath(path), path)
    return list(seen.values())


def _unique_skipped(skipped: Iterable[Skipped]) -> list[Skipped]:
    seen: dict[tuple[str, str], Skipped] = {}
    for item in skipped:
        seen.setdefault((os.path.abspath(item.path), item.message), item)
    return list(seen.values())


def _skipped_problem(inputs: InputRegistry, skipped: Skipped) -> Problem:
    return Problem(
        inputs.shown(skipped.path), 0, 0, "", skipped.message, expected=skipped.expected, severity=skipped.severity
    )


def validate(
    path: str | Path,
    *,
    evidence: Iterable[str | Path] = (),
    period: str | None = None,
    limits: Limits | Mapping[str, int] | None = None,
    allow_outside_links: bool = False,
) -> list[Problem]:
    """Every problem in the tracker at ``path`` (an empty list means it is valid)."""
    return read_tracker(path, evidence=evidence, period=period, limits=limits, allow_outside_links=allow_outside_links)[
        1
    ]


def load(
    path: str | Path,
    *,
    evidence: Iterable[str | Path] = (),
    period: str | None = None,
    strict: bool = True,
    progress: Progress | None = None,
    limits: Limits | Mapping[str, int] | None = None,
    allow_outside_links: bool = False,
) -> Tracker:
    """Load the tracker at ``path``.

    Raises :class:`TrackerError` listing every error. With ``strict=False`` only errors in the
    catalog or units raise; evidence rows with errors are left out, listed in ``tracker.problems``
    and counted in ``tracker.evidence.left_out``. ``limits`` and ``allow_outside_links``: as for
    :func:`read_tracker`.
    """
    tracker, problems = read_tracker(
        path,
        evidence=evidence,
        period=period,
        progress=progress,
        limits=limits,
        allow_outside_links=allow_outside_links,
    )
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if tracker is None or (errors and strict):
        raise TrackerError(errors)
    return tracker
