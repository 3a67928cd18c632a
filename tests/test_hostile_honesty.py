"""Issue 14: nothing dropped in silence, no input harmed or leaked, and no input can hang, exhaust or crash recotrack.

One test (or one parametrised case) per finding of the issue, and more that a careful attacker would try.
Every end-to-end case runs ``python -m recotrack`` in a subprocess under a memory cap (``RLIMIT_AS``) and a
timeout, and asserts a clear error or a safe output, no traceback, and inputs unchanged. Cases that need no
isolation call :func:`recotrack.cli.main` in-process, to keep the suite fast. "Huge" inputs are made lazily
in the test's temporary folder and met with small limits (``--limit``), so that they stay small on disk.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import io
import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

import recotrack
from conftest import EXAMPLE, MINIMAL
from recotrack import Severity
from recotrack.cli import main
from recotrack.errors import printable
from recotrack.reporters import TEMPORARY, generation_time, remove_stale_temporaries, write_report

MEMORY_CAP = 1536 * 1024 * 1024
"""No subprocess may hold more than this much memory at its peak (resident): a hostile file cannot take more."""
ADDRESS_SPACE = 8 * MEMORY_CAP
"""The address space a subprocess is allowed, a backstop so that a runaway cannot take the machine down.

Resident memory is what is measured against :data:`MEMORY_CAP`: the columnar engine reserves about a
gigabyte of address space it never touches, so an address-space cap would measure the reservation."""
PEAK = "recotrack-peak-resident-kib"
_MEASURED = f"""
import atexit, runpy, sys

def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                sys.stderr.write("\\n{PEAK} " + line.split()[1] + "\\n")

atexit.register(peak)
sys.argv[0] = "recotrack"
runpy.run_module("recotrack", run_name="__main__", alter_sys=True)
"""
TIMEOUT = 60
RETURN = 'return:\n  unit: b1\n  period: "2019"\n  answers: {"1.1": always}\n'
TIDY = "unit,period,indicator,answer\n"


# -- helpers ----------------------------------------------------------------------------------------------


def _capped() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def cli(
    *args: str,
    env: dict[str, str] | None = None,
    stdout: int | None = subprocess.PIPE,
    timeout: float = TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """``python -m recotrack ARGS`` with a timeout (a hang fails the test); its peak memory must stay under the cap."""
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "RECOTRACK_DISABLE_PLUGIN_AUTOLOAD": "1"}
    environment.pop("SOURCE_DATE_EPOCH", None)
    environment.pop("RECOTRACK_LIMITS", None)
    result = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        env={**environment, **(env or {})},
        timeout=timeout,
        preexec_fn=_capped,
    )
    stderr, marker, peak = result.stderr.rpartition(f"\n{PEAK} ")
    if marker:
        assert int(peak) * 1024 <= MEMORY_CAP, f"peak resident memory {int(peak) // 1024:,} MiB"
        result.stderr = stderr
    return result


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``recotrack ARGS`` in this process (for cases that need no isolation: faster than a subprocess)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    err = io.StringIO()
    environment = {"NO_COLOR": "1", "COLUMNS": "200", "RECOTRACK_DISABLE_PLUGIN_AUTOLOAD": "1", **(env or {})}
    with mock.patch.dict(os.environ, environment), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        for name in ("SOURCE_DATE_EPOCH", "RECOTRACK_LIMITS"):
            if name not in (env or {}):
                os.environ.pop(name, None)
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    assert isinstance(out.buffer, io.BytesIO)
    return subprocess.CompletedProcess(list(args), code, out.buffer.getvalue().decode("utf-8"), err.getvalue())


def clean_exit(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The output of a run that ended as it should: the exit code, and never a traceback."""
    output = (result.stdout or "") + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == code, output
    return output


def digests(root: Path) -> dict[str, str]:
    """The SHA-256 of every regular file under ``root`` (links not followed): what must not change."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def evidence(tracker: Path, name: str, content: str | bytes) -> Path:
    path = tracker / "evidence" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def errors_of(tracker: Path, **options: object) -> list[recotrack.Problem]:
    return [p for p in recotrack.validate(tracker, **options) if p.severity is Severity.ERROR]  # type: ignore[arg-type]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "cqc"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A 'system file' outside the tracker, whose content must never be printed."""
    secret = tmp_path / "shadow"
    secret.write_text("root:SECRET-HASH-LINE:19000:0:99999:7:::\n", encoding="utf-8")
    return secret


# == Data loss and leaks =====================================================================================


@pytest.mark.parametrize("target", ["units.yaml", "catalog.yaml", "evidence/r.csv", "evidence/new-report.json"])
def test_report_never_writes_onto_an_input_or_into_the_tracker(minimal: Path, target: str) -> None:
    evidence(minimal, "r.csv", f"{TIDY}b1,2019,1.1,always\n")
    before = digests(minimal)
    result = run("report", str(minimal), "--format", "json", "-o", str(minimal / target))
    output = clean_exit(result)
    assert "refusing to write the report" in output
    assert digests(minimal) == before, "an input was changed"
    assert not (minimal / "evidence" / "new-report.json").exists()


def test_report_refuses_an_evidence_file_given_outside_the_tracker_a_link_to_an_input_and_a_hard_link(
    minimal: Path, tmp_path: Path
) -> None:
    extra = tmp_path / "extra.csv"
    extra.write_text(f"{TIDY}b2,2019,1.1,never\n", encoding="utf-8")
    link = tmp_path / "to-units"
    link.symlink_to(minimal / "units.yaml")
    hard = tmp_path / "hard-link.csv"
    os.link(extra, hard)
    before = (digests(minimal), extra.read_bytes())
    for output in (extra, link, hard, tmp_path / ".." / tmp_path.name / "extra.csv"):
        result = run("report", str(minimal), "--evidence", str(extra), "--format", "json", "-o", str(output))
        assert "refusing to write the report" in clean_exit(result), output
    assert (digests(minimal), extra.read_bytes()) == before
    assert link.is_symlink()


def test_a_special_file_as_output_is_written_to_never_replaced(minimal: Path, tmp_path: Path) -> None:
    result = cli("report", str(minimal), "--format", "json", "-o", os.devnull)
    clean_exit(result, 0)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    result = cli("report", str(minimal), "--format", "json", "-o", str(link))
    clean_exit(result, 0)
    assert json.loads(result.stdout)["format"] == 3, "the report went to standard output, through the link"
    assert link.is_symlink()
    assert os.readlink(link) == "/proc/self/fd/1"


