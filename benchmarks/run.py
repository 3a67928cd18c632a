"""Benchmark recotrack against what an analyst would do instead (pandas, pyarrow, polars, duckdb).

    python benchmarks/run.py                      # 1/4, 1 and 4 × the default scale
    python benchmarks/run.py --scales 0.25,1      # choose the scales
    python benchmarks/run.py --scale 1 --out DIR  # one scale; keep the generated files in DIR
    python benchmarks/run.py --bad 0.1            # also a file with 10% of answers off the scale

The default scale is 10,000 units × 200 questions × 2 periods = 4 million answers in one tidy CSV
(``unit,period,indicator,answer``), with conditional questions and grids. The data is synthetic and
deterministic (fixed seed). At each scale, on the same file and in the same run:

* **recotrack**: ``recotrack.load(tracker, strict=False)`` (catalog, units and evidence, every row
  checked) and ``recotrack.score(tracker, period="2021", compare="2020")``;
* **pandas**, **pyarrow**, **polars** (``scan_csv``) and **duckdb** (``read_csv``), each reading the
  file and making a plain group-by tally of the same figures: counts per period × question × answer,
  and the base (answers given) per period × question. No checks.

Each runs in its own child process, so that the peak memory of one is not mixed with another's.
Every child writes its counts and the parent stops unless they all agree. Times exclude interpreter
start-up and imports, which are reported separately. The engines come with the ``bench`` extra
(``pip install -e '.[bench]'``); one that is not installed is left out and named. With ``--bad``,
recotrack also reads a copy of the file in which that share of answers is a label variant not on the
scale, each an error with its line, and the time is given as a ratio to the clean file's.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "cqc-cypmh"

SEED = 2018
UNITS = 10_000
"""Reporting units at scale 1 (the scale multiplies this; questions and periods stay fixed)."""
PERIODS = ("2020", "2021")
REGIONS = 9
RECOMMENDATIONS = 20
GRIDS = 4
GRID_ITEMS = 10
CONDITIONAL = 20
"""Yes/no questions that each open one follow-up question, answered only after a 'yes'."""
PLAIN = 200 - GRIDS * GRID_ITEMS - 2 * CONDITIONAL
BLANK = 0.02
"""Share of questions left blank (an empty answer cell), as returns do."""

SCALES: dict[str, list[tuple[str, str, float]]] = {
    "frequency": [("always", "Yes, always", 1), ("sometimes", "Yes, sometimes", 0.5), ("never", "No, never", 0)],
    "yes-no": [("yes", "Yes", 1), ("no", "No", 0)],
    "agreement": [
        ("strongly-agree", "Strongly agree", 1),
        ("agree", "Agree", 0.75),
        ("neither", "Neither agree nor disagree", 0.5),
        ("disagree", "Disagree", 0.25),
        ("strongly-disagree", "Strongly disagree", 0),
    ],
}


# -- generating the tracker -------------------------------------------------------------------------


def _questions() -> list[tuple[str, str, str | None]]:
    """(question id, scale, the question that must be 'yes' for it to apply) for all 200 questions."""
    found: list[tuple[str, str, str | None]] = []
    names = list(SCALES)
    for i in range(PLAIN):
        found.append((f"q{i + 1:03d}", names[i % 3], None))
    for i in range(CONDITIONAL):
        found.append((f"c{i + 1:02d}", "yes-no", None))
        found.append((f"c{i + 1:02d}a", "frequency", f"c{i + 1:02d}"))
    for g in range(GRIDS):
        for j in range(GRID_ITEMS):
            found.append((f"g{g + 1}/item-{j + 1:02d}", "agreement" if g % 2 else "yes-no", None))
    assert len(found) == 200
    return found


def _catalog_yaml() -> str:
    out = [
        "review:",
        "  id: bench",
        "  title: Synthetic review for benchmarks",
        "  publisher: recotrack benchmarks",
        "  published: 2019-01-15",
        "levels:",
        "  - {id: national, label: National}",
        "  - {id: local, label: Local}",
        "recommendations:",
    ]
    for r in range(RECOMMENDATIONS):
        out.append(
            f"  - {{id: R{r + 1:02d}, level: local, owners: [Units], title: Recommendation {r + 1}, "
            f"text: Units should do thing {r + 1}.}}"
        )
    out.append("scales:")
    for scale, options in SCALES.items():
        out.append(f"  - id: {scale}")
        out.append("    options:")
        for option_id, label, value in options:
            out.append(f'      - {{id: "{option_id}", label: "{label}", score: {value}}}')
    out.append("indicators:")

    def indicator(indicator_id: str, n: int, scale: str, extra: str = "") -> None:
        out.append(
            f'  - {{id: "{indicator_id}", kind: scale, measures: [R{n % RECOMMENDATIONS + 1:02d}], '
            f'text: "Question {indicator_id}?", scale: {scale}{extra}}}'
        )

    n = 0
    for question, scale, condition in _questions():
        if "/" in question:
            continue
        extra = f', applies_when: {{indicator: "{condition}", in: ["yes"]}}' if condition else ""
        indicator(question, n, scale, extra)
        n += 1
    for g in range(GRIDS):
        items = ", ".join(f'"Item {j + 1:02d}"' for j in range(GRID_ITEMS))
        indicator(f"g{g + 1}", n, "agreement" if g % 2 else "yes-no", f", items: [{items}]")
        n += 1
    return "\n".join(out) + "\n"


def _kinds_yaml() -> str:
    out = ["kinds:", "  - {id: region, label: Region}", "  - {id: school, label: School}", "invited:"]
    out += [f'  - {{period: "{period}", kind: school}}' for period in PERIODS]
    return "\n".join(out) + "\n"


def _register_csv(units: int) -> str:
    """The units as a register in CSV, as a user with tens of thousands of schools keeps them."""
    out = ["id,name,kind,parent"]
    out += [f"region-{r + 1},Region {r + 1},region," for r in range(REGIONS)]
    out += [f"u{u + 1:06d},School {u + 1},school,region-{u % REGIONS + 1}" for u in range(units)]
    return "\n".join(out) + "\n"


def _write_answers(path: Path, units: int) -> int:
    """Write the tidy CSV: every unit answers every question in both periods (blank where skipped)."""
    rng = random.Random(SEED)
    questions = _questions()
    unit_ids = [f"u{u + 1:06d}" for u in range(units)]
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("unit,period,indicator,answer\n")
        for p, period in enumerate(PERIODS):
            columns: dict[str, list[str]] = {}
            for question, scale, condition in questions:
                options = [option_id for option_id, _, _ in SCALES[scale]]
                weights = [len(options) - i + p for i in range(len(options))]  # later periods drift upwards
                answers = rng.choices(options, weights, k=units)
                for u in rng.sample(range(units), int(units * BLANK)):
                    answers[u] = ""
                if condition is not None:
                    parent = columns[condition]
                    answers = [a if parent[u] == "yes" else "" for u, a in enumerate(answers)]
                columns[question] = answers
            for u, unit in enumerate(unit_ids):
                prefix = f"{unit},{period},"
                out.write("".join(f"{prefix}{q},{columns[q][u]}\n" for q, _, _ in questions))
                rows += len(questions)
    return rows


def generate(folder: Path, scale: float) -> tuple[Path, int, int]:
    """Write a tracker for ``scale`` into ``folder``; the tracker path, its unit count and CSV rows."""
    units = round(UNITS * scale)
    tracker = folder / f"scale-{scale:g}"
    (tracker / "evidence").mkdir(parents=True, exist_ok=True)
    (tracker / "catalog.yaml").write_text(_catalog_yaml(), encoding="utf-8")
    (tracker / "units").mkdir(exist_ok=True)
    (tracker / "units" / "kinds.yaml").write_text(_kinds_yaml(), encoding="utf-8")
    (tracker / "units" / "schools.csv").write_text(_register_csv(units), encoding="utf-8")
    rows = _write_answers(tracker / "evidence" / "returns.csv", units)
    return tracker, units, rows


# -- the measured work, each in its own child process ----------------------------------------------


def _peak_mib() -> float:
    """This process's peak resident memory so far, in MiB.

    Linux's ``ru_maxrss`` survives ``exec``: a child starts with its parent's peak (here, that of
    generating the data) as a floor. ``VmHWM`` belongs to the child's own address space, so it is
    read instead where there is one; ``ru_maxrss`` elsewhere.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / 2**20 if sys.platform == "darwin" else maxrss / 1024


