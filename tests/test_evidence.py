"""Evidence: every validation rule of the evidence files, each with a real file, its message and its line.

The tracker is the small valid one of ``tests/data/minimal`` (units ``north`` (a region) and the boards
``b1``, ``b2``, ``b3``, invited for 2019). Each test writes evidence files into its ``evidence/`` folder (or
names them with ``evidence=``), reads it, and checks what was reported, where, and what was kept.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import recotrack
from conftest import ROOT, Edit, line_of
from recotrack.errors import Problem, Severity
from recotrack.evidence import NO_ANSWER, Location

PERIOD = "2019"


# -- helpers ---------------------------------------------------------------------------------------------


def write(tracker: Path, name: str, text: str) -> Path:
    """Write an evidence file into the tracker's evidence folder, as given (dedented, '\\n' line ends)."""
    path = tracker / "evidence" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8", newline="")
    return path


def shown(tracker: Path, path: Path) -> str:
    """How messages name a file of the tracker: relative to the tracker's root (never its folder's name)."""
    return path.relative_to(tracker).as_posix()


def read(tracker: Path, **options: object) -> tuple[recotrack.Tracker, list[Problem]]:
    found, problems = recotrack.read_tracker(tracker, **options)  # type: ignore[arg-type]
    assert found is not None, "\n".join(map(str, problems))
    return found, problems


def the(problems: list[Problem], fragment: str, severity: Severity = Severity.ERROR) -> Problem:
    """The one problem of this severity whose message contains ``fragment``."""
    found = [p for p in problems if fragment in p.message and p.severity is severity]
    assert len(found) == 1, f"{len(found)} {severity} problems with {fragment!r} in:\n" + "\n".join(map(str, problems))
    return found[0]


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.WARNING]


def answer(tracker: recotrack.Tracker, unit: str, question: str, period: str = PERIOD) -> str | None:
    """The option id ``unit`` gave to ``question``, or None (no answer)."""
    evidence = tracker.evidence.periods[period]
    answers = evidence.answers.get(question)
    if answers is None:
        return None
    code = answers[evidence.unit_ids.index(unit)]
    return None if code == NO_ANSWER else tracker.catalog.questions[question].scale.options[code].id


def source_line(tracker: recotrack.Tracker, unit: str, question: str, period: str = PERIOD) -> int:
    evidence = tracker.evidence.periods[period]
    return evidence.lines[question][evidence.unit_ids.index(unit)]


def excluded(tracker: recotrack.Tracker, unit: str, question: str, period: str = PERIOD) -> bool:
    evidence = tracker.evidence.periods[period]
    flags = evidence.excluded.get(question)
    return bool(flags is not None and flags[evidence.unit_ids.index(unit)])


def returned(tracker: recotrack.Tracker, period: str = PERIOD) -> set[str]:
    evidence = tracker.evidence.periods.get(period)
    return set(evidence.returns) if evidence is not None else set()


# -- unknown unit ----------------------------------------------------------------------------------------


def test_unknown_unit_in_a_yaml_return_is_refused_and_the_other_returns_read(minimal: Path) -> None:
    path = write(
        minimal,
        "returns.yaml",
        """
        returns:
          - unit: b01
            period: "2019"
            answers:
              "1.1": never
          - unit: b2
            period: "2019"
            answers:
              "1.1": always
        """,
    )
    tracker, problems = read(minimal)
    problem = the(problems, "unknown unit")
    assert (problem.file, problem.line) == (shown(minimal, path), line_of(path, "unit: b01"))
    assert problem.field == "returns[0].unit"
    assert problem.found == "'b01'"
    assert "did you mean 'b1'?" in str(problem.expected)
    assert len(errors(problems)) == 1
    assert returned(tracker) == {"b2"}
    assert answer(tracker, "b2", "1.1") == "always"


def test_unknown_unit_in_a_tidy_csv_is_reported_once_with_its_rows_counted(minimal: Path) -> None:
    write(
        minimal,
        "tidy.csv",
        """
        unit,period,indicator,answer
        b1,2019,1.1,always
        b01,2019,1.1,never
        b01,2019,1.2,never
        b2,2019,1.1,sometimes
        """,
    )
    tracker, problems = read(minimal)
    problem = the(problems, "unknown unit")
    assert (problem.file, problem.line, problem.column, problem.field) == ("evidence/tidy.csv", 3, 1, "unit")
    assert problem.found == "'b01'"
    summary = the(problems, "2 rows for unit 'b01', period '2019' were not read", Severity.WARNING)
    assert summary.file == "evidence/tidy.csv"
    assert summary.line == problem.line  # points at the row whose problem explains it
    assert len(errors(problems)) == 1
    assert returned(tracker) == {"b1", "b2"}
    assert (answer(tracker, "b1", "1.1"), answer(tracker, "b2", "1.1")) == ("always", "sometimes")


def test_unknown_unit_in_a_wide_csv_refuses_that_row_only(minimal: Path) -> None:
    write(
        minimal,
        "wide.csv",
        """
        unit,period,1.1
        b1,2019,always
        board-9,2019,never
        b3,2019,never
        """,
    )
    tracker, problems = read(minimal)
    problem = the(problems, "unknown unit")
    assert (problem.file, problem.line, problem.column) == ("evidence/wide.csv", 3, 1)
    assert problem.found == "'board-9'"
    assert returned(tracker) == {"b1", "b3"}
    assert answer(tracker, "b3", "1.1") == "never"


def test_a_unit_not_invited_for_the_period_is_read_with_a_warning(minimal: Path) -> None:
    path = write(minimal, "north.yaml", 'return:\n  unit: north\n  period: "2019"\n  answers:\n    "1.1": always\n')
    tracker, problems = read(minimal)
    problem = the(problems, "unit 'north' was not invited to report for period '2019'", Severity.WARNING)
    assert (problem.file, problem.line) == (shown(minimal, path), 2)
    assert not errors(problems)
    assert answer(tracker, "north", "1.1") == "always"


# -- unknown indicator -----------------------------------------------------------------------------------

UNKNOWN_QUESTIONS = [
    pytest.param("9.9", "unknown question", "a declared id", id="unknown"),
    pytest.param("1.21", "unknown question", "did you mean '1.2'?", id="near-miss"),
    pytest.param("1.8/police", "unknown question", "did you mean '1.8/the-police'?", id="grid-item-misspelt"),
    pytest.param(
        "1.8",
        "1.8 is a grid: answer each of its items",
        "an item id such as '1.8/nhs-commissioners'",
        id="grid-without-item",
    ),
    pytest.param(
        "report-published",
        "report-published is a milestone, not a question",
        "its status under `milestones:`",
        id="milestone",
    ),
    pytest.param("new-staff", "new-staff is a numeric indicator, not a question", "under `values:`", id="numeric"),
]


