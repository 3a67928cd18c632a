"""The bookkeeping shared by every reader: where each item came from, and the problems found.

Readers validate items one at a time with pydantic and report each error at the file, line and
column it came from, in plain English.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from recotrack._yaml import YamlDocument, read_yaml
from recotrack.errors import FieldPath, Finding, Problem, Severity, display_path, format_field


@dataclass
class Origin:
    document: YamlDocument
    path: FieldPath


@dataclass
class Collected:
    """Items gathered from one or more files, each remembering the file and path it came from."""

    singletons: dict[str, tuple[Any, Origin]] = field(default_factory=dict)
    lists: dict[str, list[tuple[Any, Origin]]] = field(default_factory=dict)


_UNION_MEMBERS = {"date", "constrained-str", "str", "int", "float", "bool", "none"}
"""How pydantic names the members of a union type in an error's location."""


class Session:
    def __init__(self, root: Path, models: dict[str, type[BaseModel]] | None = None) -> None:
        self.root = root
        self.models: dict[str, type[BaseModel]] = dict(models or {})
        """Section name → model, to suggest field names when one is misspelt."""
        self.problems: list[Problem] = []
        self.files: list[Path] = []
        self.digests: dict[Path, str] = {}
        """SHA-256 of each file read, taken from the bytes already read (never a second read)."""

    def shown(self, path: Path) -> str:
        return display_path(path, self.root if self.root.is_dir() else None)

    def problem_at(
        self,
        origin: Origin,
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
                self.digests[path] = result.sha256
                documents.append(result)
        return documents

    def collect(self, documents: list[YamlDocument], singletons: tuple[str, ...], lists: Iterable[str]) -> Collected:
        allowed = [*singletons, *lists]
        collected = Collected(lists={name: [] for name in lists})
        for document in documents:
            origin = Origin(document, ())
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
                here = Origin(document, (key,))
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
                    collected.lists[key].extend((item, Origin(document, (key, i))) for i, item in enumerate(value))
                else:
                    self.problem_at(here, (), f"unknown section {key!r}", expected=_choices(allowed, key))
        return collected

    def validate(
        self, section: str, raw: Any, origin: Origin, validator: Callable[[Any], BaseModel]
    ) -> BaseModel | None:
        try:
            return validator(raw)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            # A field that accepts several types fails once per type; one message per field is enough.
            parents = Counter(tuple(e["loc"])[:-1] for e in errors if e["loc"] and e["loc"][-1] in _UNION_MEMBERS)
            reported: set[tuple[str | int, ...]] = set()
            for error in errors:
                loc = tuple(error["loc"])
                if loc and loc[-1] in _UNION_MEMBERS and parents[loc[:-1]] > 1:
                    loc = loc[:-1]
                    error = {**error, "loc": loc}
                if loc in reported:
                    continue
                reported.add(loc)
                self.report_validation(section, raw, origin, error)
            return None

    def validate_lists(
        self, collected: Collected, validators: dict[str, Callable[[Any], BaseModel]]
    ) -> tuple[dict[str, tuple[BaseModel, ...]], dict[FieldPath, Origin], set[str]]:
        """Validate every list item on its own; keep the valid ones and the ids of the broken ones."""
        parts: dict[str, tuple[BaseModel, ...]] = {}
        origins: dict[FieldPath, Origin] = {}
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

    def report_validation(self, section: str, raw: Any, origin: Origin, error: Any) -> None:
        loc: FieldPath = tuple(error["loc"])
        kind = raw.get("kind") if isinstance(raw, dict) else None
        if section == "indicators" and loc and loc[0] == kind:
            loc = loc[1:]
        model = _model_at(self.models.get(section) or self.models.get(f"indicator:{kind}"), loc)
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
        elif type_ == "invalid_period":
            expected = error["ctx"]["expected"]
        elif type_ == "string_pattern_mismatch":
            message = "not a valid id"
            expected = "letters, digits, '.', '_' and '-' (no spaces), starting with a letter or digit"
        elif type_ in ("date_type", "date_parsing", "date_from_datetime_parsing"):
            expected = "a date written YYYY-MM-DD"
        self.problem_at(origin, loc, message[0].lower() + message[1:], found, expected)

    def report_findings(self, findings: Iterable[Finding], origins: dict[FieldPath, Origin], broken: set[str]) -> None:
        for finding in findings:
            if finding.found is not None and finding.found.strip("'\"") in broken:
                continue  # the referenced item exists but failed validation: already reported
            head, rel = _split_origin(finding.path, origins)
            self.problem_at(head, rel, finding.message, finding.found, finding.expected)


def _split_origin(path: FieldPath, origins: dict[FieldPath, Origin]) -> tuple[Origin, FieldPath]:
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
