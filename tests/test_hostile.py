"""Hostile and broken input: a clear error naming the file, or a safe result; never a traceback or a crash,
never a changed input file.

Each case breaks a copy of the small valid tracker (``tests/data/minimal``) in one way. It is checked twice:
in-process through :func:`recotrack.validate` (the problems it returns), and end to end by running
``python -m recotrack validate`` in a subprocess, where a crash of the YAML or CSV machinery (a segfault, a
stack overflow, an exhausted memory) would show as a signal or a traceback. The subprocesses of all cases
run side by side, once per test session, to keep the suite fast.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import MINIMAL, Edit
from recotrack import Severity, validate
from recotrack._yaml import MAX_DEPTH, MAX_YAML_BYTES
from recotrack.evidence.csv_reader import MAX_CSV_FIELD

SCRIPT = "<script>alert(1)</script>"
MARKUP = "[bold]rich markup[/]"
CATALOG = "catalog.yaml"
UNITS = "units.yaml"


# -- making broken trackers ---------------------------------------------------------------------------


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)


def evidence(tracker: Path, name: str, content: str | bytes) -> None:
    path = tracker / "evidence" / name
    path.parent.mkdir(exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)


def sparse(path: Path, size: int) -> None:
    """A file of ``size`` zero bytes, made instantly (a sparse file on most file systems)."""
    path.parent.mkdir(exist_ok=True)
    with path.open("wb") as stream:
        stream.truncate(size)


def truncated(path: Path, marker: str) -> None:
    """Cut the file just after the first occurrence of ``marker``, as an interrupted copy would."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index(marker) + len(marker)], encoding="utf-8")


def billion_laughs() -> str:
    """The classic alias bomb: nine levels of ten references each, a billion 'lol's once expanded."""
    lines = ['a0: &a0 "lol"']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def garbage(size: int, *, nul: bool) -> bytes:
    """Deterministic random bytes; without NUL bytes (and so not UTF-8 either) when ``nul`` is False."""
    rng = random.Random(size)
    return rng.randbytes(size) if nul else bytes(rng.randrange(0x80, 0x100) for _ in range(size))


RETURN = 'return:\n  unit: b1\n  period: "2019"\n  answers: {"1.1": always}\n'
TIDY = "unit,period,indicator,answer\n"


@dataclass(frozen=True)
class Case:
    """One way of breaking the tracker, and what must come of it."""

    make: Callable[[Path], None]
    file: str
    """The file the message must name, as messages show it."""
    words: tuple[str, ...]
    """Words the message about that file must contain."""
    exit_code: int = 1
    severity: Severity = Severity.ERROR
    marks: tuple[pytest.MarkDecorator, ...] = field(default=())


def hostile_names_and_text(tracker: Path) -> None:
    replace(tracker / "units.yaml", "name: Board One", f'name: "{SCRIPT} {MARKUP}"')
    evidence(tracker, "r.yaml", RETURN + f'  comments: {{"1.1": "{SCRIPT} {MARKUP} =cmd|calc"}}\n')


