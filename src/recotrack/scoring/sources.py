"""Which evidence a period's figures are counted from, and which periods may be asked for at all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from recotrack.errors import PeriodError
from recotrack.evidence.model import Evidence, PeriodEvidence, PublishedTallies
from recotrack.model import Units
from recotrack.periods import order_key
from recotrack.results import Basis

__all__ = [
    "SOURCE_CHOICES",
    "SourceChoice",
    "check_periods",
    "choose_basis",
    "known_periods",
    "published_of",
    "returns_of",
    "source_of",
]

SourceChoice = Literal["auto", "returns", "tallies"]
"""``"returns"`` (per-unit answers), ``"tallies"`` (published counts) or ``"auto"`` (returns when there are any)."""
SOURCE_CHOICES: tuple[SourceChoice, ...] = ("auto", "returns", "tallies")


def known_periods(units: Units, evidence: Evidence) -> list[str]:
    """Every period the tracker knows of, in time order: those it declares, those with evidence, those invited for.

    Time order is declaration order (``evidence.period_order``, from the catalog's ``periods:``);
    without it, nothing says the time order, so names are sorted.
    """
    found = {*evidence.all_periods(), *(invitation.period for invitation in units.invited), *evidence.period_order}
    return sorted(found, key=order_key(evidence.period_order))


def check_periods(known: Sequence[str], period: object, compare: object = None) -> None:
    """Refuse a period that is not text, one the tracker does not know, or a comparison that is not earlier."""
    having = ", ".join(known) or "none"
    for name, asked in (("period", period), ("compare", compare)):
        if asked is None and name == "compare":
            continue
        if not isinstance(asked, str):
            raise PeriodError(
                f"{name} must be a period's name as text, such as {known[-1] if known else '2019'!r}; "
                f"got {type(asked).__name__} {asked!r}"
            )
        if asked not in known:
            raise PeriodError(f"no evidence for period {asked!r}; the tracker's periods: {having}")
    if isinstance(compare, str) and isinstance(period, str) and known.index(compare) >= known.index(period):
        raise PeriodError(
            f"compare must be earlier than period: {compare!r} is not before {period!r} "
            f"(the periods in order: {having})"
        )


def source_of(source: SourceChoice | Mapping[str, SourceChoice], period: str) -> SourceChoice:
    """The source chosen for ``period``: one choice for all, or a mapping per period (``"auto"`` elsewhere)."""
    choice = source.get(period, "auto") if isinstance(source, Mapping) else source
    if choice not in SOURCE_CHOICES:
        raise ValueError(f"unknown source {choice!r}: expected one of {', '.join(SOURCE_CHOICES)}")
    return choice


def returns_of(evidence: Evidence, period: str) -> PeriodEvidence:
    found = evidence.periods.get(period)
    if found is None:
        having = ", ".join(p for p, e in sorted(evidence.periods.items()) if e.returns) or "none"
        raise PeriodError(f"no per-unit returns for period {period!r} (periods with returns: {having})")
    return found


def published_of(evidence: Evidence, period: str) -> PublishedTallies:
    found = evidence.published.get(period)
    if found is None:
        having = ", ".join(sorted(evidence.published)) or "none"
        raise PeriodError(f"no published tallies for period {period!r} (periods with tallies: {having})")
    return found


def choose_basis(evidence: Evidence, period: str, source: SourceChoice, paired: bool) -> Basis | None:
    """What the period's questionnaire figures are counted from; None when it has neither returns nor tallies."""
    if source == "returns" or paired:
        returns_of(evidence, period)
        return "returns"
    if source == "tallies":
        published_of(evidence, period)
        return "tallies"
    if period in evidence.periods and evidence.periods[period].returns:
        return "returns"
    if period in evidence.published:
        return "tallies"
    return None
