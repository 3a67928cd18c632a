"""Properties of scoring that must hold for any returns, checked with hypothesis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

import recotrack
from conftest import MINIMAL
from recotrack._rounding import round_half_up
from recotrack.evidence.applicability import Applicability
from recotrack.evidence.model import NO_ANSWER, Evidence, Location, PeriodEvidence, ReturnInfo
from recotrack.model import Invitation, OptionRole, Unit, UnitKind, Units
from recotrack.results import Distribution, Results
from recotrack.scoring import merge, newcombe_difference, newcombe_paired_difference, score
from recotrack.statistics import wilson_interval

CATALOG = recotrack.load(MINIMAL).catalog
QUESTIONS = tuple(CATALOG.questions.values())
UNITS = Units(
    kinds=(UnitKind(id="region", label="Region"), UnitKind(id="board", label="Board")),
    units=(
        Unit(id="north", name="North", kind="region"),
        Unit(id="south", name="South", kind="region"),
        *(Unit(id=f"u{i:02}", name=f"Board {i}", kind="board", parent=("north", "south")[i % 2]) for i in range(24)),
    ),
    invited=(Invitation(period="2019", kind="board"),),
)
BOARDS = tuple(unit.id for unit in UNITS.units if unit.kind == "board")
CONDITIONAL = CATALOG.questions["1.2"]
CONDITION_MET = {CATALOG.questions["1.1"].scale.option_ids.index(o) for o in ("always", "sometimes")}


@dataclass(frozen=True)
class Parts:
    catalog: recotrack.Catalog
    units: Units
    evidence: Evidence


@dataclass(frozen=True)
class Return:
    """One board's return (or its absence): an option index per question, None for no answer."""

    unit: str
    responded: bool
    answers: tuple[int | None, ...]


def answers_to(question: recotrack.Question) -> st.SearchStrategy[int | None]:
    return st.none() | st.integers(0, len(question.scale.options) - 1)


returns = st.lists(
    st.builds(
        Return,
        unit=st.sampled_from(BOARDS),
        responded=st.booleans(),
        answers=st.tuples(*(answers_to(question) for question in QUESTIONS)),
    ),
    max_size=len(BOARDS),
    unique_by=lambda r: r.unit,
)


def tracker(rows: Sequence[Return]) -> Parts:
    """Rows in the given order become the period's unit order; every answer is kept, and applicability worked
    out, as a reader does."""
    evidence = PeriodEvidence("2019", tuple(row.unit for row in rows))
    for position, row in enumerate(rows):
        if row.responded:
            evidence.returns[row.unit] = ReturnInfo(row.unit, "2019", Location("test", position + 1))
        for question, answer in zip(QUESTIONS, row.answers, strict=True):
            evidence.answer_array(question.id)[position] = NO_ANSWER if answer is None else answer
    evidence.not_applicable.update(Applicability(CATALOG.questions, evidence).all())
    return Parts(CATALOG, UNITS, Evidence(periods={"2019": evidence}))


def scored(rows: Sequence[Return]) -> Results:
    return score(tracker(rows), "2019", source="returns")


@settings(deadline=None)
@given(returns)
def test_counts_add_up_to_the_base(rows: list[Return]) -> None:
    responded = sum(row.responded for row in rows)
    for distribution in scored(rows).distributions:
        if distribution.withdrawn:
            assert distribution.base is None
            continue
        counts = [option.count for option in distribution.options]
        assert sum(count for count in counts if count is not None) == distribution.base
        assert distribution.item_non_response is not None
        assert distribution.not_applicable_by_condition is not None
        applicable = distribution.base + distribution.item_non_response
        assert applicable + distribution.not_applicable_by_condition == responded
        if distribution.score is not None:
            assert 0 <= distribution.score <= 1


@settings(deadline=None)
@given(returns, st.randoms(use_true_random=False))
def test_the_order_of_returns_does_not_matter(rows: list[Return], random: object) -> None:
    shuffled = list(rows)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert scored(shuffled) == scored(rows)


@settings(deadline=None)
@given(returns, st.data())
def test_two_halves_merge_into_the_whole(rows: list[Return], data: st.DataObject) -> None:
    first_half = data.draw(st.sets(st.sampled_from([row.unit for row in rows])) if rows else st.just(set[str]()))
    halves = (
        [row if row.unit in first_half else Return(row.unit, False, row.answers) for row in rows],
        [row if row.unit not in first_half else Return(row.unit, False, row.answers) for row in rows],
    )
    whole = scored(rows).distributions
    parts: tuple[Sequence[Distribution], ...] = tuple(scored(half).distributions for half in halves)
    for together, left, right in zip(whole, *parts, strict=True):
        assert merge(left, right) == together