@pytest.mark.parametrize(("question", "message", "expected"), UNKNOWN_QUESTIONS)
def test_unknown_indicator_in_a_yaml_return(minimal: Path, question: str, message: str, expected: str) -> None:
    path = write(
        minimal,
        "b1.yaml",
        f"""
        return:
          unit: b1
          period: "2019"
          answers:
            "1.1": always
            "{question}": "yes"
            "1.8/the-police": "no"
        """,
    )
    tracker, problems = read(minimal)
    problem = the(problems, message)
    assert problem.message == message
    assert (problem.file, problem.line) == (shown(minimal, path), line_of(path, f'"{question}":'))
    assert problem.field == f"return.answers.{question}"
    assert problem.found == repr(question)
    assert expected in str(problem.expected)
    assert len(errors(problems)) == 1
    assert (answer(tracker, "b1", "1.1"), answer(tracker, "b1", "1.8/the-police")) == ("always", "no")


@pytest.mark.parametrize(("question", "message", "expected"), UNKNOWN_QUESTIONS)
def test_unknown_indicator_in_a_tidy_csv(minimal: Path, question: str, message: str, expected: str) -> None:
    write(minimal, "tidy.csv", f"unit,period,indicator,answer\nb1,2019,1.1,always\nb1,2019,{question},yes\n")
    tracker, problems = read(minimal)
    problem = the(problems, message)
    assert (problem.file, problem.line) == ("evidence/tidy.csv", 3)
    assert problem.found == repr(question)
    assert expected in str(problem.expected)
    assert answer(tracker, "b1", "1.1") == "always"


@pytest.mark.parametrize(("question", "message", "expected"), UNKNOWN_QUESTIONS)
def test_unknown_indicator_as_a_wide_csv_column(minimal: Path, question: str, message: str, expected: str) -> None:
    write(minimal, "wide.csv", f"unit,period,1.1,{question},1.8/the-police\nb1,2019,always,yes,no\n")
    tracker, problems = read(minimal)
    problem = the(problems, f"column not read: {message}")
    assert (problem.file, problem.line, problem.column, problem.field) == ("evidence/wide.csv", 1, 4, "header")
    assert problem.found == repr(question)
    assert expected in str(problem.expected)
    assert "column_map:" in str(problem.expected)
    assert len(errors(problems)) == 1, "one error for the column, none for each row"
    assert (answer(tracker, "b1", "1.1"), answer(tracker, "b1", "1.8/the-police")) == ("always", "no")


# -- answers not on the scale ----------------------------------------------------------------------------


def test_an_answer_not_on_the_scale_suggests_the_nearest_option_and_is_not_guessed(minimal: Path) -> None:
    path = write(
        minimal,
        "b1.yaml",
        """
        return:
          unit: b1
          period: "2019"
          answers:
            "1.1": sometims
            "1.8/the-police": unsure
            "1.8/nhs-commissioners": "YES"
        """,
    )
    tracker, problems = read(minimal)
    problem = the(problems, "not an answer on the scale of 1.1 (frequency)")
    assert (problem.file, problem.line, problem.field) == (
        shown(minimal, path),
        line_of(path, "sometims"),
        "return.answers.1.1",
    )
    assert problem.found == "'sometims'"
    assert problem.expected == (
        "one of 'always' (Yes, always), 'sometimes' (Yes, sometimes), 'never' (No, never), "
        "'dont-know' (Don't know); did you mean 'Yes, sometimes'?"
    )
    far = the(problems, "not an answer on the scale of 1.8/the-police (yes-no)")
    assert far.line == line_of(path, "unsure")
    assert far.expected == "one of 'yes' (Yes), 'no' (No)", "no suggestion when nothing is close"
    assert len(errors(problems)) == 2
    assert answer(tracker, "b1", "1.1") is None, "a wrong answer is never replaced by a guess"
    assert answer(tracker, "b1", "1.8/the-police") is None
    assert answer(tracker, "b1", "1.8/nhs-commissioners") == "yes"
    assert returned(tracker) == {"b1"}


@pytest.mark.parametrize(
    ("name", "text", "line", "found", "nearest"),
    [
        ("tidy.csv", "unit,period,indicator,answer\nb1,2019,1.2,always\nb1,2019,1.1,Yes always\n", 3, "Yes always",
         "Yes, always"),
        ("wide.csv", "unit,period,1.2,1.1\nb2,2019,always,always\nb1,2019,always,nevr\n", 3, "nevr", "No, never"),
    ],
)  # fmt: skip
def test_an_answer_not_on_the_scale_in_csv(
    minimal: Path, name: str, text: str, line: int, found: str, nearest: str
) -> None:
    write(minimal, name, text)
    tracker, problems = read(minimal)
    problem = the(problems, "not an answer on the scale of 1.1 (frequency)")
    assert (problem.file, problem.line) == (f"evidence/{name}", line)
    assert problem.found == repr(found)
    assert str(problem.expected).endswith(f"did you mean {nearest!r}?")
    assert answer(tracker, "b1", "1.1") is None
    assert answer(tracker, "b1", "1.2") == "always"


def test_options_are_matched_by_id_or_label_ignoring_case_spaces_and_curly_apostrophes(minimal: Path) -> None:
    write(
        minimal,
        "tidy.csv",
        """
        unit,period,indicator,answer
        b1,2019,1.1,"  YES ,ALWAYS"
        b2,2019,1.1,Don\u2019t  Know
        b3,2019,1.1,Dont-Know
        b1,2019,1.8/the-police,nO
        """,
    )
    tracker, problems = read(minimal)
    assert not problems, "\n".join(map(str, problems))
    assert answer(tracker, "b1", "1.1") == "always"
    assert answer(tracker, "b2", "1.1") == "dont-know"
    assert answer(tracker, "b3", "1.1") == "dont-know"
    assert answer(tracker, "b1", "1.8/the-police") == "no"


# -- two returns for the same unit and period ------------------------------------------------------------

B1_FIRST = """
return:
  unit: b1
  period: "2019"
  completed_by: First sender
  answers:
    "1.1": always
    "1.2": sometimes
    "2.2": "yes"
"""


def test_two_returns_that_cannot_be_told_apart_are_both_refused_and_reported(minimal: Path) -> None:
    """Neither dated nor marked: which one is right cannot be known, and figures must not depend on read order."""
    first = write(minimal, "a.yaml", B1_FIRST)
    second = write(
        minimal,
        "b.yaml",
        """
        return:
          unit: b1
          period: "2019"
          completed_by: Second sender
          answers:
            "1.1": never
            "1.8/the-police": "yes"
        """,
    )
    tracker, problems = read(minimal)
    refused = errors(problems)
    assert [(p.file, p.line) for p in refused] == [
        (shown(minimal, first), 2),
        (shown(minimal, second), line_of(second, "unit: b1")),
    ]
    for problem in refused:
        assert "returns for unit 'b1' in period '2019' that cannot be told apart (none dated" in problem.message
        assert problem.message.endswith("none of them is read")
        assert "`supersedes: true`" in str(problem.expected)
    assert "b1" not in tracker.evidence.periods[PERIOD].returns
    assert answer(tracker, "b1", "1.1") is None, "nothing of either return is read"
    assert answer(tracker, "b1", "1.8/the-police") is None
    left_out = {f: (x.answers, x.returns, x.reasons) for f, x in tracker.evidence.left_out.items()}
    assert left_out == {
        shown(minimal, first): (3, 1, {"conflicting-returns": 1}),
        shown(minimal, second): (2, 1, {"conflicting-returns": 1}),
    }
    with pytest.raises(recotrack.TrackerError, match="cannot be told apart"):
        recotrack.load(minimal)


