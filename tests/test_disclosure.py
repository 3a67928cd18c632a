"""Disclosure control: presets, primary and secondary suppression, rounding; and the property that no
suppressed cell can be worked out from its table's published cells and totals."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recotrack.model import Disclosure, DisclosurePreset
from recotrack.scoring.disclosure import PRIMARY, SECONDARY_COLUMN, SECONDARY_ROW, protect, published


def test_presets_and_parameters() -> None:
    nhsd = Disclosure.model_validate("nhsd")
    assert (nhsd.threshold, nhsd.zeros, nhsd.round_to, nhsd.secondary) == (8, False, 5, True)
    assert [nhsd.primary(n) for n in (0, 1, 7, 8)] == [False, True, True, False]
    assert [nhsd.rounded(n) for n in (0, 8, 12, 13, 17, 18)] == [0, 10, 10, 15, 15, 20]
    ten = Disclosure.model_validate({"preset": "threshold-10", "threshold": 5})
    assert (ten.preset, ten.threshold, ten.zeros, ten.round_to) == (DisclosurePreset.THRESHOLD_10, 5, True, 1)
    assert ten.primary(0)
    assert ten.primary(4)
    assert not ten.primary(5)
    none = Disclosure()
    assert not none.active
    assert not none.primary(0)
    assert not none.primary(1)
    with pytest.raises(ValueError, match="preset"):
        Disclosure.model_validate("strict")


def test_one_small_cell_in_a_row_takes_the_next_smallest_with_it() -> None:
    policy = Disclosure.model_validate("threshold-10")
    table = [[3, 20, 15, 38], [12, 30, 2, 44], [25, 25, 25, 75]]
    rules = protect(table, policy)
    assert rules[0] == [PRIMARY, None, SECONDARY_ROW, None]
    assert rules[1] == [SECONDARY_ROW, None, PRIMARY, None]
    assert rules[2] == [None, None, None, None]


def test_a_lone_suppressed_cell_of_a_column_is_protected_without_row_totals() -> None:
    policy = Disclosure.model_validate("threshold-10")
    rules = protect([[3], [40], [25]], policy, row_relation=False)
    assert rules == [[PRIMARY], [None], [SECONDARY_COLUMN]]


def test_published_zeros_are_not_used_to_hide_a_cell() -> None:
    """With zeros published, a zero suppressed beside a 3 would give the 3 away: the next non-zero goes."""
    policy = Disclosure.model_validate("nhsd")
    rules = protect([[3, 0, 20, 23], [30, 0, 20, 50]], policy)
    assert rules[0][1] is None
    assert rules[0][0] == PRIMARY
    assert published(12, None, policy) == 10
    assert published(12, PRIMARY, policy) is None


# -- the property -------------------------------------------------------------------------------


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [row[:] for row in rows]
    rank = 0
    width = len(matrix[0]) if matrix else 0
    for column in range(width):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for i in range(len(matrix)):
            if i != rank and matrix[i][column] != 0:
                factor = matrix[i][column] / matrix[rank][column]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[rank], strict=True)]
        rank += 1
    return rank


def recoverable(rules: list[list[str | None]], *, row_relation: bool) -> list[tuple[int, int]]:
    """The suppressed cells that the published totals determine exactly, by linear arithmetic.

    The unknowns are the suppressed cells. Each column adds up to its published (national) total; with
    ``row_relation``, each row's answer cells add up to its last cell (the base). A suppressed cell is
    recoverable exactly when its unit vector lies in the span of these equations.
    """
    unknowns = [(r, c) for r, row in enumerate(rules) for c, rule in enumerate(row) if rule is not None]
    if not unknowns:
        return []
    index = {cell: i for i, cell in enumerate(unknowns)}
    equations: list[list[Fraction]] = []
    columns = len(rules[0])
    for c in range(columns):
        equations.append([Fraction(1) if cell[1] == c else Fraction(0) for cell in unknowns])
    if row_relation:
        for r in range(len(rules)):
            row = [Fraction(0)] * len(unknowns)
            for c in range(columns):
                if (r, c) in index:
                    row[index[(r, c)]] = Fraction(-1) if c == columns - 1 else Fraction(1)
            equations.append(row)
    base = _rank(equations)
    found = []
    for cell, i in index.items():
        unit = [Fraction(1) if j == i else Fraction(0) for j in range(len(unknowns))]
        if _rank([*equations, unit]) == base:
            found.append(cell)
    return found


tables = st.integers(min_value=1, max_value=6).flatmap(
    lambda width: st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=width, max_size=width), min_size=1, max_size=7
    )
)
policies = st.builds(
    Disclosure,
    preset=st.just(DisclosurePreset.THRESHOLD_10),
    threshold=st.integers(min_value=1, max_value=15),
    zeros=st.booleans(),
    round_to=st.just(1),
    secondary=st.just(True),
)


@settings(max_examples=400, deadline=None)
@given(tables, policies)
def test_no_suppressed_cell_can_be_recovered_from_the_totals(answers: list[list[int]], policy: Disclosure) -> None:
    """Rows are groups, columns answers plus the base (their sum); column totals are national, published."""
    table = [[*row, sum(row)] for row in answers]
    rules = protect(table, policy)
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            if policy.primary(value):
                assert rules[r][c] == PRIMARY
    if len(table) > 1:
        assert recoverable(rules, row_relation=True) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=2, max_size=10), policies)
def test_a_single_column_table_hides_its_suppressed_cells(counts: list[int], policy: Disclosure) -> None:
    """The response table by region: one count per region, the national total published."""
    rules = protect([[n] for n in counts], policy, row_relation=False)
    assert recoverable(rules, row_relation=False) == []
