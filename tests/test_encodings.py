"""Encodings: spreadsheet exports in UTF-8, UTF-8 with BOM and Windows-1252 load with the right characters;
anything else gets a clear error at its line, never mojibake and never a traceback."""

from __future__ import annotations

import codecs
import subprocess
import sys
from pathlib import Path

import pytest

import recotrack
from conftest import Edit
from recotrack.errors import Problem, Severity
from recotrack.evidence import NO_ANSWER

NAME = "Zoë Brontë, Ménière"
CHUNK = 1 << 20
"""The size of the blocks in which CSV files are checked (recotrack._text)."""


def accented_catalog(edit: Edit) -> Path:
    """The minimal tracker, with an accented option label and the printed apostrophe of "Don’t know"."""
    edit('{id: "yes", label: "Yes", score: 1}', '{id: "yes", label: "Oui, très", score: 1}')
    return edit("""{id: dont-know, label: "Don't know", """, """{id: dont-know, label: "Don’t know", """)


def evidence(tracker: Path, name: str) -> Path:
    path = tracker / "evidence" / name
    path.parent.mkdir(exist_ok=True)
    return path


def read(tracker: Path) -> tuple[recotrack.Tracker, list[Problem]]:
    found, problems = recotrack.read_tracker(tracker)
    assert found is not None, "\n".join(map(str, problems))
    return found, problems


def answer(tracker: recotrack.Tracker, unit: str, question: str) -> str | None:
    period = tracker.evidence.periods["2019"]
    code = period.answers[question][period.unit_ids.index(unit)]
    return None if code == NO_ANSWER else tracker.catalog.questions[question].scale.options[code].id


def encoding_of(tracker: recotrack.Tracker, name: str) -> str:
    (source,) = [s for s in tracker.evidence.sources if s.path.endswith("/" + name)]
    return source.encoding


def the_error(problems: list[Problem], name: str) -> Problem:
    found = [p for p in problems if p.file.endswith("/" + name) and p.severity is Severity.ERROR]
    assert len(found) == 1, "\n".join(map(str, problems))
    return found[0]


# -- what loads ------------------------------------------------------------------------------------------

TIDY = (
    f'unit,period,indicator,answer,completed_by\nb1,2019,1.8/the-police,"OUI, TRÈS","{NAME}"\nb1,2019,1.1,Don’t know,\n'
)
WIDE = 'unit,period,La police y prend-elle part ? (réponse),completed_by\nb2,2019,"oui, très",Zoë\n'
COLUMN_MAP = 'column_map:\n  "La police y prend-elle part ? (réponse)": "1.8/the-police"\n'


def test_a_windows_1252_spreadsheet_export_loads_with_its_accents(edit: Edit) -> None:
    tracker_path = accented_catalog(edit)
    tidy = evidence(tracker_path, "returns-1252.csv")
    tidy.write_bytes(TIDY.replace("\n", "\r\n").encode("cp1252"))
    with pytest.raises(UnicodeDecodeError):
        tidy.read_bytes().decode("utf-8")  # really not UTF-8: é, È, ë and ’ are single bytes
    assert b"\x92" in tidy.read_bytes(), "the typographic apostrophe of Windows-1252"
    evidence(tracker_path, "map.yaml").write_text(COLUMN_MAP, encoding="utf-8")
    evidence(tracker_path, "wide-1252.csv").write_bytes(WIDE.encode("cp1252"))
    tracker, problems = read(tracker_path)
    assert not problems, "\n".join(map(str, problems))
    returns = tracker.evidence.periods["2019"].returns
    assert returns["b1"].completed_by == NAME
    assert returns["b2"].completed_by == "Zoë"
    assert answer(tracker, "b1", "1.8/the-police") == "yes", "an accented label in upper case"
    assert answer(tracker, "b1", "1.1") == "dont-know"
    assert answer(tracker, "b2", "1.8/the-police") == "yes", "an accented column header mapped by column_map"
    assert encoding_of(tracker, "returns-1252.csv") == "cp1252"
    assert encoding_of(tracker, "wide-1252.csv") == "cp1252"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8"])
def test_utf8_with_and_without_bom_loads(edit: Edit, encoding: str) -> None:
    tracker_path = accented_catalog(edit)
    evidence(tracker_path, "tidy.csv").write_bytes(TIDY.encode(encoding))
    evidence(tracker_path, "map.yaml").write_bytes(COLUMN_MAP.encode(encoding))
    evidence(tracker_path, "wide.csv").write_bytes(WIDE.encode(encoding))
    evidence(tracker_path, "b3.yaml").write_bytes(
        f'return:\n  unit: b3\n  period: "2019"\n  completed_by: "{NAME}"\n'
        '  answers:\n    "1.8/the-police": Oui, très\n'.encode(encoding)
    )
    if encoding == "utf-8-sig":
        assert (tracker_path / "evidence" / "tidy.csv").read_bytes().startswith(codecs.BOM_UTF8)
    tracker, problems = read(tracker_path)
    assert not problems, "\n".join(map(str, problems))
    returns = tracker.evidence.periods["2019"].returns
    assert (returns["b1"].completed_by, returns["b2"].completed_by, returns["b3"].completed_by) == (NAME, "Zoë", NAME)
    assert [answer(tracker, unit, "1.8/the-police") for unit in ("b1", "b2", "b3")] == ["yes"] * 3
    assert answer(tracker, "b1", "1.1") == "dont-know"
    assert encoding_of(tracker, "tidy.csv") == encoding
    assert encoding_of(tracker, "wide.csv") == encoding


