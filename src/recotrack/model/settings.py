"""The catalog's choices of method: roll-up rules, progress assessment and flag thresholds."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from recotrack.model._base import Id, Model

__all__ = ["DEFAULT_PROGRESS", "DEFAULT_ROLLUP", "FlagThresholds", "MethodSettings", "ProgressThresholds"]

Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class FlagThresholds(Model):
    """When a figure is flagged for a second look."""

    dont_know: Share = 0.1
    """Share of a question's base answering "don't know" from which it is flagged."""
    not_applicable: Share = 0.1
    """Share of a question's base answering "not applicable" (where it applied) from which it is flagged."""
    low_response_rate: Share = 0.5
    """Response rate below which a period is flagged."""
    min_base: int = Field(default=1, ge=1, le=1_000_000_000)
    """Smallest base at which a share flag is raised: at a base of 5, one answer is already 20%."""


class ProgressThresholds(Model):
    """Observed ÷ required rate thresholds of a number's progress towards its target."""

    on_track: float = Field(default=0.95, gt=0, le=1_000, allow_inf_nan=False)
    some_progress: float = Field(default=0.6, ge=0, le=1_000, allow_inf_nan=False)


DEFAULT_ROLLUP = "ratio-of-sums"
"""Each indicator's score is a ratio of sums over the answers; a group's is their weighted mean."""
DEFAULT_PROGRESS = "sdg"
"""The SDG progress assessment (Statistics Canada / Open SDG, after Eurostat)."""


class MethodSettings(Model):
    """The catalog's choices of method (``method:``); everything has a documented default."""

    rollup: Id = DEFAULT_ROLLUP
    """The roll-up rule of every level that ``levels`` does not name."""
    levels: dict[str, Id] = Field(default_factory=dict)
    """Level id → its roll-up rule."""
    progress: Id = DEFAULT_PROGRESS
    """How numbers are judged against their targets."""
    progress_thresholds: ProgressThresholds = ProgressThresholds()
    flags: FlagThresholds = FlagThresholds()