def test_a_second_return_in_the_same_yaml_file_is_refused(minimal: Path) -> None:
    path = write(
        minimal,
        "returns.yaml",
        """
        returns:
          - unit: b2
            period: "2019"
            answers: {"1.1": always}
          - unit: b2
            period: "2019"
            answers: {"1.1": never}
          - unit: b2
            period: "2020"
            answers: {"1.1": never}
        """,
    )
    tracker, problems = read(minimal)
    refused = errors(problems)
    assert [(p.file, p.line, p.field) for p in refused] == [
        (shown(minimal, path), 2, "returns[0].unit"),
        (shown(minimal, path), 5, "returns[1].unit"),
    ]
    assert answer(tracker, "b2", "1.1") is None
    assert answer(tracker, "b2", "1.1", "2020") == "never", "the same unit in another period is another return"


def test_a_second_return_across_formats_and_in_a_wide_csv_is_refused(minimal: Path) -> None:
    write(minimal, "a.yaml", B1_FIRST)
    write(minimal, "tidy.csv", "unit,period,indicator,answer\nb1,2019,1.1,never\nb1,2019,1.2,never\n")
    write(minimal, "wide.csv", "unit,period,1.1\nb2,2019,always\nb2,2019,never\n")
    tracker, problems = read(minimal)
    b1 = [(p.file, p.line) for p in errors(problems) if "unit 'b1'" in p.message]
    assert b1 == [("evidence/a.yaml", 2), ("evidence/tidy.csv", 2)]
    b2 = [p for p in errors(problems) if "unit 'b2'" in p.message]
    assert [(p.file, p.line) for p in b2] == [("evidence/wide.csv", 2), ("evidence/wide.csv", 3)]
    assert "also at evidence/wide.csv:3" in b2[0].message
    assert (answer(tracker, "b1", "1.1"), answer(tracker, "b1", "1.2")) == (None, None)
    assert answer(tracker, "b2", "1.1") is None


def test_the_latest_submitted_return_wins_whatever_the_format_or_read_order(minimal: Path) -> None:
    """A CSV dated 2023-12-01 must not beat a YAML dated 2024-01-20 because CSV files are read last."""
    write(
        minimal,
        "late.yaml",
        'return:\n  unit: b1\n  period: "2019"\n  submitted: 2024-01-20\n  answers: {"1.1": never}\n',
    )
    write(minimal, "early.csv", "unit,period,submitted,1.1\nb1,2019,2023-12-01,always\n")
    tracker, problems = read(minimal)
    assert not errors(problems), "\n".join(map(str, problems))
    assert answer(tracker, "b1", "1.1") == "never"
    warning = the(problems, "supersedes the one at evidence/early.csv:2", Severity.WARNING)
    assert (warning.file, "(submitted 2024-01-20, the latest)" in warning.message) == ("evidence/late.yaml", True)


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("2024-01-20", "2024-01-20", "cannot be told apart (all submitted on 2024-01-20"),
        ("2024-01-20", None, "has no `submitted` date, but others do"),
    ],
    ids=["same-day", "undated-among-dated"],
)
def test_a_tie_or_an_undated_return_among_dated_ones_is_an_error(
    minimal: Path, first: str, second: str | None, message: str
) -> None:
    dated = f"  submitted: {second}\n" if second else "  supersedes: true\n"
    write(
        minimal, "a.yaml", f'return:\n  unit: b1\n  period: "2019"\n  submitted: {first}\n  answers: {{"1.1": never}}\n'
    )
    write(minimal, "b.yaml", f'return:\n  unit: b1\n  period: "2019"\n{dated}  answers: {{"1.1": always}}\n')
    tracker, problems = read(minimal)
    assert any(message in p.message for p in errors(problems)), "\n".join(map(str, problems))
    if second is None:
        assert answer(tracker, "b1", "1.1") == "never", "the dated return counts; the undated one is an error"
    else:
        assert answer(tracker, "b1", "1.1") is None


def test_a_later_return_marked_supersedes_replaces_the_earlier_one(minimal: Path) -> None:
    first = write(minimal, "a.yaml", B1_FIRST)
    second = write(
        minimal,
        "b.yaml",
        """
        return:
          unit: b1
          period: "2019"
          completed_by: Corrected
          supersedes: true
          answers:
            "1.1": never
            "1.8/the-police": "yes"
          comments:
            "1.1": replaces the return sent in October
        """,
    )
    tracker, problems = read(minimal)
    assert not errors(problems), "\n".join(map(str, problems))
    problem = the(problems, "supersedes the one at", Severity.WARNING)
    assert (problem.file, problem.line) == (shown(minimal, second), line_of(second, "unit: b1"))
    assert problem.message == (
        f"this return for unit 'b1' in period '2019' supersedes the one at {shown(minimal, first)}:2, "
        "which is left out of figures"
    )
    info = tracker.evidence.periods[PERIOD].returns["b1"]
    assert (info.completed_by, info.supersedes) == ("Corrected", True)
    assert info.location == Location(shown(minimal, second), line_of(second, "unit: b1"))
    assert answer(tracker, "b1", "1.1") == "never"
    assert source_line(tracker, "b1", "1.1") == line_of(second, '"1.1": never')
    assert answer(tracker, "b1", "1.8/the-police") == "yes"
    assert answer(tracker, "b1", "1.2") is None, "the earlier return's answers are gone"
    assert source_line(tracker, "b1", "1.2") == 0
    assert answer(tracker, "b1", "2.2") is None
    assert not any("withdrawn" in p.message for p in problems), "the superseded answer to 2.2 is not in the data"
    assert [c.text for c in tracker.evidence.periods[PERIOD].comments] == ["replaces the return sent in October"]
    recotrack.load(minimal)  # a superseded return is not an error


def test_a_superseded_answer_to_a_withdrawn_question_is_not_counted(minimal: Path) -> None:
    write(minimal, "a.yaml", B1_FIRST)
    write(minimal, "b.yaml", 'return:\n  unit: b2\n  period: "2019"\n  answers:\n    "2.2": "no"\n')
    write(
        minimal, "c.yaml", 'return:\n  unit: b1\n  period: "2019"\n  supersedes: true\n  answers:\n    "1.1": never\n'
    )
    tracker, problems = read(minimal)
    problem = the(problems, "to withdrawn question 2.2", Severity.WARNING)
    assert problem.message.startswith("1 answer to withdrawn question 2.2 in period '2019' kept in the data")
    assert (problem.file, problem.line) == ("evidence/b.yaml", 5)
    assert (answer(tracker, "b1", "2.2"), answer(tracker, "b2", "2.2")) == (None, "no")


