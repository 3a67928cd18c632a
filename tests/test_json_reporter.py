"""The JSON report: versioned, valid against its schema, byte-identical across runs, written atomically."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import EXAMPLE, ROOT
from recotrack.reporters import write_report
from recotrack.reporters.json import FORMAT


def report(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "recotrack", "report", str(EXAMPLE), "--format", "json", "-o", str(out), *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("json") / "nested" / "report.json"
    result = report(out, "--period", "2020", "--compare", "2019")
    assert result.returncode == 0, result.stderr
    return out


def test_valid_against_schema(compared: Path) -> None:
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(json.loads(compared.read_text(encoding="utf-8"))))
    assert not errors, [e.message for e in errors[:3]]


def test_byte_identical_with_source_date_epoch(compared: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.json"
    assert report(again, "--period", "2020", "--compare", "2019").returncode == 0
    assert again.read_bytes() == compared.read_bytes()


def test_documented_keys_and_provenance(compared: Path) -> None:
    document = json.loads(compared.read_text(encoding="utf-8"))
    assert document["format"] == FORMAT
    assert document["period"] == "2020"
    assert document["meta"]["generated"] == "2023-11-14T22:13:20Z"
    inputs = {i["path"]: i for i in document["meta"]["inputs"]}
    assert "evidence/2020-returns.csv" in inputs
    assert "catalog/scales.yaml" in inputs
    first = document["distributions"][0]
    assert {"id", "base", "options"} <= set(first)
    assert {"id", "label", "count", "percent"} <= set(first["options"][0])
    assert document["comparison"]["baseline"] == "2019"


def test_2019_figures_from_the_returns(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert report(out, "--period", "2019").returncode == 0
    indicators = {i["id"]: i for i in json.loads(out.read_text(encoding="utf-8"))["distributions"]}
    pooled = indicators["1.3"]
    assert pooled["base"] == 65
    assert [(o["id"], o["count"], o["printed"]) for o in pooled["options"]][:4] == [
        ("always", 6, 9),
        ("sometimes", 47, 72),
        ("never", 11, 17),
        ("dont-know", 1, 2),
    ]
    assert indicators["2.2"]["withdrawn"] is True


def test_atomic_write_leaves_nothing_behind_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    target.write_text("previous report", encoding="utf-8")

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_report("new report", target)
    assert target.read_text(encoding="utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "recotrack", "report", str(EXAMPLE), "--format", "pdf"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "unknown report format 'pdf'" in result.stderr


@pytest.mark.parametrize("args", [["--period", "2031"], ["--period", "2020", "--compare", "2017"]])
def test_a_period_without_evidence_is_an_error(tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "r.json"
    result = report(out, *args)
    assert result.returncode == 1
    assert "no evidence for period" in result.stderr
    assert "the tracker's periods: 2019, 2020, 2021" in result.stderr
    assert not out.exists()
