"""Every table of the 2019 report comes out the same from the published tallies and from the 67 returns.

The ground truth is ``evidence/2019-published-tallies.yaml`` read directly with ruamel (not through
recotrack's readers): every row's counts, base and printed whole-number percentages, the 'Others'
rows of the partner table, and the withheld questions 2.2 and 2.7.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from ruamel.yaml import YAML

import recotrack
from conftest import EXAMPLE
from recotrack.results import Results
from recotrack.scoring import score

TALLIES = EXAMPLE / "evidence" / "2019-published-tallies.yaml"
SOURCES = ["tallies", "returns"]


def _published() -> dict[str, Any]:
    document = YAML(typ="safe").load(TALLIES.read_text(encoding="utf-8"))
    return dict(document["tallies"])


PUBLISHED = _published()
ROWS = sorted(PUBLISHED["indicators"].items())
OTHERS = [(question, text, cell) for question, entries in PUBLISHED["others"].items() for text, cell in entries.items()]


@cache
def _results(source: str) -> Results:
    tracker = recotrack.load(EXAMPLE)
    assert len(tracker.evidence.periods["2019"].returns) == 67
    return score(tracker, "2019", source="tallies" if source == "tallies" else "returns")


def test_the_transcription_is_complete() -> None:
    assert len(ROWS) == 110
    assert len(OTHERS) == 16
    assert PUBLISHED["respondents"] == 67


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(("question", "row"), ROWS, ids=[question for question, _ in ROWS])
def test_every_row(source: str, question: str, row: dict[str, Any]) -> None:
    distribution = _results(source).distribution(question)
    if row.get("withheld"):
        assert distribution.withdrawn
        assert distribution.base is None
        assert distribution.withdrawn_reason is not None
        assert "duplicated" in distribution.withdrawn_reason
        assert all(option.count is None for option in distribution.options)
        return
    assert not distribution.withdrawn
    assert distribution.base == row["base"]
    for option_id, count in row["counts"].items():
        assert distribution.option(option_id).count == count, option_id
    for option_id, printed in row["printed"].items():
        assert distribution.option(option_id).printed == printed, option_id


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(("question", "text", "cell"), OTHERS, ids=[f"{q}:{t}" for q, t, _ in OTHERS])
def test_every_others_row(source: str, question: str, text: str, cell: dict[str, int]) -> None:
    """From the returns a row nobody named is absent; the report prints it as 0 (0%)."""
    found = [o for o in _results(source).others if o.indicator == question and o.text == text]
    count = found[0].count if found else 0
    printed = found[0].printed if found else 0
    assert (count, printed) == (cell["count"], cell["printed"])
    if found:
        assert found[0].base == 67


@pytest.mark.parametrize("source", SOURCES)
def test_no_figure_beyond_the_tables(source: str) -> None:
    results = _results(source)
    assert {d.id for d in results.distributions} == {question for question, _ in ROWS}
    named = {(o.indicator, o.text) for o in results.others if o.count}
    assert named <= {(question, text) for question, text, _ in OTHERS}


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize(
    ("question", "options", "printed"),
    [
        ("3.1", ("always", "sometimes"), 91),  # "91% of areas answered ... always or sometimes"
        ("3.4", ("always", "sometimes"), 96),  # "96% ... (40% always and 55% sometimes)"
        ("5.5", ("always", "sometimes"), 57),  # "57% ... some or all of the time"
    ],
)
def test_combined_figures_of_the_text(source: str, question: str, options: tuple[str, ...], printed: int) -> None:
    assert _results(source).distribution(question).combined(*options).printed == printed


@pytest.mark.parametrize("source", SOURCES)
def test_response_rate_of_the_text(source: str) -> None:
    response = _results(source).response
    assert (response.invited, response.responded, response.printed) == (152, 67, 44)
    assert "not all invited units" in response.statement


def test_both_sources_agree_on_every_count() -> None:
    from_tallies, from_returns = _results("tallies"), _results("returns")
    for ours, theirs in zip(from_returns.distributions, from_tallies.distributions, strict=True):
        assert (ours.id, ours.base) == (theirs.id, theirs.base)
        assert [o.count for o in ours.options] == [o.count for o in theirs.options], ours.id
        assert [o.printed for o in ours.options] == [o.printed for o in theirs.options], ours.id
        assert ours.score == theirs.score
