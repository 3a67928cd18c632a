"""The bundled evidence of the example: 67 synthetic 2019 returns, a synthetic 2020 year, and every YAML
evidence file valid against the published JSON Schema with an editor hint pointing at it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

import recotrack
from conftest import EXAMPLE, ROOT
from recotrack.errors import Severity

EVIDENCE = EXAMPLE / "evidence"
SCHEMA = ROOT / "schemas" / "evidence.schema.json"
YAML_FILES = sorted(EVIDENCE.rglob("*.yaml"))


@pytest.fixture(scope="module")
def tracker() -> recotrack.Tracker:
    return recotrack.load(EXAMPLE)


def test_validate_reports_returns_per_period_against_the_invited_boards() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "recotrack", "validate", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "is valid" in result.stdout
    (line_2019,) = [line for line in lines if line.strip().startswith("2019:")]
    (line_2020,) = [line for line in lines if line.strip().startswith("2020:")]
    assert line_2019.strip().startswith("2019: 67 returns of 152 invited (44%)")
    assert "published tallies for 110 questions (67 respondents)" in line_2019
    assert line_2020.strip().startswith("2020: 80 returns of 152 invited (53%)")
    assert "error" not in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_2019_returns_come_from_the_yaml_files_and_2020_from_the_wide_csv(tracker: recotrack.Tracker) -> None:
    evidence = tracker.evidence
    returns_2019 = evidence.periods["2019"].returns
    assert len(returns_2019) == 67
    files_2019 = {info.location.file for info in returns_2019.values()}
    assert files_2019 == {f"evidence/2019/{path.name}" for path in (EVIDENCE / "2019").glob("*.yaml")}
    for unit, info in returns_2019.items():
        assert info.location.file == f"evidence/2019/{unit}.yaml"
        assert info.completed_by == "Synthetic respondent"
        assert info.submitted is not None
    returns_2020 = evidence.periods["2020"].returns
    assert len(returns_2020) == 80
    assert {info.location.file for info in returns_2020.values()} == {"evidence/2020-returns.csv"}
    assert sorted(info.location.line for info in returns_2020.values()) == list(range(2, 82)), "one row per board"
    invited = set(tracker.units.invited_in("2019"))
    assert len(invited) == 152
    assert set(returns_2019) <= invited
    assert set(returns_2020) <= set(tracker.units.invited_in("2020"))
    assert len(set(returns_2019) & set(returns_2020)) == 60, "60 boards answer again, 20 are new (README)"


def test_the_example_has_no_evidence_errors_and_only_the_withdrawn_question_warnings(
    tracker: recotrack.Tracker,
) -> None:
    assert not [p for p in tracker.problems if p.severity is Severity.ERROR]
    assert sorted(p.message.split(" kept")[0] for p in tracker.problems) == [
        "64 answers to withdrawn question 2.7 in period '2019'",
        "67 answers to withdrawn question 2.2 in period '2019'",
    ]


def test_every_source_is_recorded_with_the_hash_of_its_bytes(tracker: recotrack.Tracker) -> None:
    sources = tracker.evidence.sources
    on_disk = sorted(p for p in EVIDENCE.rglob("*") if p.suffix in (".yaml", ".csv"))
    assert sorted(s.path for s in sources) == sorted(f"{p.relative_to(EXAMPLE).as_posix()}" for p in on_disk)
    for source in sources:
        path = EXAMPLE / source.path
        assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest(), source.path
        assert source.encoding == "utf-8"
    formats = {s.path.rsplit("/", 1)[-1]: s.format for s in sources}
    assert formats["2020-returns.csv"] == "csv-wide"
    assert formats["2019-published-tallies.yaml"] == "yaml"


def test_every_answer_of_the_example_points_at_its_line(tracker: recotrack.Tracker) -> None:
    evidence = tracker.evidence.periods["2019"]
    position = evidence.unit_ids.index("hwb-002")
    path = EVIDENCE / "2019" / "hwb-002.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    for question, answers in evidence.answers.items():
        if answers[position] == recotrack.evidence.NO_ANSWER:
            continue
        line = lines[evidence.lines[question][position] - 1]
        assert line.strip().startswith(f'"{question}":'), (question, line)


@pytest.mark.parametrize("path", YAML_FILES, ids=[p.relative_to(EVIDENCE).as_posix() for p in YAML_FILES])
def test_yaml_evidence_satisfies_the_schema_and_points_editors_at_it(path: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    data = YAML(typ="safe", pure=True).load(path)
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in Draft202012Validator(schema).iter_errors(json.loads(json.dumps(data, default=str)))
    ]
    assert not errors, errors[:5]
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema="), first
    assert (path.parent / first.split("$schema=", 1)[1]).resolve() == SCHEMA.resolve()


def test_every_kind_of_yaml_evidence_is_covered_by_the_schema_check() -> None:
    sections: set[str] = set()
    for path in YAML_FILES:
        sections |= set(YAML(typ="safe", pure=True).load(path))
    assert {"return", "tallies", "milestones", "lifecycle"} <= sections
    assert len(YAML_FILES) == 67 + 3  # the 2019 returns, the tallies, the commitments, the 2021 lifecycle
