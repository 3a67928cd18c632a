"""Scoring: bases, conditions, withheld questions, rounding, scores, bands, flags, milestones, numbers, change."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import pytest

import recotrack
from conftest import EXAMPLE, MINIMAL
from recotrack._rounding import round_half_up
from recotrack.evidence.applicability import Applicability
from recotrack.evidence.model import (
    Evidence,
    Location,
    MilestoneRecord,
    PeriodEvidence,
    PublishedTallies,
    ReturnInfo,
    Tally,
    ValueRecord,
)
from recotrack.model import Band, Catalog, Invitation, Numeric, NumericIndicator, Target, Units
from recotrack.results import FlagCode, ProgressStatus, Share, Trend
from recotrack.scoring import merge, newcombe_difference, newcombe_paired_difference, score
from recotrack.statistics import wilson_interval

HERE = Location("test", 0)


@dataclass(frozen=True)
class Parts:
    """A tracker made by hand: what :func:`score` reads."""

    catalog: Catalog
    units: Units
    evidence: Evidence = field(default_factory=Evidence)


def period_evidence(
    catalog: Catalog,
    period: str,
    unit_ids: Sequence[str],
    answers: Mapping[str, Mapping[str, str]],
) -> PeriodEvidence:
    """Returns as a reader would hold them: ``answers[unit][question] = option id`` (each key unit responded)."""
    evidence = PeriodEvidence(period, tuple(unit_ids))
    for unit, given in answers.items():
        evidence.returns[unit] = ReturnInfo(unit, period, HERE)
        for question_id, option_id in given.items():
            scale = catalog.questions[question_id].scale
            evidence.answer_array(question_id)[unit_ids.index(unit)] = scale.option_ids.index(option_id)
    evidence.not_applicable.update(Applicability(catalog.questions, evidence).all())
    return evidence


@pytest.fixture(scope="module")
def minimal() -> recotrack.Tracker:
    return recotrack.load(MINIMAL)


@pytest.fixture(scope="module")
def example() -> recotrack.Tracker:
    return recotrack.load(EXAMPLE)


def minimal_with(minimal: recotrack.Tracker, answers: Mapping[str, Mapping[str, str]], **evidence: object) -> Parts:
    unit_ids = [unit.id for unit in minimal.units.units]
    periods = {"2019": period_evidence(minimal.catalog, "2019", unit_ids, answers)}
    return Parts(minimal.catalog, minimal.units, Evidence(periods=periods, **evidence))  # type: ignore[arg-type]


# -- rounding and intervals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (Fraction(1, 2), 1),
        (Fraction(5, 2), 3),
        (Fraction(3, 2), 2),
        (Fraction(49, 2), 25),
        (Fraction(2449, 100), 24),
        (Fraction(-5, 2), -3),
        (Fraction(0), 0),
        (Fraction(1600, 67), 24),
    ],
)
def test_round_half_up_prints_as_reports_do(value: Fraction, printed: int) -> None:
    assert round_half_up(value) == printed


def test_share_is_exact_from_counts() -> None:
    share = Share.of(16, 67)
    assert share.exact == Fraction(16, 67)
    assert share.percent == float(Fraction(1600, 67))
    assert share.printed == 24
    assert share.interval.low < share.percent < share.interval.high


def test_wilson_interval_matches_newcombe_1998() -> None:
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert wilson_interval(0, 20)[0] == 0.0


@pytest.mark.parametrize(
    ("counts", "expected"),
    [  # Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10
        ((56, 70, 48, 80), (0.0524, 0.3339)),
        ((9, 10, 3, 10), (0.1705, 0.8090)),
        ((6, 7, 2, 7), (0.0582, 0.8062)),
        ((5, 56, 0, 29), (-0.0381, 0.1926)),
        ((0, 10, 0, 20), (-0.1611, 0.2775)),
        ((10, 10, 0, 20), (0.6791, 1.0)),
    ],
)
def test_newcombe_difference_matches_the_paper(
    counts: tuple[int, int, int, int], expected: tuple[float, float]
) -> None:
    low, high = newcombe_difference(*counts)
    assert (round(low, 4), round(high, 4)) == expected


def test_newcombe_paired_difference_matches_a_reference() -> None:
    # Complete response before and after consolidation therapy (Cavo et al. 2012), as in Fagerland,
    # Lydersen and Laake's contingencytables: estimate -0.0621, 95% CI -0.1186 to -0.0046.
    low, high = newcombe_paired_difference(59, 6, 16, 80)
    assert (round(low, 4), round(high, 4)) == (-0.1186, -0.0046)


# -- bases, conditions, withheld questions ------------------------------------------------------------


def test_a_conditional_question_has_its_own_base(minimal: recotrack.Tracker) -> None:
    parts = minimal_with(
        minimal,
        {
            "b1": {"1.1": "never", "1.2": "always"},  # 1.2 does not apply: its answer is never counted
            "b2": {"1.1": "always"},  # 1.2 applies but is left blank
            "b3": {"1.1": "sometimes", "1.2": "sometimes"},  # the condition names the label "Yes, sometimes"
        },
    )
    pooled = score(parts, "2019").distribution("1.2")
    assert pooled.base == 1
    assert pooled.option("sometimes").count == 1
    assert pooled.option("always").count == 0
    assert (pooled.item_non_response, pooled.not_applicable_by_condition, pooled.answered_when_not_applicable) == (
        1,
        1,
        1,
    )
    codes = {flag.code for flag in pooled.flags}
    assert {FlagCode.ITEM_NON_RESPONSE, FlagCode.ANSWERED_WHEN_NOT_APPLICABLE} <= codes


def test_answers_the_reader_excluded_are_not_counted(minimal: recotrack.Tracker) -> None:
    parts = minimal_with(minimal, {"b1": {"1.1": "always"}, "b2": {"1.1": "never"}})
    excluded = bytearray(len(minimal.units.units))
    excluded[[u.id for u in minimal.units.units].index("b1")] = 1
    parts.evidence.periods["2019"].excluded["1.1"] = excluded
    distribution = score(parts, "2019").distribution("1.1")
    assert (distribution.base, distribution.option("always").count, distribution.option("never").count) == (1, 0, 1)
    assert distribution.not_applicable_by_condition == 1


def test_units_that_did_not_respond_are_left_out(minimal: recotrack.Tracker) -> None:
    parts = minimal_with(minimal, {"b1": {"1.1": "always"}})
    stray = parts.evidence.periods["2019"].answer_array("1.1")
    stray[[u.id for u in minimal.units.units].index("b3")] = 0  # an answer with no return behind it
    results = score(parts, "2019")
    assert results.distribution("1.1").base == 1
    assert (results.response.invited, results.response.responded, results.response.printed) == (3, 1, 33)


def test_a_withdrawn_question_is_withheld_with_its_reason(minimal: recotrack.Tracker) -> None:
    parts = minimal_with(minimal, {"b1": {"1.1": "always", "2.2": "yes"}, "b2": {"2.2": "no"}})
    results = score(parts, "2019")
    withheld = results.distribution("2.2")
    assert withheld.withdrawn
    assert withheld.withdrawn_reason == "Duplicated in the questionnaire."
    assert (withheld.base, withheld.score) == (None, None)
    assert [option.count for option in withheld.options] == [None, None]
    indicator = next(i for i in results.indicator_scores if i.id == "2.2")
    assert indicator.withdrawn
    assert indicator.score is None
    assert "2.2" not in results.recommendation("L1").indicators


def test_the_example_bases_and_withheld_questions(example: recotrack.Tracker) -> None:
    results = score(example, "2019")
    assert [results.distribution(q).base for q in ("1.2", "1.3", "2.3a", "2.3b")] == [67, 65, 64, 64]
    assert results.distribution("1.3").not_applicable_by_condition == 2
    assert results.distribution("2.3b").not_applicable_by_condition == 3
    assert results.distribution("2.2").withdrawn
    assert results.distribution("2.7").withdrawn
    coordination = results.distribution("3.4")
    assert coordination.combined("always", "sometimes").printed == 96  # not 40 + 55
    assert [coordination.option(o).printed for o in ("always", "sometimes")] == [40, 55]


# -- scores, weights, bands ---------------------------------------------------------------------------


def test_scores_leave_dont_know_out_and_grids_average_their_items(minimal: recotrack.Tracker) -> None:
    parts = minimal_with(
        minimal,
        {
            "b1": {"1.1": "always", "1.8/nhs-commissioners": "yes", "1.8/the-police": "no"},
            "b2": {"1.1": "sometimes", "1.8/nhs-commissioners": "yes", "1.8/the-police": "yes"},
            "b3": {"1.1": "dont-know", "1.8/nhs-commissioners": "yes"},
        },
    )
    results = score(parts, "2019")
    asked = results.distribution("1.1")
    assert (asked.score, asked.scored_base, asked.base) == (0.75, 2, 3)
    assert asked.dont_know is not None
    assert asked.dont_know.count == 1
    grid = next(i for i in results.indicator_scores if i.id == "1.8")
    assert grid.score == (1.0 + 0.5) / 2
    assert grid.questions == ("1.8/nhs-commissioners", "1.8/the-police")
    # L1.1 is measured by 1.1, 1.2 (no answers) and 1.8, equally weighted
    assert results.recommendation("L1.1").score == (0.75 + 0.75) / 2
    assert results.recommendation("L1.1").indicators == ("1.1", "1.8")
    assert results.recommendation("L1.1").unit_scores == {"b1": (1 + 0.5) / 2, "b2": (0.5 + 1) / 2, "b3": 1.0}


def test_indicator_weights_from_the_catalog(minimal: recotrack.Tracker) -> None:
    indicators = tuple(i.model_copy(update={"weight": 3.0}) if i.id == "1.1" else i for i in minimal.catalog.indicators)
    catalog = minimal.catalog.model_copy(update={"indicators": indicators})
    answers = {"b1": {"1.1": "always", "1.8/nhs-commissioners": "no", "1.8/the-police": "no"}}
    parts = Parts(catalog, minimal.units, minimal_with(minimal, answers).evidence)
    assert score(parts, "2019").recommendation("L1.1").score == (3 * 1.0 + 1 * 0.0) / 4


def test_bands_come_from_the_catalog(minimal: recotrack.Tracker) -> None:
    answers = {"b1": {"1.1": "sometimes"}}
    default = score(minimal_with(minimal, answers), "2019").recommendation("L1.1")
    assert (default.band, default.band_label) == ("amber", "Amber")
    bands = (Band(id="low", label="Not yet", min_score=0), Band(id="high", label="Well on", min_score=0.4))
    catalog = minimal.catalog.model_copy(update={"bands": bands})
    custom = score(Parts(catalog, minimal.units, minimal_with(minimal, answers).evidence), "2019")
    assert (custom.recommendation("L1.1").band, custom.recommendation("L1.1").band_label) == ("high", "Well on")
    assert custom.bands == bands


def test_themes_and_levels_are_weighted_means_of_their_indicators(example: recotrack.Tracker) -> None:
    results = score(example, "2019")
    theme = next(t for t in results.themes if t.id == "joint-commissioning")
    assert theme.recommendations == ("L1.1",)
    assert theme.score == results.recommendation("L1.1").score
    regulation = next(t for t in results.themes if t.id == "regulation")
    assert regulation.score == pytest.approx((0.5 + 1.0 + 0.5) / 3)  # C1-C3 milestones
    national = next(level for level in results.levels if level.id == "national")
    # Levels count recommendations only: CQC's own commitments do not score the national level,
    # whose four recommendations have no evidence.
    assert national.recommendations == ("N1", "N2", "N3", "N4")
    assert national.indicators == ()
    assert national.score is None
    local = next(level for level in results.levels if level.id == "local")
    assert "L1.1" in local.recommendations


# -- flags and response --------------------------------------------------------------------------------


def test_quality_flags_on_the_example(example: recotrack.Tracker) -> None:
    results = score(example, "2019")
    codes = {d.id: {flag.code for flag in d.flags} for d in results.distributions}
    assert FlagCode.HIGH_DONT_KNOW in codes["9.6b"]  # 34% don't know
    assert FlagCode.HIGH_DONT_KNOW in codes["5.6b"]  # 7 of 67 is 10.4%
    assert FlagCode.HIGH_DONT_KNOW not in codes["2.4"]  # 3 of 67
    assert FlagCode.HIGH_NOT_APPLICABLE in codes["4.3"]  # the report's "twelve per cent ... not applicable"
    assert [flag.code for flag in results.flags] == [FlagCode.LOW_RESPONSE_RATE]
    assert not any(FlagCode.DIFFERS_FROM_PUBLISHED in found for found in codes.values())


def test_regional_response_rates_add_up(example: recotrack.Tracker) -> None:
    response = score(example, "2019").response
    assert len(response.regions) == 9
    assert sum(r.invited for r in response.regions) == 152
    assert sum(r.responded for r in response.regions) == 67
    london = next(r for r in response.regions if r.name == "London")
    assert (london.invited, london.responded, london.printed) == (33, 15, 45)


def test_published_tallies_fill_a_missing_count_and_check_printed_figures(minimal: recotrack.Tracker) -> None:
    published = PublishedTallies(
        "2019",
        HERE,
        respondents=3,
        tallies={
            "1.8/the-police": Tally("1.8/the-police", HERE, base=3, counts={"yes": 1}, printed={"yes": 34}),
            "2.2": Tally("2.2", HERE, withheld=True),
        },
    )
    parts = Parts(minimal.catalog, minimal.units, Evidence(published={"2019": published}))
    results = score(parts, "2019")
    assert results.basis == "tallies"
    police = results.distribution("1.8/the-police")
    assert [(o.id, o.count, o.printed) for o in police.options] == [("yes", 1, 33), ("no", 2, 67)]
    assert {flag.code for flag in police.flags} == {FlagCode.COUNT_INFERRED, FlagCode.PRINTED_DIFFERS}
    assert results.distribution("1.1").base is None
    assert results.response.regions == ()


def test_returns_that_disagree_with_the_published_tallies_are_flagged(minimal: recotrack.Tracker) -> None:
    published = PublishedTallies(
        "2019", HERE, tallies={"1.1": Tally("1.1", HERE, base=1, counts={"always": 1, "never": 0})}
    )
    parts = minimal_with(minimal, {"b1": {"1.1": "never"}}, published={"2019": published})
    flags = score(parts, "2019").distribution("1.1").flags
    assert [flag.code for flag in flags] == [FlagCode.DIFFERS_FROM_PUBLISHED]
    assert "'Yes, always' 0 (published 1)" in flags[0].message


# -- milestones and numbers ---------------------------------------------------------------------------


def test_milestone_status_carries_forward_with_its_history(minimal: recotrack.Tracker) -> None:
    records = [
        MilestoneRecord("report-published", "2020", "Delivered", HERE, date=dt.date(2020, 12, 9), note="out"),
        MilestoneRecord("report-published", "2019", "not-started", HERE),
    ]
    later_years = (*minimal.units.invited, Invitation(period="2021", kind="board"))
    units = minimal.units.model_copy(update={"invited": later_years})
    parts = Parts(minimal.catalog, units, Evidence(milestones=records))
    early = score(parts, "2019").milestones[0]
    assert (early.status, early.status_label, early.score, len(early.history)) == ("not-started", "Not started", 0, 1)
    later = score(parts, "2021").milestones[0]
    assert (later.status, later.status_period, later.score) == ("delivered", "2020", 1.0)
    assert [entry.period for entry in later.history] == ["2019", "2020"]
    assert later.history[1].date == dt.date(2020, 12, 9)
    assert score(parts, "2021").recommendation("N1").indicators == ("report-published",)


def _numeric(
    minimal: recotrack.Tracker, indicator: NumericIndicator, values: Mapping[str, float], period: str
) -> recotrack.results.NumericProgress:
    indicators = tuple(indicator if i.id == indicator.id else i for i in minimal.catalog.indicators)
    catalog = minimal.catalog.model_copy(update={"indicators": indicators})
    records = [ValueRecord(indicator.id, p, v, HERE) for p, v in values.items()]
    return score(Parts(catalog, minimal.units, Evidence(values=records)), period).numeric[0]


STAFF = NumericIndicator(
    id="new-staff",
    measures=("N1",),
    text="New staff",
    unit="staff",
    baseline=Numeric(value=0, period="2017"),
    target=Target(value=19000, date=dt.date(2021, 3, 31)),
)


@pytest.mark.parametrize(
    ("values", "period", "status", "on_course"),
    [
        ({"2019": 10000}, "2019", ProgressStatus.ON_TRACK, True),  # 5,000 a year against 4,750 needed
        ({"2019": 8000}, "2019", ProgressStatus.ACCELERATION_NEEDED, False),  # 4,000 a year: ratio 0.84
        ({"2019": 2000}, "2019", ProgressStatus.LIMITED_PROGRESS, False),
        ({"2019": 19500}, "2019", ProgressStatus.TARGET_MET, True),
        ({"2022": 15000}, "2022", ProgressStatus.TARGET_MISSED, False),
        ({}, "2019", ProgressStatus.UNABLE_TO_ASSESS, None),
        ({"2019": 10000, "2020": 12000}, "2019", ProgressStatus.ON_TRACK, True),  # 2020 is after the period
    ],
)
def test_numeric_progress_linear_from_a_zero_baseline(
    minimal: recotrack.Tracker,
    values: Mapping[str, float],
    period: str,
    status: ProgressStatus,
    on_course: bool | None,
) -> None:
    progress = _numeric(minimal, STAFF, values, period)
    assert (progress.status, progress.on_course) == (status, on_course)
    if status is ProgressStatus.ON_TRACK:
        assert progress.method == "linear"
        assert progress.share_of_way == 10000 / 19000
        assert progress.latest is not None
        assert progress.latest.period == "2019"


def test_numeric_progress_by_growth_rate_in_either_direction(minimal: recotrack.Tracker) -> None:
    rising = STAFF.model_copy(
        update={"baseline": Numeric(value=100, period="2017"), "target": Target(value=200, date=dt.date(2027, 1, 1))}
    )
    progress = _numeric(minimal, rising, {"2022": 140}, "2022")
    assert progress.method == "growth rate"
    assert progress.observed_rate == pytest.approx(1.4 ** (1 / 5) - 1)
    assert progress.required_rate == pytest.approx(2 ** (1 / 10) - 1)
    assert progress.status is ProgressStatus.ON_TRACK
    assert _numeric(minimal, rising, {"2022": 90}, "2022").status is ProgressStatus.DETERIORATION
    falling = rising.model_copy(update={"target": Target(value=50, date=dt.date(2027, 1, 1)), "direction": "decrease"})
    assert _numeric(minimal, falling, {"2022": 70}, "2022").status is ProgressStatus.ON_TRACK
    assert _numeric(minimal, falling, {"2022": 95}, "2022").status is ProgressStatus.LIMITED_PROGRESS


def test_numeric_progress_without_a_baseline_starts_from_the_first_value(minimal: recotrack.Tracker) -> None:
    unanchored = STAFF.model_copy(update={"baseline": None})
    progress = _numeric(minimal, unanchored, {"2018": 1000, "2019": 6000}, "2019")
    assert progress.baseline is not None
    assert (progress.baseline.period, progress.baseline.value) == ("2018", 1000)
    assert progress.method == "growth rate"
    assert _numeric(minimal, unanchored, {"2019": 6000}, "2019").status is ProgressStatus.UNABLE_TO_ASSESS


# -- comparison ---------------------------------------------------------------------------------------


def test_year_on_year_says_what_moved(example: recotrack.Tracker) -> None:
    comparison = score(example, "2020", compare="2019").comparison
    assert comparison is not None
    assert (comparison.period, comparison.baseline, comparison.both_years_only) == ("2020", "2019", False)
    trends = {q.id: q.trend for q in comparison.questions}
    assert trends["7.1"] is Trend.IMPROVED
    assert trends["6.1.2"] is Trend.IMPROVED
    assert trends["8.2"] is Trend.WORSENED
    assert trends["2.2"] is Trend.WITHDRAWN
    assert trends["1.1"] is Trend.NO_CLEAR_CHANGE
    always = next(s for s in next(q for q in comparison.questions if q.id == "7.1").shares if s.option == "always")
    assert always.before == pytest.approx(100 * 9 / 67)
    assert always.distinguishable
    assert always.interval.low > 0
    recommendations = {r.id: r for r in comparison.recommendations}
    assert recommendations["L1.7"].improved == ("7.1",)
    assert recommendations["L1.8"].worsened == ("8.2",)
    assert recommendations["C1"].trend is Trend.IMPROVED  # in progress in 2019, delivered in 2020
    assert recommendations["N1"].trend is Trend.NO_DATA


def test_a_period_without_evidence_makes_everything_new(example: recotrack.Tracker) -> None:
    invited = example.units.model_copy(update={"invited": (*example.units.invited, Invitation(period="2018"))})
    # 2018 is declared before 2019 (the order of periods is the order they are declared in).
    evidence = dataclasses.replace(example.evidence, period_order=("2018", *example.evidence.period_order))
    tracker = Parts(example.catalog, invited, evidence)
    comparison = score(tracker, "2019", compare="2018").comparison
    assert comparison is not None
    assert {q.trend for q in comparison.questions} == {Trend.NEW, Trend.WITHDRAWN}
    assert score(tracker, "2018").response.statement == "No returns or published figures for this period."


@pytest.mark.parametrize(
    ("period", "compare", "message"),
    [
        ("1999", None, r"no evidence for period '1999'; the tracker's periods: 2019, 2020, 2021"),
        ("2020", "1066", r"no evidence for period '1066'; the tracker's periods: 2019, 2020, 2021"),
        ("2019", "2020", r"compare must be earlier than period: '2020' is not before '2019'"),
        ("2019", "2019", r"compare must be earlier than period"),
        (2019, None, r"period must be a period's name as text, such as '2021'; got int 2019"),
    ],
)
def test_periods_are_checked_before_anything_is_scored(
    example: recotrack.Tracker, period: object, compare: str | None, message: str
) -> None:
    with pytest.raises(recotrack.PeriodError, match=message):
        score(example, period, compare=compare)  # type: ignore[arg-type]


def test_comparing_with_published_tallies_equals_comparing_with_returns(example: recotrack.Tracker) -> None:
    from_returns = score(example, "2020", compare="2019").comparison
    from_tallies = score(example, "2020", compare="2019", source={"2019": "tallies"}).comparison
    assert from_returns is not None
    assert from_tallies is not None
    assert from_tallies.baseline_basis == "tallies"
    assert from_tallies.questions == from_returns.questions
    assert from_tallies.recommendations == from_returns.recommendations


def test_both_years_only_pairs_the_units(example: recotrack.Tracker) -> None:
    results = score(example, "2020", compare="2019", both_years_only=True)
    comparison = results.comparison
    assert comparison is not None
    assert (comparison.both_years_only, comparison.units_in_both) == (True, 60)
    assert results.response.responded == 60
    assert "in both compared periods" in results.response.statement
    change = next(q for q in comparison.questions if q.id == "7.1")
    assert change.before_base == change.after_base == 60
    assert change.trend is Trend.IMPROVED
    with pytest.raises(ValueError, match="compare"):
        score(example, "2020", both_years_only=True)
    with pytest.raises(ValueError, match="tallies"):
        score(example, "2020", compare="2019", both_years_only=True, source={"2019": "tallies"})


def test_asking_for_a_source_the_period_lacks_is_an_error(example: recotrack.Tracker) -> None:
    with pytest.raises(ValueError, match=r"no published tallies for period '2020' \(periods with tallies: 2019\)"):
        score(example, "2020", source="tallies")
    with pytest.raises(ValueError, match="no evidence for period '2018'"):
        score(example, "2018", source="returns")
    with pytest.raises(ValueError, match="unknown source"):
        score(example, "2019", source="guess")  # type: ignore[arg-type]


# -- shape ----------------------------------------------------------------------------------------------


def test_results_are_plain_json(example: recotrack.Tracker) -> None:
    data = json.loads(json.dumps(score(example, "2020", compare="2019").model_dump(mode="json")))
    first = data["distributions"][0]
    assert {"id", "base", "options"} <= set(first)
    assert {"id", "label", "count", "percent"} <= set(first["options"][0])
    assert data["comparison"]["recommendations"][0]["trend"] in {t.value for t in Trend}
    assert data["milestones"][0]["history"][0]["date"] == "2020-10-01"


def test_merge_refuses_different_questions(example: recotrack.Tracker) -> None:
    results = score(example, "2019")
    with pytest.raises(ValueError, match="cannot merge"):
        merge(results.distribution("1.1"), results.distribution("1.2"))
