"""Drill-down: the units behind every figure are those the report counts, each at its answer's line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import recotrack
from conftest import EXAMPLE
from test_units import PARTNERSHIP


@pytest.fixture(scope="module")
def example() -> recotrack.Tracker:
    return recotrack.load(EXAMPLE, strict=False)


def test_every_count_is_its_units(example: recotrack.Tracker) -> None:
    results = recotrack.score(example, "2019")
    for distribution in results.distributions:
        if distribution.withdrawn or not distribution.base:
            continue
        whole = recotrack.explain(example, "2019", distribution.id)
        assert (whole.count, whole.base) == (distribution.base, distribution.base), distribution.id
        for option in distribution.options:
            found = recotrack.explain(example, "2019", distribution.id, option.id)
            assert found.count == option.count, (distribution.id, option.id)
            assert {u.answer for u in found.units} <= {option.id}


def test_each_unit_points_at_the_line_of_its_answer(example: recotrack.Tracker) -> None:
    found = recotrack.explain(example, "2019", "1.1", "Yes, always")
    assert found.option == "always"
    assert found.count == 16  # the published "16 (24%)"
    for unit in found.units[:5]:
        assert unit.location is not None
        path, line = unit.location.rsplit(":", 1)
        text = (EXAMPLE / path).read_text(encoding="utf-8").splitlines()[int(line) - 1]
        assert '"1.1": always' in text, (unit.unit, text)


def test_non_respondents_and_not_applicable_on_request(example: recotrack.Tracker) -> None:
    plain = recotrack.explain(example, "2019", "1.3")
    full = recotrack.explain(example, "2019", "1.3", include_non_respondents=True, include_not_applicable=True)
    statuses = [u.status for u in full.units]
    assert statuses.count("counted") == plain.count == 65
    assert statuses.count("no return") == 152 - 67
    distribution = recotrack.score(example, "2019").distribution("1.3")
    assert statuses.count("not applicable") + statuses.count("answered where not applicable") == (
        distribution.not_applicable_by_condition
    )
    assert statuses.count("left blank") == distribution.item_non_response
    assert all(u.location is None for u in full.units if u.status == "no return")


def test_an_audience_is_respected() -> None:
    tracker = recotrack.load(PARTNERSHIP)
    found = recotrack.explain(tracker, "2021", "l1", include_non_respondents=True)
    assert {u.kind for u in found.units} == {"area"}
    assert [u.unit for u in found.units if u.status == "left blank"] == ["a07"]
    assert sorted(u.unit for u in found.units if u.status == "no return") == ["a20", "a21"]


def test_unknown_questions_and_options_are_explained(example: recotrack.Tracker) -> None:
    with pytest.raises(recotrack.RecotrackError, match=r"0\.2a is a grid"):
        recotrack.explain(example, "2019", "0.2a")
    with pytest.raises(recotrack.RecotrackError, match=r"not an answer on the scale of 1\.1"):
        recotrack.explain(example, "2019", "1.1", "perhaps")
    with pytest.raises(recotrack.PeriodError):
        recotrack.explain(example, "2031", "1.1")


def test_the_command_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "explained.json"
    command = [sys.executable, "-m", "recotrack", "explain", str(EXAMPLE), "--period", "2019", "1.1", "always"]
    result = subprocess.run([*command, "--format", "json", "-o", str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["count"] == 16
    assert {"unit", "answer", "location"} <= set(document["units"][0])
    assert document["units"][0]["answer"] == "always"
    terminal = subprocess.run(command, capture_output=True, text=True, check=False)
    assert terminal.returncode == 0, terminal.stderr
    assert "2019: 16 of the 67 units in the base answered 'Yes, always'" in terminal.stdout