def test_a_report_written_to_a_fifo_goes_through_it(minimal: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    result = cli("report", str(minimal), "--format", "json", "-o", str(fifo))
    clean_exit(result, 0)
    out, _ = reader.communicate(timeout=TIMEOUT)
    assert json.loads(out)["format"] == 3
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_an_existing_report_keeps_its_permissions_and_a_link_to_it_stays_a_link(minimal: Path, tmp_path: Path) -> None:
    report = tmp_path / "private" / "report.json"
    report.parent.mkdir()
    report.write_text("old", encoding="utf-8")
    report.chmod(0o600)
    link = tmp_path / "latest.json"
    link.symlink_to(report)
    clean_exit(run("report", str(minimal), "--format", "json", "-o", str(link)), 0)
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert link.is_symlink()
    assert json.loads(report.read_text(encoding="utf-8"))["format"] == 3


def test_a_link_out_of_the_tracker_is_refused_and_nothing_of_its_target_is_printed(
    minimal: Path, outside: Path
) -> None:
    (minimal / "evidence").mkdir()
    (minimal / "evidence" / "passwd.yaml").symlink_to(outside)
    (minimal / "evidence" / "passwd.csv").symlink_to(outside)
    result = run("validate", str(minimal))
    output = clean_exit(result)
    assert "SECRET" not in output
    assert "root:" not in output
    assert output.count("a symbolic link to a file outside the tracker") == 2
    assert str(outside) not in output, "not even the target's path"
    report = run("report", str(minimal), "--format", "json", "--skip-invalid")
    clean_exit(report, 0)
    document = json.loads(report.stdout)
    assert "SECRET" not in report.stdout
    assert all(not Path(i["path"]).is_absolute() for i in document["meta"]["inputs"])
    assert {f["path"] for f in document["excluded"]["files"]} == {"evidence/passwd.csv", "evidence/passwd.yaml"}


def test_links_out_of_the_tracker_can_be_allowed_and_are_named_by_their_place_in_it(
    minimal: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "shared.csv"
    shared.write_text(f"{TIDY}b1,2019,1.1,always\n", encoding="utf-8")
    (minimal / "evidence").mkdir()
    (minimal / "evidence" / "shared.csv").symlink_to(shared)
    assert errors_of(minimal)
    tracker = recotrack.load(minimal, allow_outside_links=True)
    assert [i.path for i in tracker.inputs if i.kind == "evidence"] == ["evidence/shared.csv"]
    clean_exit(run("validate", str(minimal), "--allow-outside-links"), 0)


def test_a_linked_folder_is_read_when_it_stays_inside_and_named_when_it_leaves(minimal: Path, tmp_path: Path) -> None:
    (minimal / "data").mkdir()
    (minimal / "data" / "r.csv").write_text(f"{TIDY}b1,2019,1.1,always\n", encoding="utf-8")
    (minimal / "evidence").mkdir()
    (minimal / "evidence" / "data").symlink_to(minimal / "data", target_is_directory=True)
    tracker = recotrack.load(minimal)
    assert tracker.evidence.periods["2019"].returns["b1"].location.file == "evidence/data/r.csv"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "r.csv").write_text(f"{TIDY}b2,2019,1.1,never\n", encoding="utf-8")
    (minimal / "evidence" / "more").symlink_to(elsewhere, target_is_directory=True)
    (problem,) = errors_of(minimal)
    assert (problem.file, problem.message) == (
        "evidence/more",
        "a symbolic link to a folder outside the tracker; its files are not read",
    )


# == Silent or wrong outcomes ================================================================================


def _broken_example(example: Path) -> None:
    """One answer off the scale and one unknown unit in the example's 2020 CSV."""
    path = example / "evidence" / "2020-returns.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("hwb-002,2020,yes,", "hwb-002,2020,maybe,", 1)
    lines[2] = "hwb-9999" + lines[2][lines[2].index(",") :]
    path.write_text("".join(lines), encoding="utf-8")


def test_report_on_evidence_with_errors_exits_1_naming_them(example: Path) -> None:
    _broken_example(example)
    result = run("report", str(example), "--format", "json")
    output = clean_exit(result)
    assert result.stdout == "", "no partial report"
    assert "the evidence has 2 errors" in output
    assert "evidence/2020-returns.csv:2:3: error" in output
    assert "evidence/2020-returns.csv:3:1: error" in output
    assert "recotrack validate" in output
    assert "--skip-invalid" in output


def test_report_from_python_refuses_evidence_with_errors_unless_told(example: Path) -> None:
    _broken_example(example)
    with pytest.raises(recotrack.TrackerError):
        recotrack.report(example)
    tracker = recotrack.load(example, strict=False)
    with pytest.raises(recotrack.InvalidEvidenceError, match="skip_invalid"):
        recotrack.report(tracker, format="json")
    made = recotrack.report(tracker, format="json", skip_invalid=True)
    excluded = made.results.excluded
    assert excluded is not None
    assert (excluded.count, excluded.returns) == (1 + 108, 1)
    (file,) = excluded.files
    assert (file.path, file.count, file.returns, file.reasons) == (
        "evidence/2020-returns.csv",
        109,
        1,
        ("unknown-option", "unknown-unit"),
    )


@pytest.mark.parametrize("format", ["terminal", "json", "html"])
def test_every_format_says_what_it_left_out(example: Path, format: str) -> None:
    _broken_example(example)
    result = run("report", str(example), "--format", format, "--skip-invalid", "--width", "100")
    clean_exit(result, 0)
    out = result.stdout
    if format == "json":
        document = json.loads(out)
        assert document["excluded"]["count"] == 109
        assert document["excluded"]["files"][0]["path"] == "evidence/2020-returns.csv"
        assert document["excluded"]["files"][0]["count"] == 109
        return
    assert "109 answers and 1 whole return from 1 evidence file" in " ".join(out.split())
    assert "evidence/2020-returns.csv" in out
    shown = "</code>: " if format == "html" else ": "
    assert f"evidence/2020-returns.csv{shown}109 answers, 1 return (" in " ".join(out.split()), "the file's own line"
    head = out[: out.index("evidence/2020-returns.csv")]
    assert ("Response" not in head) if format == "terminal" else ('id="glance"' not in head), "near the top"


def test_the_markdown_plugin_says_what_it_left_out(example: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent.parent / "examples" / "plugins" / "recotrack-markdown" / "src"))
    try:
        import recotrack_markdown
    finally:
        sys.path.pop(0)
    _broken_example(example)
    tracker = recotrack.load(example, strict=False)
    results = recotrack.score(tracker, "2020")
    from recotrack.pipeline import provenance
    from recotrack.reporters import ReportContext

    text = recotrack_markdown.render(ReportContext(results, tracker.catalog.review, provenance(tracker)))
    top = text[: text.index("## ")]
    assert "Left out of this report" in top
    assert "evidence/2020-returns.csv: 109 answers, 1 return" in top.replace("\\", "")


