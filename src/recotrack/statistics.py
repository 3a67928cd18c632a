"""The statistics behind every interval and trend: pure arithmetic on counts, nothing about trackers.

Formulas and their references are in ``docs/methodology.md``; the tests check them against the
papers' worked examples.
"""

from __future__ import annotations

import math
from statistics import NormalDist

__all__ = [
    "Z95",
    "Z998",
    "newcombe_difference",
    "newcombe_paired_difference",
    "wilson_interval",
]

Z95 = NormalDist().inv_cdf(0.975)
"""The normal quantile of two-sided 95% intervals (1.95996...)."""
Z998 = NormalDist().inv_cdf(0.999)
"""The normal quantile of two-sided 99.8% intervals (3.09023...), as public-health profiles use."""


def wilson_interval(count: int, base: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for the share count/base (0 to 1); it stays inside [0, 1] at any base."""
    p = count / base
    z2 = z * z
    centre = (p + z2 / (2 * base)) / (1 + z2 / base)
    half = z / (1 + z2 / base) * math.sqrt(p * (1 - p) / base + z2 / (4 * base * base))
    low = 0.0 if count == 0 else max(0.0, centre - half)  # exact at the ends, where rounding would miss them
    high = 1.0 if count == base else min(1.0, centre + half)
    return low, high


def newcombe_difference(count_a: int, base_a: int, count_b: int, base_b: int) -> tuple[float, float]:
    """95% interval for p_a − p_b of two independent shares: Newcombe's hybrid score method (1998, method 10)."""
    p_a, p_b = count_a / base_a, count_b / base_b
    low_a, high_a = wilson_interval(count_a, base_a)
    low_b, high_b = wilson_interval(count_b, base_b)
    difference = p_a - p_b
    low = difference - math.sqrt((p_a - low_a) ** 2 + (high_b - p_b) ** 2)
    high = difference + math.sqrt((high_a - p_a) ** 2 + (p_b - low_b) ** 2)
    return max(-1.0, low), min(1.0, high)


def newcombe_paired_difference(both: int, only_a: int, only_b: int, neither: int) -> tuple[float, float]:
    """95% interval for p_a − p_b measured on the same units (Newcombe 1998b, method 10, with its φ correction).

    ``only_a`` counts units with the answer in a but not in b; ``only_b`` the reverse.
    """
    n = both + only_a + only_b + neither
    p_a, p_b = (both + only_a) / n, (both + only_b) / n
    low_a, high_a = wilson_interval(both + only_a, n)
    low_b, high_b = wilson_interval(both + only_b, n)
    margins = (both + only_a) * (only_b + neither) * (both + only_b) * (only_a + neither)
    cross = both * neither - only_a * only_b
    corrected = cross - n / 2 if cross > n / 2 else (cross if cross < 0 else 0)
    phi = corrected / math.sqrt(margins) if margins else 0.0
    difference = p_a - p_b
    d_low_a, d_high_b = p_a - low_a, high_b - p_b
    d_low_b, d_high_a = p_b - low_b, high_a - p_a
    low = difference - math.sqrt(max(0.0, d_low_a**2 - 2 * phi * d_low_a * d_high_b + d_high_b**2))
    high = difference + math.sqrt(max(0.0, d_low_b**2 - 2 * phi * d_low_b * d_high_a + d_high_a**2))
    return max(-1.0, low), min(1.0, high)