def test_supersedes_in_csv_columns(minimal: Path) -> None:
    write(minimal, "a.yaml", B1_FIRST.replace("  answers:", "  submitted: 2019-10-14\n  answers:"))
    write(
        minimal,
        "wide.csv",
        """
        unit,period,supersedes,submitted,completed_by,1.1,1.2
        b1,2019,yes,2019-12-01,Corrected,sometimes,
        b2,2019,,not a date,,always,always
        """,
    )
    tracker, problems = read(minimal)
    assert not errors(problems)
    superseding = the(
        problems, "(submitted 2019-12-01, the latest) supersedes the one at evidence/a.yaml:2", Severity.WARNING
    )
    assert (superseding.file, superseding.line) == ("evidence/wide.csv", 2)
    date = the(problems, "not a date; the return is read without it", Severity.WARNING)
    assert (date.file, date.line, date.column, date.field) == ("evidence/wide.csv", 3, 4, "submitted")
    infos = tracker.evidence.periods[PERIOD].returns
    assert (infos["b1"].supersedes, infos["b1"].completed_by, str(infos["b1"].submitted)) == (
        True,
        "Corrected",
        "2019-12-01",
    )
    assert (infos["b2"].supersedes, infos["b2"].submitted, infos["b2"].completed_by) == (False, None, None)
    assert (answer(tracker, "b1", "1.1"), answer(tracker, "b1", "1.2")) == ("sometimes", None)
    assert answer(tracker, "b2", "1.2") == "always"


def test_a_superseding_return_read_before_the_one_it_replaces_still_wins(minimal: Path) -> None:
    """Files are read YAML first, then CSV: a YAML correction of a CSV return must still replace it."""
    correction = write(
        minimal,
        "correction.yaml",
        'return:\n  unit: b1\n  period: "2019"\n  supersedes: true\n  answers:\n    "1.1": never\n',
    )
    write(minimal, "returns.csv", "unit,period,indicator,answer\nb1,2019,1.1,always\nb1,2019,1.2,always\n")
    tracker, problems = read(minimal)
    assert not errors(problems), "\n".join(map(str, problems))
    problem = the(problems, "supersedes the one at evidence/returns.csv:2", Severity.WARNING)
    assert (problem.file, problem.line) == (shown(minimal, correction), 2)
    assert tracker.evidence.periods[PERIOD].returns["b1"].location.file == shown(minimal, correction)
    assert (answer(tracker, "b1", "1.1"), answer(tracker, "b1", "1.2")) == ("never", None)


# -- conditional questions -------------------------------------------------------------------------------


def test_an_answer_whose_condition_was_not_met_is_flagged_kept_and_left_out_of_figures(minimal: Path) -> None:
    path = write(
        minimal,
        "returns.yaml",
        """
        returns:
          - unit: b1
            period: "2019"
            answers:
              "1.1": never
              "1.2": always
          - unit: b2
            period: "2019"
            answers:
              "1.2": sometimes
          - unit: b3
            period: "2019"
            answers:
              "1.1": Yes, sometimes
              "1.2": never
        """,
    )
    tracker, problems = read(minimal)
    assert not errors(problems)
    b1 = the(problems, "answer to 1.2 from unit 'b1'", Severity.WARNING)
    assert (b1.file, b1.line, b1.field) == (shown(minimal, path), line_of(path, '"1.2": always'), "1.2")
    assert b1.message == (
        "answer to 1.2 from unit 'b1' kept but left out of figures: it applies only where 1.1 is always or "
        "Yes, sometimes, and this return answered 'No, never'"
    )
    b2 = the(problems, "answer to 1.2 from unit 'b2'", Severity.WARNING)
    assert b2.line == line_of(path, '"1.2": sometimes')
    assert b2.message.endswith("and this return did not answer it")
    assert len(warnings(problems)) == 2, "b3's answer applies: nothing to flag"
    assert (answer(tracker, "b1", "1.2"), answer(tracker, "b2", "1.2")) == ("always", "sometimes"), "kept"
    assert excluded(tracker, "b1", "1.2")
    assert excluded(tracker, "b2", "1.2")
    assert not excluded(tracker, "b3", "1.2")
    assert answer(tracker, "b3", "1.2") == "never"
    figures = recotrack.score(tracker, PERIOD).distribution("1.2")
    assert figures.base == 1
    assert figures.answered_when_not_applicable == 2
    assert figures.option("never").count == 1
    assert figures.option("always").count == 0


def test_a_chain_of_conditions_counts_only_answers_that_apply_whatever_the_catalog_order(edit: Edit) -> None:
    # 1.0 is declared before the question it depends on; b1's answer to 1.2 does not count (1.1 is
    # "never"), so 1.0, asked only where 1.2 is "always", does not apply to b1 either.
    tracker_path = edit(
        'indicators:\n  - id: "1.1"',
        'indicators:\n  - id: "1.0"\n    kind: scale\n    measures: [L1.1]\n    text: And then?\n'
        '    scale: frequency\n    applies_when: {indicator: "1.2", in: [always]}\n  - id: "1.1"',
    )
    write(
        tracker_path,
        "tidy.csv",
        """
        unit,period,indicator,answer
        b1,2019,1.1,never
        b1,2019,1.2,always
        b1,2019,1.0,always
        b2,2019,1.1,always
        b2,2019,1.2,always
        b2,2019,1.0,never
        """,
    )
    tracker, problems = read(tracker_path)
    assert not errors(problems)
    assert excluded(tracker, "b1", "1.2")
    assert excluded(tracker, "b1", "1.0")
    assert not excluded(tracker, "b2", "1.0")
    chained = the(problems, "answer to 1.0 from unit 'b1'", Severity.WARNING)
    assert chained.line == 4
    assert chained.message.endswith(
        "and this return answered 'Yes, always', an answer left out of figures itself, as 1.2 does not apply to it"
    )
    figures = recotrack.score(tracker, PERIOD).distribution("1.0")
    assert (figures.base, figures.option("never").count, figures.not_applicable_by_condition) == (1, 1, 1)


def test_a_condition_not_met_in_a_tidy_csv_points_at_the_row(minimal: Path) -> None:
    write(
        minimal,
        "tidy.csv",
        """
        unit,period,indicator,answer
        b1,2019,1.2,always
        b1,2019,1.1,dont-know
        """,
    )
    tracker, problems = read(minimal)
    problem = the(problems, "answer to 1.2 from unit 'b1'", Severity.WARNING)
    assert (problem.file, problem.line) == ("evidence/tidy.csv", 2)
    assert problem.message.endswith('this return answered "Don\'t know"')
    assert excluded(tracker, "b1", "1.2")
    assert answer(tracker, "b1", "1.2") == "always"


# -- missing answers -------------------------------------------------------------------------------------


def test_missing_answers_are_item_non_response_never_guessed(minimal: Path) -> None:
    write(
        minimal,
        "b1.yaml",
        """
        return:
          unit: b1
          period: "2019"
          answers:
            "1.1": always
            "1.8/the-police": ~
        """,
    )
    write(minimal, "tidy.csv", "unit,period,indicator,answer\nb2,2019,1.1,\nb2,2019,1.8/the-police,yes\n")
    write(minimal, "wide.csv", "unit,period,1.1,1.2,1.8/the-police\nb3,2019,,,\n")
    tracker, problems = read(minimal)
    assert not problems, "a blank answer is not a problem: " + "\n".join(map(str, problems))
    assert returned(tracker) == {"b1", "b2", "b3"}, "a return with blank answers is still a return"
    for unit in ("b1", "b2", "b3"):
        assert answer(tracker, unit, "1.2") is None
        assert answer(tracker, unit, "1.8/nhs-commissioners") is None
    assert answer(tracker, "b1", "1.8/the-police") is None
    assert answer(tracker, "b2", "1.1") is None
    assert answer(tracker, "b3", "1.1") is None
    assert answer(tracker, "b2", "1.8/the-police") == "yes"
    assert "1.8/nhs-commissioners" not in tracker.evidence.periods[PERIOD].answers, "nobody answered it"
    figures = recotrack.score(tracker, PERIOD)
    assert (figures.distribution("1.1").base, figures.distribution("1.1").item_non_response) == (1, 2)
    assert figures.distribution("1.2").item_non_response == 1, "1.2 applies only to b1, who left it blank"
    assert figures.distribution("1.2").base == 0