def test_nothing_left_out_means_no_excluded_block(minimal: Path) -> None:
    made = recotrack.report(minimal, format="json")
    assert made.results.excluded is None
    assert json.loads(made.content)["excluded"] is None


def test_a_wide_csv_without_period_is_an_error_naming_it_and_the_manifest_gives_the_period(example: Path) -> None:
    """The issue's case: a wide CSV without a period column beside evidence with periods (15 of 24 returns lost)."""
    export = example / "evidence" / "2021-returns.csv"
    header, *rows = export.read_text(encoding="utf-8").splitlines()
    keep = [0, *range(2, len(header.split(",")))]
    lines = [",".join(line.split(",")[i] for i in keep) for line in [header, *rows[:24]]]
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tracker = recotrack.load(example)
    assert len(tracker.evidence.periods["2021"].returns) == 24, "the manifest gives the period"
    periods = example / "catalog" / "periods.yaml"
    entry = '  - {path: evidence/2021-returns.csv, period: "2021", synthetic: true}\n'
    text = periods.read_text(encoding="utf-8")
    assert entry in text
    periods.write_text(text.replace(entry, ""), encoding="utf-8")
    result = run("report", str(example), "--period", "2020")
    output = clean_exit(result)
    assert "evidence/2021-returns.csv:1:1: error: the wide CSV has no `period` column" in output
    made = recotrack.report(recotrack.load(example, strict=False), period="2020", format="json", skip_invalid=True)
    assert made.results.excluded is not None
    (file,) = made.results.excluded.files
    assert (file.path, file.returns, file.reasons) == ("evidence/2021-returns.csv", 24, ("no-period",))


def test_a_return_naming_another_period_than_its_manifest_entry_is_an_error(minimal: Path) -> None:
    text = (minimal / "catalog.yaml").read_text(encoding="utf-8")
    text += 'evidence:\n  - {path: evidence/2020, period: "2020"}\n'
    (minimal / "catalog.yaml").write_text(text, encoding="utf-8")
    evidence(minimal, "2020/a.yaml", 'return:\n  unit: b1\n  answers: {"1.1": always}\n')
    evidence(minimal, "2020/b.yaml", 'return:\n  unit: b2\n  period: "2019"\n  answers: {"1.1": never}\n')
    (problem,) = errors_of(minimal)
    assert (problem.file, problem.message) == (
        "evidence/2020/b.yaml",
        "the period differs from the one the catalog's `evidence:` manifest gives this file",
    )
    tracker = recotrack.load(minimal, strict=False)
    assert list(tracker.evidence.periods["2020"].returns) == ["b1"], "the period came from the manifest"


def test_a_yaml_return_without_a_period_and_no_manifest_is_an_error(minimal: Path) -> None:
    evidence(minimal, "a.yaml", 'return:\n  unit: b1\n  answers: {"1.1": always}\n')
    (problem,) = errors_of(minimal)
    assert problem.message == "this return names no period, and none is given for its file"


def test_the_latest_submitted_correction_wins_whatever_its_format(minimal: Path) -> None:
    evidence(minimal, "a-late.yaml", RETURN.replace("  answers:", "  submitted: 2024-01-20\n  answers:"))
    evidence(minimal, "z-early.csv", "unit,period,submitted,1.1\nb1,2019,2023-12-01,never\n")
    tracker = recotrack.load(minimal)
    assert tracker.evidence.periods["2019"].returns["b1"].submitted.isoformat() == "2024-01-20"
    assert recotrack.score(tracker, "2019").distribution("1.1").option("always").count == 1


@pytest.mark.parametrize("written", ["2024–25", "2024/25", "2024 - 25", "2024_25"])
def test_a_period_that_is_a_near_miss_of_a_declared_one_is_an_error_with_the_hint(minimal: Path, written: str) -> None:
    text = (minimal / "catalog.yaml").read_text(encoding="utf-8")
    (minimal / "catalog.yaml").write_text(text.replace('"2021"]', '"2021", "2024-25"]'), encoding="utf-8")
    evidence(minimal, "r.csv", f"{TIDY}b1,{written},1.1,always\nb2,2024-25,1.1,never\n")
    (problem,) = errors_of(minimal)
    if "–" in written:
        assert problem.message == "missing or invalid period", "an en dash breaks the one period rule"
    else:
        assert "did you mean '2024-25'?" in str(problem.expected)
    tracker = recotrack.load(minimal, strict=False)
    assert sorted(tracker.evidence.periods) == ["2024-25"], "never a new period"


def test_invitations_for_undeclared_periods_are_errors(minimal: Path) -> None:
    units = minimal / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + '  - {period: "2022", kind: board}\n', encoding="utf-8")
    (problem,) = errors_of(minimal)
    assert (problem.file, problem.field) == ("units.yaml", "invited[1].period")
    assert problem.message == "an invitation for a period the catalog does not declare"


