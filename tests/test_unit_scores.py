"""Per-unit scores held as arrays: read as mappings, averaged to the same floats plain Python gives."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import recotrack
from conftest import EXAMPLE
from recotrack.model import OptionRole
from recotrack.scoring.returns import ReturnsView
from recotrack.scoring.unit_scores import UnitColumn, UnitIndex, UnitMeans, item_means

IDS = ("b", "a", "c", "d")
INDEX = UnitIndex(IDS, {unit: position for position, unit in enumerate(IDS)})


def test_a_column_reads_as_the_mapping_of_the_units_with_a_score() -> None:
    column = UnitColumn(INDEX, np.array([0.5, math.nan, 1.0, 0.0]))
    assert dict(column) == {"b": 0.5, "c": 1.0, "d": 0.0}
    assert list(column) == ["b", "c", "d"]  # the index's order, not sorted
    assert len(column) == 3
    assert "a" not in column
    assert "z" not in column
    assert 3 not in column
    assert column.get("a") is None
    assert column.get("z", -1.0) == -1.0
    with pytest.raises(KeyError):
        column["a"]
    assert type(column["b"]) is float
    assert column == {"b": 0.5, "c": 1.0, "d": 0.0}


def test_a_column_must_have_one_score_per_unit() -> None:
    with pytest.raises(ValueError, match="4 units"):
        UnitColumn(INDEX, np.array([0.5, 1.0]))


def _plain_item_mean(values: list[float | None]) -> float | None:
    """A grid's per-unit mean as the row reader worked it out: the items in order, added one by one."""
    present = [value for value in values if value is not None]
    total = 0.0
    for value in present:
        total += value
    return total / len(present) if present else None


SCORES = st.one_of(st.none(), st.floats(0, 1), st.sampled_from([0.0, 0.25, 1 / 3, 0.5, 2 / 3, 0.75, 1.0]))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6).flatmap(lambda units: st.lists(st.lists(SCORES, min_size=units, max_size=units), min_size=1)))
def test_grid_means_are_the_plain_means_to_the_last_bit(items: list[list[float | None]]) -> None:
    arrays = [np.array([math.nan if v is None else v for v in item]) for item in items]
    found = item_means(arrays).tolist()
    expected = [_plain_item_mean(list(values)) for values in zip(*items, strict=True)]
    assert [None if math.isnan(v) else v for v in found] == expected


def _plain_unit_means(indicators: list[tuple[str, float]], unit_scores: dict[str, dict[str, float]]) -> dict:
    totals: dict[str, float] = {}
    weights: dict[str, float] = {}
    for indicator_id, weight in indicators:
        for unit, value in unit_scores.get(indicator_id, {}).items():
            totals[unit] = totals.get(unit, 0.0) + weight * value
            weights[unit] = weights.get(unit, 0.0) + weight
    return {unit: totals[unit] / weights[unit] for unit in sorted(totals) if weights[unit]}


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["a", "b", "c", "d"]),
        st.tuples(st.booleans(), st.dictionaries(st.sampled_from(["x", *IDS]), st.floats(0, 1), max_size=5)),
        max_size=4,
    ),
    st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d", "e"]), st.sampled_from([0.0, 0.5, 1.0, 2.0]))),
)
def test_unit_means_over_columns_and_mappings_alike(given_scores: dict, chosen: list) -> None:
    """Columns (over one index) and plain mappings (units outside the index too) mix in one mean."""
    plain = {indicator: scores for indicator, (_, scores) in given_scores.items()}
    mixed = {
        indicator: UnitColumn(INDEX, np.array([scores.get(u, math.nan) for u in IDS]))
        if as_column and "x" not in scores
        else scores
        for indicator, (as_column, scores) in given_scores.items()
    }
    indicators = list({indicator_id: (indicator_id, weight) for indicator_id, weight in chosen}.values())
    found = UnitMeans(mixed).of([SimpleNamespace(id=i, weight=w) for i, w in indicators])  # type: ignore[misc]
    expected = _plain_unit_means(indicators, plain)
    assert found == expected
    assert list(found) == list(expected)


def test_the_examples_unit_scores_are_each_units_own_answers() -> None:
    """Columns over the example's 2019 returns agree with each unit's answers read one by one."""
    tracker = recotrack.load(EXAMPLE)
    evidence = tracker.evidence.periods["2019"]
    view = ReturnsView(tracker.catalog, evidence, None, tracker.units)
    columns = view.unit_indicator_scores()
    assert columns, "the example has scored questions"
    for indicator_id, column in columns.items():
        questions = [q for q in tracker.catalog.questions.values() if q.indicator.id == indicator_id]
        for position in view.positions:
            unit = view.unit_ids[position]
            scores = []
            for question in questions:
                answer = view.effective(question.id)[position]
                option = question.scale.options[answer] if answer < len(question.scale.options) else None
                if option is not None and option.role is OptionRole.SUBSTANTIVE and option.score is not None:
                    scores.append(option.score)
            assert column.get(unit) == _plain_item_mean(list(scores)), (indicator_id, unit)
        assert set(column) <= {view.unit_ids[p] for p in view.positions}
