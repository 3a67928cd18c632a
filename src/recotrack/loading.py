"""Load a tracker directory (catalog, units, evidence) into typed objects, collecting every problem.

A tracker is a directory holding ``catalog.yaml`` or a ``catalog/`` folder of YAML files,
optionally ``units.yaml`` or ``units/``, and an ``evidence/`` folder. Each item (a recommendation,
an indicator, a unit...) is validated on its own so that one mistake never hides another.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, TypeAdapter, ValidationError

from recotrack._yaml import YamlDocument, read_yaml
from recotrack.checks import Finding, check_catalog, check_units
from recotrack.errors import FieldPath, Problem, Severity, TrackerError, display_path, format_field
from recotrack.model import (
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

YAML_SUFFIXES = (".yaml", ".yml")

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
}
_UNITS_LISTS: dict[str, Callable[[Any], BaseModel]] = {
    "kinds": UnitKind.model_validate,
    "units": Unit.model_validate,
    "invited": Invitation.model_validate,
}
_MODEL_OF_SECTION: dict[str, type[BaseModel]] = {
    "review": Review,
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
    """A loaded tracker: the catalog, the reporting units, and where they came from."""

    root: Path
    catalog: Catalog
    units: Units
    files: tuple[Path, ...] = ()
    warnings: tuple[Problem, ...] = ()


@dataclass
class _Origin:
    document: YamlDocument
    path: FieldPath


@dataclass
class _Collected:
    """Items gathered from one or more files, each remembering the file and path it came from."""

    singletons: dict[str, tuple[Any, _Origin]] = field(default_factory=dict)
    lists: dict[str, list[tuple[Any, _Origin]]] = field(default_factory=dict)


class _Session:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.files: list[Path] = []

    def shown(self, path: Path) -> str:
        return display_path(path, self.root if self.root.is_dir() else None)

    def problem_at(
        self,
        origin: _Origin,
        rel: FieldPath,
        message: str,
        found: str | None = None,
        expected: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        path = (*origin.path, *rel)
        line, column = origin.document.position(path)
        self.problems.append(
            Problem(origin.document.file, line, column, format_field(path), message, found, expected, severity)
        )

    def read_documents(self, paths: Iterable[Path]) -> list[YamlDocument]:
        documents = []
        for path in paths:
            self.files.append(path)
            result = read_yaml(path, self.shown(path))
            if isinstance(result, Problem):
                self.problems.append(result)
            else:
                documents.append(result)
        return documents

    def collect(self, documents: list[YamlDocument], singletons: tuple[str, ...], lists: Iterable[str]) -> _Collected:
        allowed = [*singletons, *lists]
        collected = _Collected(lists={name: [] for name in lists})
        for document in documents:
            origin = _Origin(document, ())
            if document.data is None:
                continue
            if not isinstance(document.data, dict):
                self.problem_at(
                    origin,
                    (),
                    "the file must be a mapping of sections",
                    found=_describe(document.data),
                    expected=f"top-level keys among {', '.join(allowed)}",
                )
                continue
            for key, value in document.data.items():
                here = _Origin(document, (key,))
                if key == "$schema":
                    continue
                if key in singletons:
                    if key in collected.singletons:
                        first = collected.singletons[key][1]
                        self.problem_at(
                            here,
                            (),
                            f"`{key}` is given twice",
                            expected=f"one `{key}` (first in {first.document.file})",
                        )
                    else:
                        collected.singletons[key] = (value, here)
                elif key in collected.lists:
                    if not isinstance(value, list):
                        self.problem_at(
                            here,
                            (),
                            f"`{key}` must be a list",
                            found=_describe(value),
                            expected="a list of entries, each starting with '- '",
                        )
                        continue
                    collected.lists[key].extend((item, _Origin(document, (key, i))) for i, item in enumerate(value))
                else:
                    self.problem_at(here, (), f"unknown section {key!r}", expected=_choices(allowed, key))
        return collected

    def validate(
        self, section: str, raw: Any, origin: _Origin, validator: Callable[[Any], BaseModel]
    ) -> BaseModel | None:
        try:
            return validator(raw)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                self.report_validation(section, raw, origin, error)
            return None

    def validate_lists(
        self, collected: _Collected, validators: dict[str, Callable[[Any], BaseModel]]
    ) -> tuple[dict[str, tuple[BaseModel, ...]], dict[FieldPath, _Origin], set[str]]:
        """Validate every list item on its own; keep the valid ones and the ids of the broken ones."""
        parts: dict[str, tuple[BaseModel, ...]] = {}
        origins: dict[FieldPath, _Origin] = {}
        broken: set[str] = set()
        for section, validator in validators.items():
            valid: list[BaseModel] = []
            for raw, origin in collected.lists[section]:
                item = self.validate(section, raw, origin, validator)
                if item is None:
                    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                        broken.add(raw["id"])
                    continue
                origins[(section, len(valid))] = origin
                valid.append(item)
            parts[section] = tuple(valid)
        return parts, origins, broken

    def report_validation(self, section: str, raw: Any, origin: _Origin, error: Any) -> None:
        loc: FieldPath = tuple(error["loc"])
        kind = raw.get("kind") if isinstance(raw, dict) else None
        if section == "indicators" and loc and loc[0] == kind:
            loc = loc[1:]
        model = _model_at(_MODEL_OF_SECTION.get(section) or _INDICATOR_KINDS.get(str(kind)), loc)
        type_ = error["type"]
        value = error.get("input")
        found = None if type_ == "missing" else _describe(value)
        expected: str | None = None
        message = error["msg"]
        if type_ == "missing":
            message = f"missing required field {loc[-1]!r}" if loc else "missing required field"
        elif type_ == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}"
            found = None
            expected = _choices(_field_names(model), str(loc[-1])) if model else None
        elif type_ in ("union_tag_not_found", "union_tag_invalid"):
            loc = (*loc, "kind")
            message = "unknown or missing indicator kind"
            found = _describe(kind) if kind is not None else "no `kind`"
            expected = "one of 'scale', 'milestone', 'numeric'"
        elif type_ == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
            raw_text = origin.document.raw_scalars.get((*origin.path, *loc), str(value))
            message = "ids, periods and labels are text, but YAML read this as a number"
            found = raw_text
            expected = f'the value in quotes: "{raw_text}"'
        elif type_ == "string_pattern_mismatch":
            message = "not a valid id or period"
            expected = "letters, digits, '.', '_' and '-' (no spaces), starting with a letter or digit"
        elif type_ in ("date_type", "date_parsing", "date_from_datetime_parsing"):
            expected = "a date written YYYY-MM-DD"
        self.problem_at(origin, loc, message[0].lower() + message[1:], found, expected)

    def report_findings(self, findings: Iterable[Finding], origins: dict[FieldPath, _Origin], broken: set[str]) -> None:
        for finding in findings:
            if finding.found is not None and finding.found.strip("'\"") in broken:
                continue  # the referenced item exists but failed validation: already reported
            head, rel = _split_origin(finding.path, origins)
            self.problem_at(head, rel, finding.message, finding.found, finding.expected)


def _split_origin(path: FieldPath, origins: dict[FieldPath, _Origin]) -> tuple[_Origin, FieldPath]:
    for cut in range(len(path), -1, -1):
        if path[:cut] in origins:
            return origins[path[:cut]], path[cut:]
    raise KeyError(path)


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _model_at(model: type[BaseModel] | None, loc: FieldPath) -> type[BaseModel] | None:
    """The model that owns the last field of ``loc`` (for 'unknown field' suggestions)."""
    for part in loc[:-1]:
        if model is None or isinstance(part, int):
            continue
        info = model.model_fields.get(str(part)) or next(
            (f for f in model.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return None
        model = _inner_model(info.annotation)
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _choices(allowed: Iterable[str], found: str) -> str:
    allowed = list(allowed)
    close = difflib.get_close_matches(found, allowed, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return "one of " + ", ".join(allowed) + hint


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _yaml_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(
        (
            p
            for p in path.rglob("*")
            if p.is_file()
            and p.suffix in YAML_SUFFIXES
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        ),
        key=lambda p: p.relative_to(path).as_posix(),
    )


def _find_part(root: Path, name: str) -> list[Path] | None:
    for candidate in (root / f"{name}.yaml", root / f"{name}.yml", root / name):
        if candidate.exists():
            return _yaml_files(candidate)
    return None


def _load_catalog(session: _Session, files: list[Path]) -> Catalog | None:
    documents = session.read_documents(files)
    collected = session.collect(documents, ("review",), _CATALOG_LISTS)
    review_raw = collected.singletons.get("review")
    if review_raw is None:
        if documents:
            session.problem_at(
                _Origin(documents[0], ()),
                (),
                "the catalog has no `review` section",
                expected="a `review:` with id, title, publisher and published",
            )
        return None
    review = session.validate("review", review_raw[0], review_raw[1], Review.model_validate)
    parts, origins, broken = session.validate_lists(collected, _CATALOG_LISTS)
    origins[("review",)] = review_raw[1]
    if not parts["levels"] and documents:
        session.problem_at(
            _Origin(documents[0], ()),
            (),
            "the catalog declares no levels",
            expected="a `levels:` list, top level first (e.g. national, regional, local)",
        )
    if not isinstance(review, Review) or not parts["levels"]:
        return None
    # Items were validated one by one above; assembling them again would only repeat that work.
    catalog = Catalog.model_construct(review=review, **cast(dict[str, Any], parts))
    session.report_findings(check_catalog(catalog), origins, broken)
    return catalog


def _load_units(session: _Session, files: list[Path]) -> Units:
    documents = session.read_documents(files)
    collected = session.collect(documents, (), _UNITS_LISTS)
    parts, origins, broken = session.validate_lists(collected, _UNITS_LISTS)
    units = Units.model_construct(**cast(dict[str, Any], parts))
    session.report_findings(check_units(units), origins, broken)
    return units


def read_tracker(path: str | Path) -> tuple[Tracker | None, list[Problem]]:
    """Load what can be loaded and return it with every problem found (errors and warnings).

    The tracker is None when its catalog could not be built at all.
    """
    root = Path(path)
    session = _Session(root)
    if not root.exists():
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
    if root.is_file():
        catalog_files: list[Path] | None = [root]
        unit_files: list[Path] | None = []
    else:
        catalog_files = _find_part(root, "catalog")
        unit_files = _find_part(root, "units")
    if not catalog_files:
        return None, [
            Problem(
                root.as_posix(),
                0,
                0,
                "",
                "no catalog found",
                expected="catalog.yaml or a catalog/ folder of YAML files in the tracker directory",
            )
        ]
    catalog = _load_catalog(session, catalog_files)
    units = _load_units(session, unit_files or [])
    tracker = None
    if catalog is not None:
        warnings = tuple(p for p in session.problems if p.severity is Severity.WARNING)
        tracker = Tracker(root, catalog, units, tuple(session.files), warnings)
    return tracker, sorted(session.problems, key=lambda p: (p.file, p.line, p.column))


def validate(path: str | Path) -> list[Problem]:
    """Every problem in the tracker at ``path`` (an empty list means it is valid)."""
    return read_tracker(path)[1]


def load(path: str | Path) -> Tracker:
    """Load the tracker at ``path``; raise :class:`TrackerError` listing every error if it has any."""
    tracker, problems = read_tracker(path)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors or tracker is None:
        raise TrackerError(errors)
    return tracker
