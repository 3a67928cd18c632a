"""The catalog's disclosure policy: which small numbers may be published below national level.

``disclosure:`` at the top level of a catalog file names a preset, or sets a preset's parameters::

    disclosure: nhsd
    disclosure: {preset: threshold-10, threshold: 5}

The policy is applied by :mod:`recotrack.scoring.disclosure` to every figure published below
national level; national figures are exempt. The presets and the reasons for them are in
``docs/methodology.md`` ("Small numbers").
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field, model_validator

from recotrack.model._base import Model

__all__ = ["PRESETS", "Disclosure", "DisclosurePreset"]


class DisclosurePreset(StrEnum):
    NONE = "none"
    """Nothing is suppressed or rounded."""
    NHSD = "nhsd"
    """NHS Digital: counts 1 to 7 suppressed, the others rounded to the nearest 5; zeros published."""
    THRESHOLD_10 = "threshold-10"
    """UK LLC and ACRO: counts below 10 suppressed, zeros included; no rounding."""


PRESETS: dict[DisclosurePreset, dict[str, Any]] = {
    DisclosurePreset.NONE: {"threshold": 0, "zeros": False, "round_to": 1, "secondary": False},
    DisclosurePreset.NHSD: {"threshold": 8, "zeros": False, "round_to": 5, "secondary": True},
    DisclosurePreset.THRESHOLD_10: {"threshold": 10, "zeros": True, "round_to": 1, "secondary": True},
}
"""Each preset's parameters; a catalog's mapping overrides any of them."""


class Disclosure(Model):
    """Statistical disclosure control of sub-national figures: a preset and its parameters."""

    preset: DisclosurePreset = DisclosurePreset.NONE
    threshold: int = Field(default=0, ge=0, le=1_000_000)
    """The smallest count published: counts from 1 up to ``threshold − 1`` are suppressed."""
    zeros: bool = False
    """Whether zero counts are suppressed too (a zero tells something of every unit in the group)."""
    round_to: int = Field(default=1, ge=1, le=1_000_000)
    """Published counts are rounded half up to a multiple of this (1: not rounded)."""
    secondary: bool = False
    """Whether more cells are suppressed so that no suppressed one can be worked out from totals."""

    @model_validator(mode="before")
    @classmethod
    def _from_preset(cls, data: object) -> object:
        if isinstance(data, str):
            data = {"preset": data}
        if not isinstance(data, dict):
            return data
        try:
            preset = DisclosurePreset(data.get("preset", DisclosurePreset.NONE))
        except ValueError:
            return data  # the field's own validation says what the presets are
        return {**PRESETS[preset], **data}

    @property
    def active(self) -> bool:
        """Whether the policy changes anything at all."""
        return self.threshold > 0 or self.zeros or self.round_to > 1

    def primary(self, count: int) -> bool:
        """Whether ``count`` is suppressed on its own account (too small to publish)."""
        if count == 0:
            return self.zeros
        return count < self.threshold

    def rounded(self, count: int) -> int:
        """``count`` as published: rounded half up to a multiple of ``round_to``."""
        if self.round_to <= 1:
            return count
        return (2 * count + self.round_to) // (2 * self.round_to) * self.round_to