def child_recotrack(tracker: Path, report: Path) -> None:
    start = time.perf_counter()
    import recotrack

    imported = time.perf_counter()
    peak_imported = _peak_mib()
    loaded = recotrack.load(tracker, strict=False)
    read = time.perf_counter()
    peak_read = _peak_mib()
    results = recotrack.score(loaded, period=PERIODS[1], compare=PERIODS[0])
    done = time.perf_counter()
    peak = _peak_mib()
    # Not timed: the counts of both periods, to check that both sides found the same figures.
    counts = {}
    for period, scored in ((PERIODS[1], results), (PERIODS[0], recotrack.score(loaded, period=PERIODS[0]))):
        for d in scored.distributions:
            counts[f"{period} {d.id}"] = {"base": d.base, **{o.id: o.count for o in d.options if o.count}}
    errors = sum(1 for p in loaded.problems if p.severity == "error")
    _dump(
        report,
        start,
        imported,
        done,
        peak_imported,
        peak,
        counts,
        read=read - imported,
        peak_read=peak_read,
        errors=errors,
    )


def _tally_pandas(path: Path) -> tuple[Any, Any]:
    import pandas as pd

    frame = pd.read_csv(path)
    tally = frame.groupby(["period", "indicator", "answer"]).size()
    base = frame.groupby(["period", "indicator"])["answer"].count()
    return tally.items(), base.items()