def test_periods_are_ordered_by_declaration_not_by_name(minimal: Path) -> None:
    text = (minimal / "catalog.yaml").read_text(encoding="utf-8")
    text = text.replace('periods: ["2019", "2020", "2021"]', 'periods: ["Spring 2021", "Autumn 2021"]')
    (minimal / "catalog.yaml").write_text(text, encoding="utf-8")
    units = minimal / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace('"2019"', '"Spring 2021"'), encoding="utf-8")
    evidence(minimal, "r.csv", f"{TIDY}b1,Spring 2021,1.1,never\nb1,Autumn 2021,1.1,always\n")
    tracker = recotrack.load(minimal)
    assert recotrack.pipeline.default_period(tracker) == "Autumn 2021"
    results = recotrack.score(tracker, "Autumn 2021", compare="Spring 2021")
    assert results.comparison is not None
    with pytest.raises(recotrack.PeriodError, match="compare must be earlier"):
        recotrack.score(tracker, "Spring 2021", compare="Autumn 2021")


@pytest.mark.skipif(sys.platform != "linux", reason="drops privileges with setuid, as root in CI")
def test_an_evidence_folder_that_cannot_be_read_is_an_error(minimal: Path) -> None:
    evidence(minimal, "locked/r.csv", f"{TIDY}b1,2019,1.1,always\n")
    locked = minimal / "evidence" / "locked"
    locked.chmod(0)
    try:
        for path in (minimal, *minimal.parents):
            if os.geteuid() == 0:
                path.chmod(path.stat().st_mode | 0o005)
        code = (
            "import os, sys, recotrack, recotrack.cli, recotrack.loading, recotrack.evidence, rich.console, "
            "rich.markup, recotrack.scoring.response\n"
            "if os.geteuid() == 0:\n    os.setgid(65534); os.setuid(65534)\n"
            f"sys.exit(recotrack.cli.main(['validate', {str(minimal)!r}]))\n"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT)
    finally:
        locked.chmod(0o755)
    output = clean_exit(result)
    assert "evidence/locked: error: cannot read this folder (Permission denied); its files are not read" in output


@pytest.mark.parametrize("kind", ["fifo", "device-link", "directory-named-csv", "loop"])
def test_special_files_in_evidence_are_refused_without_opening_them(minimal: Path, kind: str) -> None:
    target = minimal / "evidence" / "x.csv"
    target.parent.mkdir()
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device-link":
        target.symlink_to("/dev/zero")
    elif kind == "directory-named-csv":
        target.mkdir()
        (target / "inner.txt").write_text("not evidence", encoding="utf-8")
    else:
        target.symlink_to(target)
    start = time.monotonic()
    result = cli("validate", str(minimal), timeout=30)
    output = clean_exit(result, 0 if kind == "directory-named-csv" else 1)
    assert time.monotonic() - start < 30
    expected = {
        "fifo": "evidence/x.csv: error: not a regular file (a FIFO (named pipe)); it is not read",
        "device-link": "evidence/x.csv: error: not a regular file (a character device); it is not read",
        "directory-named-csv": "is valid",
        "loop": "evidence/x.csv: error: a symbolic link loop",
    }[kind]
    assert expected in output  # a folder called x.csv is a folder: searched, not read as a file


@pytest.mark.parametrize("kind", ["fifo", "char-device", "directory-named-csv", "loop", "missing"])
def test_special_files_given_with_evidence_are_refused(minimal: Path, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "given.csv"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "char-device":
        path = Path("/dev/zero")
    elif kind == "directory-named-csv":
        path.mkdir()
    elif kind == "loop":
        path.symlink_to(path)
    result = cli("validate", str(minimal), "--evidence", str(path), timeout=30)
    output = clean_exit(result)
    assert {
        "fifo": "not a regular file (a FIFO (named pipe))",
        "char-device": "not a regular file (a character device)",
        "directory-named-csv": "not a regular file (a directory)",
        "loop": "a symbolic link loop",
        "missing": "no such file",
    }[kind] in output


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda t: (t / "catalog").mkdir() or (t / "catalog" / "more.yaml").write_text("levels: []\n"), "two catalogs"),
        (lambda t: (t / "catalog.yml").write_text("levels: []\n"), "two catalogs"),
        (lambda t: (t / "units").mkdir(), "two unitss"),
    ],
    ids=["catalog-folder", "catalog-yml", "units-folder"],
)
def test_a_second_catalog_or_units_beside_the_first_is_an_error(minimal: Path, make: object, message: str) -> None:
    make(minimal)  # type: ignore[operator]
    problems = errors_of(minimal)
    assert any(message.replace("unitss", "unitss") in p.message or "two units" in p.message for p in problems)
    assert all(not p.message.startswith("no catalog") for p in problems)


@pytest.mark.parametrize("kind", ["folder", "loop", "fifo"])
def test_a_units_file_that_is_not_a_file_is_an_error_not_no_units(minimal: Path, kind: str) -> None:
    units = minimal / "units.yaml"
    units.unlink()
    if kind == "folder":
        units.mkdir()
    elif kind == "loop":
        units.symlink_to(units)
    else:
        os.mkfifo(units)
    result = cli("validate", str(minimal), timeout=30)
    output = clean_exit(result)
    assert "units.yaml: error:" in output


def test_answer_keys_differing_only_by_spaces_are_never_merged(minimal: Path) -> None:
    evidence(minimal, "r.yaml", 'return:\n  unit: b1\n  period: "2019"\n  answers: {"1.1": always, "1.1 ": never}\n')
    evidence(minimal, "t.csv", f"{TIDY}b2,2019, 1.1,never\n")
    evidence(minimal, "w.csv", "unit,period,1.1 \nb3,2019,never\n")
    problems = errors_of(minimal)
    assert len(problems) == 3
    assert all("a question id with spaces around it" in p.message for p in problems)
    tracker = recotrack.load(minimal, strict=False)
    assert recotrack.score(tracker, "2019").distribution("1.1").option("never").count == 0
    assert recotrack.score(tracker, "2019").distribution("1.1").option("always").count == 1


def test_a_stray_byte_in_a_utf8_csv_is_an_error_at_its_line_never_mojibake(minimal: Path) -> None:
    text = f"{TIDY}b1,2019,1.1,always\n".encode() + "b2,2019,1.1,Zoë says never\n".encode()
    evidence(minimal, "r.csv", text + b"b3,2019,1.1,don\x92t know\n")
    (problem,) = errors_of(minimal)
    assert (problem.file, problem.line) == ("evidence/r.csv", 4)
    assert "byte that is not valid UTF-8 (byte 0x92)" in problem.message
    evidence(minimal, "r.csv", f"{TIDY}b1,2019,1.1,always\nb3,2019,1.1,".encode() + b"Don\x92t know\n")
    tracker = recotrack.load(minimal)  # no valid UTF-8 sequence at all: Windows-1252, as Excel saves it
    assert {s.encoding for s in tracker.evidence.sources} == {"cp1252"}


