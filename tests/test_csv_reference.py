"""The columnar CSV reader against the old row-by-row one (tests/reference_csv.py), on random files.

Both read the same file through the same builder; they must report the same problems (file, line,
column, field, message, what was found and expected, severity), leave out the same counts for the
same reasons, and keep the same answers at the same lines. The files mix valid rows with every kind
of wrong one: unknown units and questions, spaced ids, wrong and spaced answers, second answers,
bad periods and dates, rows that do not fit the header, blank lines, quoted cells with commas and
newlines, Windows line ends; some are plain (read by polars), others not (read by the csv module).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

import recotrack
import reference_csv
from conftest import MINIMAL
from recotrack._problems import ProblemSink
from recotrack.evidence.builder import EvidenceBuilder, FileFacts
from recotrack.evidence.csv_reader import read_csv_evidence
from recotrack.evidence.model import Evidence
from recotrack.inputs import InputRegistry
from recotrack.limits import Limits

TRACKER = recotrack.load(MINIMAL)
UNITS = ["b1", "b2", "b3", " b2", "b1 ", "north", "zz9", ""]
PERIODS = ["2019", "2020", "2021", " 2019", "2018", "20 19", ""]
QUESTIONS = ["1.1", "1.2", "1.8/nhs-commissioners", "1.8/the-police", "2.2", " 1.1", "1.1 ", "1.8", "9.9", "", " "]
ANSWERS = ["always", "Yes, always", " always", "never ", "sometimes", "dont-know", "Don't know", "yes", "no"]
ANSWERS += ["bogus", "alway", "", "  ", "NO", "Yes", 'al"ways', "Yes, always"]
SUBMITTED = ["", "2019-05-01", "2019-06-01", "01/05/2019"]


def _cell(text: str, quoted: bool) -> str:
    return '"' + text.replace('"', '""') + '"' if quoted else text


@st.composite
def tidy_files(draw: Any) -> bytes:
    """A tidy CSV: a header (maybe with a `submitted` column, in any order), then rows good and bad."""
    columns = ["unit", "period", "indicator", "answer"]
    if draw(st.booleans()):
        columns.append("submitted")
    columns = draw(st.permutations(columns))
    quoting = draw(st.booleans())
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [",".join(columns)]
    for _ in range(draw(st.integers(0, 30))):
        shape = draw(st.sampled_from(["row"] * 8 + ["short", "long", "trailing", "blank", "spaces", "misquoted"]))
        if shape == "blank":
            lines.append("")
            continue
        if shape == "spaces":
            lines.append("   ")
            continue
        values = {
            "unit": draw(st.sampled_from(UNITS)),
            "period": draw(st.sampled_from(PERIODS)),
            "indicator": draw(st.sampled_from(QUESTIONS)),
            "answer": draw(st.sampled_from(ANSWERS)),
            "submitted": draw(st.sampled_from(SUBMITTED)),
        }
        cells = [_cell(values[name], quoting and draw(st.booleans())) for name in columns]
        if quoting and draw(st.integers(0, 9)) == 0:
            cells[-1] = _cell("a comment, with\na line break", True)
        if shape == "misquoted":  # a quote that does not wrap its cell: the csv module's to judge
            cells[-1] = draw(st.sampled_from(['"al"ways', 'al"ways', '"always" ', ' "always"', '"al""ways"']))
        if shape == "short":
            cells = cells[: draw(st.integers(1, len(cells) - 1))]
        elif shape == "long":
            cells.append(draw(st.sampled_from(["extra", "x"])))
        elif shape == "trailing":
            cells.append("")
        lines.append(",".join(cells))
    text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    return text.encode("utf-8")


WIDE_TITLES = ["1.1", "1.2", "1.8/nhs-commissioners", "1.8/the-police", "2.2", " 1.1", "9.9", "Notes", "1.1"]


@st.composite
def wide_files(draw: Any) -> bytes:
    """A wide CSV: unit (and maybe period, submitted, supersedes) and question columns, some unknown,
    spaced or twice; rows good and bad, units more than once (corrections, by date or by `supersedes`)."""
    columns = ["unit", *draw(st.lists(st.sampled_from(["period", "submitted", "supersedes"]), unique=True))]
    columns += draw(st.lists(st.sampled_from(WIDE_TITLES), min_size=1, max_size=6))
    columns = draw(st.permutations(columns))
    quoting = draw(st.booleans())
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [",".join(columns)]
    for _ in range(draw(st.integers(0, 12))):
        shape = draw(st.sampled_from(["row"] * 8 + ["short", "long", "trailing", "blank"]))
        if shape == "blank":
            lines.append("")
            continue
        cells = []
        for name in columns:
            if name == "unit":
                value = draw(st.sampled_from(UNITS))
            elif name == "period":
                value = draw(st.sampled_from(PERIODS))
            elif name == "submitted":
                value = draw(st.sampled_from(SUBMITTED))
            elif name == "supersedes":
                value = draw(st.sampled_from(["", "yes", "no"]))
            else:
                value = draw(st.sampled_from(ANSWERS))
            cells.append(_cell(value, quoting and draw(st.booleans())))
        if shape == "short":
            cells = cells[: draw(st.integers(1, max(1, len(cells) - 1)))]
        elif shape == "long":
            cells.append("extra")
        elif shape == "trailing":
            cells.append("")
        lines.append(",".join(cells))
    text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    return text.encode("utf-8")


def _read(
    reader: Any, path: Path, default_period: str | None = None, errors: int = 100_000
) -> tuple[list[tuple[Any, ...]], Evidence]:
    problems = ProblemSink(errors)
    builder = EvidenceBuilder(
        TRACKER.catalog, TRACKER.units, problems, Limits(errors=errors), files={"evidence/r.csv": FileFacts()}
    )
    reader(builder, InputRegistry(path.parent.parent), path, default_period)
    evidence = builder.finish()
    shown = [
        (p.file, p.line, p.column, p.field, p.message, p.found, p.expected, p.severity) for p in problems.ordered()
    ]
    return shown, evidence


def _answers(evidence: Evidence) -> dict[str, Any]:
    return {
        period: (
            sorted(found.returns),
            {q: (bytes(a), list(found.lines[q])) for q, a in sorted(found.answers.items())},
            {q: bytes(e) for q, e in sorted(found.excluded.items())},
        )
        for period, found in sorted(evidence.periods.items())
    }


def assert_same(path: Path, default_period: str | None = None, errors: int = 100_000) -> None:
    expected_problems, expected = _read(reference_csv.read_csv_evidence, path, default_period, errors)
    problems, found = _read(read_csv_evidence, path, default_period, errors)
    assert problems == expected_problems
    assert found.left_out == expected.left_out
    assert _answers(found) == _answers(expected)
    assert [(s.path, s.format, s.encoding) for s in found.sources] == [
        (s.path, s.format, s.encoding) for s in expected.sources
    ]


@pytest.mark.parametrize("block", [1 << 20, 3], ids=["one-block", "blocks-of-3-rows"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=tidy_files())
def test_the_columnar_reader_finds_what_the_row_reader_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, content: bytes
) -> None:
    from recotrack.evidence import tidy

    monkeypatch.setattr(tidy, "_BLOCK", block)
    path = tmp_path / "evidence" / "r.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    assert_same(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=wide_files(), default_period=st.sampled_from([None, "2019", "2018"]))
def test_the_wide_reader_finds_what_the_row_reader_found(
    tmp_path: Path, content: bytes, default_period: str | None
) -> None:
    path = tmp_path / "evidence" / "r.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    assert_same(path, default_period)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("unit,period,indicator,answer\nb1,2019,1.1,always\n", id="plain"),
        pytest.param("unit,period,indicator,answer\r\nb1,2019,1.1,always\r\nb2,2019,1.1,never", id="crlf-no-final"),
        pytest.param("unit,period,indicator,answer\nb1,2019,1.1,always\n\nb2,2019,1.1,never\n", id="blank-line"),
        pytest.param("unit,period,indicator,answer\nb1,2019\nb2,2019,1.1,never\n", id="short-row"),
        pytest.param("unit,period,indicator,answer\nb1,2019,1.1,always,\nb2,2019,1.1,x,y\n", id="long-rows"),
        pytest.param("unit,period,indicator,answer\n,,,\n", id="empty-cells"),
        pytest.param('unit,period,indicator,answer\nb1,2019,1.1,"always"\n', id="quoted"),
        pytest.param('unit,period,indicator,answer\nb1,2019,1.1,"alw\nays"\nb1,2019,1.1,never\n', id="quoted-newline"),
        pytest.param("unit,period,indicator,answer\rb1,2019,1.1,always\r", id="lone-cr"),
        pytest.param("unit,period,indicator,answer\n", id="header-only"),
        pytest.param("\nb1,2019,1.1,always\n", id="blank-header"),
        pytest.param("unit,period,indicator,answer\nb1,2019,1.1,always\nb1,2019,1.1,never\nb1,2019,1.1,no\n", id="dup"),
        pytest.param("unit,period,indicator,answer\nzz,2019,1.1,always\nzz,2019,1.1,never\n", id="refused-return"),
        pytest.param("unit,period,indicator,answer\nb1,2019,2.2,yes\nb2,2019,2.2,no\n", id="withdrawn"),
        pytest.param("unit,period,indicator,answer\nb1,2019,1.1,never\nb1,2019,1.2,always\n", id="condition"),
        pytest.param(
            "unit,period,indicator,answer\n"
            + "b1,2019,1.1,always\nb1,2019,1.2,never\nb1,2019,2.2,yes\nb1,2019,1.1,no\n" * 3
            + "b1,2019,1.8/the-police,bogus\n"
            + "b2,2019,1.1,never\n" * 8
            + "zz,2019,1.1,always\n" * 5
            + "b3,2020,1.2,sometimes\nb3,2020,1.1,always\n",
            id="runs-of-one-return",
        ),
    ],
)
def test_edge_files_read_alike(tmp_path: Path, content: str) -> None:
    path = tmp_path / "evidence" / "r.csv"
    path.parent.mkdir()
    path.write_text(content, encoding="utf-8", newline="")
    assert_same(path)


def test_polars_reads_files_whose_quotes_wrap_cells_and_the_csv_module_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast path is really taken, and only where both parsers agree (else the tests above prove little)."""
    from recotrack.evidence import _csv_table

    used: list[str] = []
    fast, by_module = _csv_table.CsvParser._polars_table, _csv_table.CsvParser._csv_frame
    monkeypatch.setattr(_csv_table.CsvParser, "_polars_table", lambda s, w: used.append("polars") or fast(s, w))
    monkeypatch.setattr(_csv_table.CsvParser, "_csv_frame", lambda s, w, d: used.append("csv") or by_module(s, w, d))
    path = tmp_path / "evidence" / "r.csv"
    path.parent.mkdir()
    header = "unit,period,indicator,answer\n"
    for rows, expected in [
        ("b1,2019,1.1,always\n", ["polars"]),
        ('b1,2019,1.1,"Yes, always"\nb2,"2019","1.1",""\n', ["polars"]),  # quotes wrapping whole cells
        ('b1,2019,1.1,"al""ways"\n', ["polars", "csv"]),  # an escaped quote: read, then read again
        ('b1,2019,1.1,"alw\nays"\n', ["polars", "csv"]),  # a line break in a cell: found before parsing
        ('b1,2019,1.1,al"ways\n', ["polars", "csv"]),  # a quote inside an unquoted cell
        ("b1,2019\n", ["polars", "csv"]),  # a short row: the bytes do not add up
    ]:
        used.clear()
        path.write_text(header + rows, encoding="utf-8")
        _read(read_csv_evidence, path)
        assert used == expected, rows
        assert_same(path)
    path.write_text('"unit","period","indicator","answer"\r\n"b1","2019","1.1","Yes, always"\r\n', encoding="utf-8")
    used.clear()
    _read(read_csv_evidence, path)
    assert used == ["polars"]  # R's write.csv: every text quoted, Windows line ends
    assert_same(path)
    path.write_text('unit,period,indicator,"ans\nwer"\nb1,2019,1.1,always\n', encoding="utf-8")
    used.clear()
    _read(read_csv_evidence, path)
    assert used == ["csv"]  # a header on two lines: the csv module alone reads it
    assert_same(path)


