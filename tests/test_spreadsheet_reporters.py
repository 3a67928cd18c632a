"""The CSV and XLSX reporters: built-ins through the same hook, the published figures, formulas never run,
numbers as numbers, the same bytes for the same input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

import recotrack
from conftest import EXAMPLE, ROOT
from recotrack.loading import Tracker
from recotrack.pipeline import provenance
from recotrack.plugins import load_plugins
from recotrack.reporters import Provenance, ReportContext
from recotrack.reporters import csv as csv_reporter
from recotrack.reporters import xlsx as xlsx_reporter
from recotrack.results import Results

PROVENANCE = Provenance("recotrack", "0", dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
HOSTILE = '=HYPERLINK("http://x","y")'
BRIEF_COLUMNS = [
    "period",
    "section",
    "question",
    "item",
    "option",
    "count",
    "base",
    "percent",
    "printed",
    "interval_low",
    "interval_high",
    "score",
    "score_printed",
    "band",
]


@pytest.fixture(scope="module")
def tracker() -> Tracker:
    return recotrack.load(EXAMPLE, strict=False)


@pytest.fixture(scope="module")
def results_2019(tracker: Tracker) -> Results:
    return recotrack.score(tracker, "2019")


@pytest.fixture(scope="module")
def results_2020(tracker: Tracker) -> Results:
    return recotrack.score(tracker, "2020", compare="2019")


def context(tracker: Tracker, results: Results) -> ReportContext:
    return ReportContext(results, tracker.catalog.review, PROVENANCE)


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def header_row(sheet: Worksheet) -> int:
    """The row of a table sheet's header: the one above the frozen panes."""
    assert sheet.freeze_panes is not None
    return int(re.sub(r"\D", "", sheet.freeze_panes)) - 1


def table(sheet: Worksheet) -> list[dict[str, object]]:
    """A table sheet's rows as dicts keyed by its header."""
    header = header_row(sheet)
    names = [cell.value for cell in sheet[header]]
    return [
        dict(zip(names, (cell.value for cell in row), strict=True))
        for row in sheet.iter_rows(min_row=header + 1)
        if any(cell.value is not None for cell in row)
    ]


def with_hostile_names(results: Results) -> Results:
    """A region and an option of 3.4 named like a formula."""
    question = results.distribution("3.4")
    options = tuple(o.model_copy(update={"label": HOSTILE}) if o.id == "always" else o for o in question.options)
    distributions = tuple(
        d.model_copy(update={"options": options}) if d.id == "3.4" else d for d in results.distributions
    )
    regions = tuple(
        r.model_copy(update={"name": HOSTILE}) if r.name == "London" else r for r in results.response.regions
    )
    response = results.response.model_copy(update={"regions": regions})
    return results.model_copy(update={"distributions": distributions, "response": response})


@pytest.mark.parametrize(
    ("name", "extension", "media_type"), [("xlsx", "xlsx", xlsx_reporter.MEDIA_TYPE), ("csv", "csv", "text/csv")]
)
def test_registered_as_built_ins_through_the_hook(name: str, extension: str, media_type: str) -> None:
    entry = load_plugins(autoload=False).reporters()[name]
    assert (entry.plugin, entry.origin) == (name, "built-in")
    assert (entry.reporter.extension, entry.reporter.media_type) == (extension, media_type)


def test_xlsx_is_bytes_with_a_sheet_per_section(tracker: Tracker, results_2020: Results) -> None:
    data = xlsx_reporter.render(context(tracker, results_2020))
    assert isinstance(data, bytes)
    assert data.startswith(b"PK")
    names = workbook(data).sheetnames
    assert names == [
        "README",
        "Response",
        "Recommendations",
        "Milestones and numbers",
        "Questions",
        "Comparison",
        "Flags",
        "Provenance",
    ]


def test_xlsx_without_comparison_has_no_comparison_sheet(tracker: Tracker, results_2019: Results) -> None:
    assert "Comparison" not in workbook(xlsx_reporter.render(context(tracker, results_2019))).sheetnames