@pytest.mark.parametrize("width", ["-5", "0", "abc", "100000"])
def test_a_bad_width_is_a_usage_error(minimal: Path, width: str) -> None:
    clean_exit(run("report", str(minimal), "--width", width), 2)


@pytest.mark.parametrize("epoch", ["abc", "-1", "1.5", "99999999999999", "253402300800", " 12 34"])
def test_an_odd_source_date_epoch_is_a_clear_error(minimal: Path, epoch: str) -> None:
    result = run("report", str(minimal), "--format", "json", env={"SOURCE_DATE_EPOCH": epoch})
    assert "SOURCE_DATE_EPOCH must be a whole number" in clean_exit(result)
    assert result.stdout == ""


def test_the_edges_of_source_date_epoch_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    for epoch, year in (("0", 1970), ("253402300799", 9999)):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        assert generation_time().year == year


def test_published_percentages_without_counts_give_counts_or_an_error(minimal: Path) -> None:
    evidence(
        minimal,
        "t.yaml",
        'tallies:\n  period: "2020"\n  indicators:\n'
        '    "1.1": {base: 67, printed: {always: 24, sometimes: 76}}\n'
        '    "1.2": {base: 1000, printed: {always: 3}}\n'
        '    "1.8/the-police": {base: 67, counts: {"yes": 40}, printed: {"yes": 59.7}}\n',
    )
    problems = recotrack.validate(minimal)
    derived = [p for p in problems if "is derived from the printed" in p.message]
    assert [p.severity for p in derived] == [Severity.WARNING, Severity.WARNING]
    (error,) = [p for p in problems if p.severity is Severity.ERROR]
    assert "none can be derived from the printed 3% of the base 1000: counts 25 to 34 all round to it" in error.message
    tracker = recotrack.load(minimal, strict=False)
    distribution = recotrack.score(tracker, "2020").distribution("1.1")
    assert (distribution.option("always").count, distribution.option("sometimes").count) == (16, 51)
    assert "count-from-percent" in {f.code for f in distribution.flags}
    police = recotrack.score(tracker, "2020").distribution("1.8/the-police")
    assert police.option("yes").count == 40, "one decimal, as printed, is accepted"
    assert "printed-differs" not in {f.code for f in police.flags}


# == Floods ==================================================================================================