def test_a_utf8_character_split_across_read_blocks_is_still_utf8(minimal: Path) -> None:
    header = "unit,period,indicator,answer,completed_by\n"
    start = "b1,2019,1.1,always,Zoë Brontë "
    # 'ë' is two bytes in UTF-8: put its first byte last in the first block, its second first in the next.
    padding = CHUNK - 1 - len((header + start).encode("utf-8"))
    row = start + "x" * padding + "ë\n"
    path = evidence(minimal, "big.csv")
    path.write_bytes((header + row + "b2,2019,1.1,never,Zoë\n").encode("utf-8"))
    assert path.read_bytes()[CHUNK - 1 : CHUNK + 1] == "ë".encode()
    tracker, problems = read(minimal)
    assert not problems
    assert encoding_of(tracker, "big.csv") == "utf-8"
    returns = tracker.evidence.periods["2019"].returns
    assert str(returns["b1"].completed_by).endswith("xë")
    assert returns["b2"].completed_by == "Zoë"


# -- what is refused, clearly ----------------------------------------------------------------------------

GOOD = "unit,period,indicator,answer\nb3,2019,1.1,always\n"


@pytest.mark.parametrize(
    ("content", "line", "message", "expected"),
    [
        pytest.param(
            TIDY.encode("utf-16"),
            1,
            "file is UTF-16 text",
            "UTF-8 or Windows-1252 (save as 'CSV UTF-8')",
            id="utf-16-with-bom",
        ),
        pytest.param(
            TIDY.encode("utf-16-be"),
            1,
            "file contains NUL bytes; it looks binary, not text",
            "a text file",
            id="utf-16-without-bom",
        ),
        pytest.param(
            b"unit,period\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
            4,
            "file contains NUL bytes; it looks binary, not text",
            "a text file",
            id="binary",
        ),
        pytest.param(
            b"unit,period,indicator,answer\nb1,2019,1.1,always\nb2,2019,1.1,\x81\x8d\n",
            3,
            "file is neither UTF-8 nor Windows-1252 text (byte 0x81)",
            "UTF-8 (or a Windows-1252 spreadsheet export)",
            id="neither",
        ),
    ],
)
def test_other_encodings_and_binary_files_get_a_clear_error(
    minimal: Path, content: bytes, line: int, message: str, expected: str
) -> None:
    evidence(minimal, "bad.csv").write_bytes(content)
    evidence(minimal, "good.csv").write_text(GOOD, encoding="utf-8")
    tracker, problems = read(minimal)
    problem = the_error(problems, "bad.csv")
    assert (problem.line, problem.message, problem.expected) == (line, message, expected)
    assert len(problems) == 1
    assert set(tracker.evidence.periods["2019"].returns) == {"b3"}, "nothing is read from the bad file, all else is"
    assert [s.path.rsplit("/", 1)[-1] for s in tracker.evidence.sources] == ["good.csv"]


def test_an_undecodable_byte_far_into_a_file_is_located_on_its_line(minimal: Path) -> None:
    header = b"unit,period,indicator,answer,completed_by\n"
    rows = b"".join(b"b1,2019,1.1,always,%d\n" % i for i in range(60_000))
    assert len(header + rows) > CHUNK
    evidence(minimal, "long.csv").write_bytes(header + rows + b"b2,2019,1.1,\xe9\x90\n")
    _, problems = read(minimal)
    problem = the_error(problems, "long.csv")
    assert (problem.line, problem.message) == (60_002, "file is neither UTF-8 nor Windows-1252 text (byte 0x90)")


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        pytest.param(
            f'return:\n  unit: b1\n  period: "2019"\n  completed_by: {NAME}\n'.encode("cp1252"),
            4,
            "file is not valid UTF-8 text",
            id="windows-1252",
        ),
        pytest.param(
            'return:\n  unit: b1\n  period: "2019"\n'.encode("utf-16"),
            1,
            "file is UTF-16 text",
            id="utf-16",
        ),
    ],
)
def test_a_yaml_file_that_is_not_utf8_gets_a_clear_error(
    minimal: Path, content: bytes, line: int, message: str
) -> None:
    evidence(minimal, "b1.yaml").write_bytes(content)
    evidence(minimal, "good.csv").write_text(GOOD, encoding="utf-8")
    tracker, problems = read(minimal)
    problem = the_error(problems, "b1.yaml")
    assert (problem.line, problem.message) == (line, message)
    assert "UTF-8" in str(problem.expected)
    if line == 4:
        offset = content.index("ë".encode("cp1252"))
        assert problem.found == f"byte 0xeb at offset {offset}"
    assert set(tracker.evidence.periods["2019"].returns) == {"b3"}


def test_the_command_line_reports_encoding_errors_without_a_traceback(minimal: Path) -> None:
    evidence(minimal, "utf16.csv").write_bytes(TIDY.encode("utf-16"))
    evidence(minimal, "binary.csv").write_bytes(bytes(range(256)) * 4)
    evidence(minimal, "cp1252.yaml").write_bytes(f"return:\n  completed_by: {NAME}\n".encode("cp1252"))
    evidence(minimal, "good.csv").write_bytes(TIDY.replace("OUI, TRÈS", "yes").encode("cp1252"))
    result = subprocess.run(
        [sys.executable, "-m", "recotrack", "validate", str(minimal)],
        capture_output=True,
        text=True,
        check=False,
        env={"NO_COLOR": "1", "PATH": "", "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"},
        cwd=minimal.parent,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert "evidence/utf16.csv:1:1: error: file is UTF-16 text" in out
    assert "evidence/binary.csv:1:1: error: file contains NUL bytes; it looks binary, not text" in out
    assert "evidence/cp1252.yaml:2:1: error: file is not valid UTF-8 text" in out
    assert "3 errors" in out
