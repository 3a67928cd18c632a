"""The method: every setting that turns evidence into figures, in one frozen object carried on the results.

Scoring reads its thresholds from a :class:`Method`; reporters describe the method from the one on
``results.method``, so a third-party reporter can explain how its figures were made without
importing scoring. Defaults are documented, with their reasons, in ``docs/methodology.md``; a
catalog may set its own bands and, under ``method:``, the rest.
"""

from __future__ import annotations

from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field

from recotrack.model import (
    DEFAULT_BANDS,
    DEFAULT_PROGRESS,
    DEFAULT_ROLLUP,
    Band,
    Catalog,
    Disclosure,
    FlagThresholds,
    OptionRole,
    ProgressThresholds,
    band_of,
)
from recotrack.statistics import Z95, Z998

__all__ = [
    "DEFAULT_PROGRESS",
    "DEFAULT_ROLLUP",
    "METHODOLOGY_VERSION",
    "FlagThresholds",
    "LevelRollup",
    "Method",
    "ProgressThresholds",
    "exact",
]

METHODOLOGY_VERSION = "2"
"""Bumped whenever a default or a formula changes, so that figures can be traced to the rules that made them."""


def exact(value: float) -> Fraction:
    """A threshold as the decimal it was written as (0.1 is 1/10 exactly), for exact comparisons."""
    return Fraction(str(value))


class _Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LevelRollup(_Settings):
    """How one level's recommendations (and the level itself) combine their indicators' scores."""

    level: str
    method: str
    version: str
    """The version of the roll-up method, as the registered method declares it."""


class Method(_Settings):
    """Every setting of the figures of one report; ``version`` names the methodology as documented."""

    version: str = METHODOLOGY_VERSION
    bands: tuple[Band, ...] = DEFAULT_BANDS
    """Status bands, lowest first."""
    option_scores: dict[str, dict[str, float | None]] = Field(default_factory=dict)
    """Scale id → option id → score; None for options outside the score (don't know, not applicable)."""
    confidence: float = 0.95
    z: float = Z95
    """The normal quantile of every 95% interval, and of "distinguishable" changes."""
    z_high: float = Z998
    """The normal quantile of 99.8% intervals, for comparisons that need a stricter level."""
    flags: FlagThresholds = FlagThresholds()
    progress: str = DEFAULT_PROGRESS
    """The registered method that assesses numbers against their targets."""
    progress_version: str = "1"
    progress_thresholds: ProgressThresholds = ProgressThresholds()
    rollups: tuple[LevelRollup, ...] = ()
    """The roll-up rule of each level, in the catalog's level order."""
    weights: dict[str, float] = Field(default_factory=dict)
    """Indicator id → its weight in the scores of what it measures (1 unless the catalog says otherwise)."""
    disclosure: Disclosure = Disclosure()
    """The disclosure control of every figure published below national level (the catalog's ``disclosure:``)."""

    def rollup_of(self, level: str) -> LevelRollup:
        for rollup in self.rollups:
            if rollup.level == level:
                return rollup
        return LevelRollup(level=level, method=DEFAULT_ROLLUP, version="1")

    def band(self, score: float | None) -> Band | None:
        """The band ``score`` falls in under this method's bands."""
        return band_of(score, self.bands)


def catalog_option_scores(catalog: Catalog) -> dict[str, dict[str, float | None]]:
    """Each scale's option scores as the method uses them: options outside the score map to None."""
    return {
        scale.id: {
            option.id: option.score if option.role is OptionRole.SUBSTANTIVE else None for option in scale.options
        }
        for scale in catalog.scales
    }
