"""A third-party reporter, installed as its own package, is found only through its entry point.

The example plugin (``examples/plugins/recotrack-markdown``) is pip-installed into the running
environment once per session, exactly as a user would install it, and uninstalled afterwards unless it
was installed before. The build is offline (``--no-build-isolation --no-index``) when hatchling is
installed, as the ``test`` extra provides.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT
from recotrack.plugins import AUTOLOAD_ENV, DEFAULT_PLUGINS, ENTRY_POINT_GROUP

PLUGIN = ROOT / "examples" / "plugins" / "recotrack-markdown"
DIST = "recotrack-markdown"
MODULE = "recotrack_markdown"


def installed_version() -> str | None:
    importlib.invalidate_caches()
    try:
        return importlib.metadata.version(DIST)
    except importlib.metadata.PackageNotFoundError:
        return None


def pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", *args, "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def plugin() -> Iterator[str]:
    """Install the example plugin (from its folder, not editable); its version."""
    before = installed_version()
    offline = ["--no-build-isolation", "--no-index"] if importlib.util.find_spec("hatchling") else []
    result = pip("install", "--quiet", "--no-deps", "--force-reinstall", *offline, str(PLUGIN))
    assert result.returncode == 0, f"could not install {PLUGIN}:\n{result.stdout}\n{result.stderr}"
    version = installed_version()
    assert version is not None
    yield version
    if before is None:
        pip("uninstall", "--yes", "--quiet", DIST)
        importlib.invalidate_caches()


def environment(**changes: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in (AUTOLOAD_ENV, "PYTEST_ADDOPTS")}
    return {**env, "NO_COLOR": "1", "COLUMNS": "200", "SOURCE_DATE_EPOCH": "1700000000", **changes}


def recotrack(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "recotrack", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env or environment(),
    )


def listed(output: str) -> dict[str, str]:
    """`recotrack reporters` as {format: the rest of its line}."""
    rows = {}
    for line in output.splitlines():
        name, _, rest = line.strip().partition(" ")
        if name and rest:
            rows[name] = rest
    return rows


def test_reporters_lists_it_with_its_distribution(plugin: str) -> None:
    result = recotrack("reporters")
    assert result.returncode == 0, result.stderr
    rows = listed(result.stdout)
    assert "markdown" in rows, result.stdout
    assert f"markdown ({DIST} {plugin})" in rows["markdown"]
    assert "(built-in)" in rows["html"]
    assert "warning" not in result.stdout


def test_renders_the_example(plugin: str, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    command = ["report", str(EXAMPLE), "--period", "2020", "--compare", "2019", "--format", "markdown"]
    result = recotrack(*command, "-o", str(out))
    assert result.returncode == 0, result.stderr
    markdown = out.read_text(encoding="utf-8")
    assert markdown.startswith("# Are we listening? Review of children and young people’s mental health services\n")
    assert "Implementation report for **2020**, compared with **2019**." in markdown
    assert "80 of the 152 invited units responded (53%)." in markdown
    assert "| **0.1** | 73 (91%) | 7 (9%) | 80 | 0.91 |" in markdown
    parent = (
        "| **L1** A shared ‘local offer’ through Local Transformation Plans on a statutory footing"
        + " | Amber | 0.67 |"
    )
    child = "| ↳ **L1.1** Joint commissioning | Amber | 0.71 |"
    same = " no clear change (0.00) |"
    assert f"{parent}{same}\n{child}{same}\n" in markdown  # a sub-recommendation right after its parent
    assert "withdrawn: In the questionnaire, question 2.2" in markdown
    assert "2023-11-14T22:13:20Z" in markdown
    to_stdout = recotrack(*command)
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert to_stdout.stdout == markdown


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--no-plugins"], {}),
        ([], {AUTOLOAD_ENV: "1"}),
        (["--plugin", "no:markdown"], {}),
    ],
    ids=["--no-plugins", AUTOLOAD_ENV, "--plugin no:markdown"],
)
def test_not_available_when_plugins_are_off_or_it_is_blocked(plugin: str, args: list[str], env: dict[str, str]) -> None:
    listing = recotrack("reporters", *args, env=environment(**env))
    assert listing.returncode == 0, listing.stderr
    rows = listed(listing.stdout)
    assert "markdown" not in rows
    assert {"terminal", "json", "html"} <= set(rows)
    report = recotrack("report", str(EXAMPLE), "--format", "markdown", *args, env=environment(**env))
    assert report.returncode == 2
    assert "unknown report format 'markdown'" in report.stderr
    assert report.stdout == ""


def test_found_only_through_its_entry_point(plugin: str) -> None:
    assert all(MODULE not in module for module in DEFAULT_PLUGINS)
    dist = importlib.metadata.distribution(DIST)
    (entry,) = [e for e in dist.entry_points if e.group == ENTRY_POINT_GROUP]
    assert (entry.name, entry.value) == ("markdown", MODULE)
    probe = f"""
import sys
import recotrack, recotrack.cli
from recotrack.plugins import load_plugins
assert {MODULE!r} not in sys.modules, "imported by recotrack itself"
assert "markdown" not in load_plugins(autoload=False).reporters()
assert {MODULE!r} not in sys.modules, "imported with autoloading off"
entry = load_plugins().reporters()["markdown"]
assert (entry.plugin, entry.origin) == ("markdown", "{DIST} {plugin}"), entry
assert "examples/plugins" not in sys.modules[{MODULE!r}].__file__.replace("\\\\", "/"), "not the installed copy"
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, env=environment(), cwd=ROOT
    )
    assert result.returncode == 0, result.stderr


def test_plugin_passes_its_own_tests(plugin: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "tests"],
        capture_output=True,
        text=True,
        check=False,
        cwd=PLUGIN,
        env=environment(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert " passed" in summary
    assert "skipped" not in summary, result.stdout  # the entry-point test ran against the installed package
