"""Following a review across years: questionnaire versions, the crosswalk, series and trends, lifecycles."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import recotrack
from conftest import EXAMPLE, MINIMAL, Edit, line_of
from recotrack.evidence.model import Evidence, LifecycleRecord, Location, MilestoneRecord, PeriodEvidence, ReturnInfo
from recotrack.model import Catalog, CrosswalkEntry, Invitation, ScaleIndicator, Units
from recotrack.results import FlagCode, Trend

HERE = Location("test", 0)
UNITS = tuple(f"u{i:02d}" for i in range(12))


@dataclass(frozen=True)
class Parts:
    catalog: Catalog
    units: Units
    evidence: Evidence = field(default_factory=Evidence)


@pytest.fixture(scope="module")
def example() -> recotrack.Tracker:
    return recotrack.load(EXAMPLE)


@pytest.fixture(scope="module")
def minimal_tracker() -> recotrack.Tracker:
    return recotrack.load(MINIMAL)


# -- the example: every kind of crosswalk pair ------------------------------------------------------------


def test_2021_against_2020_shows_every_kind_of_pair(example: recotrack.Tracker) -> None:
    comparison = recotrack.score(example, "2021", compare="2020").comparison
    assert comparison is not None
    changes = {c.id: c for c in comparison.questions}
    reworded = changes["3.4r"]
    assert (reworded.baseline_question, reworded.comparable, reworded.before_base) == ("3.4", "yes", 80)
    assert reworded.score_change is not None
    assert "Reworded" in (reworded.note or "")
    assert {changes["4.2a"].baseline_question, changes["4.2b"].baseline_question} == {"4.2"}  # a split
    rescaled = changes["5.4y"]
    assert (rescaled.baseline_question, rescaled.comparable) == ("5.4", "after-recode")
    assert [s.option for s in rescaled.shares] == ["yes", "no"]  # compared on the new scale
    replaced = changes["8.2n"]
    assert (replaced.trend, replaced.comparable, replaced.shares, replaced.score_change) == (
        Trend.NOT_COMPARABLE,
        "no",
        (),
        None,
    )
    assert changes["9.7"].trend is Trend.NEW
    assert changes["9.7"].baseline_question is None
    assert changes["2.6"].trend is Trend.DROPPED  # asked in 2020, not in 2021: never "no data"
    assert not any(c.trend is Trend.NO_DATA for c in comparison.questions if c.id in ("9.7", "2.6"))
    assert "4.2" not in changes  # the split question is compared through its successors, not dropped


def test_the_json_names_the_baseline_question_and_gives_no_change_for_a_break(example: recotrack.Tracker) -> None:
    document = json.loads(recotrack.report(example, period="2021", compare="2020", format="json").content)
    changes = {c["id"]: c for c in document["comparison"]["questions"]}
    assert changes["3.4r"]["baseline_question"] == "3.4"
    assert changes["8.2n"]["trend"] == "not comparable"
    assert changes["8.2n"]["score_change"] is None
    assert changes["8.2n"]["shares"] == []


def test_a_question_is_figured_only_in_the_periods_it_was_asked(example: recotrack.Tracker) -> None:
    ids_2019 = {d.id for d in recotrack.score(example, "2019").distributions}
    ids_2021 = {d.id for d in recotrack.score(example, "2021").distributions}
    assert "9.7" not in ids_2019
    assert "9.7" in ids_2021
    assert "2.6" in ids_2019
    assert "2.6" not in ids_2021


# -- the example: lifecycles of the commitments -------------------------------------------------------------


def test_c3_was_delivered_late_and_every_report_says_so(example: recotrack.Tracker) -> None:
    results = recotrack.score(example, "2020", compare="2019")
    milestone = next(m for m in results.milestones if m.indicator == "cqc-progress-report")
    assert milestone.flags == (FlagCode.LATE,)
    assert (milestone.target, milestone.delivered) == (dt.date(2020, 3, 31), dt.date(2020, 10, 1))
    assert "184 days after its target date of 31 March 2020" in milestone.flag_details[0].message
    assert results.recommendation("C3").flags == (FlagCode.LATE,)
    document = json.loads(recotrack.report(example, period="2020", format="json").content)
    assert "late" in next(r for r in document["recommendations"] if r["id"] == "C3")["flags"]
    assert "late" in next(m for m in document["milestones"] if m["indicator"] == "cqc-progress-report")["flags"]
    terminal = str(recotrack.report(example, period="2020", width=160).content)
    assert "late ‘A report in 2019/20" in terminal
    page = str(recotrack.report(example, period="2020", format="html").content)
    assert ">Late</span>" in page


def test_c1_reads_in_progress_then_delivered_with_its_sources_and_is_not_late(example: recotrack.Tracker) -> None:
    milestone = next(m for m in recotrack.score(example, "2020").milestones if m.indicator == "cqc-jtai-mental-health")
    assert [(e.period, e.status, e.document) for e in milestone.history] == [
        ("2019", "in-progress", "cqc-2020-findings"),
        ("2020", "delivered", "jtai-2020"),
    ]
    assert milestone.target == dt.date(2021, 12, 31)  # set by the October 2020 report, with its reason
    assert milestone.target_revisions[0].document == "cqc-2020-findings"
    assert milestone.flags == ()  # delivered on 9 December 2020, before the target


def test_the_synthetic_2021_statements_keep_response_and_ratings_apart(example: recotrack.Tracker) -> None:
    results = recotrack.score(example, "2021")
    n1 = results.recommendation("N1")
    assert n1.lifecycle.response is not None
    assert n1.lifecycle.response.status == "accepted"
    assert n1.lifecycle.self_assessed is not None
    assert n1.lifecycle.independent is not None
    assert (n1.lifecycle.self_assessed.status, n1.lifecycle.independent.status) == (
        "in-some-respects",
        "not-implemented",
    )
    assert n1.lifecycle.disagreement
    assert n1.lifecycle.target == dt.date(2022, 6, 30)
    assert n1.flags == (FlagCode.TARGET_MOVED,)
    assert results.recommendation("N3").flags == (FlagCode.OVERDUE,)
    assert results.recommendation("N1").score is None  # the lifecycle never makes up a score


# -- the example: history ------------------------------------------------------------------------------------


def test_history_covers_2019_to_2021_with_trends_or_reasons(example: recotrack.Tracker) -> None:
    series = recotrack.score(example, "2021", history=True).series
    assert series is not None
    assert series.periods == ("2019", "2020", "2021")
    questions = {s.id: s for s in series.questions}
    assert questions["7.1"].trend.status == "increasing"
    assert questions["7.1"].trend.label == "increasing and getting better"
    assert [p.id for p in questions["3.4r"].points] == ["3.4", "3.4", "3.4r"]  # through the crosswalk
    assert questions["3.4r"].trend.reason is None
    assert questions["8.2n"].breaks
    assert "series break" in (questions["8.2n"].trend.reason or "")
    assert questions["9.7"].trend.reason == "too few points (1; at least 3 are needed)"
    commitment = {s.id: s for s in series.recommendations}["C3"]
    assert "observed, not sampled" in (commitment.trend.reason or "")
    recoded = questions["5.4y"].points
    assert [p.id for p in recoded] == ["5.4", "5.4", "5.4y"]
    assert all(p.score is not None for p in recoded)


def test_history_from_the_command_line(tmp_path: Path) -> None:
    target = tmp_path / "h.json"
    made = recotrack.report(EXAMPLE, period="2021", history=True, format="json", output=target)
    assert made.results.series is not None
    assert json.loads(target.read_text(encoding="utf-8"))["series"]["periods"] == ["2019", "2020", "2021"]


# -- validation of the crosswalk and of lifecycle statements --------------------------------------------------


def _crosswalk(minimal: Path, body: str) -> list[recotrack.Problem]:
    path = minimal / "catalog.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "crosswalk:\n" + body, encoding="utf-8")
    return recotrack.validate(minimal)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('  - {from: "2019:9.9", to: "2020:1.1", comparable: "yes"}\n', "unknown question"),
        ('  - {from: "2019:1.1", to: "2019:1.1", comparable: "yes"}\n', "a crosswalk pair must join two periods"),
        ('  - {from: "2019:1.1", to: "2020:1.8/the-police", comparable: "yes"}\n', "on different scales"),
        (
            '  - {from: "2019:1.1", to: "2020:1.8/the-police", comparable: after-recode, recode: {always: "yes"}}\n',
            "the recode leaves out sometimes, never, dont-know",
        ),
        (
            '  - {from: "2019:1.1", to: "2020:1.2", comparable: "yes", recode: {always: never}}\n',
            "a recode on a pair marked 'yes'",
        ),
        ('  - {from: "2019", to: "2020:1.1", comparable: "yes"}\n', "expected '<period>:<question id>'"),
        ('  - {from: "2019:1.1", to: "2020:1.1", comparable: maybe}\n', "input should be"),
    ],
)
def test_crosswalk_errors_are_located(minimal: Path, entry: str, message: str) -> None:
    problems = _crosswalk(minimal, entry)
    assert any(message in p.message.lower() or message in p.message for p in problems), problems
    assert all(p.line == line_of(minimal / "catalog.yaml", "from:") for p in problems)


def test_a_question_mapped_twice_is_an_error(minimal: Path) -> None:
    problems = _crosswalk(
        minimal,
        '  - {from: "2019:1.1", to: "2020:1.2", comparable: "yes"}\n'
        '  - {from: "2019:1.2", to: "2020:1.2", comparable: "yes"}\n',
    )
    assert [p.message for p in problems] == ["question 2020:1.2 is mapped twice (also from crosswalk[0])"]


def test_a_crosswalk_to_a_period_the_question_was_not_asked_in(edit: Edit) -> None:
    minimal = edit(
        "    text: Where they do, are resources pooled?\n",
        '    text: Where they do, are resources pooled?\n    periods: ["2019"]\n',
    )
    problems = _crosswalk(minimal, '  - {from: "2019:1.1", to: "2020:1.2", comparable: "yes"}\n')
    assert [p.message for p in problems] == ["question 1.2 was not asked in 2020"]


def test_an_answer_to_a_question_of_another_questionnaire_is_an_error(edit: Edit) -> None:
    minimal = edit(
        "    text: Do commissioners plan jointly?\n",
        '    text: Do commissioners plan jointly?\n    periods: ["2020"]\n',
    )
    evidence = minimal / "evidence"
    evidence.mkdir()
    (evidence / "b1.yaml").write_text('return:\n  unit: b1\n  period: "2019"\n  answers: {"1.1": always}\n')
    problems = recotrack.validate(minimal)
    assert [(p.message, p.line) for p in problems] == [("question 1.1 was not asked in 2019", 4)]


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("{recommendation: N1, period: '2019', date: 2019-05-01, target: 2020-01-01}", "needs a `reason`"),
        ("{recommendation: X9, period: '2019', date: 2019-05-01, response: accepted}", "unknown recommendation"),
        ("{recommendation: N1, period: '2019', date: 2019-05-01, response: maybe}", "not a response of response"),
        ("{indicator: report-published, period: '2019', date: 2019-05-01, response: accepted}", "takes only a"),
        ("{period: '2019', date: 2019-05-01, response: accepted}", "exactly one of"),
    ],
)
def test_lifecycle_statements_are_checked(minimal: Path, statement: str, message: str) -> None:
    evidence = minimal / "evidence"
    evidence.mkdir()
    (evidence / "life.yaml").write_text(f"lifecycle:\n  - {statement}\n", encoding="utf-8")
    problems = recotrack.validate(minimal)
    assert any(message in p.message for p in problems), problems
    assert all(p.file.endswith("life.yaml") and p.line == 2 for p in problems)


# -- lifecycle flags -------------------------------------------------------------------------------------------


def _milestone_parts(minimal: recotrack.Tracker, records: list[MilestoneRecord], life: list[LifecycleRecord]) -> Parts:
    invited = tuple(Invitation(period=p, kind="board") for p in ("2019", "2020", "2021"))
    units = minimal.units.model_copy(update={"invited": invited})
    indicators = tuple(
        i.model_copy(update={"due": dt.date(2020, 3, 31)}) if i.id == "report-published" else i
        for i in minimal.catalog.indicators
    )
    catalog = minimal.catalog.model_copy(update={"indicators": indicators})
    return Parts(catalog, units, Evidence(milestones=records, lifecycle=life))


def test_overdue_then_late_then_a_moved_target(minimal_tracker: recotrack.Tracker) -> None:
    started = MilestoneRecord("report-published", "2019", "not-started", HERE, date=dt.date(2019, 6, 1))
    done = MilestoneRecord("report-published", "2021", "delivered", HERE, date=dt.date(2021, 2, 1))
    parts = _milestone_parts(minimal_tracker, [started, done], [])
    assert _status(parts, "2019").flags == ()  # the target is in 2020: not yet due
    assert _status(parts, "2020").flags == (FlagCode.OVERDUE,)
    assert _status(parts, "2021").flags == (FlagCode.LATE,)
    moved = LifecycleRecord(
        "report-published", True, "2020", dt.date(2020, 2, 1), HERE, target=dt.date(2021, 6, 30), reason="delay"
    )
    parts = _milestone_parts(minimal_tracker, [started, done], [moved])
    assert _status(parts, "2020").flags == (FlagCode.TARGET_MOVED,)  # moved before it fell due
    assert _status(parts, "2021").flags == (FlagCode.TARGET_MOVED,)  # delivered before the new date
    assert _status(parts, "2021").target == dt.date(2021, 6, 30)


def _status(parts: Parts, period: str) -> recotrack.MilestoneStatus:
    return recotrack.score(parts, period).milestones[0]


# -- properties ----------------------------------------------------------------------------------------------

ANSWERS = st.lists(st.sampled_from(["always", "sometimes", "never", "dont-know", None]), min_size=12, max_size=12)


def _period(catalog: Catalog, period: str, question: str, answers: Sequence[str | None]) -> PeriodEvidence:
    evidence = PeriodEvidence(period, UNITS)
    scale = catalog.questions[question].scale
    array = evidence.answer_array(question)
    for position, (unit, answer) in enumerate(zip(UNITS, answers, strict=True)):
        evidence.returns[unit] = ReturnInfo(unit, period, HERE)
        if answer is not None:
            array[position] = scale.option_ids.index(answer)
    return evidence


def _catalog(
    minimal: recotrack.Tracker, indicators: Sequence[ScaleIndicator], crosswalk: Sequence[CrosswalkEntry]
) -> Catalog:
    return minimal.catalog.model_copy(update={"indicators": tuple(indicators), "crosswalk": tuple(crosswalk)})


def _units(periods: Sequence[str]) -> Units:
    return Units(
        kinds=(),
        units=tuple(recotrack.Unit(id=u, name=u, kind="board") for u in UNITS),
        invited=tuple(Invitation(period=p, units=UNITS) for p in periods),
    )


def _question(question_id: str, scale: str, periods: tuple[str, ...] = ()) -> ScaleIndicator:
    return ScaleIndicator(
        id=question_id, measures=("L1.1",), text=f"Question {question_id}", scale=scale, periods=periods
    )


def _figures(change: recotrack.QuestionChange) -> tuple[object, ...]:
    return (change.before_base, change.after_base, change.shares, change.score_change, change.trend)


@settings(max_examples=40, deadline=None)
@given(before=ANSWERS, after=ANSWERS)
def test_a_yes_pair_compares_as_one_question_would(minimal_tracker: recotrack.Tracker, before, after) -> None:  # type: ignore[no-untyped-def]
    units = _units(("2019", "2020"))
    same = _catalog(minimal_tracker, [_question("q", "frequency")], [])
    one = Parts(
        same, units, Evidence({"2019": _period(same, "2019", "q", before), "2020": _period(same, "2020", "q", after)})
    )
    renamed = _catalog(
        minimal_tracker,
        [_question("q", "frequency", ("2019",)), _question("r", "frequency", ("2020",))],
        [CrosswalkEntry.model_validate({"from": "2019:q", "to": "2020:r", "comparable": "yes"})],
    )
    two = Parts(
        renamed,
        units,
        Evidence({"2019": _period(renamed, "2019", "q", before), "2020": _period(renamed, "2020", "r", after)}),
    )
    as_one = recotrack.score(one, "2020", compare="2019").comparison
    as_two = recotrack.score(two, "2020", compare="2019").comparison
    assert as_one is not None
    assert as_two is not None
    assert _figures(as_one.questions[0]) == _figures(as_two.questions[0])
    assert as_two.questions[0].baseline_question == "q"


RECODE = {"always": "yes", "sometimes": "yes", "never": "no", "dont-know": "no"}


@settings(max_examples=40, deadline=None)
@given(before=ANSWERS, after=st.lists(st.sampled_from(["yes", "no", None]), min_size=12, max_size=12))
def test_after_recode_equals_recoding_the_evidence_first(minimal_tracker: recotrack.Tracker, before, after) -> None:  # type: ignore[no-untyped-def]
    units = _units(("2019", "2020"))
    crosswalked = _catalog(
        minimal_tracker,
        [_question("old", "frequency", ("2019",)), _question("new", "yes-no", ("2020",))],
        [
            CrosswalkEntry.model_validate(
                {"from": "2019:old", "to": "2020:new", "comparable": "after-recode", "recode": RECODE}
            )
        ],
    )
    through = Parts(
        crosswalked,
        units,
        Evidence(
            {"2019": _period(crosswalked, "2019", "old", before), "2020": _period(crosswalked, "2020", "new", after)}
        ),
    )
    plain = _catalog(minimal_tracker, [_question("new", "yes-no")], [])
    recoded_before = [RECODE[a] if a is not None else None for a in before]
    first = Parts(
        plain,
        units,
        Evidence({"2019": _period(plain, "2019", "new", recoded_before), "2020": _period(plain, "2020", "new", after)}),
    )
    a = recotrack.score(through, "2020", compare="2019").comparison
    b = recotrack.score(first, "2020", compare="2019").comparison
    assert a is not None
    assert b is not None
    assert _figures(a.questions[0]) == _figures(b.questions[0])


@settings(max_examples=25, deadline=None)
@given(
    answers=st.lists(ANSWERS, min_size=3, max_size=5),
    seed=st.integers(0, 2**16),
)
def test_trends_do_not_depend_on_the_order_periods_are_read(
    minimal_tracker: recotrack.Tracker, answers, seed: int
) -> None:  # type: ignore[no-untyped-def]
    periods = [str(2019 + i) for i in range(len(answers))]
    catalog = _catalog(minimal_tracker, [_question("q", "frequency")], [])
    by_period = {p: _period(catalog, p, "q", a) for p, a in zip(periods, answers, strict=True)}
    shuffled = list(by_period.items())
    random.Random(seed).shuffle(shuffled)
    ordered = Parts(catalog, _units(periods), Evidence(dict(by_period)))
    read_otherwise = Parts(catalog, _units(list(reversed(periods))), Evidence(dict(shuffled)))
    first = recotrack.score(ordered, periods[-1], history=True).series
    second = recotrack.score(read_otherwise, periods[-1], history=True).series
    assert first == second


def test_every_pair_is_used_once(example: recotrack.Tracker) -> None:
    """A split question's successors are both compared with it; nothing else of 2020 is left unpaired."""
    comparison = recotrack.score(example, "2021", compare="2020").comparison
    assert comparison is not None
    baselines: Mapping[str, list[str]] = {}
    for change in comparison.questions:
        if change.baseline_question is not None and change.trend is not Trend.DROPPED:
            baselines.setdefault(change.baseline_question, []).append(change.id)  # type: ignore[attr-defined]
    assert sorted(baselines["4.2"]) == ["4.2a", "4.2b"]
