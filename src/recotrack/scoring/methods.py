"""Scoring methods chosen by name: how a group's indicators roll up, and how a number's progress is judged.

Methods are plain objects registered through the ``recotrack_register_methods`` plugin hook; the
built-in ones (:mod:`recotrack.scoring.builtin_methods`) register through it exactly as a plugin's
would. The catalog's ``method:`` section names the ones to use, and the results' :class:`Method`
records each name with its version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from recotrack.errors import RecotrackError
from recotrack.method import LevelRollup, Method, catalog_option_scores
from recotrack.model import Catalog, NumericIndicator
from recotrack.results import NumericValue, ProgressStatus

__all__ = [
    "Assessment",
    "ProgressInput",
    "ProgressMethod",
    "Rollup",
    "RollupMethod",
    "RollupPart",
    "ScoringMethod",
    "method_for",
]


@dataclass(frozen=True)
class RollupPart:
    """One indicator's contribution to a group: its weight, its score, and each unit's own score."""

    indicator: str
    weight: float
    score: float | None
    se: float | None
    unit_scores: Mapping[str, float] = field(default_factory=dict)
    """Unit id → the unit's own score on the indicator; empty for indicators measured once (national)."""


@dataclass(frozen=True)
class Rollup:
    """A group's score, its standard error, and the indicators that took part."""

    score: float | None
    se: float | None
    used: tuple[str, ...]


@dataclass(frozen=True)
class ScoringMethod:
    """A scoring rule chosen by name in the catalog; ``version`` goes into the results with it."""

    name: str
    version: str
    description: str


@dataclass(frozen=True)
class RollupMethod(ScoringMethod):
    """A rule that combines indicators' scores into a recommendation's, theme's or level's score."""

    combine: Callable[[Sequence[RollupPart]], Rollup]


@dataclass(frozen=True)
class ProgressInput:
    """What a progress method judges: a number's indicator, baseline and latest value."""

    indicator: NumericIndicator
    baseline: NumericValue | None
    latest: NumericValue | None


@dataclass(frozen=True)
class Assessment:
    """A progress method's verdict on a number, with the rates it compared."""

    status: ProgressStatus
    method: str | None = None
    observed: float | None = None
    required: float | None = None
    ratio: float | None = None


@dataclass(frozen=True)
class ProgressMethod(ScoringMethod):
    """A rule that says whether a number is on course to its target."""

    assess: Callable[[ProgressInput, Method], Assessment]


def method_for(catalog: Catalog, registered: Sequence[ScoringMethod]) -> Method:
    """The method of a catalog: its bands and settings, each named method checked against those registered."""
    rollups = {m.name: m for m in registered if isinstance(m, RollupMethod)}
    progress = {m.name: m for m in registered if isinstance(m, ProgressMethod)}
    settings = catalog.method
    level_rollups = []
    for level in catalog.levels:
        name = settings.levels.get(level.id, settings.rollup)
        level_rollups.append(LevelRollup(level=level.id, method=name, version=_known(rollups, name, "roll-up").version))
    progress_method = _known(progress, settings.progress, "progress")
    return Method(
        bands=tuple(sorted(catalog.bands, key=lambda band: band.min_score)),
        option_scores=catalog_option_scores(catalog),
        flags=settings.flags,
        progress=progress_method.name,
        progress_version=progress_method.version,
        progress_thresholds=settings.progress_thresholds,
        rollups=tuple(level_rollups),
        weights={indicator.id: indicator.weight for indicator in catalog.indicators},
        disclosure=catalog.disclosure,
    )


_M = TypeVar("_M", RollupMethod, ProgressMethod)


def _known(methods: Mapping[str, _M], name: str, what: str) -> _M:
    found = methods.get(name)
    if found is None:
        raise RecotrackError(
            f"unknown {what} method {name!r}; registered: {', '.join(sorted(methods)) or 'none'} "
            "(install the plugin that provides it)"
        )
    return found