# -- withdrawn questions ---------------------------------------------------------------------------------


def test_answers_to_a_withdrawn_question_are_kept_reported_once_and_left_out_of_figures(minimal: Path) -> None:
    path = write(
        minimal,
        "returns.yaml",
        """
        returns:
          - unit: b1
            period: "2019"
            answers: {"1.1": always, "2.2": "yes"}
          - unit: b2
            period: "2019"
            answers: {"1.1": never, "2.2": "no"}
        """,
    )
    write(minimal, "tidy.csv", "unit,period,indicator,answer\nb3,2019,2.2,yes\n")
    tracker, problems = read(minimal)
    assert not errors(problems)
    problem = the(problems, "withdrawn question 2.2", Severity.WARNING)
    assert problem.message == (
        "3 answers to withdrawn question 2.2 in period '2019' kept in the data and left out of figures "
        "(Duplicated in the questionnaire.)"
    )
    assert (problem.file, problem.line) == (shown(minimal, path), line_of(path, '"2.2": "yes"'))
    assert len(warnings(problems)) == 1
    assert [answer(tracker, unit, "2.2") for unit in ("b1", "b2", "b3")] == ["yes", "no", "yes"]
    figures = recotrack.score(tracker, PERIOD).distribution("2.2")
    assert figures.withdrawn
    assert figures.withdrawn_reason == "Duplicated in the questionnaire."
    assert figures.score is None


# -- a second answer in one return -----------------------------------------------------------------------


def test_a_second_answer_to_the_same_question_in_one_return(minimal: Path) -> None:
    write(
        minimal,
        "tidy.csv",
        """
        unit,period,indicator,answer
        b1,2019,1.1,always
        b2,2019,1.1,never
        b1,2019,1.1,never
        """,
    )
    tracker, problems = read(minimal)
    problem = the(problems, "a second answer to 1.1 in the same return")
    assert problem.message == "a second answer to 1.1 in the same return; only the first (line 2) is kept"
    assert (problem.file, problem.line, problem.column) == ("evidence/tidy.csv", 4, 4)
    assert problem.found == "'never'"
    assert answer(tracker, "b1", "1.1") == "always"
    assert source_line(tracker, "b1", "1.1") == 2


def test_a_wide_csv_column_mapped_twice_gives_a_second_answer(minimal: Path) -> None:
    write(minimal, "map.yaml", 'column_map:\n  "Do commissioners plan jointly?": "1.1"\n')
    write(minimal, "wide.csv", "unit,period,1.1,Do commissioners plan jointly?\nb1,2019,always,never\n")
    tracker, problems = read(minimal)
    problem = the(problems, "a second answer to 1.1 in the same return")
    assert (problem.file, problem.line, problem.column) == ("evidence/wide.csv", 2, 4)
    assert answer(tracker, "b1", "1.1") == "always"


def test_a_repeated_key_in_a_yaml_return_is_an_error_at_its_line(minimal: Path) -> None:
    path = write(
        minimal,
        "b1.yaml",
        'return:\n  unit: b1\n  period: "2019"\n  answers:\n    "1.1": always\n    "1.1": never\n',
    )
    write(minimal, "b2.yaml", 'return:\n  unit: b2\n  period: "2019"\n  answers:\n    "1.1": never\n')
    tracker, problems = read(minimal)
    problem = the(problems, "duplicate key '1.1'")
    assert (problem.file, problem.line) == (shown(minimal, path), 6)
    assert answer(tracker, "b2", "1.1") == "never", "the other file is read"


# -- invalid evidence never stops valid evidence ---------------------------------------------------------


def test_invalid_evidence_never_stops_valid_evidence_in_the_same_or_other_files(minimal: Path) -> None:
    returns = write(
        minimal,
        "a-returns.yaml",
        """
        returns:
          - unit: b1
            period: "2019"
            submitted: not a date
            answers: {"1.1": always}
          - unit: b2
            period: "2019"
            colour: blue
            answers: {"1.1": never}
          - unit: b3
            period: "2019"
            answers: {"1.1": sometimes, "1.2": nope, "9.9": always, "1.8/the-police": "yes"}
        milestones:
          - {indicator: report-published, period: "2019", status: unknown-status}
          - {indicator: report-published, period: "2020", status: delivered}
        """,
    )
    broken = write(minimal, "b-broken.yaml", 'return:\n  unit: b1\n  period: "2019\n  answers: {}\n')
    write(
        minimal,
        "c-tidy.csv",
        """
        unit,period,indicator,answer
        b1,2020,1.1,always
        b1,2020,1.2
        zz,2020,1.1,always
        b1,2020,1.2,nope
        b1,2020,1.8/the-police,no
        b2,,1.1,always
        b2,2020,1.1,Don't know
        """,
    )
    write(minimal, "d-wide.csv", "unit,period,1.1,bogus\nb3,2020,never,x\nb1,2021,always,\n")
    tracker, problems = read(minimal)
    lines = {(p.file.rsplit("/", 1)[-1], p.line, p.message) for p in errors(problems)}
    assert lines == {
        ("a-returns.yaml", line_of(returns, "not a date"),
         "input should be a valid date or datetime, invalid character in year"),
        ("a-returns.yaml", line_of(returns, "colour"), "unknown field 'colour'"),
        ("a-returns.yaml", line_of(returns, "nope"), "not an answer on the scale of 1.2 (frequency)"),
        ("a-returns.yaml", line_of(returns, "nope"), "unknown question"),
        ("a-returns.yaml", line_of(returns, "unknown-status"), "not a status of report-published (status)"),
        ("b-broken.yaml", 5, "invalid YAML: found unexpected end of stream"),
        ("c-tidy.csv", 3, "the row has 3 cells, the header 4"),
        ("c-tidy.csv", 4, "unknown unit"),
        ("c-tidy.csv", 5, "not an answer on the scale of 1.2 (frequency)"),
        ("c-tidy.csv", 7, "missing or invalid period"),
        ("d-wide.csv", 1, "column not read: unknown question"),
    }, "\n".join(map(str, problems))  # fmt: skip
    assert broken.exists()
    assert returned(tracker) == {"b3"}, "returns whose own fields are broken are not read; the others are"
    assert (answer(tracker, "b3", "1.1"), answer(tracker, "b3", "1.8/the-police")) == ("sometimes", "yes")
    assert [(m.indicator, m.period, m.status) for m in tracker.evidence.milestones] == [
        ("report-published", "2020", "delivered")
    ]
    assert returned(tracker, "2020") == {"b1", "b2", "b3"}
    assert (answer(tracker, "b1", "1.1", "2020"), answer(tracker, "b1", "1.8/the-police", "2020")) == ("always", "no")
    assert answer(tracker, "b2", "1.1", "2020") == "dont-know"
    assert answer(tracker, "b3", "1.1", "2020") == "never"
    assert answer(tracker, "b1", "1.1", "2021") == "always"
    # strict loading refuses the tracker with every error listed; lenient loading keeps the valid evidence
    with pytest.raises(recotrack.TrackerError) as raised:
        recotrack.load(minimal)
    assert len(raised.value.problems) == len(lines)
    lenient = recotrack.load(minimal, strict=False)
    assert lenient.problems == tuple(problems)
    assert lenient.evidence.periods.keys() == tracker.evidence.periods.keys()


