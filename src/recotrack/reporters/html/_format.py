"""How the HTML report writes numbers, dates and changes: every ``fmt_*`` helper, in one place.

Kept together so that a shared display module can replace them in one step.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from recotrack._rounding import round_half_up
from recotrack.results import Interval

MINUS = "\u2212"
DASH = "\u2014"

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


def fmt_score(value: float | None) -> str:
    """A score on the 0 to 1 scale with two decimals, rounded half up; a dash when there is none."""
    if value is None:
        return DASH
    return str(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def fmt_signed(value: float, places: int = 2) -> str:
    """+0.19, −0.09 or 0.00: the sign always shown, with a true minus sign."""
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        return str(abs(rounded))
    return ("+" if rounded > 0 else MINUS) + str(abs(rounded))


def fmt_points(value: float) -> str:
    """A change in percentage points as a whole number: '+17 points', '−4 points', '0 points'."""
    whole = round_half_up(Fraction(value))
    sign = "+" if whole > 0 else MINUS if whole < 0 else ""
    return f"{sign}{abs(whole)} point{'' if abs(whole) == 1 else 's'}"


def fmt_signed_int(value: int) -> str:
    """+3, −2 or 0, with a true minus sign."""
    return f"+{value}" if value > 0 else f"{MINUS}{-value}" if value < 0 else "0"


def fmt_interval(interval: Interval | None, *, points: bool = False) -> str:
    """'−0.13 to +0.15', or in whole percentage points ('+30 to +62') for changes in shares."""
    if interval is None:
        return ""
    if points:
        low = round_half_up(Fraction(interval.low))
        high = round_half_up(Fraction(interval.high))
        return f"{fmt_signed_int(low)} to {fmt_signed_int(high)}"
    return f"{fmt_signed(interval.low)} to {fmt_signed(interval.high)}"


def fmt_count(count: int | None, printed: int | None) -> str:
    """A table cell as the report prints it: '16 (24%)'."""
    if count is None:
        return DASH
    return f"{count} ({printed}%)" if printed is not None else str(count)


def fmt_percent(printed: int | None) -> str:
    """A printed (whole) percentage: '53%'; a dash when there is none."""
    return f"{printed}%" if printed is not None else DASH


def fmt_date(value: dt.date | None) -> str:
    """'9 December 2020'; a dash when there is none."""
    if value is None:
        return DASH
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def fmt_number(value: float | None, unit: str = "") -> str:
    """A measured value with its unit: '1,200 staff', '35%', '2.5 days'."""
    if value is None:
        return DASH
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit in ("percent", "%"):
        return f"{text}%"
    return f"{text} {unit}".strip()


def fmt_share(fraction: Fraction | float) -> str:
    """A proportion as a whole percentage, rounded half up: Fraction(1, 10) is '10%'."""
    return f"{round_half_up(Fraction(100 * fraction))}%"
