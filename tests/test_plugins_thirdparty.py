"""A third-party reporter, installed as its own package, is found only through its entry point.

The example plugin (``examples/plugins/recotrack-markdown``) is pip-installed, as a user would, into a
temporary virtual environment made once per session; the environment running the tests is never
changed. The temporary environment sees the running one's packages (recotrack, pytest, hatchling)
through a ``.pth`` file, which ``venv --system-site-packages`` would not give when the tests run in a
virtual environment themselves. The build is offline (``--no-index --no-build-isolation``) with the
``test`` extra's hatchling.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import site
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT
from recotrack.plugins import AUTOLOAD_ENV, DEFAULT_PLUGINS, ENTRY_POINT_GROUP

PLUGIN = ROOT / "examples" / "plugins" / "recotrack-markdown"
DIST = "recotrack-markdown"
MODULE = "recotrack_markdown"
VERSION = tomllib.loads((PLUGIN / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def run(*command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=False, cwd=cwd, env=env
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def installed() -> list[str]:
    """The running environment's distributions, to show that installing the plugin left it alone."""
    importlib.invalidate_caches()
    return sorted(f"{d.metadata['Name']} {d.version} {d.locate_file('')}" for d in importlib.metadata.distributions())


@pytest.fixture(scope="session")
def python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a temporary virtual environment with the example plugin installed (not editable)."""
    assert importlib.util.find_spec("hatchling"), "the offline build needs hatchling: pip install -e '.[test]'"
    before = installed()
    venv = tmp_path_factory.mktemp("plugin-venv")
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip())
    parents = [*site.getsitepackages(), *([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])]
    # addsitedir, not a bare path: the running environment's own .pth files (editable installs) apply too
    lines = [f"import site; site.addsitedir({path!r})" for path in parents if Path(path).is_dir()]
    (purelib / "_recotrack_tests_parent.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", python, "--disable-pip-version-check"]
    run(*pip, "install", "--quiet", "--no-deps", "--no-index", "--no-build-isolation", PLUGIN)
    assert installed() == before, "installing the plugin changed the environment running the tests"
    return python


def environment(**changes: str) -> dict[str, str]:
    drop = (AUTOLOAD_ENV, "PYTEST_ADDOPTS", "PYTHONPATH")
    env = {key: value for key, value in os.environ.items() if key not in drop}
    return {**env, "NO_COLOR": "1", "COLUMNS": "200", "SOURCE_DATE_EPOCH": "1700000000", **changes}


def recotrack(python: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-m", "recotrack", *args],
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


def test_not_installed_in_the_running_environment(python: Path) -> None:
    locations = [str(d.locate_file("")) for d in importlib.metadata.distributions(name=DIST)]
    assert not any(str(python.parent.parent) in location for location in locations)
    where = run(python, "-c", f"import {MODULE}; print({MODULE}.__file__)", env=environment())
    assert Path(where.strip()).is_relative_to(python.parent.parent)


def test_reporters_lists_it_with_its_distribution(python: Path) -> None:
    result = recotrack(python, "reporters")
    assert result.returncode == 0, result.stderr
    rows = listed(result.stdout)
    assert "markdown" in rows, result.stdout
    assert f"markdown ({DIST} {VERSION})" in rows["markdown"]
    assert "(built-in)" in rows["html"]
    assert "warning" not in result.stdout


def test_renders_the_example(python: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    command = ["report", str(EXAMPLE), "--period", "2020", "--compare", "2019", "--format", "markdown"]
    result = recotrack(python, *command, "-o", str(out))
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
    to_stdout = recotrack(python, *command)
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert to_stdout.stdout == markdown


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--no-plugins"], {}),
        ([], {AUTOLOAD_ENV: "yes"}),
        (["--plugin", "no:markdown"], {}),
    ],
    ids=["--no-plugins", f"{AUTOLOAD_ENV}=yes", "--plugin no:markdown"],
)
def test_not_available_when_plugins_are_off_or_it_is_blocked(
    python: Path, args: list[str], env: dict[str, str]
) -> None:
    listing = recotrack(python, "reporters", *args, env=environment(**env))
    assert listing.returncode == 0, listing.stderr
    rows = listed(listing.stdout)
    assert "markdown" not in rows
    assert {"terminal", "json", "html"} <= set(rows)
    report = recotrack(python, "report", str(EXAMPLE), "--format", "markdown", *args, env=environment(**env))
    assert report.returncode == 2
    assert "unknown report format 'markdown'" in report.stderr
    assert report.stdout == ""


def test_available_when_autoload_is_set_to_a_false_value(python: Path) -> None:
    result = recotrack(python, "reporters", env=environment(**{AUTOLOAD_ENV: "false"}))
    assert "markdown" in listed(result.stdout), result.stdout


@pytest.mark.parametrize("name", ["markdown", MODULE], ids=["entry-point name", "module name"])
def test_plugin_option_loads_it_with_autoloading_off(python: Path, name: str) -> None:
    result = recotrack(python, "reporters", "--no-plugins", "--plugin", name)
    assert result.returncode == 0, result.stderr
    assert f"{name} ({DIST} {VERSION})" in listed(result.stdout)["markdown"]
    report = recotrack(python, "report", str(EXAMPLE), "--no-plugins", "--plugin", name, "--format", "markdown")
    assert report.returncode == 0, report.stderr
    assert report.stdout.startswith("# Are we listening?")


def test_found_only_through_its_entry_point_and_a_specname_hookimpl(python: Path) -> None:
    assert all(MODULE not in module for module in DEFAULT_PLUGINS)
    probe = f"""
import importlib.metadata, sys
import recotrack, recotrack.cli
from recotrack.plugins import load_plugins
dist = importlib.metadata.distribution({DIST!r})
(entry,) = [e for e in dist.entry_points if e.group == {ENTRY_POINT_GROUP!r}]
assert (entry.name, entry.value) == ("markdown", {MODULE!r}), entry
assert {MODULE!r} not in sys.modules, "imported by recotrack itself"
assert "markdown" not in load_plugins(autoload=False).reporters()
assert {MODULE!r} not in sys.modules, "imported with autoloading off"
plugins = load_plugins()
entry = plugins.reporters()["markdown"]
assert (entry.plugin, entry.origin) == ("markdown", "{DIST} {VERSION}"), entry
assert "examples/plugins" not in sys.modules[{MODULE!r}].__file__.replace("\\\\", "/"), "not the installed copy"
(impl,) = [i for i in plugins.manager.hook.recotrack_register_reporters.get_hookimpls() if i.plugin_name == "markdown"]
assert impl.function.__name__ == "markdown_reporters", impl.function  # registered through specname
assert not hasattr(sys.modules[{MODULE!r}], "recotrack_register_reporters")
assert plugins.problems == [], plugins.problems
"""
    run(python, "-c", probe, cwd=ROOT, env=environment())


def test_plugin_passes_its_own_tests(python: Path) -> None:
    result = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "tests"],
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
