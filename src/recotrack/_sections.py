"""YAML files read as sections (``review:``, ``indicators:``, ``returns:``…), each item validated on its own.

Catalog, units and evidence files share this, so that one broken item never hides another and each
problem points at the file, line and column the item came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from recotrack._problems import ProblemSink
from recotrack._wording import describe, one_of_names, validation_problems
from recotrack._yaml import ItemOrigin, Origin, YamlDocument, parse_yaml
from recotrack.errors import FieldPath, Finding, Problem
from recotrack.inputs import InputKind, InputRefused, InputRegistry
from recotrack.limits import how_to_raise


@dataclass
class Collected:
    """Items gathered from one or more files, each remembering the file and path it came from."""

    singletons: dict[str, tuple[Any, Origin]] = field(default_factory=dict)
    lists: dict[str, list[tuple[Any, Origin]]] = field(default_factory=dict)


class SectionReader:
    """Reads YAML files of one kind into sections, recording each file and reporting each problem."""

    def __init__(self, inputs: InputRegistry, problems: ProblemSink, models: Mapping[str, type[BaseModel]]) -> None:
        self.inputs = inputs
        self.problems = problems
        self.models = models
        """Section name → model, to suggest field names when one is misspelt."""

    def read(self, paths: Iterable[Path], kind: InputKind) -> list[YamlDocument]:
        """The documents that could be parsed; every file is recorded, every failure reported."""
        documents = []
        for path in paths:
            result = self.read_one(path)
            if isinstance(result, Problem):
                self.inputs.record(path, kind, None)
                self.problems.add(result)
            else:
                self.inputs.record(path, kind, result.sha256)
                documents.append(result)
        return documents

    def read_one(self, path: Path) -> YamlDocument | Problem:
        """One YAML file parsed within the limits, or the problem that stopped it (nothing is recorded)."""
        shown = self.inputs.shown(path)
        limits = self.inputs.limits
        try:
            stream, _ = self.inputs.open(path, limits.yaml_bytes, "yaml-bytes", "file is too large to read as YAML")
            with stream:
                raw = stream.read(limits.yaml_bytes + 1)
        except InputRefused as exc:
            return Problem(shown, 0, 0, "", exc.message, expected=exc.expected)
        except OSError as exc:
            return Problem(shown, 0, 0, "", f"cannot read file: {exc.strerror or exc}")
        if len(raw) > limits.yaml_bytes:  # it grew after it was opened
            return Problem(shown, 0, 0, "", "file is too large to read as YAML", expected=how_to_raise("yaml-bytes"))
        return parse_yaml(raw, shown, limits.yaml_values, how_to_raise("yaml-values"))

    def collect(self, documents: list[YamlDocument], singletons: tuple[str, ...], lists: Iterable[str]) -> Collected:
        """Gather the sections of ``documents``: a singleton given once in all, lists concatenated."""
        allowed = [*singletons, *lists]
        collected = Collected(lists={name: [] for name in lists})
        for document in documents:
            origin = Origin(document, ())
            if document.data is None:
                continue
            if not isinstance(document.data, dict):
                self.problems.add(
                    origin.problem(
                        (),
                        "the file must be a mapping of sections",
                        found=describe(document.data),
                        expected=f"top-level keys among {', '.join(allowed)}",
                    )
                )
                continue
            for key, value in document.data.items():
                here = Origin(document, (key,))
                if key == "$schema":
                    continue
                if key in singletons:
                    if key in collected.singletons:
                        first = collected.singletons[key][1]
                        self.problems.add(
                            here.problem(
                                (), f"`{key}` is given twice", expected=f"one `{key}` (first in {first.document.file})"
                            )
                        )
                    else:
                        collected.singletons[key] = (value, here)
                elif key in collected.lists:
                    if not isinstance(value, list):
                        self.problems.add(
                            here.problem(
                                (),
                                f"`{key}` must be a list",
                                found=describe(value),
                                expected="a list of entries, each starting with '- '",
                            )
                        )
                        continue
                    collected.lists[key].extend((item, Origin(document, (key, i))) for i, item in enumerate(value))
                else:
                    self.problems.add(here.problem((), f"unknown section {key!r}", expected=one_of_names(allowed, key)))
        return collected

    def validate(
        self, section: str, raw: Any, origin: Origin, validator: Callable[[Any], BaseModel]
    ) -> BaseModel | None:
        """The item validated, or None when it is wrong (and every wrong field reported)."""
        try:
            return validator(raw)
        except ValidationError as exc:
            self.problems.extend(validation_problems(exc, section, raw, origin, self.models))
            return None

    def validate_lists(
        self, collected: Collected, validators: dict[str, Callable[[Any], BaseModel]]
    ) -> tuple[dict[str, tuple[BaseModel, ...]], dict[FieldPath, ItemOrigin], set[str]]:
        """Validate every list item on its own; keep the valid ones and the ids of the broken ones."""
        parts: dict[str, tuple[BaseModel, ...]] = {}
        origins: dict[FieldPath, ItemOrigin] = {}
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

    def report_findings(
        self, findings: Iterable[Finding], origins: Mapping[FieldPath, ItemOrigin], broken: set[str]
    ) -> None:
        """Report findings of whole-catalog checks at the file positions of the items they name."""
        for finding in findings:
            if finding.found is not None and finding.found.strip("'\"") in broken:
                continue  # the referenced item exists but failed validation: already reported
            head, rel = _split_origin(finding.path, origins)
            self.problems.add(head.problem(rel, finding.message, finding.found, finding.expected, finding.severity))


def _split_origin(path: FieldPath, origins: Mapping[FieldPath, ItemOrigin]) -> tuple[ItemOrigin, FieldPath]:
    for cut in range(len(path), -1, -1):
        if path[:cut] in origins:
            return origins[path[:cut]], path[cut:]
    raise KeyError(path)
