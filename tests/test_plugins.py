"""The plugin system: built-ins and installed plugins through the same hook; broken ones named, not fatal."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT
from recotrack import hookspecs
from recotrack.plugins import AUTOLOAD_ENV, DEFAULT_PLUGINS, load_plugins

HOOKS = sorted(name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("recotrack_"))


def install_fake_plugin(site: Path, name: str, source: str, dist: str = "fake-plugin") -> None:
    """Make a plugin look installed: a module and a dist-info folder with its entry point."""
    (site / f"{name}.py").write_text(source, encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}_{name}-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}-{name}\nVersion: 1.2.3\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[recotrack]\n{name} = {name}\n", encoding="utf-8")


GOOD = """
from recotrack.hookspecs import hookimpl
from recotrack.reporters import Reporter

@hookimpl
def recotrack_register_reporters():
    return [Reporter("count", "number of questions", lambda context: f"{len(context.results.distributions)}\\n")]
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delenv(AUTOLOAD_ENV, raising=False)
    return folder


def test_every_hook_is_documented() -> None:
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    for hook in HOOKS:
        assert f"### `{hook}" in guide, f"{hook} is not documented in docs/plugins.md"


def test_every_hook_has_a_test() -> None:
    tests = {name for name, _ in inspect.getmembers(sys.modules[__name__], inspect.isfunction)}
    for hook in HOOKS:
        assert f"test_hook_{hook}" in tests, f"{hook} has no test named test_hook_{hook}"


def test_hook_recotrack_register_reporters(site: Path) -> None:
    install_fake_plugin(site, "countplugin", GOOD)
    plugins = load_plugins()
    reporters = plugins.reporters()
    assert {"json", "count"} <= set(reporters)
    assert reporters["count"].origin == "fake-plugin-countplugin 1.2.3"
    assert reporters["json"].origin == "built-in"
    assert plugins.problems == []


def test_builtins_register_through_the_same_hook() -> None:
    plugins = load_plugins(autoload=False)
    for module in DEFAULT_PLUGINS:
        name = module.rsplit(".", 1)[1]
        assert plugins.manager.has_plugin(name)
    callers = {impl.plugin_name for impl in plugins.manager.hook.recotrack_register_reporters.get_hookimpls()}
    assert callers == {m.rsplit(".", 1)[1] for m in DEFAULT_PLUGINS}


def test_autoload_can_be_switched_off(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_fake_plugin(site, "countplugin", GOOD)
    assert "count" not in load_plugins(autoload=False).reporters()
    monkeypatch.setenv(AUTOLOAD_ENV, "1")
    assert "count" not in load_plugins().reporters()
    assert "count" not in load_plugins(blocked=["countplugin"]).reporters()


def test_broken_and_conflicting_plugins_are_named_and_others_work(site: Path) -> None:
    install_fake_plugin(site, "countplugin", GOOD)
    install_fake_plugin(site, "importfails", "raise RuntimeError('boom at import')\n")
    install_fake_plugin(site, "hookfails", GOOD.replace("return [", "raise ValueError('bad hook')\n    return ["))
    install_fake_plugin(site, "clash", GOOD.replace('"count"', '"json"'))
    install_fake_plugin(site, "notareporter", GOOD.replace('[Reporter("count"', '["count", Reporter("x"'))
    plugins = load_plugins()
    reporters = plugins.reporters()
    assert reporters["json"].origin == "built-in"
    assert "count" in reporters
    text = "\n".join(plugins.problems)
    assert "'importfails' (fake-plugin-importfails 1.2.3) could not be loaded: RuntimeError('boom at import')" in text
    assert "'hookfails' (fake-plugin-hookfails 1.2.3) failed to declare its reporters: ValueError('bad hook')" in text
    assert "declares reporter 'json', already provided by 'json' (built-in); the second one is ignored" in text
    assert "'notareporter'" in text


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "recotrack", *args],
        capture_output=True,
        text=True,
        check=False,
        env={"NO_COLOR": "1", "COLUMNS": "200", "PATH": "", **(env or {})},
    )


def test_reporters_command_lists_builtins() -> None:
    result = run_cli("reporters", "--no-plugins")
    assert result.returncode == 0
    assert "json" in result.stdout
    assert "built-in" in result.stdout


def test_a_failing_reporter_is_named_without_traceback(site: Path) -> None:
    install_fake_plugin(site, "crashy", GOOD.replace("lambda context:", "lambda context: 1 / 0 or"))
    out = site.parent / "out.txt"
    result = run_cli("report", str(EXAMPLE), "--format", "count", "-o", str(out), env={"PYTHONPATH": str(site)})
    assert result.returncode == 1
    assert "reporter 'count' from plugin crashy (fake-plugin-crashy 1.2.3) failed: ZeroDivisionError" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert not list(site.parent.glob(".out.txt*"))
