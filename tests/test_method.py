"""The method on the results: its defaults, its catalog settings, and scoring methods chosen by name."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import recotrack
from conftest import EXAMPLE
from recotrack.model import FlagThresholds, MethodSettings
from recotrack.results import FlagCode
from recotrack.scoring import registered_methods
from recotrack.scoring.methods import Rollup, RollupMethod, RollupPart


@pytest.fixture(scope="module")
def example() -> recotrack.Tracker:
    return recotrack.load(EXAMPLE)


def _with(tracker: recotrack.Tracker, settings: MethodSettings) -> recotrack.Tracker:
    catalog = tracker.catalog.model_copy(update={"method": settings})
    return recotrack.Tracker(tracker.root, catalog, tracker.units, tracker.evidence)


def test_the_results_carry_the_method_that_made_them(example: recotrack.Tracker) -> None:
    method = recotrack.score(example, "2019").method
    assert method.version == "2"
    assert [(b.id, b.min_score) for b in method.bands] == [("red", 0), ("amber", 0.5), ("green", 0.75)]
    assert (method.flags.dont_know, method.flags.not_applicable, method.flags.low_response_rate) == (0.1, 0.1, 0.5)
    assert (method.progress, method.progress_version) == ("sdg", "1")
    assert [(r.level, r.method) for r in method.rollups] == [
        ("national", "ratio-of-sums"),
        ("regional", "ratio-of-sums"),
        ("local", "ratio-of-sums"),
    ]
    assert method.option_scores["frequency"] == {
        "always": 1.0,
        "sometimes": 0.5,
        "never": 0.0,
        "dont-know": None,
        "not-applicable": None,
    }
    assert math.isclose(method.z, 1.959964, abs_tol=1e-6)


def test_flag_thresholds_and_a_minimum_base_come_from_the_catalog(example: recotrack.Tracker) -> None:
    def flagged(tracker: recotrack.Tracker) -> set[str]:
        results = recotrack.score(tracker, "2019")
        return {d.id for d in results.distributions if any(f.code is FlagCode.HIGH_DONT_KNOW for f in d.flags)}

    default = flagged(example)
    assert "2.6" in default
    stricter = flagged(_with(example, MethodSettings(flags=FlagThresholds(dont_know=0.3))))
    assert stricter
    assert stricter < default
    assert stricter == {"9.6b"}  # 34% "don't know": the only question past 30%
    assert flagged(_with(example, MethodSettings(flags=FlagThresholds(min_base=68)))) == set()


def test_a_level_can_average_its_units_own_scores(example: recotrack.Tracker) -> None:
    pooled = recotrack.score(example, "2019")
    per_unit = recotrack.score(_with(example, MethodSettings(levels={"local": "mean-of-unit-scores"})), "2019")
    local_pooled = next(level for level in pooled.levels if level.id == "local")
    local_units = next(level for level in per_unit.levels if level.id == "local")
    assert local_units.score is not None
    assert local_pooled.score is not None
    assert local_units.score != local_pooled.score
    assert per_unit.method.rollup_of("local").method == "mean-of-unit-scores"
    recommendation = per_unit.recommendation("L1.3")
    units = recommendation.unit_scores
    assert recommendation.score == pytest.approx(sum(units.values()) / len(units))
    assert pooled.recommendation("N1") == per_unit.recommendation("N1")  # other levels keep their rule


def test_an_unknown_method_names_those_registered(example: recotrack.Tracker) -> None:
    with pytest.raises(recotrack.RecotrackError, match="unknown roll-up method 'median'; registered: mean-of-unit"):
        recotrack.score(_with(example, MethodSettings(rollup="median")), "2019")
    with pytest.raises(recotrack.RecotrackError, match="unknown progress method 'guess'; registered: sdg"):
        recotrack.score(_with(example, MethodSettings(progress="guess")), "2019")


def test_a_method_from_elsewhere_is_chosen_by_name(example: recotrack.Tracker) -> None:
    def lowest(parts: list[RollupPart]) -> Rollup:
        scored = [p for p in parts if p.score is not None]
        if not scored:
            return Rollup(None, None, ())
        worst = min(scored, key=lambda p: p.score or 0)
        return Rollup(worst.score, None, (worst.indicator,))

    weakest = RollupMethod("weakest-link", "3", "the lowest indicator score", lowest)  # type: ignore[arg-type]
    tracker = _with(example, MethodSettings(rollup="weakest-link"))
    results = recotrack.score(tracker, "2019", methods=[*registered_methods(), weakest])
    assert {(r.method, r.version) for r in results.method.rollups} == {("weakest-link", "3")}
    l13 = results.recommendation("L1.3")
    assert l13.score == min(i.score for i in results.indicator_scores if i.id in l13.indicators and i.score is not None)


def test_the_catalog_sets_the_method(minimal: Path) -> None:
    catalog = minimal / "catalog.yaml"
    catalog.write_text(
        catalog.read_text(encoding="utf-8")
        + "method:\n  levels: {local: mean-of-unit-scores}\n  flags: {dont_know: 0.25, min_base: 3}\n",
        encoding="utf-8",
    )
    method = recotrack.score(recotrack.load(minimal), "2019").method
    assert method.rollup_of("local").method == "mean-of-unit-scores"
    assert method.rollup_of("national").method == "ratio-of-sums"
    assert (method.flags.dont_know, method.flags.min_base, method.flags.not_applicable) == (0.25, 3, 0.1)


def test_a_misspelt_method_setting_is_located(minimal: Path) -> None:
    catalog = minimal / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "method:\n  flags: {dont_knw: 0.25}\n", encoding="utf-8")
    problems = recotrack.validate(minimal)
    assert [(p.field, p.message) for p in problems] == [("method.flags.dont_knw", "unknown field 'dont_knw'")]
    assert problems[0].line == len(catalog.read_text(encoding="utf-8").splitlines())
    assert "did you mean 'dont_know'" in (problems[0].expected or "")