def _tally_pyarrow(path: Path) -> tuple[Any, Any]:
    import pyarrow.compute as pc
    from pyarrow import csv

    table = csv.read_csv(path, convert_options=csv.ConvertOptions(strings_can_be_null=True))
    answered = table.filter(pc.is_valid(table["answer"]))
    tally = answered.group_by(["period", "indicator", "answer"]).aggregate([([], "count_all")])
    base = table.group_by(["period", "indicator"]).aggregate([("answer", "count")])
    return _rows(tally.to_pylist(), "count_all"), _rows(base.to_pylist(), "answer_count")


def _tally_polars(path: Path) -> tuple[Any, Any]:
    import polars as pl

    frame = pl.scan_csv(path)
    tally = frame.drop_nulls("answer").group_by(["period", "indicator", "answer"]).len()
    base = frame.group_by(["period", "indicator"]).agg(pl.col("answer").count())
    found_tally, found_base = pl.collect_all([tally, base])
    return _rows(found_tally.to_dicts(), "len"), _rows(found_base.to_dicts(), "answer")


def _tally_duckdb(path: Path) -> tuple[Any, Any]:
    import duckdb

    source = f"read_csv('{path}', header = true)"
    tally = duckdb.sql(
        f"select period, indicator, answer, count(*) from {source} where answer is not null group by all"
    ).fetchall()
    base = duckdb.sql(f"select period, indicator, count(answer) from {source} group by all").fetchall()
    return (((p, q, a), n) for p, q, a, n in tally), (((p, q), n) for p, q, n in base)


def _rows(rows: list[dict[str, Any]], count: str) -> Any:
    """Group-by rows as ((keys...), count) pairs, like pandas' ``Series.items()``."""
    return ((tuple(v for k, v in row.items() if k != count), row[count]) for row in rows)


ENGINES = {"pandas": _tally_pandas, "pyarrow": _tally_pyarrow, "polars": _tally_polars, "duckdb": _tally_duckdb}
"""What an analyst would use instead, each doing the plain tally."""


