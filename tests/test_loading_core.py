"""The loading core: where findings live, one period rule, one file discovery, one input registry."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import recotrack
import recotrack.checks
import recotrack.errors
import recotrack.pipeline
import recotrack.reporters
from conftest import MINIMAL, ROOT, Edit
from recotrack import discovery, periods
from recotrack.errors import Problem, Severity
from recotrack.evidence import rules
from recotrack.evidence.files import TallyEntry
from recotrack.inputs import InputFile

RETURN = 'return:\n  unit: b1\n  period: "2019"\n  answers: {"1.1": always}\n'


def test_finding_lives_with_problems_below_the_checks() -> None:
    """Checks and loaders both use findings; defined at the bottom, neither imports the other for it."""
    assert recotrack.checks.Finding is recotrack.errors.Finding
    assert recotrack.errors.Finding.__module__ == "recotrack.errors"


def test_the_unused_problems_collection_is_gone() -> None:
    assert not hasattr(recotrack.errors, "Problems")


@pytest.mark.parametrize(
    ("module", "below"),
    [
        ("recotrack.errors", set()),
        ("recotrack.checks", {"recotrack.errors", "recotrack.model", "recotrack._wording", "recotrack._yaml"}),
    ],
)
def test_low_modules_import_nothing_above_them(module: str, below: set[str]) -> None:
    """Findings and problems sit at the bottom: the checks never reach up into loading for them."""
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.startswith('recotrack.')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(result.stdout.replace("'", '"'))) - {module}
    allowed = below | {"recotrack.periods", "recotrack._rounding"}
    above = {m for m in loaded if not any(m == low or m.startswith(f"{low}.") for low in allowed)}
    assert not above, above


# -- discovery ------------------------------------------------------------------------------------------


def test_upper_case_suffixes_are_found_in_the_catalog_units_and_evidence_folders(minimal: Path) -> None:
    (minimal / "catalog").mkdir()
    (minimal / "catalog.yaml").rename(minimal / "catalog" / "All.YAML")
    (minimal / "units.yaml").rename(minimal / "units.YML")
    evidence = minimal / "evidence"
    evidence.mkdir()
    (evidence / "B.CSV").write_text("unit,period,indicator,answer\nb2,2019,1.1,never\n", encoding="utf-8")
    (evidence / "a.Yaml").write_text(RETURN, encoding="utf-8")
    (evidence / ".hidden.csv").write_text("not,read\n", encoding="utf-8")
    (evidence / ".drafts").mkdir()
    (evidence / ".drafts" / "c.yaml").write_text("nonsense: [", encoding="utf-8")
    tracker = recotrack.load(minimal)
    assert [p.relative_to(minimal).as_posix() for p in tracker.files] == [
        "catalog/All.YAML",
        "units.YML",
        "evidence/a.Yaml",
        "evidence/B.CSV",
    ]
    assert set(tracker.evidence.periods["2019"].returns) == {"b1", "b2"}


def test_discovery_reads_evidence_yaml_before_csv_then_by_path(tmp_path: Path) -> None:
    for name in ("z.yaml", "a.csv", "m/b.YML", "m/a.CSV", "notes.txt", ".git/x.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in discovery.evidence_files(tmp_path)]
    assert found == ["m/b.YML", "z.yaml", "a.csv", "m/a.CSV"]
    csv, yaml = tmp_path / "a.csv", tmp_path / "z.yaml"
    assert discovery.reading_order([csv, yaml]) == [yaml, csv]


def test_a_single_catalog_file_is_a_tracker_on_its_own(tmp_path: Path) -> None:
    catalog = tmp_path / "Review.YAML"
    catalog.write_text((MINIMAL / "catalog.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert discovery.discover(catalog) == discovery.TrackerFiles([catalog], [], [])
    assert discovery.discover(tmp_path / "nowhere").catalog is None


# -- the period rule ------------------------------------------------------------------------------------


def _period_problems(minimal: Path, name: str, text: str, **options: object) -> list[Problem]:
    evidence = minimal / "evidence"
    evidence.mkdir(exist_ok=True)
    (evidence / name).write_text(text, encoding="utf-8")
    return [p for p in recotrack.validate(minimal, **options) if "period" in p.message]  # type: ignore[arg-type]


@pytest.mark.parametrize("period", ["2024\u201325", "", "-2019", "2019!", "x" * 41, "2019\u00a0Q1"])
def test_yaml_and_csv_refuse_a_bad_period_with_the_same_message(minimal: Path, period: str) -> None:
    yaml_text = RETURN.replace('"2019"', json.dumps(period, ensure_ascii=False))
    (from_yaml,) = _period_problems(minimal, "r.yaml", yaml_text)
    (minimal / "evidence" / "r.yaml").unlink()
    (tidy,) = _period_problems(minimal, "t.csv", f"unit,period,indicator,answer\nb1,{period},1.1,always\n")
    (minimal / "evidence" / "t.csv").unlink()
    (wide,) = _period_problems(minimal, "w.csv", f"unit,period,1.1\nb1,{period},always\n")
    for problem in (from_yaml, tidy, wide):
        assert problem.severity is Severity.ERROR
        assert (problem.message, problem.found, problem.expected) == (
            from_yaml.message,
            from_yaml.found,
            from_yaml.expected,
        ), problem
    assert from_yaml.message == periods.INVALID_PERIOD
    assert from_yaml.found == repr(period)
    assert (from_yaml.field, tidy.field, wide.field) == ("return.period", "period", "period")


def test_an_en_dash_in_a_period_is_refused_with_a_hint(minimal: Path) -> None:
    (problem,) = _period_problems(minimal, "t.csv", "unit,period,indicator,answer\nb1,2024\u201325,1.1,always\n")
    assert problem.message == "missing or invalid period"
    assert "'-'" in str(problem.expected)
    assert periods.period_problem("2024-25") is None
    assert periods.period_problem("2024\u201325") is not None


def test_the_period_given_for_wide_csvs_follows_the_same_rule(minimal: Path) -> None:
    (problem,) = _period_problems(minimal, "w.csv", "unit,1.1\nb1,always\n", period="2024\u201325")
    assert (problem.line, problem.message, problem.found) == (1, periods.INVALID_PERIOD, repr("2024\u201325"))
    assert _period_problems(minimal, "w.csv", "unit,1.1\nb1,always\n", period="2021") == []


def test_catalog_and_units_periods_follow_the_same_rule(edit: Edit) -> None:
    tracker = edit('{period: "2019", kind: board}', '{period: "2019\u201320", kind: board}', "units.yaml")
    (problem,) = recotrack.validate(tracker)
    assert (problem.field, problem.message) == ("invited[0].period", periods.INVALID_PERIOD)


def test_the_schema_keeps_the_period_pattern() -> None:
    schema = json.loads((ROOT / "schemas" / "evidence.schema.json").read_text(encoding="utf-8"))
    (period, _) = schema["$defs"]["ReturnEntry"]["properties"]["period"]["anyOf"]  # a period, or none given
    assert period["pattern"] == periods.PERIOD_PATTERN
    assert period["maxLength"] == periods.PERIOD_MAX_LENGTH


# -- the input registry ---------------------------------------------------------------------------------


def test_every_input_has_its_kind_its_relative_path_and_the_digest_of_its_bytes(minimal: Path) -> None:
    evidence = minimal / "evidence"
    evidence.mkdir()
    (evidence / "r.yaml").write_text(RETURN, encoding="utf-8")
    (evidence / "sub").mkdir()
    (evidence / "sub" / "t.csv").write_bytes(
        "unit,period,indicator,answer\nb2,2019,1.1,Don\x92t know\n".encode("latin-1")
    )
    tracker = recotrack.load(minimal)
    assert [(f.path, f.kind) for f in tracker.inputs] == [
        ("catalog.yaml", "catalog"),
        ("evidence/r.yaml", "evidence"),
        ("evidence/sub/t.csv", "evidence"),
        ("units.yaml", "units"),
    ]
    for entry in tracker.inputs:
        assert entry.sha256 == hashlib.sha256((minimal / entry.path).read_bytes()).hexdigest(), entry
    assert {minimal / f.path: f.sha256 for f in tracker.inputs} == dict(tracker.digests)
    assert set(tracker.digests) == set(tracker.files)


def test_a_file_given_outside_the_tracker_keeps_its_path_as_given(minimal: Path, tmp_path: Path) -> None:
    extra = tmp_path / "elsewhere" / "export.csv"
    extra.parent.mkdir()
    extra.write_text("unit,period,indicator,answer\nb1,2019,1.1,always\n", encoding="utf-8")
    tracker = recotrack.load(minimal, evidence=[extra])
    (entry,) = [f for f in tracker.inputs if f.path.endswith("export.csv")]
    assert (entry.path, entry.kind) == (extra.as_posix(), "evidence")
    assert entry.sha256 == hashlib.sha256(extra.read_bytes()).hexdigest()


def test_an_unreadable_file_is_an_error_and_not_an_input(minimal: Path) -> None:
    evidence = minimal / "evidence"
    evidence.mkdir()
    (evidence / "utf16.csv").write_bytes("unit,period\n".encode("utf-16"))
    (evidence / "broken.yaml").write_text("return: [", encoding="utf-8")
    tracker = recotrack.load(minimal, strict=False)
    assert [f.path for f in tracker.inputs] == ["catalog.yaml", "units.yaml"]
    assert {p.relative_to(minimal).as_posix() for p in tracker.files} >= {"evidence/utf16.csv", "evidence/broken.yaml"}
    assert {p.file.rsplit("/", 1)[-1] for p in tracker.problems} == {"utf16.csv", "broken.yaml"}


def test_a_single_catalog_file_is_listed_relative_to_its_folder(tmp_path: Path) -> None:
    catalog = tmp_path / "review" / "catalog.yml"
    catalog.parent.mkdir()
    catalog.write_bytes((MINIMAL / "catalog.yaml").read_bytes())
    tracker = recotrack.load(catalog)
    assert tracker.inputs == (InputFile("catalog.yml", hashlib.sha256(catalog.read_bytes()).hexdigest(), "catalog"),)


def test_input_file_is_still_importable_from_the_reporters() -> None:
    assert recotrack.reporters.InputFile is InputFile
    assert InputFile.__module__ == "recotrack.inputs"


def test_report_provenance_is_the_tracker_inputs(minimal: Path) -> None:
    tracker = recotrack.load(minimal)
    assert recotrack.pipeline.provenance(tracker).inputs == tracker.inputs
    assert recotrack.report(tracker, format="json").provenance.inputs == tracker.inputs


# -- evidence rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "base", "percent"), [(1, 8, 13), (1, 3, 33), (2, 3, 67), (0, 5, 0), (5, 5, 100), (1, 200, 1)]
)
def test_printed_percentage_is_exact_and_rounds_half_up(count: int, base: int, percent: int) -> None:
    assert rules.printed_percentage(count, base) == percent


def test_tally_rules_point_inside_the_tally_and_keep_what_is_valid() -> None:
    catalog = recotrack.load(MINIMAL).catalog
    question = catalog.questions["1.1"]
    tally = TallyEntry(base=10, counts={"always": 3, "Sometimes": 2, "often": 1}, printed={"always": 33})
    counts, printed, findings = rules.check_tally(question, tally)
    assert counts == {"always": 3, "sometimes": 2}
    assert printed == {"always": 33}
    assert [(f.path, f.message, f.severity) for f in findings] == [
        (("counts", "often"), "not an option of 1.1's scale", Severity.ERROR),
        (("printed", "always"), "printed percentage differs from 3/10 rounded half up", Severity.WARNING),
    ]
    negative = TallyEntry(base=4, counts={"always": -1, "never": 5})
    assert [(f.path, f.message) for f in rules.check_tally(question, negative)[2]] == [
        (("counts", "always"), "a count cannot be negative"),
        (("base",), "the counts add up to 5, more than the base"),
    ]


def test_readers_leave_checking_to_the_rules() -> None:
    """No reader words a rule of its own: the messages of the rules module are written only there."""
    readers = (ROOT / "src" / "recotrack" / "evidence" / "readers.py").read_text(encoding="utf-8")
    rules_only = ("printed percentage", "count cannot be negative", "withheld, but", "not a milestone", "period such")
    for fragment in rules_only:
        assert fragment not in readers, fragment


def test_a_tracker_without_csv_evidence_does_not_import_the_columnar_engine() -> None:
    """polars and numpy take about 0.2 s to import: only a tracker with CSV to read pays for them."""
    code = (
        "import sys, recotrack; recotrack.load(sys.argv[1]); "
        "print(sorted(m for m in ('polars', 'numpy') if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "tests" / "data" / "minimal")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.strip() == "[]"