def test_an_impossible_date_in_one_yaml_return_does_not_stop_the_others(minimal: Path) -> None:
    path = write(
        minimal,
        "returns.yaml",
        """
        returns:
          - unit: b1
            period: "2019"
            submitted: 2019-13-45
            answers: {"1.1": always}
          - unit: b2
            period: "2019"
            answers: {"1.1": never}
        """,
    )
    tracker, problems = read(minimal)
    problem = the(problems, "month value is outside expected range")
    assert (problem.file, problem.line) == (shown(minimal, path), line_of(path, "2019-13-45"))
    assert answer(tracker, "b2", "1.1") == "never"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("wide.csv", "unit,period,1.1,1.2\nb2,2019,always,never\nb1,2019,Yes, always,never\n"),
        ("tidy.csv", "unit,period,indicator,answer,by\nb2,2019,1.1,always,X\nb1,2019,1.1,never,Brontë, Zoë\n"),
    ],
)  # fmt: skip
def test_a_row_with_more_cells_than_the_header_is_reported(minimal: Path, name: str, text: str) -> None:
    write(minimal, name, text)
    tracker, problems = read(minimal)
    problem = the(problems, "the row has 5 cells, the header 4" if name == "wide.csv" else "the row has 6 cells")
    assert (problem.file, problem.line) == (f"evidence/{name}", 3)
    assert answer(tracker, "b2", "1.1") == "always"
    assert answer(tracker, "b1", "1.2") != "always", "no answer read from the wrong column"


# -- published tallies -----------------------------------------------------------------------------------


def test_published_tallies_are_checked_against_the_scale_and_the_base(minimal: Path) -> None:
    path = write(
        minimal,
        "tallies.yaml",
        """
        tallies:
          period: "2019"
          respondents: 10
          indicators:
            "1.1": {base: 10, counts: {always: 8, sometimes: 5}}
            "1.2": {base: 10, counts: {always: 3, sometimes: 3, never: 2, dont-know: 1}}
            "1.8/the-police": {base: 10, counts: {"yes": 3, "no": 7}, printed: {"yes": 31, "no": 70}}
            "1.8/nhs-commissioners": {base: 10, counts: {"Yes": 4, maybe: 2, "no": -1}}
            "9.9": {base: 10, counts: {"yes": 1}}
            "2.2": {withheld: true}
        """,
    )
    tracker, problems = read(minimal)
    above = the(problems, "the counts add up to 13, more than the base")
    assert (above.file, above.line, above.field) == (
        shown(minimal, path),
        line_of(path, '"1.1"'),
        "tallies.indicators.1.1.base",
    )
    assert (above.found, above.expected) == ("10", "a base of at least 13")
    every = the(problems, "the counts of every option add up to 9, not the base")
    assert every.line == line_of(path, '"1.2"')
    printed = the(problems, "printed percentage differs from 3/10 rounded half up", Severity.WARNING)
    assert (printed.line, printed.field) == (
        line_of(path, "the-police"),
        "tallies.indicators.1.8/the-police.printed.yes",
    )
    assert (printed.found, printed.expected) == ("31%", "30%")
    unknown = the(problems, "not an option of 1.8/nhs-commissioners's scale")
    assert (unknown.line, unknown.found, unknown.expected) == (line_of(path, "maybe"), "'maybe'", "one of yes, no")
    negative = the(problems, "a count cannot be negative")
    assert (negative.line, negative.found) == (line_of(path, "maybe"), "-1")
    question = the(problems, "unknown question")
    assert (question.line, question.found) == (line_of(path, '"9.9"'), "'9.9'")
    assert len(errors(problems)) == 5
    assert len(warnings(problems)) == 1, "2.2 is withdrawn in the catalog: withholding it is expected"
    published = tracker.evidence.published[PERIOD]
    assert published.respondents == 10
    assert published.location == Location(shown(minimal, path), line_of(path, "tallies:"))
    assert published.tallies["1.8/the-police"].counts == {"yes": 3, "no": 7}
    assert published.tallies["1.8/the-police"].printed == {"yes": 31, "no": 70}
    assert published.tallies["1.8/nhs-commissioners"].counts == {"yes": 4}, "labels accepted; bad options left out"
    assert published.tallies["2.2"].withheld
    assert published.tallies["1.2"].location == Location(shown(minimal, path), line_of(path, '"1.2"'))
    assert "9.9" not in published.tallies


def test_published_tallies_given_twice_or_withheld_without_reason(minimal: Path) -> None:
    first = write(
        minimal, "a.yaml", 'tallies:\n  period: "2019"\n  indicators:\n    "1.1": {base: 1, counts: {always: 1}}\n'
    )
    second = write(
        minimal,
        "b.yaml",
        """
        tallies:
          period: "2019"
          indicators:
            "1.1": {base: 2, counts: {always: 2}}
        """,
    )
    third = write(
        minimal,
        "c.yaml",
        """
        tallies:
          period: "2020"
          indicators:
            "1.1": {withheld: true}
          others:
            "1.2": {"Something else": {count: 1, printed: 10}}
        """,
    )
    tracker, problems = read(minimal)
    twice = the(problems, "published tallies for period '2019' are given twice")
    assert (twice.file, twice.line) == (shown(minimal, second), line_of(second, "period"))
    assert twice.expected == f"one `tallies:` per period (first at {shown(minimal, first)}:1)"
    assert tracker.evidence.published["2019"].tallies["1.1"].counts == {"always": 1}, "the first is kept"
    withheld = the(problems, "figures for 1.1 are marked withheld", Severity.WARNING)
    assert (withheld.file, withheld.line) == (shown(minimal, third), line_of(third, '"1.1"'))
    others = the(problems, "question 1.2 takes no free-text 'other' entries")
    assert (others.file, others.line) == (shown(minimal, third), line_of(third, '"1.2"'))


# -- milestones and values -------------------------------------------------------------------------------


