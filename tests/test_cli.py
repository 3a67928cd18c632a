"""The command line: exit codes, whole error lists, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE, MINIMAL, ROOT, Edit, line_of
from recotrack.cli import main


def run(*args: str, cwd: Path | None = None, columns: int = 200) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "recotrack", *args],
        capture_output=True,
        text=True,
        check=False,
        env={"NO_COLOR": "1", "PATH": "", "COLUMNS": str(columns)},
        cwd=cwd,
    )


def test_validate_example_says_valid() -> None:
    result = run("validate", str(EXAMPLE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is valid" in result.stdout


def test_three_mistakes_give_three_lines_and_exit_1(edit: Edit, minimal: Path) -> None:
    edit("level: national\n    owners: [Government]", "level: nationl\n    owners: [Government]")
    edit("    scale: yes-no\n    items:", "    scale: yes-or-no\n    items:")
    edit("    parent: L1\n", "    parent: L7\n")
    result = run("validate", str(minimal))
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert len(errors) == 3
    catalog = minimal / "catalog.yaml"
    lines = [line_of(catalog, "nationl"), line_of(catalog, "parent: L7"), line_of(catalog, "yes-or-no")]
    assert [int(e.split(":")[1]) for e in errors] == lines
    assert "Traceback" not in result.stdout + result.stderr
    assert "3 errors" in result.stdout


@pytest.mark.parametrize("args", [[], ["validate"], ["frobnicate", "x"], ["validate", "/no/such/tracker"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr


def test_catalog_tree_shows_levels_recommendations_and_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "--no-color", str(MINIMAL)]) == 0
    out = capsys.readouterr().out
    assert "National" in out
    assert "L1.1 Joint commissioning" in out
    assert "1.2 scale" in out
    assert "when" in out
    assert "1.1 in {always, Yes, sometimes}" in " ".join(out.replace("│", "").split())
    assert "2 items" in out
    assert "withdrawn" in out
    assert "3 recommendations, 6 indicators, 5 questions and grid items." in out
    assert "National: 1 recommendation\n" in out
    assert "Local: 2 recommendations\n" in out
    assert "1 recommendations" not in out


def test_catalog_of_example_counts() -> None:
    result = run("catalog", str(EXAMPLE))
    assert result.returncode == 0
    assert "116 questions and grid items" in result.stdout  # 110 asked in 2019, 6 more in the synthetic 2021


def test_markup_in_names_is_printed_literally(edit: Edit, minimal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit("title: Lead nationally", "title: '[bold red]Lead[/] <script>'")
    assert main(["catalog", "--no-color", str(minimal)]) == 0
    assert "[bold red]Lead[/] <script>" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("format", "hint"),
    [
        ("html", "html reports are web pages: write one with -o report.html"),
        ("xlsx", "xlsx reports are workbooks: write one with -o report.xlsx"),
    ],
)
def test_reports_that_are_not_text_refuse_a_terminal(
    format: str, hint: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["report", str(EXAMPLE), "--period", "2019", "--format", format, "--no-plugins"]) == 2
    captured = capsys.readouterr()
    assert hint in " ".join(captured.err.split())
    assert captured.out == ""


@pytest.mark.parametrize("format", ["json", "csv"])
def test_text_reports_print_to_a_terminal(
    format: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["report", str(EXAMPLE), "--period", "2019", "--format", format, "--no-plugins"]) == 0
    assert "1.1" in capsys.readouterr().out


def test_reports_that_are_not_text_may_be_piped(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(EXAMPLE), "--period", "2019", "--format", "html", "--no-plugins"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


def test_output_file_is_named_on_standard_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.html"
    assert (
        main(["report", str(EXAMPLE), "--period", "2019", "--format", "html", "-o", str(target), "--no-plugins"]) == 0
    )
    captured = capsys.readouterr()
    size = target.stat().st_size
    assert " ".join(captured.err.split()) == f"wrote {target} (html, {round(size / 1000)} KB)"
    assert captured.out == ""


def test_catalog_wraps_whole_texts_to_the_width() -> None:
    """Texts are never cut: 9.6a to 9.6d, alike but for their ends, are told apart."""
    import recotrack

    result = run("catalog", str(EXAMPLE), columns=80)
    assert result.returncode == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "…" not in result.stdout
    flat = " ".join(result.stdout.replace("│", " ").replace("├──", " ").replace("└──", " ").split())
    for indicator in recotrack.load(EXAMPLE, strict=False).catalog.indicators:
        assert " ".join(indicator.text.split()) in flat, indicator.id


def problem_files(output: str) -> list[str]:
    return [line.split(":", 1)[0] for line in output.splitlines() if ": warning: " in line or ": error: " in line]


def test_validate_names_files_relative_to_the_current_directory() -> None:
    result = run("validate", "examples/cqc-cypmh", cwd=ROOT)
    files = problem_files(result.stdout)
    assert files
    assert all(name.startswith("examples/cqc-cypmh/evidence/") for name in files), files
    assert all((ROOT / name).is_file() for name in files)


def test_validate_from_inside_the_tracker(edit: Edit, minimal: Path) -> None:
    edit("level: national\n    owners: [Government]", "level: nationl\n    owners: [Government]")
    result = run("validate", ".", cwd=minimal)
    assert result.returncode == 1
    assert problem_files(result.stdout) == ["catalog.yaml"]


def test_validate_from_elsewhere_names_absolute_paths(edit: Edit, minimal: Path, tmp_path: Path) -> None:
    edit("level: national\n    owners: [Government]", "level: nationl\n    owners: [Government]")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("validate", str(minimal), cwd=elsewhere)
    assert result.returncode == 1
    (name,) = problem_files(result.stdout)
    assert Path(name).is_absolute()
    assert Path(name) == (minimal / "catalog.yaml").resolve()


def test_problems_themselves_stay_relative_to_the_trackers_root(edit: Edit, minimal: Path) -> None:
    """Only printing changes: the API's problems (and so reports) are the same wherever they are made."""
    import recotrack

    edit("level: national\n    owners: [Government]", "level: nationl\n    owners: [Government]")
    assert [p.file for p in recotrack.validate(minimal)] == ["catalog.yaml"]