def child_engine(name: str, tracker: Path, report: Path) -> None:
    start = time.perf_counter()
    __import__(name)
    imported = time.perf_counter()
    peak_imported = _peak_mib()
    tally, base = ENGINES[name](tracker / "evidence" / "returns.csv")
    done = time.perf_counter()
    peak = _peak_mib()
    counts: dict[str, dict[str, int]] = {}
    for (period, question), value in base:
        counts[f"{period} {question}"] = {"base": int(value)}
    for (period, question, answer), value in tally:
        counts[f"{period} {question}"][answer] = int(value)
    _dump(report, start, imported, done, peak_imported, peak, counts, read=done - imported, peak_read=peak)


def installed_engines() -> list[str]:
    import importlib.util

    return [name for name in ENGINES if importlib.util.find_spec(name) is not None]


def child_example(report: Path) -> None:
    start = time.perf_counter()
    import recotrack

    imported = time.perf_counter()
    tracker = recotrack.load(EXAMPLE)
    recotrack.score(tracker, period="2020", compare="2019")
    done = time.perf_counter()
    _dump(report, start, imported, done, 0.0, _peak_mib(), {}, read=0.0, peak_read=0.0)


def _dump(
    report: Path,
    start: float,
    imported: float,
    done: float,
    peak_imported: float,
    peak: float,
    counts: dict[str, dict[str, Any]],
    **extra: float | int,
) -> None:
    data = {
        "import_s": imported - start,
        "work_s": done - imported,
        "peak_after_import_mib": peak_imported,
        "peak_mib": peak,
        "counts": counts,
        **extra,
    }
    report.write_text(json.dumps(data), encoding="utf-8")


@dataclass
class Side:
    """One side's measurements in its child process."""

    import_s: float
    work_s: float
    read_s: float
    """Of ``work_s``: reading (recotrack: load and check; an engine: all of it)."""
    peak_after_import_mib: float
    peak_after_read_mib: float
    peak_mib: float


@dataclass
class Measured:
    scale: float
    units: int
    rows: int
    csv_mib: float
    recotrack: Side
    engines: dict[str, Side]
    bad_share: float = 0.0
    bad_rows: int = 0
    bad_errors: int = 0
    recotrack_bad: Side | None = None
    """recotrack on the copy with ``bad_share`` of the answers off the scale."""


def _in_child(*args: str, folder: Path) -> dict[str, Any]:
    report = folder / "child.json"
    subprocess.run([sys.executable, __file__, "--child", *args, str(report)], check=True)
    data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    report.unlink()
    return data


def _side(data: dict[str, Any]) -> Side:
    return Side(
        data["import_s"],
        data["work_s"],
        data["read"],
        data["peak_after_import_mib"],
        data["peak_read"],
        data["peak_mib"],
    )


