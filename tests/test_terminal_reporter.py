"""The terminal reporter: fits 80 and 160 columns, colour only when asked, the key figures, inputs escaped.

The 2019 report is also compared whole with gold files. After a deliberate change to the report,
update them with ``UPDATE_GOLDEN=1 python -m pytest tests/test_terminal_reporter.py`` and review the diff.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

import recotrack
from conftest import EXAMPLE
from recotrack.cli import main
from recotrack.loading import Tracker
from recotrack.reporters import Provenance, ReportContext
from recotrack.reporters.terminal import render
from recotrack.results import Results, Trend

GOLDEN = Path(__file__).resolve().parent / "golden"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
PROVENANCE = Provenance("recotrack", "0", dt.datetime(2020, 1, 1, tzinfo=dt.UTC))


@pytest.fixture(scope="module")
def tracker() -> Tracker:
    return recotrack.load(EXAMPLE, strict=False)


@pytest.fixture(scope="module")
def results_2019(tracker: Tracker) -> Results:
    return recotrack.score(tracker, "2019")


@pytest.fixture(scope="module")
def results_2020(tracker: Tracker) -> Results:
    return recotrack.score(tracker, "2020", compare="2019")


def report(tracker: Tracker, results: Results, width: int, color: bool = False) -> str:
    return render(ReportContext(results, tracker.catalog.review, PROVENANCE, color, width))


def block(text: str, indicator: str) -> str:
    """The lines of one indicator in the answers section: its first line and those indented under it."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{indicator} ") and "█" not in line)
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    return "\n".join(lines[start:end])


@pytest.mark.parametrize("width", [80, 160])
@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("compare", [False, True])
def test_fits_the_width_and_colours_only_when_asked(
    tracker: Tracker, results_2019: Results, results_2020: Results, width: int, color: bool, compare: bool
) -> None:
    text = report(tracker, results_2020 if compare else results_2019, width, color)
    too_long = [line for line in text.splitlines() if cell_len(ANSI.sub("", line)) > width]
    assert not too_long
    assert ("\x1b[" in text) is color
    if color:
        assert re.search(r"\x1b\[(3[1-7]|38;)", text), "colours, not only bold"


def test_2019_summary_and_figures(tracker: Tracker, results_2019: Results) -> None:
    text = report(tracker, results_2019, 80)
    flat = " ".join(text.split())
    assert "Are we listening?" in text
    assert "Period 2019 (from per-unit returns)" in text
    assert "Returns 67 of 152 invited · response rate 44%" in text
    assert "Figures describe the 67 units that responded (44% of the 152 invited)" in flat
    assert re.search(r"^London +15 of 33 .* 45%$", text, re.MULTILINE)
    answers = block(text, "3.4")
    for figure in ("Yes, always 27 (40%)", "Yes, sometimes 37 (55%)", "No, never 0 (0%)", "Don't know 3 (4%)"):
        assert figure in answers
    assert "base 67 · score 0.71 Amber" in answers
    assert "base 65" in block(text, "1.3")
    withheld = block(text, "2.2")
    assert "withdrawn: In the questionnaire, question 2.2" in withheld
    assert "█" not in withheld
    assert re.search(r"^C1 .* 0\.50 Amber$", text, re.MULTILINE)
    assert "2019: In progress, 2020-10-01 (Children and young people's mental health review" in " ".join(text.split())
    assert "target 19,000 staff by 2021-03-31" in flat
    assert "low-response-rate 44% of the 152 invited units responded" in flat
    assert "9.6b high-dont-know 34% answered 'don't know'" in flat


def test_stacked_bar_shares_out_its_width_by_the_counts(tracker: Tracker, results_2019: Results) -> None:
    bar = next(line.strip() for line in block(report(tracker, results_2019, 160), "3.4").splitlines() if "█" in line)
    assert len(bar) == 60
    assert [bar.count(fill) for fill in "█▓▒░·"] == [24, 33, 0, 3, 0]  # 27, 37, 0, 3, 0 of 67


def test_comparison_shows_trends_in_words(tracker: Tracker, results_2020: Results) -> None:
    for width in (80, 160):
        text = report(tracker, results_2020, width)
        assert "Period 2020 (from per-unit returns), compared with 2019 (from per-unit returns)" in text
        assert "Returns 80 of 152 invited · response rate 53%" in text
        assert "▲ improved +0.50" in text  # C1: in progress, then delivered
        assert "since 2019: ▲ improved +0.19" in block(text, "4.2")
        assert "since 2019: ▼ worsened −0.09" in block(text, "8.2")
        assert "since 2019: = no clear change" in block(text, "3.4")
        assert "withdrawn: 2.2, 2.7" in text
        assert "no data" in text
        assert "2020: Delivered, 2020-12-09 (Joint working improving children's access" in " ".join(text.split())


def test_markup_in_inputs_is_printed_literally(tracker: Tracker, results_2019: Results) -> None:
    title = "[bold red]Loud[/bold red] [link=https://example.org]here[/link] :thumbs_up:"
    recommendations = tuple(
        r.model_copy(update={"title": title}) if r.id == "N1" else r for r in results_2019.recommendations
    )
    question = results_2019.distribution("3.4")
    options = tuple(o.model_copy(update={"label": "[i]Always[/i]"}) for o in question.options)
    indicators = tuple(
        d.model_copy(update={"label": "[b]Care[/b] plans?", "options": options}) if d.id == "3.4" else d
        for d in results_2019.distributions
    )
    regions = tuple(
        r.model_copy(update={"name": "[red]North[/red] East"}) if r.name == "North East" else r
        for r in results_2019.response.regions
    )
    group = results_2019.response.groups[0].model_copy(update={"rows": regions})
    response = results_2019.response.model_copy(update={"regions": regions, "groups": (group,)})
    changed = results_2019.model_copy(
        update={"recommendations": recommendations, "distributions": indicators, "response": response}
    )
    for color in (False, True):
        text = ANSI.sub("", report(tracker, changed, 160, color))
        assert title in text
        assert "3.4    [b]Care[/b] plans?" in text
        assert "[i]Always[/i] 27 (40%)" in text
        assert "[red]North[/red] East" in text