CASES: dict[str, Case] = {
    # -- YAML that attacks the parser
    "alias-bomb": Case(
        lambda t: (t / "catalog.yaml").write_text(billion_laughs(), encoding="utf-8"),
        CATALOG,
        ("anchors and aliases", "not allowed"),
    ),
    "alias-bomb-in-evidence": Case(
        lambda t: evidence(t, "bomb.yaml", billion_laughs()), "evidence/bomb.yaml", ("anchors and aliases",)
    ),
    "merge-key": Case(lambda t: append(t / "catalog.yaml", "x: {<<: {a: 1}}\n"), CATALOG, ("merge keys",)),
    "deep-flow-sequence": Case(
        lambda t: append(t / "catalog.yaml", "x: " + "[" * 100_000 + "\n"),
        CATALOG,
        ("nested too deeply", f"at most {MAX_DEPTH} levels"),
    ),
    "deep-flow-mapping": Case(
        lambda t: append(t / "catalog.yaml", "x: " + "{a: " * 100_000 + "\n"), CATALOG, ("nested too deeply",)
    ),
    "deep-block-mapping": Case(
        lambda t: append(t / "catalog.yaml", "".join(" " * i + "a:\n" for i in range(MAX_DEPTH + 10)) + "\n"),
        CATALOG,
        ("nested too deeply",),
    ),
    "python-object-tag": Case(
        lambda t: replace(
            t / "catalog.yaml", "title: A small review", 'title: !!python/object/apply:os.system ["echo pwned"]'
        ),
        CATALOG,
        ("review.title", "valid string"),
    ),
    # -- size
    "huge-yaml": Case(
        lambda t: sparse(t / "units.yaml", MAX_YAML_BYTES + 1),
        UNITS,
        ("too large to read as YAML", f"{MAX_YAML_BYTES + 1:,}"),
    ),
    "huge-evidence-yaml": Case(
        lambda t: sparse(t / "evidence" / "big.yaml", MAX_YAML_BYTES + 1),
        "evidence/big.yaml",
        ("too large",),
    ),
    "huge-binary-csv": Case(
        lambda t: sparse(t / "evidence" / "big.csv", MAX_YAML_BYTES + 1), "evidence/big.csv", ("NUL bytes",)
    ),
    "csv-cell-over-1-mib": Case(
        lambda t: evidence(
            t, "r.csv", f'{TIDY}b1,2019,1.1,always\nb2,2019,1.1,"{"x" * (MAX_CSV_FIELD + 1)}"\nb3,2019,1.1,never\n'
        ),
        "evidence/r.csv:3",
        ("cannot be read from here on", "field larger than field limit"),
    ),
    # -- binary garbage
    "binary-catalog": Case(
        lambda t: (t / "catalog.yaml").write_bytes(garbage(4096, nul=True)), CATALOG, ("NUL byte", "binary")
    ),
    "binary-catalog-without-nul": Case(
        lambda t: (t / "catalog.yaml").write_bytes(garbage(4096, nul=False)), CATALOG, ("not valid UTF-8",)
    ),
    "binary-csv": Case(
        lambda t: evidence(t, "r.csv", garbage(4096, nul=True)), "evidence/r.csv", ("NUL bytes", "binary")
    ),
    "binary-csv-without-nul": Case(
        lambda t: evidence(t, "r.csv", garbage(4096, nul=False)),
        "evidence/r.csv",
        ("neither UTF-8 nor Windows-1252",),
    ),
    "empty-csv": Case(lambda t: evidence(t, "r.csv", b""), "evidence/r.csv", ("the CSV file is empty",)),
    "empty-catalog": Case(lambda t: (t / "catalog.yaml").write_bytes(b""), CATALOG, ("no `review` section",)),
    # -- truncated files
    "yaml-cut-mid-flow-mapping": Case(
        lambda t: truncated(t / "catalog.yaml", "{id: report, title: The"), CATALOG, ("invalid YAML",)
    ),
    "yaml-cut-mid-block-mapping": Case(
        lambda t: truncated(t / "catalog.yaml", "    title: Lead nationally\n    te"), CATALOG, ("invalid YAML",)
    ),
    "evidence-yaml-cut-mid-mapping": Case(
        lambda t: evidence(t, "r.yaml", 'return:\n  unit: b1\n  period: "2019"\n  answers: {"1.1": alw'),
        "evidence/r.yaml",
        ("invalid YAML",),
    ),
    "csv-cut-mid-quoted-field": Case(
        lambda t: evidence(t, "r.csv", f'{TIDY}b1,2019,1.1,always\nb2,2019,1.1,"never'),
        "evidence/r.csv:3",
        ("unexpected end of data",),
    ),
    # -- duplicate keys
    "duplicate-key": Case(
        lambda t: replace(t / "catalog.yaml", "  title: A small review\n", "  title: A small review\n  title: Again\n"),
        CATALOG,
        ("duplicate key 'title'",),
    ),
    "duplicate-answer-key": Case(
        lambda t: evidence(t, "r.yaml", RETURN.replace("{", '{"1.1": never, ')),
        "evidence/r.yaml",
        ("duplicate key '1.1'",),
    ),
    # -- encodings and NUL bytes
    "utf16-catalog": Case(
        lambda t: (t / "catalog.yaml").write_bytes((MINIMAL / "catalog.yaml").read_text("utf-8").encode("utf-16")),
        CATALOG,
        ("UTF-8",),
    ),
    "utf16-csv": Case(
        lambda t: evidence(t, "r.csv", f"{TIDY}b1,2019,1.1,always\n".encode("utf-16")),
        "evidence/r.csv",
        ("UTF-16",),
    ),
    "latin2-byte-in-catalog": Case(
        lambda t: (t / "catalog.yaml").write_bytes(
            (t / "catalog.yaml").read_bytes().replace(b"Test regulator", b"Test \x81regulator")
        ),
        f"{CATALOG}:5",
        ("not valid UTF-8", "0x81"),
    ),
    "latin2-byte-in-csv": Case(
        lambda t: evidence(t, "r.csv", f"{TIDY}b1,2019,1.1,always\nb2,2019,1.1,".encode() + b"\x81never\n"),
        "evidence/r.csv:3",
        ("neither UTF-8 nor Windows-1252", "0x81"),
    ),
    "nul-in-catalog": Case(
        lambda t: (t / "catalog.yaml").write_bytes(
            (t / "catalog.yaml").read_bytes().replace(b"Test regulator", b"Test\x00regulator")
        ),
        f"{CATALOG}:5",
        ("NUL byte",),
    ),
    "nul-in-csv": Case(
        lambda t: evidence(t, "r.csv", f"{TIDY}b1,2019,1.1,alw".encode() + b"\x00ays\n"),
        "evidence/r.csv:2",
        ("NUL bytes",),
    ),
    "control-character-in-yaml": Case(
        lambda t: (t / "catalog.yaml").write_bytes(
            (t / "catalog.yaml").read_bytes().replace(b"Test regulator", b"Test \x07\x1b[2J")
        ),
        f"{CATALOG}:5",
        ("unacceptable character U+0007", "no control characters"),
    ),
    # -- NaN and infinity
    "nan-score": Case(
        lambda t: replace(t / "catalog.yaml", "score: 0.5}", "score: .nan}"), CATALOG, ("score", "finite number")
    ),
    "infinite-score": Case(
        lambda t: replace(t / "catalog.yaml", 'label: "Yes", score: 1', 'label: "Yes", score: .inf'),
        CATALOG,
        ("score", "finite number"),
    ),
    "nan-weight": Case(
        lambda t: replace(
            t / "catalog.yaml", "scale: frequency\n    applies", "scale: frequency\n    weight: .nan\n    applies"
        ),
        CATALOG,
        ("weight", "finite number"),
    ),
    "infinite-weight-as-1e999": Case(
        lambda t: replace(
            t / "catalog.yaml", "scale: frequency\n    applies", "scale: frequency\n    weight: 1e999\n    applies"
        ),
        CATALOG,
        ("weight", "finite number"),
    ),
    "infinite-baseline": Case(
        lambda t: replace(t / "catalog.yaml", "baseline: {value: 0,", "baseline: {value: -.inf,"),
        CATALOG,
        ("baseline.value", "finite number"),
    ),
    "nan-and-inf-in-values": Case(
        lambda t: evidence(
            t,
            "v.yaml",
            'values:\n  - {indicator: new-staff, period: "2019", value: .nan}\n'
            '  - {indicator: new-staff, period: "2020", value: .inf}\n',
        ),
        "evidence/v.yaml:2",
        ("values[0].value", "finite number"),
    ),
    "infinite-tally-count": Case(
        lambda t: evidence(
            t, "t.yaml", 'tallies:\n  period: "2019"\n  indicators:\n    "1.1": {counts: {always: .inf}}\n'
        ),
        "evidence/t.yaml:4",
        ("counts", "finite number"),
    ),
    # -- absurd dates
    "february-30-in-catalog": Case(
        lambda t: replace(t / "catalog.yaml", "published: 2018-03-08", "published: 2019-02-30"),
        f"{CATALOG}:6",
        ("review.published", "day value is outside expected range", "YYYY-MM-DD"),
    ),
    "year-99999-in-catalog": Case(
        lambda t: replace(t / "catalog.yaml", "published: 2018-03-08", "published: 99999-01-01"),
        f"{CATALOG}:6",
        ("review.published", "YYYY-MM-DD"),
    ),
    "february-30-in-a-return": Case(
        lambda t: evidence(t, "r.yaml", RETURN.replace("answers", 'submitted: "2019-02-30"\n  answers')),
        "evidence/r.yaml:4",
        ("submitted", "YYYY-MM-DD"),
    ),
    "february-30-in-a-milestone": Case(
        lambda t: evidence(
            t,
            "m.yaml",
            'milestones:\n  - {indicator: report-published, period: "2019", status: delivered, date: 2019-02-30}\n',
        ),
        "evidence/m.yaml:2",
        ("milestones[0].date", "day value is outside expected range"),
    ),
    "year-99999-in-csv": Case(
        lambda t: evidence(t, "r.csv", "unit,period,indicator,answer,submitted\nb1,2019,1.1,always,99999-01-01\n"),
        "evidence/r.csv:2",
        ("not a date", "'99999-01-01'"),
        exit_code=0,
        severity=Severity.WARNING,
    ),
    # -- script and markup: printed literally, kept as data
    "markup-in-a-csv-answer": Case(
        lambda t: evidence(t, "r.csv", f"{TIDY}b1,2019,1.1,{MARKUP} {SCRIPT}\n"),
        "evidence/r.csv:2",
        (f"'{MARKUP} {SCRIPT}'", "not an answer on the scale"),
    ),
    "markup-in-a-field-name": Case(
        lambda t: replace(
            t / "catalog.yaml", "    title: Lead nationally", f'    "{MARKUP}{SCRIPT}": 1\n    title: Lead nationally'
        ),
        CATALOG,
        (f"unknown field '{MARKUP}{SCRIPT}'",),
    ),
    "markup-in-unit-names-and-free-text": Case(
        hostile_names_and_text,
        "tracker",
        ("is valid",),
        exit_code=0,
    ),
}


