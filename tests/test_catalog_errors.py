"""Broken catalogs: each mistake is reported with its file, line, field and a plain-English message."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Edit, line_of
from recotrack import Problem, TrackerError, load, validate


def only_error(tracker: Path) -> Problem:
    problems = validate(tracker)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


# (old text, new text, marker on the line the error must point at, words the message must contain)
CASES = [
    pytest.param(
        "level: national\n    owners: [Government]",
        "level: nationl\n    owners: [Government]",
        "level: nationl",
        ["unknown level", "'nationl'", "did you mean 'national'"],
        id="unknown-level",
    ),
    pytest.param(
        "    theme: commissioning\n",
        "    thme: commissioning\n",
        "thme:",
        ["unknown field 'thme'", "did you mean 'theme'"],
        id="misspelt-field",
    ),
    pytest.param(
        '  - id: "1.8"\n',
        "  - id: 1.80\n",
        "id: 1.80",
        ["read this as a number", "found 1.80", '"1.80"'],
        id="unquoted-numeric-id",
    ),
    pytest.param(
        "measures: [L1.1]\n    text: Do commissioners",
        "measures: [L1.9]\n    text: Do commissioners",
        "[L1.9]",
        ["unknown recommendation", "'L1.9'"],
        id="unknown-recommendation",
    ),
    pytest.param(
        "    scale: yes-no\n    items:",
        "    scale: yes-or-no\n    items:",
        "yes-or-no",
        ["unknown scale", "'yes-or-no'", "did you mean 'yes-no'"],
        id="unknown-scale",
    ),
    pytest.param(
        '{indicator: "1.1", in',
        '{indicator: "1.7", in',
        '"1.7"',
        ["condition names an unknown indicator", "'1.7'"],
        id="condition-unknown-indicator",
    ),
    pytest.param(
        'in: [always, "Yes, sometimes"]',
        'in: [always, "Yes, often"]',
        "Yes, often",
        ["not an option of 1.1's scale 'frequency'", "'Yes, often'"],
        id="condition-unknown-option",
    ),
    pytest.param(
        "recommendations:\n",
        "recommendations:\n  - {id: N1, level: local, owners: [x], title: t, text: t}\n",
        "  - id: N1",
        ["duplicate id 'N1'", "first used at recommendations[0]"],
        id="duplicate-recommendation",
    ),
    pytest.param(
        "items: [NHS commissioners, The Police]",
        "items: [NHS commissioners, NHS-commissioners]",
        "NHS-commissioners",
        ["1.8/nhs-commissioners collides"],
        id="grid-slug-collision",
    ),
    pytest.param(
        '{id: never, label: "No, never", score: 0}',
        '{id: never, label: "No, never"}',
        'label: "No, never"',
        ["substantive option needs a score"],
        id="option-without-score",
    ),
    pytest.param(
        "    title: Lead nationally\n", "", "  - id: N1", ["missing required field 'title'"], id="missing-field"
    ),
    pytest.param(
        "    kind: milestone\n",
        "    kind: milepost\n",
        "kind: milepost",
        ["indicator kind", "'milepost'"],
        id="unknown-indicator-kind",
    ),
    pytest.param(
        "    parent: L1\n",
        "    parent: L1.1\n",
        "parent: L1.1",
        ["each other's parents: L1.1 → L1.1"],
        id="parent-cycle",
    ),
    pytest.param(
        "date: 2021-03-31",
        "date: 2021-02-30",
        "2021-02-30",
        ["target.date", "day value is outside expected range", "YYYY-MM-DD"],
        id="impossible-date",
    ),
    pytest.param(
        "{document: report, section",
        "{document: reprot, section",
        "reprot",
        ["unknown source document", "did you mean 'report'"],
        id="unknown-document",
    ),
    pytest.param(
        "score: 0.5}", "score: 5}", "score: 5}", ["less than or equal to 1", "found 5"], id="score-out-of-range"
    ),
]


@pytest.mark.parametrize(("old", "new", "marker", "words"), CASES)
def test_broken_catalog_points_at_the_line(edit: Edit, old: str, new: str, marker: str, words: list[str]) -> None:
    tracker = edit(old, new)
    problem = only_error(tracker)
    assert problem.file.endswith("catalog.yaml")
    assert problem.line == line_of(tracker / "catalog.yaml", marker)
    for word in words:
        assert word in str(problem)


def test_condition_cycle_is_reported(edit: Edit, minimal: Path) -> None:
    edit(
        "    text: Do commissioners plan jointly?\n",
        '    text: Do commissioners plan jointly?\n    applies_when: {indicator: "1.2", in: [always]}\n',
    )
    problem = only_error(minimal)
    assert "conditions form a cycle: 1.1 → 1.2 → 1.1" in problem.message
    assert problem.line == line_of(minimal / "catalog.yaml", '{indicator: "1.2"')


@pytest.mark.parametrize(
    ("content", "words", "line"),
    [
        pytest.param("review: &r {id: x}\nlevels: *r\n", ["aliases", "not allowed"], 1, id="alias"),
        pytest.param("levels: []\nlevels: []\n", ["duplicate key 'levels'"], 2, id="duplicate-key"),
        pytest.param("review: {id: x\n", ["invalid YAML"], 2, id="syntax"),
        pytest.param("a: " + "[" * 200 + "]" * 200 + "\n", ["nested too deeply"], 1, id="deep-nesting"),
    ],
)
def test_unreadable_yaml(minimal: Path, content: str, words: list[str], line: int) -> None:
    (minimal / "catalog.yaml").write_text(content, encoding="utf-8")
    problem = only_error(minimal)
    assert problem.line == line
    for word in words:
        assert word in problem.message


def test_binary_and_wrong_encoding_are_refused(minimal: Path) -> None:
    (minimal / "catalog.yaml").write_bytes(b"review:\n  title: caf\xe9\n")
    problem = only_error(minimal)
    assert "not valid UTF-8" in problem.message
    assert problem.line == 2
    (minimal / "catalog.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert "NUL byte" in only_error(minimal).message


def test_units_errors_point_at_units_file(edit: Edit, minimal: Path) -> None:
    edit("parent: north}\n  - {id: b2", "parent: nort}\n  - {id: b2", file="units.yaml")
    problem = only_error(minimal)
    assert problem.file.endswith("units.yaml")
    assert problem.line == line_of(minimal / "units.yaml", "nort}")
    assert "unknown parent unit" in problem.message


def test_three_mistakes_are_all_reported_in_line_order(edit: Edit, minimal: Path) -> None:
    edit("level: national\n    owners: [Government]", "level: nationl\n    owners: [Government]")
    edit("    scale: yes-no\n    items:", "    scale: yes-or-no\n    items:")
    edit("    statuses: status\n", "    statuses: statuses\n")
    problems = validate(minimal)
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert len(problems) == 3
    with pytest.raises(TrackerError) as caught:
        load(minimal)
    assert len(caught.value.problems) == 3
    assert "3 problems found" in str(caught.value)


def test_a_broken_item_does_not_cascade(edit: Edit, minimal: Path) -> None:
    """An indicator whose recommendation failed validation is not also told the id is unknown."""
    edit("    title: Joint commissioning\n", "    title: [not, text]\n")
    problems = validate(minimal)
    assert len(problems) == 1, problems
    assert problems[0].field == "recommendations[2].title"


def test_catalog_folder_merges_files_and_reports_each_file(minimal: Path) -> None:
    text = (minimal / "catalog.yaml").read_text(encoding="utf-8")
    head, indicators = text.split("indicators:\n")
    folder = minimal / "catalog"
    folder.mkdir()
    (folder / "main.yaml").write_text(head, encoding="utf-8")
    (folder / "questions.yaml").write_text(
        "indicators:\n" + indicators.replace("scale: frequency\n", "scale: freq\n", 1), encoding="utf-8"
    )
    (minimal / "catalog.yaml").unlink()
    problem = only_error(minimal)
    assert problem.file.endswith("catalog/questions.yaml")
    assert problem.line == 6
    assert problem.field == "indicators[0].scale"


def test_control_character_and_utf16_yaml_are_located(minimal: Path) -> None:
    (minimal / "catalog.yaml").write_bytes(b"review:\n  title: a\x07b\n")
    problem = only_error(minimal)
    assert (problem.line, problem.column) == (2, 11)
    assert "U+0007" in problem.message
    (minimal / "catalog.yaml").write_bytes("review: {}\n".encode("utf-16"))
    assert "UTF-16" in only_error(minimal).message
