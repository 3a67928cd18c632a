"""Every printed form of a figure, made in one place so that every report shows the same string.

Scoring puts these strings into the results (``score_printed``, ``change_printed``...), and reporters
print them as they are. Two rules hold everywhere:

* halves round up (away from zero), on the figure's decimal value with float noise removed, so
  0.745 prints as 0.75 and −0.125 as −0.13 in every report;
* a printed score never contradicts its band: where two decimals would put it in another band than
  the score itself (0.7496 with Green from 0.75), it gets as many more decimals as it needs (0.7496).

Negative numbers use the true minus sign (U+2212), so that a column of changes lines up and reads
as one typeface's minus, not a hyphen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from recotrack._rounding import round_half_up
from recotrack.model import Band, Disclosure, band_of, decimal_reading

if TYPE_CHECKING:
    from recotrack.results import Lifecycle, MilestoneStatus, NumericProgress

__all__ = [
    "DASH",
    "MINUS",
    "count",
    "date",
    "disclosure",
    "lifecycle",
    "number",
    "percent",
    "plural",
    "points",
    "points_interval",
    "score",
    "share",
    "signed",
    "signed_interval",
    "size",
    "spreadsheet_format",
    "threshold",
    "units_milestone",
    "units_number",
    "whole",
]

MINUS = "\u2212"
DASH = "\u2014"
_MAX_PLACES = 6
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _fixed(value: Decimal, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def _text(value: Decimal) -> str:
    if value == 0:
        value = abs(value)  # no "−0.00"
    return str(value).replace("-", MINUS)


def score(value: float | None, bands: Sequence[Band] = ()) -> str | None:
    """A score as printed: two decimals, or more where two would cross one of ``bands``' thresholds."""
    if value is None:
        return None
    exact = decimal_reading(value)
    band = band_of(value, bands)
    for places in range(2, _MAX_PLACES + 1):
        shown = _fixed(exact, places)
        if band_of(float(shown), bands) == band:
            return _text(shown)
    # Thresholds closer than a millionth: round towards the score's own band instead.
    shown = _fixed(exact, _MAX_PLACES, ROUND_FLOOR)
    if band_of(float(shown), bands) != band:
        shown = _fixed(exact, _MAX_PLACES, ROUND_CEILING)
    return _text(shown)


def threshold(value: float) -> str:
    """A band's minimum score as a legend prints it: '0.75', '0.5' stays '0.50'."""
    exact = decimal_reading(value)
    decimals = len(str(exact.normalize()).partition(".")[2])
    return _text(_fixed(exact, max(2, decimals)))


def signed(value: float, places: int = 2) -> str:
    """A change with its sign always shown: '+0.13', '−0.09', '0.00'."""
    shown = _fixed(decimal_reading(value), places)
    text = _text(shown)
    return "+" + text if shown > 0 else text


def signed_interval(low: float, high: float, places: int = 2) -> str:
    """An interval of a change: '−0.05 to +0.12'."""
    return f"{signed(low, places)} to {signed(high, places)}"


def _signed_whole(value: float) -> str:
    whole = round_half_up(Fraction(decimal_reading(value)))
    return f"+{whole}" if whole > 0 else f"{MINUS}{-whole}" if whole < 0 else "0"


def whole(value: float) -> int:
    """A figure rounded half up to a whole number, as percentages are printed."""
    return round_half_up(Fraction(decimal_reading(value)))


def points(value: float) -> str:
    """A change in percentage points as a whole number: '+17 points', '−4 points', '0 points'."""
    whole = round_half_up(Fraction(decimal_reading(value)))
    return f"{_signed_whole(value)} point{'' if abs(whole) == 1 else 's'}"


def points_interval(low: float, high: float) -> str:
    """An interval in percentage points: '−4 to +17'."""
    return f"{_signed_whole(low)} to {_signed_whole(high)}"


def percent(printed: int | None) -> str:
    """A printed percentage: '24%', or a dash when there is none."""
    return DASH if printed is None else f"{printed}%"


def count(value: int | None, printed: int | None) -> str:
    """A table cell as published reports print it: '16 (24%)'."""
    if value is None:
        return DASH
    return f"{value} ({printed}%)" if printed is not None else str(value)


def share(fraction: Fraction) -> str:
    """An exact share as a whole percentage: Fraction(1, 10) is '10%'."""
    return f"{round_half_up(100 * fraction)}%"