@pytest.mark.parametrize("width", [80, 160])
def test_2019_report_matches_gold_file(tracker: Tracker, results_2019: Results, width: int) -> None:
    text = report(tracker, results_2019, width)
    gold = GOLDEN / f"terminal-2019-{width}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        gold.write_text(text, encoding="utf-8")
    assert text == gold.read_text(encoding="utf-8"), f"update with UPDATE_GOLDEN=1 and review the diff of {gold}"


def test_piped_report_is_plain_text() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    result = subprocess.run(
        [sys.executable, "-m", "recotrack", "report", str(EXAMPLE), "--period", "2020", "--compare", "2019"],
        capture_output=True,
        text=True,
        check=False,
        env={**env, "RECOTRACK_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout + result.stderr
    assert "compared with 2019" in result.stdout
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 100


@pytest.mark.parametrize(
    ("option", "environment", "coloured"),
    [([], {}, True), (["--no-color"], {}, False), ([], {"NO_COLOR": "1"}, False)],
)
def test_terminal_colour_follows_no_color(
    option: list[str],
    environment: dict[str, str],
    coloured: bool,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["report", str(EXAMPLE), "--period", "2019", "--width", "80", "--no-plugins", *option]) == 0
    out = capsys.readouterr().out
    assert ("\x1b[" in out) is coloured
    assert "Returns 67 of 152 invited" in ANSI.sub("", out)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_only_on_a_terminal() -> None:
    import pty

    controller, terminal = pty.openpty()
    result = subprocess.run(
        [sys.executable, "-m", "recotrack", "report", str(EXAMPLE), "--period", "2019", "--no-plugins"],
        stdout=subprocess.PIPE,
        stderr=terminal,
        check=False,
    )
    os.close(terminal)
    shown = b""
    with contextlib.suppress(OSError):  # reading a closed pseudo-terminal ends with EIO
        while chunk := os.read(controller, 65536):
            shown += chunk
    os.close(controller)
    assert result.returncode == 0
    assert b"reading" in shown
    assert b"\x1b[" not in result.stdout


def run_report(*args: str, columns: str | None = "80") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run(
        [sys.executable, "-m", "recotrack", "report", str(EXAMPLE), *args],
        capture_output=True,
        text=True,
        check=False,
        env={**env, "RECOTRACK_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )


def test_summary_fits_one_80_by_40_screen() -> None:
    result = run_report("--period", "2020", "--compare", "2019", "--summary")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) <= 40, result.stdout
    assert max(cell_len(line) for line in lines) <= 80
    flat = " ".join(result.stdout.split())
    assert "Returns 80 of 152 invited · response rate 53%" in flat
    assert re.search(r"^Levels +National +not measured$", result.stdout, re.MULTILINE)
    assert re.search(r"Regional +█+░* 0\.78 Green", result.stdout)
    assert "Recommendations Green 4 · Amber 10 · not measured 6" in flat
    assert "Milestones Delivered 3" in flat
    assert "recommendations: ▲ improved 2 · = no clear change 12 · no data 6" in flat
    assert "questions: ▲ improved 3 · = no clear change 103 · ▼ worsened 2 · withdrawn 2" in flat
    assert re.search(r"^ +▲ C1 \+0\.50 Ask for a mental health focus", result.stdout, re.MULTILINE)
    assert "Answers by question" not in result.stdout  # only the summary


def test_summary_counts_follow_the_results(tracker: Tracker, results_2020: Results) -> None:
    text = render(ReportContext(results_2020, tracker.catalog.review, PROVENANCE, width=80, summary=True))
    flat = " ".join(text.split())
    unmeasured = sum(1 for r in results_2020.recommendations if r.score is None)
    assert f"not measured {unmeasured}" in flat
    assert results_2020.comparison is not None
    improved = [c for c in results_2020.comparison.recommendations if c.trend is Trend.IMPROVED]
    assert f"▲ improved {len(improved)}" in flat
    for change in improved:
        assert f"▲ {change.id} {change.score_change.change_printed if change.score_change else ''}" in flat
    flags = len(results_2020.flags) + sum(len(d.flags) for d in results_2020.distributions)
    assert (
        sum(int(n) for n in re.findall(r"(?:high-dont-know|item-non-response|high-not-applicable) (\d+)", flat))
        == flags
    )


def test_full_report_starts_with_the_summary(tracker: Tracker, results_2020: Results) -> None:
    text = report(tracker, results_2020, 80)
    summary = render(ReportContext(results_2020, tracker.catalog.review, PROVENANCE, width=80, summary=True))
    assert text.startswith(summary)
    assert text.index("Summary ─") < text.index("Response ─") < text.index("Answers by question")


def test_summary_through_the_api(tracker: Tracker) -> None:
    made = recotrack.report(tracker, period="2020", compare="2019", summary=True, width=80)
    assert isinstance(made.content, str)
    assert "Summary" in made.content
    assert "Answers by question" not in made.content


@pytest.mark.parametrize("columns", ["80", "132"])
def test_piped_report_honours_columns(columns: str) -> None:
    result = run_report("--period", "2019", columns=columns)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) == int(columns)  # the section rules span the width
    assert any(line.startswith("Summary ─") and cell_len(line) == int(columns) for line in lines)