def test_milestone_and_value_evidence(minimal: Path) -> None:
    path = write(
        minimal,
        "commitments.yaml",
        """
        milestones:
          - {indicator: report-published, period: "2019", status: Not Started, date: 2019-06-01}
          - {indicator: report-published, period: "2020", status: delivred}
          - {indicator: "1.1", period: "2020", status: delivered}
          - indicator: report-published
            period: "2021"
            status: delivered
            source: {document: report, section: "5"}
            note: Published in March.
        values:
          - {indicator: new-staff, period: "2019", value: 1200, source: {document: report, page: 3}}
          - {indicator: new-staff, period: "2020", value: .nan}
          - {indicator: new-staff, period: "2021", value: -.inf}
          - {indicator: report-published, period: "2019", value: 3}
        """,
    )
    tracker, problems = read(minimal)
    status = the(problems, "not a status of report-published (status)")
    assert (status.file, status.line, status.field) == (
        shown(minimal, path),
        line_of(path, "delivred"),
        "milestones[1].status",
    )
    assert (status.found, status.expected) == ("'delivred'", "one of not-started, delivered")
    milestone = the(problems, "not a milestone indicator")
    assert (milestone.line, milestone.found, milestone.expected) == (
        line_of(path, 'indicator: "1.1"'),
        "'1.1'",
        "one of report-published",
    )
    not_finite = [p for p in errors(problems) if p.message == "input should be a finite number"]
    assert [(p.line, p.field, p.found) for p in not_finite] == [
        (line_of(path, ".nan"), "values[1].value", "nan"),
        (line_of(path, "-.inf"), "values[2].value", "-inf"),
    ]
    numeric = the(problems, "not a numeric indicator")
    assert (numeric.line, numeric.found) == (line_of(path, "value: 3}"), "'report-published'")
    assert len(errors(problems)) == 5
    evidence = tracker.evidence
    assert [(m.period, m.status, str(m.date), m.source, m.note) for m in evidence.milestones] == [
        ("2019", "not-started", "2019-06-01", None, None),
        ("2021", "delivered", "None", "report", "Published in March."),
    ]
    assert evidence.milestones[1].location == Location(shown(minimal, path), line_of(path, "- indicator: report"))
    assert [(v.indicator, v.period, v.value, v.source) for v in evidence.values] == [
        ("new-staff", "2019", 1200.0, "report")
    ]
    assert evidence.values[0].location.line == line_of(path, "value: 1200")


# -- CSV layouts and periods -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("board,year,question,response\nb1,2019,1.1,always\n", 1, "unrecognised CSV layout"),
        ("", 0, "the CSV file is empty"),
    ],
)
def test_an_unrecognised_csv_layout_is_reported(minimal: Path, text: str, line: int, message: str) -> None:
    write(minimal, "odd.csv", text)
    write(minimal, "good.csv", "unit,period,indicator,answer\nb1,2019,1.1,always\n")
    tracker, problems = read(minimal)
    problem = the(problems, message)
    assert (problem.file, problem.line) == ("evidence/odd.csv", line)
    if line:
        assert problem.found == "board, year, question, response"
        assert "`unit,period,indicator,answer`" in str(problem.expected)
    assert len(errors(problems)) == 1
    assert answer(tracker, "b1", "1.1") == "always"


def test_a_wide_csv_without_period_needs_the_period_given(minimal: Path, tmp_path: Path) -> None:
    extra = tmp_path / "survey-export.csv"
    extra.write_text("Unit,1.1,1.8/the-police\nb1,always,yes\nb2,never,\n", encoding="utf-8")
    tracker, problems = read(minimal, evidence=[extra])
    problem = the(problems, "the wide CSV has no `period` column and no period is given for it")
    assert (problem.file, problem.line) == (extra.as_posix(), 1), "a file outside the tracker: named as given"
    assert "a `period` column" in str(problem.expected)
    assert not tracker.evidence.periods, "no row is read under a guessed period"
    tracker, problems = read(minimal, evidence=[extra], period="2019")
    assert not problems
    assert returned(tracker) == {"b1", "b2"}
    assert (answer(tracker, "b1", "1.8/the-police"), answer(tracker, "b2", "1.1")) == ("yes", "never")
    assert extra in tracker.files
    with pytest.raises(recotrack.TrackerError, match="no `period` column"):
        recotrack.load(minimal, evidence=[extra])
    assert recotrack.validate(minimal, evidence=[extra], period="2020") == []


def test_a_period_column_wins_over_the_period_given(minimal: Path) -> None:
    write(minimal, "wide.csv", "unit,period,1.1\nb1,2020,always\n")
    tracker, _ = read(minimal, period="2019")
    assert returned(tracker, "2020") == {"b1"}
    assert "2019" not in tracker.evidence.periods


def test_column_map_maps_printed_question_text_to_ids(minimal: Path) -> None:
    mapping = write(
        minimal,
        "column-map.yaml",
        """
        column_map:
          "Do commissioners plan jointly?": "1.1"
          "Where they do, are resources pooled?": "1.2"
          "Which agencies take part? The Police": "1.8/the-police"
          "Which agencies take part? Probation": "1.8/probation"
        """,
    )
    header = 'Unit,Period,DO COMMISSIONERS  PLAN JOINTLY?,"Where they do, are resources pooled?",'
    header += "Which agencies take part? The Police"
    rows = ['b1,2019,"Yes, always","Yes, sometimes",Yes', 'b2,2019,"No, never",,no']
    write(minimal, "export.csv", "\n".join([header, *rows, ""]))
    tracker, problems = read(minimal)
    problem = the(problems, "column mapped to an unknown question")
    assert (problem.file, problem.line, problem.found) == (
        shown(minimal, mapping),
        line_of(mapping, "Probation"),
        "'1.8/probation'",
    )
    assert len(problems) == 1
    assert [answer(tracker, "b1", q) for q in ("1.1", "1.2", "1.8/the-police")] == ["always", "sometimes", "yes"]
    assert [answer(tracker, "b2", q) for q in ("1.1", "1.2", "1.8/the-police")] == ["never", None, "no"]
    assert source_line(tracker, "b2", "1.8/the-police") == 3


def test_a_header_mapped_to_two_questions_is_an_error(minimal: Path) -> None:
    write(minimal, "a.yaml", 'column_map:\n  "Plan jointly?": "1.1"\n')
    second = write(minimal, "b.yaml", 'column_map:\n  "PLAN  jointly?": "1.2"\n')
    _, problems = read(minimal)
    problem = the(problems, "this column header is already mapped to another question")
    assert (problem.file, problem.line, problem.found, problem.expected) == (
        shown(minimal, second),
        2,
        "'1.2'",
        "'1.1'",
    )


# -- provenance ------------------------------------------------------------------------------------------


