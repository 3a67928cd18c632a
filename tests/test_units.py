"""Every kind of unit gets its own truth: audiences, any hierarchy, unit-level numbers and milestones,
routing questions, conditions on grid items and the catalog's own settings.

Most tests use ``tests/data/partnership``: 5 regional partnerships and 21 local areas (19 respond)
answering different parts of one questionnaire. Nothing in it is the bundled example's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import recotrack
from conftest import line_of
from recotrack.results import FlagCode

PARTNERSHIP = Path(__file__).resolve().parent / "data" / "partnership"


@pytest.fixture(scope="module")
def tracker() -> recotrack.Tracker:
    return recotrack.load(PARTNERSHIP)


@pytest.fixture(scope="module")
def results(tracker: recotrack.Tracker) -> recotrack.Results:
    return recotrack.score(tracker, "2021")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "partnership"
    shutil.copytree(PARTNERSHIP, target)
    return target


def errors(path: Path) -> list[recotrack.Problem]:
    return [p for p in recotrack.validate(path) if p.severity == "error"]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- audiences ---------------------------------------------------------------------------------


def test_bases_count_each_question_s_audience_only(results: recotrack.Results) -> None:
    """A local question's base is the 19 responding areas, not the 24 respondents; blanks are areas' own."""
    local = results.distribution("l1")
    assert (local.asked_of, local.asked, local.invited) == (("area",), 19, 21)
    assert local.base == 18
    assert local.item_non_response == 1  # a07 left it blank; the 5 partnerships were never asked
    assert local.not_applicable_by_condition == 0
    assert local.response is not None
    assert local.response.printed == 90
    regional = results.distribution("r1")
    assert (regional.asked, regional.invited, regional.base, regional.item_non_response) == (5, 5, 5, 0)
    assert [f.code for f in regional.flags] == []
    flagged = [f for f in local.flags if f.code is FlagCode.ITEM_NON_RESPONSE]
    assert flagged
    assert flagged[0].message.startswith("1 unit to which the question applied")


def test_an_answer_from_outside_the_audience_is_an_error_at_its_line(copy: Path) -> None:
    returns = copy / "evidence" / "2021-returns.csv"
    with returns.open("a", encoding="utf-8") as stream:
        stream.write("p1,2021,l1,fully\n")
    problems = [p for p in recotrack.validate(copy) if p.severity == "error"]
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file.endswith("2021-returns.csv")
    assert problem.line == len(returns.read_text(encoding="utf-8").splitlines())
    assert "l1 is asked only of Local area (area)" in problem.message
    assert "'p1' is a Regional partnership" in problem.message
    tracker = recotrack.load(copy, strict=False)
    assert recotrack.score(tracker, "2021").distribution("l1").base == 18


def test_an_audience_must_name_a_unit_kind(copy: Path) -> None:
    _replace(copy / "catalog.yaml", "    asked_of: [partnership]\n", "    asked_of: [partnerships]\n")
    problems = errors(copy)
    assert len(problems) == 1
    assert problems[0].message == "unknown unit kind"
    assert "partnership" in (problems[0].expected or "")
    assert problems[0].line == line_of(copy / "catalog.yaml", "asked_of: [partnerships]")


# -- hierarchy ---------------------------------------------------------------------------------


def test_response_groups_by_whatever_kinds_are_above(results: recotrack.Results) -> None:
    response = results.response
    assert [(g.kind, g.kind_label) for g in response.groups] == [("partnership", "Regional partnership")]
    rows = response.groups[0].rows
    assert [r.name for r in rows] == [
        "North partnership",
        "East partnership",
        "South partnership",
        "West partnership",
        "Central partnership",
    ]
    # A partnership counts in its own row, with its areas: 1 + 4 (or 5) invited.
    assert [(r.invited, r.responded) for r in rows] == [(5, 5), (5, 5), (5, 5), (5, 5), (6, 4)]
    assert sum(r.invited for r in rows) == response.invited == 26
    assert response.regions == rows


def test_a_recommendation_may_belong_to_several_levels(tracker: recotrack.Tracker, results: recotrack.Results) -> None:
    assert tracker.catalog.recommendation("R2").levels == ("regional", "local")
    assert tracker.catalog.recommendation("R2").level == "regional"
    levels = {level.id: level for level in results.levels}
    assert levels["regional"].recommendations == ("R1", "R2")
    assert levels["local"].recommendations == ("R2", "L1", "L2")
    assert results.recommendation("R2").levels == ("regional", "local")


def test_an_unknown_level_in_levels_is_reported(copy: Path) -> None:
    _replace(copy / "catalog.yaml", "levels: [regional, local]", "levels: [regional, locale]")
    problems = errors(copy)
    assert [p.message for p in problems] == ["unknown level"]
    assert "local" in (problems[0].expected or "")


# -- routing, conditions on grid items, wording from the catalog, settings -----------------------


def test_a_routing_question_has_no_score_and_no_not_applicable_flag(results: recotrack.Results) -> None:
    route = results.distribution("route")
    assert route.scored is False
    assert route.score is None
    assert route.band is None
    assert route.not_applicable is not None
    assert route.not_applicable.count == 6
    assert FlagCode.HIGH_NOT_APPLICABLE not in {f.code for f in route.flags}
    assert results.distribution("l1").scored is True
    indicator = next(i for i in results.indicator_scores if i.id == "route")
    assert indicator.score is None


def test_a_grid_item_may_carry_its_own_condition(results: recotrack.Results) -> None:
    directory = results.distribution("l2/own-service-directory")
    assert directory.not_applicable_by_condition == 6  # routed out by `route: not-applicable`
    assert directory.base == 13
    assert results.distribution("l2/online-information").not_applicable_by_condition == 0


def test_a_condition_may_name_a_grid_item(copy: Path) -> None:
    _replace(
        copy / "catalog.yaml",
        "      - label: Own service directory\n        applies_when: {indicator: route, in: [fully, partly]}\n",
        "      - label: Own service directory\n        applies_when: {indicator: l2/online-information, in: [yes]}\n",
    )
    tracker = recotrack.load(copy, strict=False)
    directory = recotrack.score(tracker, "2021").distribution("l2/own-service-directory")
    assert directory.not_applicable_by_condition == sum(1 for i in range(1, 20) if i % 4 == 0)


def test_what_dont_know_means_comes_from_the_scale(results: recotrack.Results) -> None:
    flag = next(f for f in results.distribution("r2").flags if f.code is FlagCode.HIGH_DONT_KNOW)
    assert flag.message == (
        "20% answered 'don't know' (flagged from 20%): the person answering may not be the one who knows"
    )


def test_the_catalog_method_section_is_read(tracker: recotrack.Tracker, results: recotrack.Results) -> None:
    assert tracker.catalog.method.flags.min_base == 3
    assert results.method.flags.dont_know == 0.2
    assert results.method.rollup_of("local").method == "mean-of-unit-scores"


def test_a_disclosure_policy_is_read_from_the_catalog(copy: Path) -> None:
    with (copy / "catalog.yaml").open("a", encoding="utf-8") as stream:
        stream.write("disclosure: {preset: nhsd, round_to: 10}\n")
    catalog = recotrack.load(copy).catalog
    assert (catalog.disclosure.preset, catalog.disclosure.threshold, catalog.disclosure.round_to) == ("nhsd", 8, 10)


def test_a_wrong_disclosure_policy_is_an_error_at_its_line(copy: Path) -> None:
    with (copy / "catalog.yaml").open("a", encoding="utf-8") as stream:
        stream.write("disclosure: strictest\n")
    problems = errors(copy)
    assert len(problems) == 1
    assert problems[0].line == line_of(copy / "catalog.yaml", "disclosure: strictest")
    assert "nhsd" in str(problems[0])


# -- unit-level numbers and milestones ------------------------------------------------------------


def test_a_local_number_is_scored_per_unit_and_combined_by_the_level_s_rule(results: recotrack.Results) -> None:
    waiting = next(n for n in results.numeric if n.indicator == "waiting")
    assert waiting.history == ()  # no national figure: every value names its area
    assert len(waiting.units) == 21
    assert waiting.units_rule == "mean-of-unit-scores"
    first = waiting.units[0]
    assert (
        first.unit,
        first.baseline.value if first.baseline else None,
        first.latest.value if first.latest else None,
    ) == (
        "a01",
        19,
        18,
    )
    assert first.score == pytest.approx(1 / 9)
    assert first.location is not None
    assert first.location.endswith("numbers.yaml:4")
    scored = [u.score for u in waiting.units if u.score is not None]
    assert len(scored) == 19  # a20 and a21 have no value after their baseline
    assert waiting.score == pytest.approx(sum(scored) / 19)
    assert results.recommendation("L2").score == pytest.approx(waiting.score)
    assert results.recommendation("L2").unit_scores["a01"] == pytest.approx(1 / 9)


def test_ratio_of_sums_of_a_local_number(copy: Path) -> None:
    _replace(copy / "catalog.yaml", "  levels: {local: mean-of-unit-scores}\n", "")
    results = recotrack.score(recotrack.load(copy), "2021")
    waiting = next(n for n in results.numeric if n.indicator == "waiting")
    assert waiting.units_rule == "ratio-of-sums"
    pairs = [(u.baseline.value, u.latest.value) for u in waiting.units if u.baseline and u.latest]
    expected = sum(b - latest for b, latest in pairs) / sum(b - 10 for b, _ in pairs)
    assert waiting.units_share_of_way == pytest.approx(expected)
    assert waiting.score == pytest.approx(expected)


def test_milestones_per_unit(results: recotrack.Results) -> None:
    plan = next(m for m in results.milestones if m.indicator == "plan")
    assert plan.status is None
    assert [(u.unit, u.status, u.score) for u in plan.units] == [
        ("p1", "agreed", 1),
        ("p2", "drafted", 0.5),
        ("p3", "not-started", 0),
        ("p4", "agreed", 1),
        ("p5", "drafted", 0.5),
    ]
    assert plan.score == pytest.approx(0.6)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('{indicator: waiting, unit: p1, period: "2021", value: 3}', "measured only for Local area units"),
        ('{indicator: waiting, unit: a99, period: "2021", value: 3}', "unknown unit"),
        ('{indicator: plan, unit: a01, period: "2021", status: agreed}', "measured only for Regional partnership"),
    ],
)
def test_a_unit_outside_the_audience_of_a_number_or_milestone_is_refused(copy: Path, entry: str, message: str) -> None:
    path = copy / "evidence" / "more.yaml"
    section = "milestones" if "status" in entry else "values"
    path.write_text(f"{section}:\n  - {entry}\n", encoding="utf-8")
    problems = errors(copy)
    assert len(problems) == 1
    assert message in problems[0].message
    assert (problems[0].file.endswith("more.yaml"), problems[0].line) == (True, 2)


def test_a_catalog_section_may_declare_the_audience_of_its_questions(copy: Path) -> None:
    _replace(
        copy / "catalog.yaml",
        "    text: Has the area published a local offer?\n    scale: extent\n    asked_of: area\n",
        "    text: Has the area published a local offer?\n    scale: extent\n    section: Local questions\n",
    )
    with (copy / "catalog.yaml").open("a", encoding="utf-8") as stream:
        stream.write("sections:\n  - {title: Local questions, asked_of: area}\n")
    tracker = recotrack.load(copy)
    assert tracker.catalog.questions["l1"].audience == ("area",)
    local = recotrack.score(tracker, "2021").distribution("l1")
    assert (local.asked_of, local.asked, local.base) == (("area",), 19, 18)
    with (copy / "catalog.yaml").open("a", encoding="utf-8") as stream:
        stream.write("  - {title: Nothing here, asked_of: [areas]}\n")
    assert sorted(p.message for p in errors(copy)) == ["no indicator is in this section", "unknown unit kind"]
