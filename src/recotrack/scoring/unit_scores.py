"""Each unit's own score on each indicator: one float array per indicator over a period's units.

A period's per-unit scores are units × indicators: at 40,000 units and 200 indicators, eight million
floats. As dicts of Python floats they were most of scoring's time and memory. Here an indicator's
scores are one array in the evidence's unit order (NaN where a unit has no score), read through the
``Mapping[str, float]`` that roll-up methods and profiles already take, and averaged over units
with array operations that add in the same order as plain Python, so every mean is the same float.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from recotrack.model import Indicator
from recotrack.results import MilestoneStatus, NumericProgress

__all__ = ["UnitColumn", "UnitIndex", "UnitMeans", "UnitScores", "item_means", "unit_scores"]

Floats = npt.NDArray[np.float64]

UnitScores = Mapping[str, Mapping[str, float]]
"""Indicator id → unit id → the unit's own score on it."""


@dataclass(frozen=True, eq=False)
class UnitIndex:
    """The units a period's arrays are laid out over: ``ids[p]`` is the unit at position ``p``."""

    ids: tuple[str, ...]
    position: Mapping[str, int]
    """Unit id → its position."""


class UnitColumn(Mapping[str, float]):
    """One indicator's score of each unit that has one, read as a mapping, held as an array.

    Iteration follows the index's unit order. A unit without a score (NaN) is not a key.
    """

    __slots__ = ("_len", "array", "index")

    def __init__(self, index: UnitIndex, array: Floats) -> None:
        if array.shape != (len(index.ids),):
            raise ValueError(f"{array.shape} scores for {len(index.ids)} units")
        self.index = index
        self.array = array
        """The scores in position order; NaN where the unit has none."""
        self._len: int | None = None

    def __getitem__(self, unit: str) -> float:
        position = self.index.position.get(unit)
        if position is not None:
            value = float(self.array[position])
            if not math.isnan(value):
                return value
        raise KeyError(unit)

    def __contains__(self, unit: object) -> bool:
        position = self.index.position.get(unit) if isinstance(unit, str) else None
        return position is not None and not math.isnan(self.array[position])

    def __iter__(self) -> Iterator[str]:
        ids = self.index.ids
        return (ids[position] for position in np.flatnonzero(~np.isnan(self.array)).tolist())

    def __len__(self) -> int:
        if self._len is None:
            self._len = int(np.count_nonzero(~np.isnan(self.array)))
        return self._len

    def __repr__(self) -> str:
        return f"UnitColumn({dict(self)!r})"


def item_means(items: Sequence[Floats]) -> Floats:
    """Per unit, the mean of its scores over a grid's items (NaN: none), added item by item as Python would."""
    total = np.zeros(len(items[0]))
    count = np.zeros(len(items[0]), dtype=np.int64)
    for values in items:
        present = ~np.isnan(values)
        total[present] += values[present]
        count += present
    means: Floats = np.divide(total, count, out=np.full(len(total), math.nan), where=count > 0)
    return means


def unit_scores(
    questionnaire: Mapping[str, UnitColumn],
    milestones: Sequence[MilestoneStatus],
    numeric: Sequence[NumericProgress],
) -> dict[str, Mapping[str, float]]:
    """Every indicator's per-unit scores: the questionnaire's columns, and the milestones and numbers units report."""
    found: dict[str, Mapping[str, float]] = dict(questionnaire)
    for indicator, units in [(m.indicator, m.units) for m in milestones] + [(n.indicator, n.units) for n in numeric]:
        if units:
            found[indicator] = {u.unit: u.score for u in units if u.score is not None}
    return found


class UnitMeans:
    """Each unit's weighted mean over any set of indicators, with every indicator's scores laid out once.

    Every recommendation averages its own indicators over the units: thousands of units times dozens
    of recommendations. The scores are put once into arrays over all units (in id order, 0.0 where a
    unit has none, beside a mask of where it has one), and each mean is then a few array operations.
    Sums run indicator by indicator, as plain Python would add them (adding 0.0 changes nothing), so
    every mean is the same float to the last bit.
    """

    def __init__(self, unit_scores: UnitScores) -> None:
        self.unit_scores = unit_scores
        self.units = sorted(_scored_units(unit_scores.values()))
        self._arrays: dict[str, tuple[Floats, npt.NDArray[np.bool_]]] = {}
        self._takes: dict[UnitIndex, npt.NDArray[np.intp]] = {}

    def _array(self, indicator_id: str) -> tuple[Floats, npt.NDArray[np.bool_]]:
        """An indicator's scores over all units in id order (0.0 where a unit has none), and where it has one."""
        found = self._arrays.get(indicator_id)
        if found is None:
            values = self.unit_scores[indicator_id]
            if isinstance(values, UnitColumn):
                laid_out = np.append(values.array, math.nan)[self._take(values.index)]
            else:
                laid_out = np.array([values.get(u, math.nan) for u in self.units], dtype=float)
            present = ~np.isnan(laid_out)
            found = self._arrays[indicator_id] = (np.where(present, laid_out, 0.0), present)
        return found

    def _take(self, index: UnitIndex) -> npt.NDArray[np.intp]:
        """For each unit in id order, its position in ``index`` (one past the end when it has none there)."""
        found = self._takes.get(index)
        if found is None:
            missing = len(index.ids)
            found = np.array([index.position.get(u, missing) for u in self.units], dtype=np.intp)
            self._takes[index] = found
        return found

    def of(self, indicators: Sequence[Indicator]) -> dict[str, float]:
        """Per unit, the weighted mean of its own scores on ``indicators``, over those where it has one."""
        scored = [(indicator.weight, indicator.id) for indicator in indicators if indicator.id in self.unit_scores]
        if not scored:
            return {}
        totals = np.zeros(len(self.units))
        weights = np.zeros(len(self.units))
        seen = np.zeros(len(self.units), dtype=bool)
        for weight, indicator_id in scored:
            # Adding 0.0 where a unit has no score leaves its sums as they were: the same floats as adding only scores.
            values, present = self._array(indicator_id)
            totals += weight * values
            weights += weight * present
            seen |= present
        kept = np.flatnonzero(seen & (weights != 0))
        means = (totals[kept] / weights[kept]).tolist()
        return dict(zip([self.units[i] for i in kept.tolist()], means, strict=True))


def _scored_units(columns: Iterable[Mapping[str, float]]) -> set[str]:
    """Every unit with a score on at least one indicator (arrays over one index are OR-ed first)."""
    found: set[str] = set()
    present: dict[UnitIndex, npt.NDArray[np.bool_]] = {}
    for values in columns:
        if isinstance(values, UnitColumn):
            here = ~np.isnan(values.array)
            before = present.get(values.index)
            present[values.index] = here if before is None else before | here
        else:
            found.update(values)
    for index, scored in present.items():
        found.update(index.ids[position] for position in np.flatnonzero(scored).tolist())
    return found