def test_xlsx_question_1_1_of_2019_as_published(tracker: Tracker, results_2019: Results) -> None:
    book = workbook(xlsx_reporter.render(context(tracker, results_2019)))
    rows = [row for row in table(book["Questions"]) if row["Question"] == "1.1" and row["Answer"]]
    figures = {row["Answer"]: (row["Count"], row["Printed %"], row["As printed"]) for row in rows}
    assert figures["Yes, always"] == (16, 24, "16 (24%)")
    assert figures["Yes, sometimes"] == (51, 76, "51 (76%)")
    sheet = book["Questions"]
    header = [cell.value for cell in sheet[header_row(sheet)]]
    count = next(c for c in sheet.iter_rows(min_row=2) if c[1].value == "1.1" and c[4].value == "Yes, always")
    assert count[header.index("Count")].data_type == "n"
    assert count[header.index("Printed %")].number_format == '0"%"'
    assert count[header.index("Percent (exact)")].value == pytest.approx(100 * 16 / 67)


def test_xlsx_tables_have_frozen_headers_print_titles_filters_and_widths(
    tracker: Tracker, results_2020: Results
) -> None:
    book = workbook(xlsx_reporter.render(context(tracker, results_2020)))
    for sheet in book.worksheets[1:]:
        header = header_row(sheet)
        assert sheet.print_title_rows == f"${header}:${header}", sheet.title
        assert sheet.auto_filter.ref.startswith(f"A{header}:"), sheet.title
        assert all(cell.font.bold for cell in sheet[header] if cell.value), sheet.title
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[header]]
        assert all(8 <= width <= 70 for width in widths), (sheet.title, widths)
    assert book["README"].print_title_rows == "$1:$1"


def test_xlsx_scores_are_numbers_shown_as_printed(tracker: Tracker, results_2020: Results) -> None:
    book = workbook(xlsx_reporter.render(context(tracker, results_2020)))
    sheet = book["Recommendations"]
    top = header_row(sheet)
    header = [cell.value for cell in sheet[top]]
    score, printed = header.index("Score"), header.index("Printed score")
    checked = 0
    for row in sheet.iter_rows(min_row=top + 1):
        if row[score].value is not None:
            assert row[score].data_type == "n"
            places = len(str(row[printed].value).partition(".")[2])
            assert row[score].number_format == "0." + "0" * places
            checked += 1
    assert checked > 10


def test_xlsx_negative_change_is_a_number(tracker: Tracker, results_2020: Results) -> None:
    sheet = workbook(xlsx_reporter.render(context(tracker, results_2020)))["Comparison"]
    top = header_row(sheet)
    header = [cell.value for cell in sheet[top]]
    change = header.index("Change")
    negatives = [row[change] for row in sheet.iter_rows(min_row=top + 1) if isinstance(row[change].value, float)]
    negatives = [cell for cell in negatives if cell.value < 0]
    assert negatives
    assert all(cell.data_type == "n" for cell in negatives)
    assert negatives[0].number_format.startswith("+0")


def test_xlsx_never_writes_a_formula(tracker: Tracker, results_2019: Results) -> None:
    book = workbook(xlsx_reporter.render(context(tracker, with_hostile_names(results_2019))))
    found = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value == HOSTILE]
    assert {cell.parent.title for cell in found} >= {"Response", "Questions"}
    assert all(cell.data_type == "s" for cell in found)
    assert not [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def test_xlsx_provenance_and_readme(tracker: Tracker, results_2020: Results) -> None:
    book = workbook(xlsx_reporter.render(ReportContext(results_2020, tracker.catalog.review, provenance(tracker))))
    rows = table(book["Provenance"])
    assert [row["Input file"] for row in rows] == [f.path for f in tracker.inputs]
    assert all(re.fullmatch(r"[0-9a-f]{64}", str(row["SHA-256"])) for row in rows)
    readme = [[cell.value for cell in row] for row in book["README"].iter_rows()]
    labels = [row[0] for row in readme]
    assert labels[:1] == [tracker.catalog.review.title]
    assert {"Sheets", "Method", "Sources", "Bands", "Methodology"} <= set(labels)
    text = " ".join(str(value) for row in readme for value in row if value)
    assert f"version {results_2020.method.version}" in text
    assert all(document.title in text for document in tracker.catalog.review.documents)


def test_xlsx_same_input_same_bytes(tracker: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two runs an hour apart give the same bytes: neither the document properties nor the zip take the clock."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    first = recotrack.report(tracker, period="2020", compare="2019", format="xlsx").content
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3600)
    second = recotrack.report(tracker, period="2020", compare="2019", format="xlsx").content
    assert first == second
    assert isinstance(first, bytes)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2020, 9, 13, 12, 26, 40)}
    properties = workbook(first).properties
    assert properties.created == properties.modified == dt.datetime(2020, 9, 13, 12, 26, 40)