def date(value: dt.date | None) -> str:
    """'31 March 2020', the same in every locale; a dash when there is none."""
    if value is None:
        return DASH
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def number(value: float | None, unit: str = "") -> str:
    """A number with its unit: '19,000 staff', '45%', '2.5 days'; at most two decimals, half up."""
    if value is None:
        return DASH
    shown = _fixed(decimal_reading(value), 0 if float(value).is_integer() else 2)
    text = f"{shown:,}".replace("-", MINUS)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if unit in ("percent", "%"):
        return f"{text}%"
    return f"{text} {unit}".strip()


def spreadsheet_format(printed: str, signed: bool = False) -> str:
    """The spreadsheet number format that shows a number with as many decimals as ``printed`` has.

    '0.7496' gives '0.0000', so a cell holding the exact score reads as the printed one does;
    ``signed`` formats show '+' before positive numbers and the true minus before negative ones.
    """
    places = len(printed.partition(".")[2].rstrip("%").split(" ")[0]) if "." in printed else 0
    shown = "0" + ("." + "0" * places if places else "")
    return f'+{shown};"{MINUS}"{shown};{shown}' if signed else shown


def size(octets: int) -> str:
    """A file's size as people read it: '812 bytes', '290 KB', '1.4 MB' (powers of 1000, halves up)."""
    if octets < 1000:
        return f"{octets} byte{'' if octets == 1 else 's'}"
    if octets < 1_000_000:
        return f"{round_half_up(Fraction(octets, 1000))} KB"
    shown = _fixed(Decimal(octets) / Decimal(1_000_000), 1)
    return f"{shown.normalize() if shown == shown.to_integral() else shown} MB"


def plural(noun: str) -> str:
    """A kind's label in the plural, as table totals print it: 'regions', 'local areas', 'partnerships'."""
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es" if not noun.endswith("s") else noun
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def disclosure(policy: Disclosure) -> str:
    """The disclosure policy in words: 'counts from 1 to 7 suppressed, others rounded to the nearest 5'."""
    parts = []
    if policy.threshold > 1 or policy.zeros:
        low = 0 if policy.zeros else 1
        if policy.threshold > 1:
            parts.append(f"counts from {low} to {policy.threshold - 1} suppressed")
        else:
            parts.append("zero counts suppressed")
    if policy.round_to > 1:
        parts.append(f"{'others' if parts else 'counts'} rounded to the nearest {policy.round_to}")
    if policy.secondary and parts:
        parts.append("more cells suppressed where totals would give a small one away")
    if not parts:
        return "no suppression"
    return ", ".join(parts) + f" ({policy.preset.value})"


def units_milestone(milestone: MilestoneStatus) -> str:
    """'Per unit (5): 2 Agreed, 2 Drafted, 1 Not started; score 0.60 (the mean over units)'."""
    counts: dict[str, int] = {}
    for unit in milestone.units:
        counts[unit.status_label] = counts.get(unit.status_label, 0) + 1
    listed = ", ".join(f"{n} {label}" for label, n in counts.items())
    scored = f"; score {milestone.score_printed} (the mean over units)" if milestone.score_printed else ""
    return f"Per unit ({len(milestone.units)}): {listed}{scored}"


def units_number(number: NumericProgress) -> str:
    """'Per unit: 6 of 19 assessed on course; 19% of the way (mean-of-unit-scores); score 0.19'."""
    parts = [f"Per unit: {number.units_on_course} of {number.units_assessed} assessed on course"]
    if number.units_share_of_way_printed:
        parts.append(f"{number.units_share_of_way_printed} of the way ({number.units_rule})")
    if number.score_printed:
        parts.append(f"score {number.score_printed}")
    return "; ".join(parts)


def lifecycle(state: Lifecycle) -> tuple[str, ...]:
    """What was said of a recommendation apart from its indicators, one statement each, as every report writes it."""
    parts = [
        f"{label}: {entry.printed}"
        for label, entry in (
            ("Response", state.response),
            ("Self-assessed", state.self_assessed),
            ("Independently assessed", state.independent),
        )
        if entry is not None
    ]
    if state.disagreement:
        parts.append("The two ratings disagree")
    if state.target is not None:
        parts.append(f"Target: {date(state.target)}")
    if state.delivered is not None:
        parts.append(f"Implemented: {date(state.delivered)}")
    if state.superseded_by:
        parts.append(f"Superseded by {state.superseded_by}")
    if state.closed:
        parts.append(f"Closed: {state.closed}")
    return tuple(parts)