def _wall(command: list[str], repeat: int = 5) -> float:
    """Median wall time of a command, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_bad(tracker: Path, share: float) -> tuple[Path, int]:
    """A copy of the tracker in which ``share`` of the answers are label variants off the scale."""
    bad = tracker.with_name(tracker.name + f"-bad-{share:g}")
    shutil.rmtree(bad, ignore_errors=True)
    shutil.copytree(tracker, bad, ignore=shutil.ignore_patterns("returns.csv"))
    rng = random.Random(SEED + 1)
    changed = 0
    with (
        (tracker / "evidence" / "returns.csv").open(encoding="utf-8") as source,
        (bad / "evidence" / "returns.csv").open("w", encoding="utf-8", newline="") as out,
    ):
        out.write(next(source))
        for line in source:
            if not line.endswith(",\n") and rng.random() < share:
                line = line[:-1] + "?\n"  # "always?": close to an option, on no scale
                changed += 1
            out.write(line)
    return bad, changed


# -- the parent: generate, measure, print ------------------------------------------------------------


def measure(folder: Path, scale: float, engines: list[str], bad_share: float) -> Measured:
    start = time.perf_counter()
    tracker, units, rows = generate(folder, scale)
    generated = time.perf_counter() - start
    size = (tracker / "evidence" / "returns.csv").stat().st_size
    print(f"scale {scale:g}: {units:,} units, {rows:,} rows, {size / 2**20:,.0f} MiB of CSV ({generated:.1f} s)")
    ours = _in_child("recotrack", str(tracker), folder=folder)
    if ours["errors"]:
        raise SystemExit(f"recotrack reported {ours['errors']} errors in the generated evidence")
    theirs = {name: _in_child(name, str(tracker), folder=folder) for name in engines}
    for name, data in theirs.items():
        if data["counts"] != ours["counts"]:
            raise SystemExit(f"recotrack and {name} counted different figures: the comparison would not be fair")
    measured = Measured(scale, units, rows, size / 2**20, _side(ours), {n: _side(d) for n, d in theirs.items()})
    if bad_share:
        bad, changed = make_bad(tracker, bad_share)
        found = _in_child("recotrack", str(bad), folder=folder)
        measured.bad_share, measured.bad_rows, measured.bad_errors = bad_share, changed, found["errors"]
        measured.recotrack_bad = _side(found)
        shutil.rmtree(bad, ignore_errors=True)
    return measured


REPORT_FORMATS = ("terminal", "json", "html")


def example_and_startup(folder: Path) -> dict[str, float | None]:
    """The bundled example end to end (each command in a fresh process), and start-up time."""
    recotrack = [sys.executable, "-m", "recotrack"]
    best = min((_in_child("example", folder=folder) for _ in range(3)), key=lambda d: float(d["work_s"]))
    found: dict[str, float | None] = {
        "validate_example_s": _wall([*recotrack, "validate", str(EXAMPLE)]),
        "example_load_score_s": best["work_s"],
        "example_import_s": best["import_s"],
        "help_s": _wall([*recotrack, "--help"]),
        "python_bare_s": _wall([sys.executable, "-c", "pass"]),
    }
    for name in REPORT_FORMATS:
        command = [*recotrack, "report", str(EXAMPLE), "--period", "2020", "--compare", "2019", "--format", name]
        try:
            found[f"report_{name}_s"] = _wall([*command, "-o", str(folder / f"example-report.{name}")], repeat=3)
        except subprocess.CalledProcessError:
            found[f"report_{name}_s"] = None  # this version has no such report
    return found


def print_table(measured: list[Measured]) -> None:
    print()
    print(
        "| scale | rows | CSV MiB | tool | seconds | peak MiB | recotrack ÷ tool (time) | recotrack ÷ tool (memory) |"
    )
    print("|" + " --- |" * 8)
    for m in measured:
        ours = m.recotrack
        print(
            f"| {m.scale:g} | {m.rows:,} | {m.csv_mib:,.0f} | recotrack (validate + score + compare) "
            f"| {ours.work_s:.2f} | {ours.peak_mib:,.0f} | | |"
        )
        for name, side in m.engines.items():
            print(
                f"| {m.scale:g} | {m.rows:,} | {m.csv_mib:,.0f} | {name} (plain tally) | {side.work_s:.2f} "
                f"| {side.peak_mib:,.0f} | {ours.work_s / side.work_s:.2f} | {ours.peak_mib / side.peak_mib:.2f} |"
            )
    print()
    for m in measured:
        ours = m.recotrack
        fastest = min(
            (name for name in m.engines if name in ("polars", "duckdb")),
            key=lambda name: m.engines[name].work_s,
            default=None,
        )
        parts = [
            f"scale {m.scale:g}: recotrack load {ours.read_s:.2f} s + score {ours.work_s - ours.read_s:.2f} s "
            f"(import {ours.import_s:.2f} s; peak MiB {ours.peak_after_import_mib:.0f} after import, "
            f"{ours.peak_after_read_mib:.0f} after load)"
        ]
        if "pandas" in m.engines:
            parts.append(f"÷ pandas {ours.work_s / m.engines['pandas'].work_s:.2f} (target ≤ 0.5)")
        if fastest is not None:
            parts.append(f"÷ {fastest}, the faster of polars and duckdb, {ours.work_s / m.engines[fastest].work_s:.2f}")
        if m.recotrack_bad is not None:
            parts.append(
                f"with {m.bad_share:.0%} of answers off the scale ({m.bad_rows:,} rows, {m.bad_errors:,} errors): "
                f"{m.recotrack_bad.work_s:.2f} s, {m.recotrack_bad.work_s / ours.work_s:.2f}× the clean file "
                f"(target ≤ 1.5), peak {m.recotrack_bad.peak_mib:,.0f} MiB"
            )
        print("; ".join(parts))
    if len(measured) > 1:
        first, last = measured[0], measured[-1]
        grow = last.rows / first.rows
        sides = [("recotrack", first.recotrack, last.recotrack)]
        sides += [(name, first.engines[name], last.engines[name]) for name in first.engines]
        for name, a, b in sides:
            print(
                f"{name}: {grow:g}× the rows took {b.work_s / a.work_s:.2f}× the time "
                f"and {b.peak_mib / a.peak_mib:.2f}× the peak memory"
            )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, *rest = sys.argv[2:]
        if kind == "example":
            child_example(Path(rest[0]))
        elif kind == "recotrack":
            child_recotrack(Path(rest[0]), Path(rest[1]))
        else:
            child_engine(kind, Path(rest[0]), Path(rest[1]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, help="one scale (1 = 10,000 units × 200 questions × 2 periods)")
    parser.add_argument("--scales", default="0.25,1,4", help="comma-separated scales (default: 0.25,1,4)")
    parser.add_argument("--out", type=Path, help="keep the generated trackers and results.json here")
    parser.add_argument("--bad", type=float, default=0.0, help="also time a copy with this share of bad answers")
    parser.add_argument("--engines", help=f"comma-separated, from {', '.join(ENGINES)} (default: every one installed)")
    parser.add_argument("--no-example", action="store_true", help="skip the bundled example and start-up times")
    args = parser.parse_args()
    engines = args.engines.split(",") if args.engines else installed_engines()
    missing = [name for name in ENGINES if name not in engines]
    if unknown := [name for name in engines if name not in ENGINES]:
        parser.error(f"unknown engine {', '.join(unknown)}; choose from {', '.join(ENGINES)}")
    scales = [args.scale] if args.scale is not None else [float(s) for s in args.scales.split(",")]
    folder = args.out or Path(tempfile.mkdtemp(prefix="recotrack-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        print(f"Python {sys.version.split()[0]}; generated files in {folder}")
        if missing:
            print(f"left out (not installed or not chosen): {', '.join(missing)}")
        measured = [measure(folder, scale, engines, args.bad) for scale in scales]
        print_table(measured)
        extra = {} if args.no_example else example_and_startup(folder)
        if extra:
            print_example(extra)
        if args.out:
            results = {"python": sys.version, "scales": [asdict(m) for m in measured], **extra}
            (folder / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    finally:
        if args.out is None:
            shutil.rmtree(folder, ignore_errors=True)


def print_example(extra: dict[str, float | None]) -> None:
    print()
    print(
        f"bundled example: `recotrack validate examples/cqc-cypmh` {extra['validate_example_s']:.2f} s "
        f"wall; load + score in-process {extra['example_load_score_s']:.3f} s "
        f"(+ {extra['example_import_s']:.2f} s import)"
    )
    reports = [f"{name} {extra[f'report_{name}_s'] or float('nan'):.2f} s" for name in REPORT_FORMATS]
    print("bundled example: `recotrack report --period 2020 --compare 2019` wall, by format: " + ", ".join(reports))
    print(
        f"`python -m recotrack --help` {extra['help_s']:.2f} s wall "
        f"(bare `python -c pass` {extra['python_bare_s']:.2f} s)"
    )


if __name__ == "__main__":
    main()