def test_a_wide_file_not_read_still_says_where_its_csv_breaks(tmp_path: Path) -> None:
    path = tmp_path / "evidence" / "r.csv"
    path.parent.mkdir()
    path.write_text('unit,1.1\nb1,always\nb2,"never\n', encoding="utf-8")
    problems, evidence = _read(read_csv_evidence, path)
    messages = [(p[1], p[4]) for p in problems]
    assert messages[0][1].startswith("the wide CSV has no `period` column")
    assert messages[1][0] == 3
    assert messages[1][1].startswith("the CSV cannot be read from here on")
    assert evidence.left_out["evidence/r.csv"].returns == 1


def test_a_column_of_more_texts_than_sixteen_bits_count_is_encoded_whole() -> None:
    """Codes are collected in 16 bits; a column with more distinct texts is encoded again in 32, none lost."""
    import numpy as np
    import polars as pl

    from recotrack.evidence._csv_table import _encoded

    many = [f"unit-{i}" for i in range(70_000)] + ["unit-3", ""]
    few = ["a", "b"] * (len(many) // 2)
    table = _encoded(["unit", "answer"], pl.LazyFrame({"0": many, "1": few}), None)
    unit_codes, answer_codes = table.codes
    assert unit_codes.dtype.itemsize == 4
    assert answer_codes.dtype.itemsize == 1
    assert [table.values[0][code] for code in unit_codes.tolist()] == many
    assert [table.values[1][code] for code in answer_codes.tolist()] == few
    assert table.height == len(many)
    assert table.line(0) == 2
    assert table.lines_of(np.array([0, 5])).tolist() == [2, 7]


def test_a_wide_file_past_the_returns_limit_counts_what_it_left_out_up_to_that_row(tmp_path: Path) -> None:
    path = tmp_path / "evidence" / "r.csv"
    path.parent.mkdir()
    path.write_text("unit,period,Notes,1.1\nb1,2019,x,always\nb2,2019,y,never\nb3,2019,z,never\n", encoding="utf-8")
    problems = ProblemSink()
    limits = Limits(returns=1)
    builder = EvidenceBuilder(TRACKER.catalog, TRACKER.units, problems, limits, files={"evidence/r.csv": FileFacts()})
    read_csv_evidence(builder, InputRegistry(path.parent.parent, limits=limits), path, None)
    evidence = builder.finish()
    assert [(p.line, p.message.split(";")[0]) for p in problems.ordered()] == [
        (1, "column not read: unknown question"),
        (3, "more returns than the limit returns (1)"),
    ]
    assert sorted(evidence.periods["2019"].returns) == ["b1"]
    left = evidence.left_out["evidence/r.csv"]
    assert (left.answers, dict(left.reasons)) == (2, {"unknown-question": 1, "limit": 1})


@pytest.mark.parametrize("errors", [1, 4, 9, 30])
def test_a_flood_past_the_errors_limit_is_counted_as_row_by_row(tmp_path: Path, errors: int) -> None:
    """Past the limit, refused answers and spaced ids are counted in bulk: the same errors, kept or not.

    (Which ones are kept may differ: the columnar reader reports returns before answers.)
    """
    rows = ["b1,2019,1.1,bogus", "b2,2019, 1.1,never", "b3,2019,1.1,alway", "b1,2019,1.2,always", "b1,2019,1.2,no"]
    rows += ["b2,2019,1.8/the-police,NO", "zz9,2019,1.1,always", "b3,2019,1.8/the-police,maybe"]
    path = tmp_path / "evidence" / "r.csv"
    path.parent.mkdir()
    path.write_text("unit,period,indicator,answer\n" + "\n".join(rows * 3) + "\n", encoding="utf-8")
    found = []
    for reader in (reference_csv.read_csv_evidence, read_csv_evidence):
        problems = ProblemSink(errors)
        builder = EvidenceBuilder(
            TRACKER.catalog, TRACKER.units, problems, Limits(errors=errors), files={"evidence/r.csv": FileFacts()}
        )
        reader(builder, InputRegistry(path.parent.parent), path, None)
        evidence = builder.finish()
        found.append((problems.error_count(), len(problems), evidence.left_out, _answers(evidence)))
    assert found[0] == found[1]
    assert found[1][0] == 20


@pytest.mark.parametrize("errors", [1, 3, 5, 8])
def test_a_finding_reported_at_many_lines_is_what_reporting_it_line_by_line_gives(errors: int) -> None:
    from recotrack.errors import Finding, Severity
    from recotrack.evidence.builder import Where

    finding = Finding((), "not an answer on the scale", "x" * 500, "one of 'a', 'b'", Severity.ERROR)
    sinks = []
    for at_once in (False, True):
        sink = ProblemSink(errors)
        builder = EvidenceBuilder(TRACKER.catalog, TRACKER.units, sink, Limits(errors=errors))
        builder.report(Where("r.csv", 1, 2, "unit"), Finding((), "unknown unit"))
        where = Where("r.csv", 0, 4, "answer")
        if at_once:
            builder.report_lines(where, finding, [3, 5, 9, 10])
        else:
            for line in (3, 5, 9, 10):
                builder.report(where._replace(line=line), finding)
        sinks.append(sink)
    assert list(sinks[0]) == list(sinks[1])
    assert sinks[0].error_count() == sinks[1].error_count() == 5
    with pytest.raises(ValueError, match="places"):
        sinks[1].add_kept("r.csv", list(sinks[1])[:1] * (sinks[1].room("r.csv") + 1))


def test_audiences_and_conditions_read_alike_tidy_and_wide(tmp_path: Path) -> None:
    """The partnership tracker asks partnerships and areas different questions: answers from outside a
    question's audience, and a routed grid item, give the same problems and data in both layouts."""
    partnership = recotrack.load(Path(__file__).resolve().parent / "data" / "partnership")
    source = Path(__file__).resolve().parent / "data" / "partnership" / "evidence" / "2021-returns.csv"
    rows = [line.split(",") for line in source.read_text(encoding="utf-8").splitlines()[1:]]
    rows += [["p1", "2021", "l1", "fully"], ["a01", "2021", "r1", "yes"], ["a02", "2021", "r2", "Partly"]]
    questions = sorted({question for _, _, question, _ in rows})
    by_unit: dict[str, dict[str, str]] = {}
    for unit, _, question, answer in rows:
        by_unit.setdefault(unit, {})[question] = answer
    tidy = "unit,period,indicator,answer\n" + "".join(",".join(row) + "\n" for row in rows)
    wide = "unit,period," + ",".join(questions) + "\n"
    wide += "".join(
        f"{unit},2021," + ",".join(answers.get(q, "") for q in questions) + "\n" for unit, answers in by_unit.items()
    )
    for name, content in (("tidy", tidy), ("wide", wide)):
        path = tmp_path / name / "evidence" / "r.csv"
        path.parent.mkdir(parents=True)
        path.write_text(content, encoding="utf-8")
        found = []
        for reader in (reference_csv.read_csv_evidence, read_csv_evidence):
            problems = ProblemSink()
            builder = EvidenceBuilder(
                partnership.catalog, partnership.units, problems, Limits(), files={"evidence/r.csv": FileFacts()}
            )
            reader(builder, InputRegistry(path.parent.parent), path, None)
            evidence = builder.finish()
            shown = [(p.line, p.column, p.message) for p in problems.ordered()]
            found.append((shown, evidence.left_out, _answers(evidence)))
        assert found[0] == found[1], name
        messages = [message for _, _, message in found[1][0]]
        assert sum("is asked only of" in message for message in messages) == 3, messages


def test_a_wide_column_past_the_errors_limit_keeps_its_first_rows(tmp_path: Path) -> None:
    """Which problems are kept does not depend on the order wrong values are judged in: the first rows are."""
    units = [("b1", "z"), ("b2", "y"), ("b3", "x")]
    rows = [f"{unit},{period},{bad}" for period in ("2019", "2020", "2021") for unit, bad in units]
    path = tmp_path / "evidence" / "r.csv"
    path.parent.mkdir()
    path.write_text("unit,period,1.1\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert_same(path, errors=4)
    problems, _ = _read(read_csv_evidence, path, errors=4)
    assert [line for _, line, *_ in problems] == [0, 2, 3, 4, 5]
