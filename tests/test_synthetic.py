"""Synthetic evidence is labelled everywhere (issue 11): in the results, in every format, before any figure."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import openpyxl
import pytest

import recotrack
from conftest import EXAMPLE, ROOT
from recotrack.pipeline import provenance
from recotrack.reporters import ReportContext

TIDY = "unit,period,indicator,answer\n"


def _evidence(tracker: Path, name: str, text: str) -> None:
    folder = tracker / "evidence"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def _manifest(tracker: Path, periods: str, manifest: str = "") -> None:
    catalog = tracker / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    old = 'periods: ["2019", "2020", "2021"]   # in time order\n'
    assert old in text
    catalog.write_text(text.replace(old, periods + "\n" + manifest), encoding="utf-8")


# -- which periods and files a report rests on ---------------------------------------------------------


def test_a_report_names_the_synthetic_evidence_of_its_period_and_every_one_before() -> None:
    tracker = recotrack.load(EXAMPLE)
    only_2019 = recotrack.score(tracker, "2019").synthetic
    assert only_2019 is not None
    ((period, declared, files),) = [(p.period, p.declared, p.files) for p in only_2019.periods]
    assert (period, declared, len(files)) == ("2019", False, 67), "the per-board returns are invented"
    assert all(f.startswith("evidence/2019/") for f in files)
    compared = recotrack.score(tracker, "2020", compare="2019").synthetic
    assert compared is not None
    assert [(p.period, p.declared, p.files[-1:]) for p in compared.periods] == [
        ("2019", False, ("evidence/2019/hwb-148.yaml",)),
        ("2020", True, ("evidence/2020-returns.csv",)),
    ]
    assert "evidence/2019-published-tallies.yaml" not in compared.periods[0].files, "the tallies are real"


def test_real_evidence_has_no_synthetic_notice(minimal: Path) -> None:
    _evidence(minimal, "2019.csv", f"{TIDY}b1,2019,1.1,never\n")
    made = recotrack.report(minimal, format="json")
    assert made.results.synthetic is None
    document = json.loads(made.content)
    assert (document["synthetic"], document["meta"]["synthetic"]) == (None, False)
    assert not any(i["synthetic"] for i in document["meta"]["inputs"])
    assert "SYNTHETIC" not in recotrack.report(minimal, format="terminal").content


def test_a_real_file_in_a_synthetic_period_is_not_named(minimal: Path) -> None:
    _manifest(
        minimal,
        'periods: ["2019", {id: "2020", synthetic: true}, "2021"]',
        "evidence:\n  - {path: evidence/real.csv, synthetic: false}\n  - {path: evidence/made.csv, synthetic: true}\n",
    )
    _evidence(minimal, "real.csv", f"{TIDY}b1,2020,1.1,never\n")
    _evidence(minimal, "made.csv", f"{TIDY}b2,2020,1.1,always\nb2,2019,1.1,sometimes\n")
    tracker = recotrack.load(minimal)
    found = recotrack.score(tracker, "2020").synthetic
    assert found is not None
    assert [(p.period, p.declared, p.files) for p in found.periods] == [
        ("2019", False, ("evidence/made.csv",)),
        ("2020", True, ("evidence/made.csv",)),
    ]
    assert recotrack.score(tracker, "2019").synthetic == found.model_copy(update={"periods": found.periods[:1]})


def test_a_later_synthetic_period_does_not_label_an_earlier_report(minimal: Path) -> None:
    _manifest(minimal, 'periods: ["2019", {id: "2020", synthetic: true}, "2021"]')
    _evidence(minimal, "a.csv", f"{TIDY}b1,2019,1.1,never\nb1,2020,1.1,always\n")
    tracker = recotrack.load(minimal)
    assert recotrack.score(tracker, "2019").synthetic is None
    later = recotrack.score(tracker, "2020").synthetic
    assert later is not None
    assert [(p.period, p.declared, p.files) for p in later.periods] == [("2020", True, ())]


# -- every format says so, before any figure ------------------------------------------------------------


def _made(format: str, **options: object) -> recotrack.Report:
    return recotrack.report(EXAMPLE, period="2020", compare="2019", format=format, **options)  # type: ignore[arg-type]


def test_the_terminal_says_so_before_the_summary() -> None:
    text = _made("terminal", width=100).content
    assert isinstance(text, str)
    assert text.index("SYNTHETIC EVIDENCE.") < text.index("Summary")
    assert "2020: a synthetic period (evidence/2020-returns.csv)" in text
    assert "2019: synthetic evidence in 67 files under evidence/2019/" in text


def test_json_says_so_in_meta_and_names_the_periods() -> None:
    content = _made("json").content
    assert isinstance(content, str)
    document = json.loads(content)
    assert document["meta"]["synthetic"] is True
    assert [p["period"] for p in document["synthetic"]["periods"]] == ["2019", "2020"]
    marked = {i["path"]: i["synthetic"] for i in document["meta"]["inputs"]}
    assert marked["evidence/2020-returns.csv"] is True
    assert marked["evidence/2019-published-tallies.yaml"] is False
    assert marked["catalog/periods.yaml"] is False


def test_html_shows_a_notice_before_the_first_figure() -> None:
    page = _made("html").content
    assert isinstance(page, str)
    notice = page.index('id="synthetic"')
    assert notice < page.index('id="glance"')
    assert "These figures rest in part on invented evidence (2019, 2020)" in page


def test_every_sheet_of_the_workbook_says_so_on_its_first_row() -> None:
    content = _made("xlsx").content
    assert isinstance(content, bytes)
    book = openpyxl.load_workbook(io.BytesIO(content))
    readme = [row[0].value for row in book["README"].iter_rows()]
    assert "Synthetic evidence" in readme
    for sheet in book.worksheets[1:]:
        assert sheet["A1"].value == "Synthetic evidence", sheet.title
        assert "not real findings" in str(sheet["B1"].value)


def test_every_csv_row_is_marked_and_synthetic_rows_name_the_periods() -> None:
    content = _made("csv").content
    assert isinstance(content, str)
    rows = list(csv.DictReader(io.StringIO(content)))
    assert {row["synthetic"] for row in rows} == {"true"}
    named = [(row["period"], row["count"], row["label"]) for row in rows if row["figure"] == "synthetic"]
    assert named == [
        ("2019", "67", "2019: synthetic evidence in 67 files under evidence/2019/"),
        ("2020", "1", "2020: a synthetic period (evidence/2020-returns.csv)"),
    ]


def test_the_markdown_plugin_says_so_before_any_figure() -> None:
    sys.path.insert(0, str(ROOT / "examples" / "plugins" / "recotrack-markdown" / "src"))
    try:
        import recotrack_markdown
    finally:
        sys.path.pop(0)
    tracker = recotrack.load(EXAMPLE)
    results = recotrack.score(tracker, "2020", compare="2019")
    text = recotrack_markdown.render(ReportContext(results, tracker.catalog.review, provenance(tracker)))
    top = text[: text.index("## ")]
    assert "> **Synthetic evidence.** These figures rest in part on invented evidence (2019, 2020)" in top


@pytest.mark.parametrize("format", ["terminal", "html", "json"])
def test_a_unit_profile_says_so(format: str) -> None:
    made = recotrack.report(EXAMPLE, period="2020", format=format, unit="hwb-002")  # type: ignore[arg-type]
    content = made.content
    assert isinstance(content, str)
    if format == "json":
        document = json.loads(content)
        assert document["meta"]["synthetic"] is True
        assert [p["period"] for p in document["synthetic"]["periods"]] == ["2019", "2020"]
    elif format == "html":
        assert content.index('id="synthetic"') < content.index('id="glance"')
    else:
        assert "SYNTHETIC EVIDENCE." in content


def test_the_cli_says_so_for_the_readme_command(capsys: pytest.CaptureFixture[str]) -> None:
    from recotrack.cli import main

    assert main(["report", str(EXAMPLE), "--period", "2020", "--compare", "2019", "--summary"]) == 0
    assert "SYNTHETIC EVIDENCE." in capsys.readouterr().out
