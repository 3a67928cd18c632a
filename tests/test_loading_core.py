"""The loading core: where findings live, one period rule, one file discovery, one input registry."""

from __future__ import annotations

from pathlib import Path

import recotrack
import recotrack.checks
import recotrack.errors
from conftest import MINIMAL
from recotrack import discovery

RETURN = 'return:\n  unit: b1\n  period: "2019"\n  answers: {"1.1": always}\n'


def test_finding_lives_with_problems_below_the_checks() -> None:
    """Checks and loaders both use findings; defined at the bottom, neither imports the other for it."""
    assert recotrack.checks.Finding is recotrack.errors.Finding
    assert recotrack.errors.Finding.__module__ == "recotrack.errors"


def test_the_unused_problems_collection_is_gone() -> None:
    assert not hasattr(recotrack.errors, "Problems")


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