def test_every_answer_keeps_its_file_and_line(minimal: Path, edit: Edit, tmp_path: Path) -> None:
    edit("    items: [NHS commissioners, The Police]\n", "    items: [NHS commissioners, The Police]\n    other: {}\n")
    yaml_path = write(
        minimal,
        "b1.yaml",
        """
        # a comment line first
        return:
          unit: b1
          period: "2019"
          completed_by: Head of commissioning
          submitted: 2019-10-14
          answers:
            "1.1": always

            "1.8/the-police": "yes"
          other:
            "1.8": [Fire service]
          comments:
            "1.1": Joint plans since 2017.
        """,
    )
    tidy = write(minimal, "tidy.csv", "unit,period,indicator,answer\nb2,2019,1.2,never\n\nb2,2019,1.1,always\n")
    wide = tmp_path / "wide.csv"
    wide.write_bytes(b"unit,period,1.1\r\nb3,2019,never\r\n")
    tracker, problems = read(minimal, evidence=[wide])
    assert not errors(problems), "\n".join(map(str, problems))
    yaml_file = shown(minimal, yaml_path)
    evidence = tracker.evidence.periods[PERIOD]
    assert evidence.returns["b1"].location == Location(yaml_file, line_of(yaml_path, "unit: b1"))
    assert (evidence.returns["b1"].completed_by, str(evidence.returns["b1"].submitted)) == (
        "Head of commissioning",
        "2019-10-14",
    )
    assert source_line(tracker, "b1", "1.1") == line_of(yaml_path, '"1.1": always')
    assert source_line(tracker, "b1", "1.8/the-police") == line_of(yaml_path, "the-police")
    assert evidence.returns["b2"].location == Location("evidence/tidy.csv", 2)
    assert (source_line(tracker, "b2", "1.2"), source_line(tracker, "b2", "1.1")) == (2, 4), "blank lines count"
    assert evidence.returns["b3"].location == Location(wide.as_posix(), 2)
    assert source_line(tracker, "b3", "1.1") == 2
    assert [(e.unit, e.question, e.text, e.location.line) for e in evidence.others] == [
        ("b1", "1.8", "Fire service", line_of(yaml_path, "Fire service"))
    ]
    assert [(e.question, e.text, e.location) for e in evidence.comments] == [
        ("1.1", "Joint plans since 2017.", Location(yaml_file, line_of(yaml_path, "Joint plans")))
    ]
    sources = {s.path: s for s in tracker.evidence.sources}
    assert set(sources) == {yaml_file, "evidence/tidy.csv", wide.as_posix()}
    assert (sources["evidence/tidy.csv"].format, sources[wide.as_posix()].format) == ("csv-tidy", "csv-wide")
    assert sources[yaml_file].format == "yaml"
    for name, path in ((yaml_file, yaml_path), (wide.as_posix(), wide), (shown(minimal, tidy), tidy)):
        source = sources[name]
        assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert source.encoding == "utf-8"


def test_free_text_entries_need_a_question_that_takes_them(minimal: Path) -> None:
    path = write(
        minimal,
        "b1.yaml",
        """
        return:
          unit: b1
          period: "2019"
          other:
            "1.1": [Something]
          comments:
            "7.7": A comment on nothing.
            "1.8/the-police": Only at weekends.
        """,
    )
    tracker, problems = read(minimal)
    other = the(problems, "question 1.1 takes no free-text 'other' entries")
    assert (other.file, other.line) == (shown(minimal, path), line_of(path, "Something"))
    comment = the(problems, "unknown question")
    assert (comment.line, comment.found) == (line_of(path, "7.7"), "'7.7'")
    assert [c.text for c in tracker.evidence.periods[PERIOD].comments] == ["Only at weekends."]
    assert returned(tracker) == {"b1"}


# -- the command line ------------------------------------------------------------------------------------


def test_validate_lists_every_evidence_problem_with_its_line_and_exits_1(minimal: Path) -> None:
    path = write(minimal, "b1.yaml", 'return:\n  unit: b1\n  period: "2019"\n  answers:\n    "1.1": alwys\n')
    write(minimal, "tidy.csv", "unit,period,indicator,answer\nb2,2019,1.1,always\nb9,2019,1.1,never\n")
    result = subprocess.run(
        [sys.executable, "-m", "recotrack", "validate", str(minimal)],
        capture_output=True,
        text=True,
        check=False,
        env={"NO_COLOR": "1", "PATH": "", "COLUMNS": "200"},
        cwd=minimal.parent,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in lines] == [  # printed relative to where it ran
        f"{minimal.name}/{shown(minimal, path)}:{line_of(path, 'alwys')}:12",
        f"{minimal.name}/evidence/tidy.csv:3:1",
    ]
    assert "did you mean 'Yes, always'?" in lines[0]
    assert "2 errors" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_validate_summarises_the_returns_of_each_period(minimal: Path) -> None:
    write(minimal, "returns.csv", "unit,period,1.1\nb1,2019,always\nb2,2019,never\nnorth,2020,always\nb1,2020,never\n")
    write(minimal, "m.yaml", 'milestones:\n  - {indicator: report-published, period: "2020", status: delivered}\n')
    result = subprocess.run(
        [sys.executable, "-m", "recotrack", "validate", str(minimal)],
        capture_output=True,
        text=True,
        check=False,
        env={"NO_COLOR": "1", "PATH": "", "COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "  2019: 2 returns of 3 invited (67%)" in result.stdout
    assert "  2020: 2 returns; 1 milestone status" in result.stdout


# -- the documented formats ------------------------------------------------------------------------------

DOCUMENTED = re.compile(r"<!-- file: (?P<name>\S+) -->\n```(?:yaml|csv)\n(?P<body>.*?)```", re.DOTALL)


def test_the_examples_of_docs_formats_make_a_valid_tracker(tmp_path: Path) -> None:
    """Every example of docs/formats.md marked with its file name, put together, loads as the page says."""
    blocks = DOCUMENTED.findall((ROOT / "docs" / "formats.md").read_text(encoding="utf-8"))
    assert len(blocks) == 18
    root = tmp_path / "documented"
    for name, body in blocks:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        assert not path.exists(), f"{name} is given twice"
        path.write_text(body, encoding="utf-8")
    tracker, problems = read(root)
    # The tidy CSV example holds one mistake on purpose, and the page says how it is reported.
    (problem,) = problems
    assert (problem.file, problem.line) == ("evidence/2020-tidy.csv", 4)
    assert problem.message == "not an answer on the scale of 1.3 (frequency)"
    assert str(problem.expected).endswith("did you mean 'Yes, always'?")
    evidence = tracker.evidence
    assert sorted(evidence.periods["2019"].returns) == ["hwb-001", "hwb-002", "hwb-007"]
    assert sorted(evidence.periods["2020"].returns) == ["hwb-001", "hwb-002", "hwb-007"]
    assert answer(tracker, "hwb-007", "1.8/children-s-services-la") == "yes"
    assert answer(tracker, "hwb-007", "6.1.2") is None
    assert answer(tracker, "hwb-002", "1.1", "2020") == "sometimes", "mapped by column_map"
    assert answer(tracker, "hwb-007", "1.8/the-police", "2020") == "yes"
    assert answer(tracker, "hwb-001", "1.3", "2020") is None
    assert {s.format for s in evidence.sources} == {"yaml", "csv-tidy", "csv-wide"}
    assert evidence.published["2019"].tallies["1.8/the-police"].counts == {"yes": 40}
    assert [(m.period, m.status) for m in evidence.milestones] == [("2019", "in-progress"), ("2020", "delivered")]
    assert [v.value for v in evidence.values] == [1200.0]
    assert recotrack.score(tracker, "2019").distribution("2.2").withdrawn
    assert [entry.to for entry in tracker.catalog.crosswalk] == ["2020:4.2a", "2020:4.2b", "2020:5.4y"]
    assert tracker.catalog.method.levels == {"local": "mean-of-unit-scores"}
    assert [r.subject for r in evidence.lifecycle] == ["N1", "N1", "N1", "jtai-mental-health"]
    compared = recotrack.score(tracker, "2020", compare="2019").comparison
    assert compared is not None
    assert {c.id: c.baseline_question for c in compared.questions}["5.4y"] == "5.4"
