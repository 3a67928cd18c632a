"""Units listed in CSV: ``units.csv``, or CSV files beside YAML in ``units/``."""

from __future__ import annotations

import shutil
from pathlib import Path

import recotrack
from conftest import MINIMAL

KINDS_AND_INVITED = """kinds:
  - {id: region, label: Region}
  - {id: board, label: Board}
invited:
  - {period: "2019", kind: board}
"""
LISTED = (
    "id,name,kind,parent\nnorth,North,region,\n"
    "b1,Board One,board,north\nb2,Board Two,board,north\nb3,Board Three,board,north\n"
)


def _tracker(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "tracker"
    root.mkdir(parents=True)
    shutil.copy(MINIMAL / "catalog.yaml", root / "catalog.yaml")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _problems(root: Path) -> list[tuple[str, int, int, str, str]]:
    return [(p.file, p.line, p.column, p.field, p.message) for p in recotrack.validate(root)]


def test_units_in_csv_beside_kinds_in_yaml_load_as_the_yaml_units_do(tmp_path: Path) -> None:
    root = _tracker(tmp_path, {"units/kinds.yaml": KINDS_AND_INVITED, "units/list.csv": LISTED})
    assert _problems(root) == []
    from_csv = recotrack.load(root).units
    assert from_csv == recotrack.load(MINIMAL).units
    assert [f.path for f in recotrack.load(root).inputs if f.kind == "units"] == ["units/kinds.yaml", "units/list.csv"]


def test_a_units_csv_alone_is_the_units_part(tmp_path: Path) -> None:
    root = _tracker(
        tmp_path, {"units.csv": LISTED.replace(",parent", "").replace(",north\n", "\n").replace(",\n", "\n")}
    )
    units = recotrack.load(root).units
    assert [u.id for u in units.units] == ["north", "b1", "b2", "b3"]
    assert all(u.parent is None for u in units.units)


def test_each_wrong_row_is_named_with_its_line_and_column(tmp_path: Path) -> None:
    listed = LISTED + "b 4,Board Four,board,north\nb5,Board Five,board,nowhere\nb6,Board Six\nb1,Again,board,north\n"
    root = _tracker(tmp_path, {"units/kinds.yaml": KINDS_AND_INVITED, "units/list.csv": listed})
    problems = _problems(root)
    assert ("units/list.csv", 6, 1, "id", "not a valid id") in problems
    assert ("units/list.csv", 7, 4, "parent", "unknown parent unit") in problems
    assert ("units/list.csv", 8, 0, "", "the row has 2 cells, the header 4; the unit is not read") in problems
    assert any(p[:2] == ("units/list.csv", 9) and "duplicate" in p[4] for p in problems), problems
    duplicate = next(p for p in recotrack.validate(root) if p.message == "duplicate id 'b1'")
    assert duplicate.expected == "ids unique in units (first used at units/list.csv line 3)"


def test_a_header_without_the_needed_columns_or_with_others_is_said(tmp_path: Path) -> None:
    root = _tracker(tmp_path, {"units/kinds.yaml": KINDS_AND_INVITED, "units/list.csv": "id,title\nb1,Board\n"})
    assert ("units/list.csv", 1, 1, "header", "a units CSV needs the columns name, kind") in _problems(root)
    listed = "id,name,kind,parent,ons code\nnorth,North,region,,E12\nb1,Board One,board,north,\n"
    root = _tracker(tmp_path / "other", {"units/kinds.yaml": KINDS_AND_INVITED, "units/list.csv": listed})
    problems = recotrack.validate(root)
    assert [(p.line, p.column, p.severity) for p in problems] == [(1, 5, "warning")]
    assert "does not read" in problems[0].message


def test_a_register_of_25000_units_loads_from_csv(tmp_path: Path) -> None:
    """The scale the format is for (its speed is measured in benchmarks/, not asserted here)."""
    rows = ["id,name,kind,parent", *(f"s{i:05d},School {i},board,north" for i in range(25_000)), "north,North,region,"]
    root = _tracker(tmp_path, {"units/kinds.yaml": KINDS_AND_INVITED, "units/list.csv": "\n".join(rows) + "\n"})
    units = recotrack.load(root).units
    assert len(units.units) == 25_001
    assert units.by_id["s24999"].parent == "north"


def test_a_register_longer_than_the_units_limit_is_cut_with_an_error(tmp_path: Path) -> None:
    rows = ["id,name,kind,parent", "north,North,region,", *(f"s{i},School {i},board,north" for i in range(10))]
    root = _tracker(tmp_path, {"units/kinds.yaml": KINDS_AND_INVITED, "units/list.csv": "\n".join(rows) + "\n"})
    problems = recotrack.validate(root, limits={"units": 5})
    assert [(p.file, p.line, p.message) for p in problems if p.severity == "error"] == [
        ("units/list.csv", 7, "more units than the limit units (5); the file is not read from here on")
    ]