def test_xlsx_written_to_a_file(tracker: Tracker, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.xlsx"
    recotrack.report(tracker, period="2019", format="xlsx", output=target)
    assert workbook(target.read_bytes()).sheetnames[0] == "README"


def test_csv_columns_in_their_documented_order(tracker: Tracker, results_2020: Results) -> None:
    text = csv_reporter.render(context(tracker, results_2020))
    header = next(csv.reader(io.StringIO(text)))
    assert header == list(csv_reporter.COLUMNS)
    assert header[: len(BRIEF_COLUMNS)] == BRIEF_COLUMNS
    assert len(set(header)) == len(header)


def test_csv_question_1_1_of_2019_as_published(tracker: Tracker, results_2019: Results) -> None:
    rows = csv_rows(csv_reporter.render(context(tracker, results_2019)))
    options = {r["option"]: r for r in rows if r["figure"] == "option" and r["question"] == "1.1"}
    assert (options["always"]["count"], options["always"]["printed"], options["always"]["base"]) == ("16", "24", "67")
    assert (options["sometimes"]["count"], options["sometimes"]["printed"]) == ("51", "76")
    assert float(options["always"]["percent"]) == pytest.approx(100 * 16 / 67)
    assert float(options["always"]["interval_low"]) < 24 < float(options["always"]["interval_high"])


def test_csv_has_every_kind_of_figure_in_a_stable_order(tracker: Tracker, results_2020: Results) -> None:
    text = csv_reporter.render(context(tracker, results_2020))
    assert text == csv_reporter.render(context(tracker, results_2020))
    kinds = [row["figure"] for row in csv_rows(text)]
    assert set(kinds) == set(csv_reporter.FIGURES) - {"other", "excluded"}  # no 'other' entries; nothing left out
    firsts = sorted(set(kinds), key=kinds.index)
    assert firsts == [k for k in csv_reporter.FIGURES if k in kinds]
    rows = csv_rows(text)
    recs = [r["recommendation"] for r in rows if r["figure"] == "recommendation"]
    assert recs == [r.id for r in results_2020.recommendations]
    level = next(r for r in rows if r["figure"] == "level" and r["level"] == "national")
    assert level["score"] == level["score_printed"] == ""  # not measured: empty, never 0


def test_csv_others_of_2019(tracker: Tracker, results_2019: Results) -> None:
    rows = csv_rows(csv_reporter.render(context(tracker, results_2019)))
    others = [r for r in rows if r["figure"] == "other"]
    assert len(others) == len(results_2019.others)


def test_csv_formulas_are_quoted_and_numbers_stay_numbers(tracker: Tracker, results_2020: Results) -> None:
    rows = csv_rows(csv_reporter.render(context(tracker, with_hostile_names(results_2020))))
    region = next(r for r in rows if r["figure"] == "region" and r["region"] == "region-london")
    assert region["label"] == "'" + HOSTILE
    option = next(r for r in rows if r["figure"] == "option" and r["question"] == "3.4" and r["option"] == "always")
    assert option["label"] == "'" + HOSTILE
    negative = [r["change"] for r in rows if r["change"] and float(r["change"]) < 0]
    assert negative
    assert all(value.startswith("-") for value in negative)  # a number, not "'-0.09"
    assert all(not value.startswith("'") for r in rows for key, value in r.items() if key in ("count", "change"))


def test_csv_columns_and_figures_are_documented() -> None:
    formats = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    section = formats.split("## CSV report", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in (*csv_reporter.COLUMNS, *csv_reporter.FIGURES) if f"`{name}`" not in section]
    assert not missing, f"docs/formats.md, 'CSV report', does not name {missing}"
    documented = re.findall(r"^\| \d+ \| `(\w+)` \|", section, re.MULTILINE)
    assert documented == list(csv_reporter.COLUMNS), "the column table lists the columns in their order"


def test_registering_the_xlsx_reporter_does_not_import_openpyxl() -> None:
    # Every report loads every built-in reporter; openpyxl (and numpy behind it) is for workbooks only.
    code = (
        "import sys\n"
        "from recotrack.plugins import load_plugins\n"
        "assert 'xlsx' in load_plugins().reporters()\n"
        "assert 'openpyxl' not in sys.modules, 'openpyxl imported by registration'\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT)
    assert run.returncode == 0, run.stderr