@settings(deadline=None)
@given(returns, st.data())
def test_an_answer_where_the_question_did_not_apply_never_changes_its_base(
    rows: list[Return], data: st.DataObject
) -> None:
    parent_at = QUESTIONS.index(CATALOG.questions["1.1"])
    child_at = QUESTIONS.index(CONDITIONAL)
    outside = [i for i, row in enumerate(rows) if row.answers[parent_at] not in CONDITION_MET]
    if not outside:
        return
    chosen = data.draw(st.sampled_from(outside))
    answer = data.draw(answers_to(CONDITIONAL))
    changed = list(rows)
    answers = list(rows[chosen].answers)
    answers[child_at] = answer
    changed[chosen] = Return(rows[chosen].unit, rows[chosen].responded, tuple(answers))
    before = scored(rows).distribution(CONDITIONAL.id)
    after = scored(changed).distribution(CONDITIONAL.id)
    assert after.base == before.base
    assert [o.count for o in after.options] == [o.count for o in before.options]
    assert after.not_applicable_by_condition == before.not_applicable_by_condition


@given(st.integers(0, 10**6), st.integers(1, 10**4))
def test_round_half_up_is_what_a_calculator_prints(numerator: int, denominator: int) -> None:
    value = Fraction(numerator, denominator)
    expected = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if (value * 2).denominator == 1:  # exact halves: decimal division is exact there too
        assert round_half_up(value) == int(expected)
    assert abs(round_half_up(value) - value) <= Fraction(1, 2)
    assert round_half_up(Fraction(2 * numerator + 1, 2)) == numerator + 1
    assert round_half_up(-value) == -round_half_up(value)


@given(st.integers(1, 500).flatmap(lambda base: st.tuples(st.integers(0, base), st.just(base))))
def test_the_wilson_interval_holds_the_share(count_and_base: tuple[int, int]) -> None:
    count, base = count_and_base
    low, high = wilson_interval(count, base)
    assert 0 <= low <= count / base <= high <= 1


@given(
    st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
)
def test_newcombe_interval_holds_the_difference(a: tuple[int, int], b: tuple[int, int]) -> None:
    low, high = newcombe_difference(*a, *b)
    assert -1 <= low <= a[0] / a[1] - b[0] / b[1] <= high <= 1


@given(st.tuples(*(st.integers(0, 60) for _ in range(4))).filter(lambda cells: sum(cells) > 0))
def test_the_paired_interval_holds_the_difference(cells: tuple[int, int, int, int]) -> None:
    _, only_a, only_b, _ = cells
    difference = (only_a - only_b) / sum(cells)
    low, high = newcombe_paired_difference(*cells)
    assert -1 <= low <= difference + 1e-12
    assert difference - 1e-12 <= high <= 1


def _own_indicator_scores(row: Return) -> dict[str, float]:
    """One board's score on each indicator, straight from its answers: the reference for per-unit scores."""
    answers = {question.id: answer for question, answer in zip(QUESTIONS, row.answers, strict=True)}
    items: dict[str, list[float]] = {}
    for question in QUESTIONS:
        if question.indicator.withdrawn is not None or not question.scored:
            continue
        items.setdefault(question.indicator.id, [])
        answer = answers[question.id]
        applies = question is not CONDITIONAL or answers["1.1"] in CONDITION_MET
        if answer is None or not applies:
            continue
        option = question.scale.options[answer]
        if option.role is OptionRole.SUBSTANTIVE and option.score is not None:
            items[question.indicator.id].append(option.score)
    found = {}
    for indicator_id, values in items.items():
        total = 0.0
        for value in values:
            total += value
        if values:
            found[indicator_id] = total / len(values)
    return found


@settings(deadline=None)
@given(returns)
def test_each_units_recommendation_score_is_its_own_answers_mean(rows: list[Return]) -> None:
    """Per-unit scores count only a responding unit's own answers where the question applies to it."""
    weight = {indicator.id: indicator.weight for indicator in CATALOG.indicators}
    for recommendation in scored(rows).recommendations:
        own = [indicator.id for indicator in CATALOG.indicators_for(recommendation.id)]
        expected = {}
        for row in sorted((row for row in rows if row.responded), key=lambda row: row.unit):
            scores = _own_indicator_scores(row)
            total = weights = 0.0
            for indicator_id in own:
                if indicator_id in scores:
                    total += weight[indicator_id] * scores[indicator_id]
                    weights += weight[indicator_id]
            if weights:
                expected[row.unit] = total / weights
        assert recommendation.unit_scores == expected
        assert list(recommendation.unit_scores) == list(expected)
