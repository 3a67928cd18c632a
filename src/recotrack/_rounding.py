"""Rounding as published reports print percentages; shared by evidence checks and results."""

from __future__ import annotations

import math
from fractions import Fraction


def round_half_up(value: Fraction) -> int:
    """The whole number a report prints: halves go away from zero (2.5 → 3), unlike round() (2.5 → 2)."""
    whole = math.floor(abs(value) + Fraction(1, 2))
    return whole if value >= 0 else -whole
