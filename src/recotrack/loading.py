"""Load a tracker directory (catalog, units, evidence) into typed objects, collecting every problem.

A tracker is a directory holding ``catalog.yaml`` or a ``catalog/`` folder of YAML files,
optionally ``units.yaml`` or ``units/``, and an ``evidence/`` folder. Each item (a recommendation,
an indicator, a unit...) is validated on its own so that one mistake never hides another.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, TypeAdapter

from recotrack._problems import ProblemSink
from recotrack._sections import SectionReader
from recotrack._yaml import Origin
from recotrack.checks import check_catalog, check_units
from recotrack.discovery import Skipped, discover
from recotrack.errors import Problem, Severity, TrackerError
from recotrack.evidence import Evidence, Progress, read_evidence
from recotrack.inputs import InputFile, InputRegistry
from recotrack.limits import Limits, resolve_limits
from recotrack.model import (
    Band,
    Catalog,
    Indicator,
    Invitation,
    Level,
    MilestoneIndicator,
    NumericIndicator,
    Recommendation,
    Review,
    Scale,
    ScaleIndicator,
    Theme,
    Unit,
    UnitKind,
    Units,
)

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
}
_UNITS_LISTS: dict[str, Callable[[Any], BaseModel]] = {
    "kinds": UnitKind.model_validate,
    "units": Unit.model_validate,
    "invited": Invitation.model_validate,
}
_MODEL_OF_SECTION: dict[str, type[BaseModel]] = {
    **{f"indicator:{kind}": model for kind, model in _INDICATOR_KINDS.items()},
    "review": Review,
    "bands": Band,
    "levels": Level,
    "themes": Theme,
    "recommendations": Recommendation,
    "scales": Scale,
    "kinds": UnitKind,
    "units": Unit,
    "invited": Invitation,
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


def _load_catalog(sections: SectionReader, files: list[Path]) -> Catalog | None:
    documents = sections.read(files, "catalog")
    collected = sections.collect(documents, ("review",), _CATALOG_LISTS)
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
    if not isinstance(review, Review) or not parts["levels"]:
        return None
    # Items were validated one by one above; assembling them again would only repeat that work.
    if not collected.lists["bands"]:
        del parts["bands"]  # none declared: keep the documented default bands
    catalog = Catalog.model_construct(review=review, **cast(dict[str, Any], parts))
    sections.report_findings(check_catalog(catalog), origins, broken)
    return catalog


def _load_units(sections: SectionReader, files: list[Path]) -> Units:
    documents = sections.read(files, "units")
    collected = sections.collect(documents, (), _UNITS_LISTS)
    parts, origins, broken = sections.validate_lists(collected, _UNITS_LISTS)
    units = Units.model_construct(**cast(dict[str, Any], parts))
    sections.report_findings(check_units(units), origins, broken)
    return units


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
    catalog = _load_catalog(sections, found.catalog)
    units = _load_units(sections, found.units)
    extra = [Path(p) for p in evidence]
    files = [*found.evidence, *(p for p in extra if p not in found.evidence)]
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
    for skipped in found.skipped:
        if skipped.part == "evidence":
            problems.add(_skipped_problem(inputs, skipped))
            if skipped.severity is Severity.ERROR:
                skipped_evidence.append(inputs.shown(skipped.path))
    read = read_evidence(catalog, units, files, inputs, problems, period, progress, skipped_evidence)
    ordered = problems.ordered()
    tracker = Tracker(root, catalog, units, read, inputs.files, inputs.digests, tuple(ordered), inputs.inputs)
    return tracker, ordered


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
