"""Answer scales and status bands: what an answer means for scoring, and how scores are banded."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from pydantic import Field

from recotrack.model._base import Id, Model, Text, normalise_label

__all__ = ["DEFAULT_BANDS", "Band", "Option", "OptionRole", "Polarity", "Scale", "band_of", "decimal_reading"]


class OptionRole(StrEnum):
    """What an answer option means for scoring."""

    SUBSTANTIVE = "substantive"
    DONT_KNOW = "dont_know"
    NOT_APPLICABLE = "not_applicable"


class Polarity(StrEnum):
    """Which way is better, for comparisons with a benchmark (England, a parent)."""

    HIGH_IS_GOOD = "high-is-good"
    LOW_IS_GOOD = "low-is-good"
    NONE = "none"
    """No judgement: a figure is only higher or lower than its benchmark."""


class Option(Model):
    """One answer option of a scale, with the label as printed and its score."""

    id: Id
    label: Text
    score: float | None = Field(default=None, ge=0, le=1, allow_inf_nan=False)
    role: OptionRole = OptionRole.SUBSTANTIVE
    note: Text | None = None
    """What the answer means, in the review's own terms, for readers of the catalog."""


class Scale(Model):
    """A set of answer options declared once and shared by many questions."""

    id: Id
    label: str | None = None
    options: tuple[Option, ...] = Field(min_length=1)
    polarity: Polarity | None = None
    """Which way is better on this scale; None: high is good when it has scores, else no judgement."""
    dont_know_means: Text | None = None
    """What many "don't know" answers may mean, added to the flag raised on them."""
    benchmark: tuple[Id, ...] = ()
    """The options whose share is compared with a benchmark; empty: the options with the highest score."""

    @cached_property
    def _lookup(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for option in self.options:
            table.setdefault(normalise_label(option.id), option.id)
        for option in self.options:
            table.setdefault(normalise_label(option.label), option.id)
        return table

    def resolve(self, answer: str) -> str | None:
        """The option id that ``answer`` names (by id or printed label), or None."""
        return self._lookup.get(normalise_label(answer))

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option.id for option in self.options)

    @property
    def scored(self) -> bool:
        """Whether any option carries a score."""
        return any(o.role is OptionRole.SUBSTANTIVE and o.score is not None for o in self.options)

    @property
    def benchmark_options(self) -> tuple[str, ...]:
        """The options whose share is compared with a benchmark: as declared, else those with the top score."""
        if self.benchmark:
            return self.benchmark
        scores = [o.score for o in self.options if o.role is OptionRole.SUBSTANTIVE and o.score is not None]
        if not scores:
            return ()
        top = max(scores)
        return tuple(o.id for o in self.options if o.role is OptionRole.SUBSTANTIVE and o.score == top)


class Band(Model):
    """A status band for scores (such as red, amber, green): scores from ``min_score`` up to the next band."""

    id: Id
    label: Text
    min_score: float = Field(ge=0, le=1, allow_inf_nan=False)


DEFAULT_BANDS: tuple[Band, ...] = (
    Band(id="red", label="Red", min_score=0),
    Band(id="amber", label="Amber", min_score=0.5),
    Band(id="green", label="Green", min_score=0.75),
)
"""Bands used when the catalog sets none: 0.5 is "sometimes" on average, 0.75 halfway from there to "always"."""


def decimal_reading(value: float) -> Decimal:
    """The decimal a computed float stands for: 12 significant digits drop noise such as 0.7449999999999999.

    Bands, printed figures and thresholds all compare this reading, so a score and its printed form
    can never fall on different sides of a threshold.
    """
    return Decimal(f"{value:.12g}")


def band_of(score: float | None, bands: Sequence[Band]) -> Band | None:
    """The band a score falls in: the one with the highest ``min_score`` it reaches (None below them all)."""
    if score is None:
        return None
    reading = decimal_reading(score)
    found: Band | None = None
    for band in bands:
        if reading >= decimal_reading(band.min_score) and (found is None or band.min_score > found.min_score):
            found = band
    return found
