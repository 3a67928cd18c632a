"""Printed figures: one rule for every report, and a printed score never contradicts its band."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import example, given
from hypothesis import strategies as st

from recotrack import display
from recotrack.model import DEFAULT_BANDS, Band, band_of


def test_halves_round_up_on_the_decimal_the_figure_stands_for() -> None:
    assert display.score(0.125) == "0.13"  # half up, not to even
    assert display.score(0.665) == "0.67"
    assert display.score(0.7449999999999999) == "0.75"  # float noise of 0.745, not below it
    assert display.score(None) is None
    assert display.signed(0.125) == "+0.13"
    assert display.signed(-0.125) == "−0.13"
    assert display.signed(0.0925) == "+0.09"
    assert display.signed(-0.001) == "0.00"
    assert display.points(46.5) == "+47 points"
    assert display.points(-1.0) == "−1 point"
    assert display.points_interval(-4.4, 16.5) == "−4 to +17"
    assert display.count(16, 24) == "16 (24%)"
    assert display.count(None, None) == "—"
    assert display.share(Fraction(1, 10)) == "10%"
    assert display.number(19000, "staff") == "19,000 staff"
    assert display.number(45, "%") == "45%"
    assert display.number(2.345, "days") == "2.35 days"
    assert display.date(dt.date(2020, 3, 31)) == "31 March 2020"
    assert display.threshold(0.75) == "0.75"
    assert display.threshold(0.5) == "0.50"
    assert display.threshold(0.333) == "0.333"


def test_a_score_just_below_a_threshold_keeps_the_digits_that_say_so() -> None:
    assert display.score(0.745, DEFAULT_BANDS) == "0.745"  # Amber: 0.75 would read as Green
    assert display.score(0.7496, DEFAULT_BANDS) == "0.7496"
    assert display.score(0.74999999, DEFAULT_BANDS) == "0.749999"
    assert display.score(0.745) == "0.75"  # without bands, nothing to contradict
    assert display.score(0.755, DEFAULT_BANDS) == "0.76"


thresholds = st.lists(
    st.floats(min_value=0, max_value=1, allow_nan=False).map(lambda x: round(x, 3)), min_size=1, max_size=5
).map(lambda mins: tuple(Band(id=f"b{i}", label=f"B{i}", min_score=m) for i, m in enumerate(sorted(set(mins)))))


@given(bands=thresholds, offset=st.floats(min_value=-0.01, max_value=0.01, allow_nan=False), pick=st.integers(0, 4))
@example(bands=DEFAULT_BANDS, offset=-0.005, pick=2)
@example(bands=DEFAULT_BANDS, offset=-1e-9, pick=2)
@example(bands=DEFAULT_BANDS, offset=0.0, pick=1)
@example(bands=(Band(id="top", label="Top", min_score=1.0),), offset=-4.4e-13, pick=0)  # below 1 by float noise
def test_a_printed_score_is_always_in_the_band_of_the_score(bands: tuple[Band, ...], offset: float, pick: int) -> None:
    """Near every threshold, just below and just above it, the printed figure falls in the score's band."""
    value = min(1.0, max(0.0, bands[pick % len(bands)].min_score + offset))
    printed = display.score(value, bands)
    assert printed is not None
    assert band_of(float(printed.replace("−", "-")), bands) == band_of(value, bands)
    assert abs(float(printed) - value) <= 0.005 + 1e-12  # never further off than two-decimal rounding


@given(st.floats(min_value=-10, max_value=10, allow_nan=False))
def test_signed_changes_round_half_up_and_never_print_minus_zero(value: float) -> None:
    text = display.signed(value)
    assert text != "−0.00"
    assert text[0] in "+−0"
    assert abs(float(text.replace("−", "-")) - value) <= 0.005 + 1e-9


def test_file_sizes() -> None:
    assert display.size(1) == "1 byte"
    assert display.size(999) == "999 bytes"
    assert display.size(290_499) == "290 KB"
    assert display.size(290_500) == "291 KB"
    assert display.size(1_450_000) == "1.5 MB"
    assert display.size(2_000_000) == "2 MB"


def test_spreadsheet_formats_show_the_printed_decimals() -> None:
    assert display.spreadsheet_format("0.75") == "0.00"
    assert display.spreadsheet_format("0.7496") == "0.0000"
    assert display.spreadsheet_format("19,000") == "0"
    assert display.spreadsheet_format("+0.13", signed=True) == '+0.00;"−"0.00;0.00'
    assert display.spreadsheet_format("−4 points", signed=True) == '+0;"−"0;0'
