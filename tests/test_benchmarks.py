"""The benchmark keeps working: run at a tiny scale, it checks that every tool counted the same figures.

No timing is asserted (timed tests break on noisy machines); the ratios are read in docs/performance.md.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

from conftest import ROOT

ENGINES = ("pandas", "pyarrow", "polars", "duckdb")


def test_the_benchmark_runs_at_a_tiny_scale_and_every_tool_agrees() -> None:
    installed = [name for name in ENGINES if importlib.util.find_spec(name) is not None]
    if os.environ.get("CI"):
        assert installed == list(ENGINES), "CI installs the bench extra, so every engine is compared"
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--scale", "0.002", "--bad", "0.1", "--no-example"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    # The script stops unless every engine's counts equal recotrack's, so a row per tool means they agreed.
    assert "| recotrack (validate + score + compare) |" in run.stdout
    for name in installed:
        assert f"| {name} (plain tally) |" in run.stdout
    bad = re.search(r"off the scale \(([\d,]+) rows, ([\d,]+) errors\)", run.stdout)
    assert bad is not None, run.stdout
    rows, errors = (int(found.replace(",", "")) for found in bad.groups())
    assert rows > 0
    assert errors == rows, "every bad answer is reported once"