def _flood(minimal: Path, rows: int, bad_every: int) -> Path:
    lines = [TIDY]
    units = minimal / "units.yaml"
    names = [f"u{i:05d}" for i in range(rows // 4)]
    units.write_text(
        units.read_text(encoding="utf-8").replace(
            "invited:", "".join(f"  - {{id: {n}, name: {n}, kind: board}}\n" for n in names) + "invited:"
        ),
        encoding="utf-8",
    )
    bad = ["alwayz", "nevr", "Yes sometimes", "maybe"]
    row = 0
    for name in names:
        for question in ("1.1", "1.8/nhs-commissioners", "1.8/the-police", "2.2"):
            answer = "yes" if question != "1.1" else "always"
            if bad_every and row % bad_every == 0:
                answer = bad[row % len(bad)]
            lines.append(f"{name},2019,{question},{answer}\n")
            row += 1
    evidence(minimal, "flood.csv", "".join(lines))
    return minimal


def test_a_flood_of_bad_answers_works_out_each_suggestion_once(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = difflib.get_close_matches

    def counting(*args: object, **kwargs: object) -> list[str]:
        calls.append(args[0])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    _flood(minimal, 8_000, 10)
    problems = errors_of(minimal)
    assert len(problems) == 800
    assert len(calls) <= 4 * 4, "one suggestion per question and distinct wrong answer"


def test_a_flood_is_grouped_in_the_terminal_and_listed_whole_on_request(
    minimal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _flood(minimal, 8_000, 10)
    assert main(["validate", str(minimal)]) == 1
    grouped = capsys.readouterr().out.splitlines()
    assert len(grouped) < 30
    more = [line for line in grouped if "more like this" in line]
    assert more
    assert all("--all lists every one" in line and "(lines " in line for line in more)
    assert main(["validate", "--all", str(minimal)]) == 1
    assert len([line for line in capsys.readouterr().out.splitlines() if ": error: " in line]) == 800
    assert main(["validate", "--format", "json", str(minimal)]) == 1
    document = json.loads(capsys.readouterr().out)
    assert (document["valid"], document["errors"], document["warnings"]) == (False, 800, 1)
    assert len(document["problems"]) == 801
    first = document["problems"][0]
    assert set(first) == {"path", "line", "column", "severity", "field", "message", "found", "expected"}
    assert (first["path"], first["severity"]) == ("evidence/flood.csv", "error")


def test_a_flood_costs_little_more_than_a_clean_file(tmp_path: Path) -> None:
    """10% bad rows: within 1.5× of the clean file's CPU time in the issue's measure; here a looser bound
    (the suite shares the machine), measured on CPU time of the loading alone."""
    timings = {}
    for name, bad_every in (("clean", 0), ("bad", 10)):
        tracker = tmp_path / name
        shutil.copytree(MINIMAL, tracker)
        _flood(tracker, 12_000, bad_every)
        recotrack.read_tracker(tracker)
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            recotrack.read_tracker(tracker)
            best = min(best, time.process_time() - start)
        timings[name] = best
    assert timings["bad"] <= 2.5 * timings["clean"], timings


def test_problems_beyond_the_errors_limit_are_counted_not_kept(minimal: Path) -> None:
    _flood(minimal, 4_000, 1)
    problems = recotrack.validate(minimal, limits={"errors": 100})
    flood = [p for p in problems if p.file == "evidence/flood.csv"]
    assert len(flood) == 101
    assert "3,900 more errors in this file are not listed (the limit errors is 100)" in flood[0].message


def test_a_yaml_file_of_a_million_returns_is_refused_at_the_values_limit_in_bounded_memory(minimal: Path) -> None:
    path = minimal / "evidence" / "many.yaml"
    path.parent.mkdir()
    with path.open("w", encoding="utf-8") as stream:
        stream.write("returns:\n")
        stream.writelines('  - {unit: b1, period: "2019", answers: {"1.1": always}}\n' for _ in range(30_000))
    result = cli("validate", str(minimal), "--limit", "yaml-values=50000")
    output = clean_exit(result)
    assert "the file holds more than 50,000 values (the limit yaml-values)" in output
    assert "--limit yaml-values=N" in output
    assert len(output) < 2_000


@pytest.mark.parametrize(
    ("content", "limits", "message"),
    [
        ("unit," + ",".join(f"q{i}" for i in range(3_000)) + "\n", ["columns=1000"], "the header has 3,001 columns"),
        ("unit,period,1.1\nb1,2019," + "a," * 300_000 + "\n", ["line-bytes=64K"], "a line longer than the limit"),
        ("unit," + "a," * 300_000 + "\n", ["line-bytes=64K"], "a line longer than the limit line-bytes (65,536"),
        (f'{TIDY}b1,2019,1.1,"{"x" * 70_000}"\n', ["cell-bytes=64K"], "field larger than field limit (65536)"),
        (
            f"{TIDY}" + "b1,2019,1.1,always\n" * 10,
            ["csv-bytes=100"],
            "the limit csv-bytes is 100",
        ),
    ],
    ids=["columns", "long-line", "long-header", "cell", "file-size"],
)
def test_csv_limits_are_clear_errors_naming_the_limit(
    minimal: Path, content: str, limits: list[str], message: str
) -> None:
    evidence(minimal, "big.csv", content)
    args = [arg for limit in limits for arg in ("--limit", limit)]
    output = clean_exit(run("validate", str(minimal), *args))
    assert message in output, output
    assert "evidence/big.csv" in output


def test_a_huge_single_line_csv_is_refused_in_bounded_memory(minimal: Path) -> None:
    """The issue's 500 MB line of small cells took 7.9 GB; at the default limits it is refused after 4 MiB."""
    path = minimal / "evidence" / "line.csv"
    path.parent.mkdir()
    with path.open("w", encoding="utf-8") as stream:
        stream.write("unit,period,1.1\n")
        chunk = "a," * (1 << 19)
        for _ in range(64):  # 64 MiB on one line
            stream.write(chunk)
    output = clean_exit(cli("validate", str(minimal)))
    assert "evidence/line.csv:2: error: a line longer than the limit line-bytes (4,194,304 characters)" in output


def test_limits_given_wrongly_are_clear_errors(minimal: Path) -> None:
    assert "unknown limit 'bogus'" in clean_exit(run("validate", str(minimal), "--limit", "bogus=1"), 2)
    assert "not a whole number" in clean_exit(run("validate", str(minimal), "--limit", "columns=lots"), 2)
    output = clean_exit(run("validate", str(minimal), env={"RECOTRACK_LIMITS": "columns=0"}))
    assert "RECOTRACK_LIMITS: limit 'columns' must be at least 1" in output
    clean_exit(run("validate", str(minimal), env={"RECOTRACK_LIMITS": "columns=10_000, csv-bytes=1G"}), 0)


def test_too_many_evidence_files_is_an_error(minimal: Path) -> None:
    for i in range(12):
        evidence(minimal, f"r{i}.csv", f"{TIDY}b1,2019,1.1,always\n")
    (problem,) = errors_of(minimal, limits={"files": 10})
    assert problem.message == "more than 10 files (the limit files); none is read"


# == Tracebacks, escapes and reproducibility =================================================================


def test_a_closed_stdout_is_a_clear_error(minimal: Path, tmp_path: Path) -> None:
    for args in (["validate", str(minimal)], ["report", str(minimal)]):
        result = subprocess.run(
            [sys.executable, "-m", "recotrack", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            close_fds=True,
            check=False,
            timeout=TIMEOUT,
            preexec_fn=lambda: os.close(1),
        )
        assert "Traceback" not in result.stderr
        assert result.returncode == 1
        assert "standard output is closed" in result.stderr
    out = tmp_path / "r.json"
    result = subprocess.run(
        [sys.executable, "-m", "recotrack", "report", str(minimal), "--format", "json", "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=TIMEOUT,
        preexec_fn=lambda: os.close(1),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == 3, "-o needs no standard output"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_stdout_is_a_clear_error(minimal: Path) -> None:
    with open("/dev/full", "w") as full:
        for args in (["validate", str(minimal)], ["report", str(minimal), "--format", "json"]):
            result = cli(*args, stdout=full.fileno())
            assert "cannot write to standard output: No space left on device" in clean_exit(result)


def test_a_looping_link_as_the_tracker_or_as_evidence_is_a_clear_error(minimal: Path, tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    assert "a symbolic link loop" in clean_exit(cli("validate", str(minimal), "--evidence", str(loop)))
    clean_exit(cli("validate", str(loop)), 1)


def test_escape_sequences_in_headers_and_file_names_are_escaped(minimal: Path) -> None:
    name = "evil\x1b]0;pwned\x07\x1b[2J\x9b31m.csv"
    evidence(minimal, name, "unit,period,\x1b[31mred\x1b[0m,\u202eesrever\nb1,2019,x,y\n")
    result = run("validate", str(minimal))
    output = clean_exit(result)
    assert "\x1b" not in output
    assert "\x9b" not in output
    assert "\x07" not in output
    assert "\u202e" not in output
    assert "evil\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m.csv" in output
    assert "\\x1b[31mred\\x1b[0m" in output
    assert "\\u202eesrever" in output
    assert printable("ok – ‘Zoë’ …") == "ok – ‘Zoë’ …"


def test_emoji_codes_and_markup_in_inputs_print_as_written(minimal: Path) -> None:
    evidence(minimal, "r.csv", f"{TIDY}b1,2019,1.1,:x: [bold]no[/bold] :thumbs_up:\n")
    output = clean_exit(run("validate", str(minimal)))
    assert "':x: [bold]no[/bold] :thumbs_up:'" in output
    assert "❌" not in output
    assert "👍" not in output


def test_bidi_overrides_from_inputs_are_written_out_in_the_terminal_and_html(minimal: Path) -> None:
    text = (minimal / "catalog.yaml").read_text(encoding="utf-8")
    (minimal / "catalog.yaml").write_text(text.replace("title: Lead nationally", 'title: "Lead \u202enoitan"'))
    for format in ("terminal", "html"):
        result = run("report", str(minimal), "--format", format)
        out = clean_exit(result, 0)
        assert "\u202e" not in out, format
        assert "Lead \\u202enoitan" in out, format


def test_a_plugin_that_prints_when_imported_never_mixes_into_stdout(minimal: Path, tmp_path: Path) -> None:
    (tmp_path / "noisy_plugin.py").write_text(
        "print('hello from a noisy plugin')\n"
        "import recotrack\n\n"
        "@recotrack.hookimpl\ndef recotrack_register_reporters():\n    print('declaring')\n    return []\n",
        encoding="utf-8",
    )
    env = {"PYTHONPATH": str(tmp_path) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    result = cli("report", str(minimal), "--format", "json", "--plugin", "noisy_plugin", env=env)
    clean_exit(result, 0)
    assert json.loads(result.stdout)["format"] == 3
    assert "hello from a noisy plugin" in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("scale: frequency\n    applies", "scale: frequency\n    weight: 1e308\n    applies", "weight"),
        ("baseline: {value: 0,", "baseline: {value: -1.7e308,", "baseline.value"),
        ("target: {value: 19000,", "target: {value: 1.7e308,", "target.value"),
    ],
    ids=["weight", "baseline", "target"],
)
def test_numbers_at_the_edges_of_floats_are_refused_at_validation(
    minimal: Path, old: str, new: str, field: str
) -> None:
    path = minimal / "catalog.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    (problem,) = errors_of(minimal)
    assert problem.field.endswith(field)
    assert "less than or equal to" in problem.message or "greater than or equal to" in problem.message


def test_a_valid_tracker_at_the_edges_of_every_range_scores_in_every_format(minimal: Path) -> None:
    path = minimal / "catalog.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("scale: frequency\n    applies", "scale: frequency\n    weight: 1000000\n    applies")
    text = text.replace("baseline: {value: 0,", "baseline: {value: -1e15,")
    text = text.replace("target: {value: 19000,", "target: {value: 1e15,")
    path.write_text(text, encoding="utf-8")
    evidence(
        minimal,
        "v.yaml",
        'values:\n  - {indicator: new-staff, period: "2019", value: 1e15}\n'
        '  - {indicator: new-staff, period: "2020", value: -1e15}\n'
        'tallies:\n  period: "2020"\n  respondents: 1000000000\n  indicators:\n'
        '    "1.1": {base: 1000000000, counts: {always: 999999999}, printed: {always: 100}}\n',
    )
    evidence(minimal, "r.csv", f"{TIDY}b1,2019,1.1,always\nb2,2019,1.1,never\nb1,2019,1.2,always\n")
    tracker = recotrack.load(minimal)
    for format in ("terminal", "json", "html"):
        recotrack.report(tracker, period="2020", compare="2019", format=format)


def test_figures_never_depend_on_read_order(minimal: Path, tmp_path: Path) -> None:
    """The same two competing returns, named so that they are read in the other order, give the same bytes."""
    reports = []
    for first, second in (("a", "b"), ("b", "a")):
        tracker = tmp_path / f"order-{first}" / "tracker"
        shutil.copytree(MINIMAL, tracker)
        evidence(tracker, f"{first}.yaml", RETURN.replace("  answers:", "  submitted: 2019-11-02\n  answers:"))
        evidence(tracker, f"{second}.csv", "unit,period,submitted,1.1\nb1,2019,2019-10-01,never\n")
        evidence(tracker, "c.yaml", RETURN.replace("b1", "b2").replace("  answers:", "  supersedes: true\n  answers:"))
        evidence(tracker, "d.yaml", RETURN.replace("b1", "b2").replace("always", "never"))
        made = recotrack.report(tracker, format="json", period="2019")
        document = json.loads(made.content)
        del document["meta"]
        reports.append(json.dumps(document["distributions"]))
    assert reports[0] == reports[1]


def test_the_same_tracker_in_another_folder_gives_the_same_bytes(example: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-name"
    shutil.copytree(example, other)
    env = {"SOURCE_DATE_EPOCH": "0"}
    first = run("report", str(example), "--format", "json", env=env)
    second = run("report", str(other), "--format", "json", env=env)
    clean_exit(first, 0)
    assert first.stdout == second.stdout
    assert "cqc/" not in first.stdout
    assert "other-name" not in first.stdout
    assert '"evidence/commitments.yaml:' in first.stdout


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporaries_left_by_a_killed_run_are_removed_by_the_next(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    dead = tmp_path / TEMPORARY.format(name=target.name, pid=_dead_pid())
    alive = tmp_path / TEMPORARY.format(name=target.name, pid=os.getppid())
    other = tmp_path / TEMPORARY.format(name="other.json", pid=_dead_pid())
    for path in (dead, alive, other):
        path.write_text("half a report", encoding="utf-8")
    write_report("{}", target)
    assert not dead.exists(), "a dead run's temporary is removed"
    assert alive.exists(), "a live run's temporary is left alone"
    assert other.exists(), "and so is another report's"
    assert target.read_text(encoding="utf-8") == "{}"
    assert remove_stale_temporaries(target) == []


def test_a_report_killed_while_writing_leaves_a_temporary_the_next_run_removes(minimal: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    code = (
        "import os, signal, recotrack.reporters as r\n"
        "real = os.fsync\n"
        "def die(fd):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.fsync = die\n"
        f"r.write_report('x' * 100000, {str(target)!r})\n"
    )
    killed = subprocess.run([sys.executable, "-c", code], check=False, timeout=TIMEOUT)
    assert killed.returncode == -9
    left = list(target.parent.glob(".report.json.recotrack-*.tmp"))
    assert len(left) == 1
    assert not target.exists()
    clean_exit(cli("report", str(minimal), "--format", "json", "-o", str(target)), 0)
    assert not list(target.parent.glob(".report.json.recotrack-*.tmp"))
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == 3


# == More that a careful attacker would try ==================================================================


def test_a_file_name_with_a_newline_stays_on_one_line(minimal: Path) -> None:
    evidence(minimal, "two\nlines.csv", f"{TIDY}b1,2019,1.1,nevr\n")
    output = clean_exit(run("validate", str(minimal)))
    (line,) = [line for line in output.splitlines() if "lines.csv" in line]
    assert "tracker/evidence/two\\nlines.csv:2:4: error:" in line


def test_the_tracker_given_through_a_link_reads_the_same(minimal: Path, tmp_path: Path) -> None:
    link = tmp_path / "link-to-tracker"
    link.symlink_to(minimal, target_is_directory=True)
    evidence(minimal, "r.csv", f"{TIDY}b1,2019,1.1,always\n")
    tracker = recotrack.load(link)
    assert [i.path for i in tracker.inputs] == ["catalog.yaml", "evidence/r.csv", "units.yaml"]
    before = digests(minimal)
    assert "refusing" in clean_exit(run("report", str(link), "-o", str(minimal / "x.txt")))
    assert digests(minimal) == before


def test_a_manifest_path_leaving_the_tracker_or_missing_is_an_error(minimal: Path) -> None:
    path = minimal / "catalog.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "evidence:\n  - {path: ../outside.csv}\n  - {path: evidence/none.csv}\n",
        encoding="utf-8",
    )
    problems = errors_of(minimal)
    assert [p.field for p in problems] == ["evidence[0].path", "evidence[1].path"]
    assert "stay inside it" in problems[0].message
    assert problems[1].message == "no such file or folder in the tracker"


def test_a_tally_with_absurd_numbers_is_refused(minimal: Path) -> None:
    evidence(
        minimal,
        "t.yaml",
        'tallies:\n  period: "2019"\n  indicators:\n    "1.1": {base: 100000000000, counts: {always: 1}}\n'
        '    "1.2": {base: 10, counts: {always: 1}, printed: {always: 120}}\n'
        '    "1.8/the-police": {base: 10, counts: {"yes": 1}, printed: {"yes": 10.25}}\n',
    )
    fields = sorted(p.field for p in errors_of(minimal))
    assert fields == [
        "tallies.indicators.1.1.base",
        "tallies.indicators.1.2.printed.always",
        "tallies.indicators.1.8/the-police.printed.yes",
    ]


def test_every_hostile_case_leaves_its_inputs_alone(minimal: Path) -> None:
    """A last sweep: validate and report (every format) on a tracker holding many of the cases above at once."""
    (minimal / "evidence").mkdir()
    os.mkfifo(minimal / "evidence" / "fifo.csv")
    (minimal / "evidence" / "zero.csv").symlink_to("/dev/zero")
    evidence(minimal, "r.yaml", 'return:\n  unit: b1\n  period: "2019"\n  answers: {"1.1": always, "1.1 ": never}\n')
    evidence(minimal, "bad.csv", f"{TIDY}b2,2019,1.1,alwayz\nb3,2024/25,1.1,never\n".encode() + b"b1,2019,1.2,\x92\n")
    before = digests(minimal)
    for args in (
        ["validate", str(minimal)],
        ["validate", "--format", "json", str(minimal)],
        *(["report", str(minimal), "--skip-invalid", "--format", f] for f in ("terminal", "json", "html")),
    ):
        result = cli(*args, timeout=30)
        assert "Traceback" not in result.stderr, args
        assert result.returncode in (0, 1), args
    assert digests(minimal) == before


@pytest.fixture(autouse=True)
def _no_leftover_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("RECOTRACK_LIMITS", raising=False)
    return


def test_the_example_declares_its_periods_and_which_evidence_is_synthetic() -> None:
    tracker = recotrack.load(EXAMPLE)
    periods = tracker.periods
    assert (periods.ids, periods.source) == (("2019", "2020", "2021"), "catalog")
    assert periods.synthetic == frozenset({"2020", "2021"})
    assert periods.ends["2019"].isoformat() == "2019-12-31"
    synthetic = tracker.evidence.synthetic
    assert set(synthetic) == {"2019", "2020", "2021"}
    assert len(synthetic["2019"]) == 67
    assert synthetic["2020"] == ("evidence/2020-returns.csv",)
    assert synthetic["2021"] == ("evidence/2021-lifecycle.yaml", "evidence/2021-returns.csv")
    marked = {i.path for i in tracker.inputs if i.synthetic}
    assert "evidence/2019-published-tallies.yaml" not in marked, "the published tallies are real"
    assert "evidence/commitments.yaml" not in marked
    assert len(marked) == 70


def test_nothing_of_a_file_read_through_an_allowed_link_out_is_shown(minimal: Path, outside: Path) -> None:
    (minimal / "evidence").mkdir()
    (minimal / "evidence" / "linked.csv").symlink_to(outside)
    problems = recotrack.validate(minimal, allow_outside_links=True)
    assert problems
    assert all("SECRET" not in str(p) for p in problems)
    assert {p.found for p in problems if p.found is not None} == {"(not shown: the file is outside the tracker)"}


def test_a_huge_wrong_value_is_quoted_shortened(minimal: Path) -> None:
    evidence(minimal, "r.csv", f"{TIDY}b1,2019,1.1,{'x' * 100_000}\n")
    (problem,) = errors_of(minimal)
    assert problem.found is not None
    assert len(problem.found) < 300
    assert problem.found.endswith("(100,002 characters)")


def test_thousands_of_returns_for_one_unit_are_bounded(minimal: Path) -> None:
    rows = "".join(f"b1,2019,2019-{1 + i % 12:02d}-01,always\n" for i in range(2_500))
    evidence(minimal, "w.csv", "unit,period,submitted,1.1\n" + rows)
    start = time.process_time()
    problems = errors_of(minimal)
    assert time.process_time() - start < 20
    assert any("more than 1,000 returns for unit 'b1' in period '2019'" in p.message for p in problems)


def test_a_flood_of_distinct_long_unknown_units_stays_within_the_memory_cap(minimal: Path) -> None:
    path = minimal / "evidence" / "units.csv"
    path.parent.mkdir()
    with path.open("w", encoding="utf-8") as stream:
        stream.write(TIDY)
        stream.writelines(f"{'u' * 3000}{i},2019,1.1,always\n" for i in range(30_000))
    result = cli("validate", str(minimal), "--limit", "errors=1000")
    output = clean_exit(result)
    assert "more errors in this file are not listed (the limit errors is 1,000)" in output
