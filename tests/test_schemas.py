"""The committed JSON Schemas are exactly what the models generate, and the bundled files satisfy them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from conftest import EXAMPLE, MINIMAL, ROOT
from recotrack.schemas import render, schemas

SCHEMA_DIR = ROOT / "schemas"


@pytest.mark.parametrize("name", sorted(schemas()))
def test_committed_schema_matches_models(name: str) -> None:
    committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == render(schemas()[name]), (
        f"schemas/{name} is out of date: run `python -m recotrack.schemas schemas/`"
    )


def _yaml_files(root: Path, part: str) -> list[Path]:
    candidates = (
        [root / f"{part}.yaml", *sorted((root / part).rglob("*.yaml"))]
        if (root / part).is_dir()
        else [root / f"{part}.yaml"]
    )
    return [p for p in candidates if p.exists()]


@pytest.mark.parametrize("root", [MINIMAL, EXAMPLE], ids=["minimal", "example"])
@pytest.mark.parametrize("part", ["catalog", "units"])
def test_bundled_files_satisfy_their_schema(root: Path, part: str) -> None:
    schema = json.loads((SCHEMA_DIR / f"{part}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    files = _yaml_files(root, part)
    assert files
    for path in files:
        data = YAML(typ="safe", pure=True).load(path)
        errors = [
            f"{list(e.absolute_path)}: {e.message}"
            for e in validator.iter_errors(json.loads(json.dumps(data, default=str)))
        ]
        assert not errors, f"{path}: {errors[:5]}"


def test_example_yaml_points_editors_at_the_schemas() -> None:
    for part in ("catalog", "units"):
        for path in _yaml_files(EXAMPLE, part):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("# yaml-language-server: $schema="), path
            target = (path.parent / first.split("$schema=")[1]).resolve()
            assert target == (SCHEMA_DIR / f"{part}.schema.json").resolve(), path