def _params() -> list[object]:
    return [pytest.param(name, id=name, marks=case.marks) for name, case in CASES.items()]


def digests(root: Path) -> dict[str, str]:
    """The SHA-256 of every file under ``root``: what must not change."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            with path.open("rb") as stream:
                found[path.relative_to(root).as_posix()] = hashlib.file_digest(stream, "sha256").hexdigest()
    return found


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "recotrack", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "300"},
        timeout=60,
    )


@dataclass
class CliRun:
    result: subprocess.CompletedProcess[str]
    before: dict[str, str]
    after: dict[str, str]


@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CliRun]:
    """``recotrack validate`` on every case, in subprocesses run side by side."""
    trackers: dict[str, Path] = {}
    for name, case in CASES.items():
        tracker = tmp_path_factory.mktemp(name) / "tracker"
        shutil.copytree(MINIMAL, tracker)
        case.make(tracker)
        trackers[name] = tracker

    def run(name: str) -> CliRun:
        before = digests(trackers[name])
        result = run_cli("validate", str(trackers[name]))
        return CliRun(result, before, digests(trackers[name]))

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(zip(CASES, pool.map(run, CASES), strict=True))


# -- the checks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", _params())
def test_in_process_a_clear_problem_naming_the_file_and_no_changed_file(name: str, minimal: Path) -> None:
    case = CASES[name]
    case.make(minimal)
    before = digests(minimal)
    problems = validate(minimal)
    assert digests(minimal) == before
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if case.exit_code == 0:
        assert not errors, "\n".join(map(str, problems))
    if case.file == "tracker":
        return
    shown = [str(p) for p in problems if p.severity is case.severity]
    assert any(s.startswith(case.file + ":") and all(w in s for w in case.words) for s in shown), "\n".join(shown)


@pytest.mark.parametrize("name", _params())
def test_cli_exits_cleanly_names_the_file_and_changes_nothing(name: str, cli_runs: dict[str, CliRun]) -> None:
    case, run = CASES[name], cli_runs[name]
    output = run.result.stdout + run.result.stderr
    assert "Traceback" not in output, output
    assert run.result.returncode == case.exit_code, output
    assert run.after == run.before, "an input file was changed"
    lines = [line for line in run.result.stdout.splitlines() if case.file in line]
    assert any(all(w in line for w in case.words) for line in lines), output


def test_a_python_tag_is_never_executed(minimal: Path) -> None:
    marker = minimal.parent / "pwned"
    replace(
        minimal / "catalog.yaml", "title: A small review", f'title: !!python/object/apply:os.system ["touch {marker}"]'
    )
    result = run_cli("validate", str(minimal))
    assert result.returncode == 1
    assert not marker.exists()


def test_catalog_prints_script_and_markup_literally(edit: Edit, minimal: Path) -> None:
    edit("title: A small review", f'title: "{MARKUP} {SCRIPT}"')
    edit("title: Lead nationally", f'title: "{SCRIPT}"')
    edit("text: Do commissioners plan jointly?", f'text: "[red]{MARKUP}[/red]"')
    before = digests(minimal)
    result = run_cli("catalog", str(minimal))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"{MARKUP} {SCRIPT}" in result.stdout
    assert f"N1 {SCRIPT}" in result.stdout
    assert f"[red]{MARKUP}[/red]" in result.stdout
    assert digests(minimal) == before


def test_catalog_does_not_pass_terminal_escapes_through(edit: Edit, minimal: Path) -> None:
    """Control characters are refused where they are written, so they never reach a terminal."""
    edit("title: Lead nationally", 'title: "Lead \\e[31mred\\e]0;pwned\\a"')
    for command in ("catalog", "validate"):
        result = run_cli(command, str(minimal))
        assert result.returncode == 1
        assert "\x1b" not in result.stdout + result.stderr
        assert "control character '\\x1b'" in result.stdout
