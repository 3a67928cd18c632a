"""What a reporting period may be called (one rule for every file format), and which periods a tracker has.

YAML files are checked through the models (``recotrack.model.Period`` calls :func:`period_problem`),
CSV files by the evidence rules calling the same function, so a bad period gets the same message
whether it was typed in a YAML return, a CSV cell or on the command line.

:func:`tracker_periods` gives a tracker's periods in time order with each one's end date: the one
place that decides it, for the evidence checks (evidence for a period outside the catalog's `periods:` is an error) and
for scoring (periods are ordered by declaration, never as strings).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models use this module's period rule, so it cannot import them when it runs
    from recotrack.model import Catalog, Units

PERIOD_MAX_LENGTH = 40
PERIOD_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 ./_-]*$"
"""Letters, digits, space, '.', '/', '_' and '-', starting with a letter or digit (ASCII only)."""

INVALID_PERIOD = "missing or invalid period"
PERIOD_EXAMPLES = "a period such as 2019 or 2019-20"

_PERIOD = re.compile(PERIOD_PATTERN)
_CHARACTERS = "letters, digits, space, '.', '/', '_' and '-', starting with a letter or digit"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
"""Dashes that look like '-' but are not: word processors put en dashes into '2019–20'."""


def is_valid_period(text: str) -> bool:
    return len(text) <= PERIOD_MAX_LENGTH and _PERIOD.fullmatch(text) is not None


@lru_cache(maxsize=1024)
def period_problem(text: str) -> tuple[str, str] | None:
    """None for a valid period; otherwise the message and what was expected instead.

    Cached: a CSV file repeats the same few periods on every return.
    """
    if is_valid_period(text):
        return None
    if any(dash in text for dash in _DASHES):
        return INVALID_PERIOD, f"{PERIOD_EXAMPLES}, written with '-' (a plain hyphen, not a dash)"
    if len(text) > PERIOD_MAX_LENGTH:
        return INVALID_PERIOD, f"{PERIOD_EXAMPLES}, at most {PERIOD_MAX_LENGTH} characters"
    if text:
        return INVALID_PERIOD, f"{PERIOD_EXAMPLES}: {_CHARACTERS}"
    return INVALID_PERIOD, PERIOD_EXAMPLES


# -- the tracker's periods ------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s\u2010-\u2015\u2212/_.-]+")


def period_key(text: str) -> str:
    """How near misses are recognised: case, spaces and the kind of dash, slash or dot between parts left out.

    ``2024–25``, ``2024/25``, ``2024 - 25`` and ``2024-25`` all give ``2024-25``.
    """
    return _SEPARATORS.sub("-", text.strip().casefold()).strip("-")


@dataclass(frozen=True)
class TrackerPeriods:
    """The periods a tracker reports on, in time order, and where that list comes from."""

    ids: tuple[str, ...]
    """Every period, in time order."""
    source: str
    """``catalog`` (the catalog's ``periods:``), ``invitations`` (no ``periods:``: the periods ``invited:``
    and evidence name, sorted by name) or ``evidence`` (nothing declared anywhere: every period evidence
    names, sorted by name)."""
    ends: Mapping[str, dt.date | None] = field(default_factory=dict)
    """Each period's last day: its ``ends``, else 31 December of a four-digit year, else None."""
    synthetic: frozenset[str] = frozenset()
    """Periods declared ``synthetic: true``."""
    labels: Mapping[str, str] = field(default_factory=dict)

    def near_miss(self, text: str) -> str | None:
        """The declared period that ``text`` is a near miss of (``2024/25`` for ``2024-25``), if any."""
        wanted = period_key(text)
        return next((p for p in self.ids if period_key(p) == wanted and p != text), None)


def order_key(order: Sequence[str]) -> Callable[[str], tuple[int, str]]:
    """A sort key putting periods in the declared ``order`` (time order); others after it, by name.

    With nothing declared (``order`` empty) this is the order of names, as it always was.
    """
    rank = {period: index for index, period in enumerate(order)}
    last = len(rank)

    def key(period: str) -> tuple[int, str]:
        found = rank.get(period)
        return (last, period) if found is None else (found, "")

    return key


def year_end(period: str) -> dt.date | None:
    """31 December of a period named by a four-digit year (``"2019"``); None for any other name."""
    if len(period) == 4 and period.isascii() and period.isdigit():
        return dt.date(int(period), 12, 31)
    return None


def tracker_periods(catalog: Catalog, units: Units, evidence_periods: Iterable[str] = ()) -> TrackerPeriods:
    """The tracker's periods in time order: the catalog's ``periods:`` if declared; else those ``invited:``
    and evidence name, sorted by name (with nothing to say their time order, names are all there is)."""
    declared = catalog.periods
    if declared:
        return TrackerPeriods(
            tuple(p.id for p in declared),
            "catalog",
            {p.id: p.ends or year_end(p.id) for p in declared},
            frozenset(p.id for p in declared if p.synthetic),
            {p.id: p.label or p.id for p in declared},
        )
    invited = {invitation.period for invitation in units.invited}
    if invited:
        named = tuple(sorted(invited | set(evidence_periods)))
        return TrackerPeriods(named, "invitations", {p: year_end(p) for p in named})
    found = tuple(sorted(set(evidence_periods)))
    return TrackerPeriods(found, "evidence", {p: year_end(p) for p in found})
