"""The same answers given as YAML returns, as tidy CSV and as wide CSV load to identical data.

Random subsets of the minimal tracker's boards and questions are answered with random options, each
written as the option id or its printed label in random case and spacing; the three formats are
written from the same answers and must give the same answer arrays, the same returns, the same
exclusions (conditions not met) and the same warnings.
"""

from __future__ import annotations

import csv
import json
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import recotrack
from conftest import MINIMAL
from recotrack.evidence import NO_ANSWER

CATALOG = recotrack.load(MINIMAL).catalog
QUESTIONS = list(CATALOG.questions)
UNITS = ["b1", "b2", "b3"]
PERIOD = "2019"

Answers = dict[str, dict[str, str]]
"""unit → question → the answer as written."""


@st.composite
def respelt(draw: st.DrawFn, text: str) -> str:
    """``text`` in random case, with random spaces around and between its characters."""
    out = []
    for char in text:
        out.append(" " * draw(st.integers(0, 2)))
        out.append(char.upper() if draw(st.booleans()) else char.lower())
    out.append(" " * draw(st.integers(0, 2)))
    return "".join(out)


@st.composite
def returns(draw: st.DrawFn) -> Answers:
    answers: Answers = {}
    for unit in draw(st.lists(st.sampled_from(UNITS), unique=True)):
        chosen: dict[str, str] = {}
        for question in draw(st.lists(st.sampled_from(QUESTIONS), unique=True)):
            option = draw(st.sampled_from(CATALOG.questions[question].scale.options))
            chosen[question] = draw(respelt(draw(st.sampled_from([option.id, option.label]))))
        answers[unit] = chosen
    return answers


def printed_header(question: str) -> str:
    """A survey tool's column header for a question: its printed text (and item label)."""
    known = CATALOG.questions[question]
    return f"Q{known.id}. {known.indicator.text}" + (f" - {known.item.label}" if known.item else "")


def write_yaml(folder: Path, answers: Answers, one_file: bool) -> list[Path]:
    def entry(unit: str, chosen: dict[str, str]) -> list[str]:
        lines = [f"unit: {unit}", f'period: "{PERIOD}"', "answers:"]
        lines += [f"  {json.dumps(question)}: {json.dumps(text)}" for question, text in chosen.items()]
        if not chosen:
            lines[-1] = "answers: {}"
        return lines

    if one_file:
        path = folder / "returns.yaml"
        body = ["returns:"]
        for unit, chosen in answers.items():
            first, *rest = entry(unit, chosen)
            body += [f"  - {first}", *(f"    {line}" for line in rest)]
        if not answers:
            body = ["returns: []"]
        path.write_text("\n".join(body) + "\n", encoding="utf-8")
        return [path]
    paths = []
    for unit, chosen in answers.items():
        path = folder / f"{unit}.yaml"
        path.write_text("return:\n" + "".join(f"  {line}\n" for line in entry(unit, chosen)), encoding="utf-8")
        paths.append(path)
    return paths


def write_tidy(folder: Path, answers: Answers, order: list[str], rng: random.Random) -> list[Path]:
    rows: list[dict[str, str]] = []
    for unit, chosen in answers.items():
        # A return with no answers is a row with an empty answer.
        for question, text in chosen.items() or [(QUESTIONS[0], "")]:
            rows.append({"unit": unit, "period": PERIOD, "indicator": question, "answer": text, "note": "x"})
    rng.shuffle(rows)  # rows of different returns may come in any order
    path = folder / "answers.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=order)
        writer.writeheader()
        writer.writerows(rows)
    return [path]


def write_wide(folder: Path, answers: Answers, printed: list[bool], with_period: bool) -> list[Path]:
    headers = {q: printed_header(q) if use else q for q, use in zip(QUESTIONS, printed, strict=True)}
    mapping = folder / "column-map.yaml"
    mapped = {h: q for q, h in headers.items() if h != q}
    mapping.write_text(f"column_map: {json.dumps(mapped)}\n", encoding="utf-8")
    path = folder / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["unit", *(["period"] if with_period else []), *headers.values()])
        for unit, chosen in answers.items():
            writer.writerow([unit, *([PERIOD] if with_period else []), *(chosen.get(q, "") for q in QUESTIONS)])
    return [mapping, path]


def loaded(files: list[Path], period: str | None = None) -> tuple[dict[str, object], list[str]]:
    """What the files load to (without file names and lines), and the messages of the problems."""
    tracker, problems = recotrack.read_tracker(MINIMAL, evidence=files, period=period)
    assert tracker is not None
    data: dict[str, object] = {
        name: {
            "returns": sorted(evidence.returns),
            "answers": {q: bytes(a) for q, a in evidence.answers.items()},
            "excluded": {q: bytes(a) for q, a in evidence.excluded.items() if any(a)},
        }
        for name, evidence in tracker.evidence.periods.items()
    }
    return data, sorted(p.message for p in problems)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers=returns(),
    one_file=st.booleans(),
    order=st.permutations(["unit", "period", "indicator", "answer", "note"]),
    rng=st.randoms(use_true_random=False),
    printed=st.lists(st.booleans(), min_size=len(QUESTIONS), max_size=len(QUESTIONS)),
    with_period=st.booleans(),
)
def test_yaml_tidy_and_wide_give_identical_data(
    answers: Answers, one_file: bool, order: list[str], rng: random.Random, printed: list[bool], with_period: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("yaml", "tidy", "wide"):
            (root / name).mkdir()
        from_yaml = loaded(write_yaml(root / "yaml", answers, one_file))
        from_tidy = loaded(write_tidy(root / "tidy", answers, order, rng))
        from_wide = loaded(
            write_wide(root / "wide", answers, printed, with_period), period=None if with_period else PERIOD
        )
    assert not [m for m in from_yaml[1] if "kept" not in m], from_yaml[1]
    assert from_yaml == from_tidy
    assert from_yaml == from_wide
    # and the data are the answers given, none lost or guessed
    expected = {
        unit: {q: CATALOG.questions[q].scale.resolve(text) for q, text in chosen.items()}
        for unit, chosen in answers.items()
    }
    data = from_yaml[0].get(PERIOD, {"returns": [], "answers": {}})
    assert isinstance(data, dict)
    assert data["returns"] == sorted(answers)
    assert set(data["answers"]) == {q for chosen in expected.values() for q in chosen}
    assert None not in {option for chosen in expected.values() for option in chosen.values()}
    unit_ids = [unit.id for unit in recotrack.load(MINIMAL).units.units]
    for question, codes in data["answers"].items():
        options = CATALOG.questions[question].scale.option_ids
        for position, code in enumerate(codes):
            unit = unit_ids[position]
            found = options[code] if code != NO_ANSWER else None
            assert found == expected.get(unit, {}).get(question)
