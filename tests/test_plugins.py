"""The plugin system: built-ins and installed plugins through the same hook; broken ones named, not fatal."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import recotrack
from conftest import EXAMPLE, MINIMAL, ROOT
from recotrack import hookspecs
from recotrack.cli import main
from recotrack.plugins import AUTOLOAD_ENV, DEFAULT_PLUGINS, PluginError, autoload_disabled, load_plugins

HOOKS = sorted(name for name, value in vars(hookspecs).items() if hasattr(value, f"{hookspecs.PROJECT}_spec"))
"""Every hook specification, found as pluggy finds them: by the spec marker."""


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

BY_SPECNAME = """
import recotrack
from recotrack.reporters import Reporter

@recotrack.hookimpl(specname="recotrack_register_reporters")
def counting_reporters():
    return [Reporter("count", "number of questions", lambda context: f"{len(context.results.indicators)}\\n")]

@recotrack.hookimpl(specname="recotrack_register_reporters")
def more_reporters():
    return [Reporter("periods", "the period reported on", lambda context: f"{context.results.period}\\n")]
"""

UNMARKED = """
import pluggy
from recotrack.reporters import Reporter

CALLED = []

def recotrack_register_reporters():  # not marked: pluggy does not see it
    CALLED.append("unmarked")
    return [Reporter("unmarked", "must not appear", str)]

@pluggy.HookimplMarker("someotherproject")
def recotrack_register_reporters_elsewhere():
    CALLED.append("other project")
    return [Reporter("elsewhere", "must not appear", str)]
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path for fake installed plugins; their modules are forgotten afterwards."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delenv(AUTOLOAD_ENV, raising=False)
    yield folder
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", None) or "").startswith(str(folder)):
            del sys.modules[name]


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented(hook: str) -> None:
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    assert re.search(rf"^### `{hook}\(", guide, re.MULTILINE), f"{hook} has no '### `{hook}(...)`' in docs/plugins.md"


def test_every_documented_hook_exists() -> None:
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    documented = re.findall(r"^### `(\w+)\(", guide, re.MULTILINE)
    assert documented, "no hook headings found in docs/plugins.md"
    assert sorted(documented) == HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test(hook: str) -> None:
    tests = ROOT / "tests"
    names = {
        name
        for path in tests.rglob("test_*.py")
        for name in re.findall(r"^def (test_\w+)\(", path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert any(hook in name for name in names), f"no test in {tests} has {hook} in its name"


def test_hooks_are_found() -> None:
    assert "recotrack_register_reporters" in HOOKS


def test_hook_recotrack_register_reporters(site: Path) -> None:
    install_fake_plugin(site, "countplugin", GOOD)
    plugins = load_plugins()
    reporters = plugins.reporters()
    assert {"json", "count"} <= set(reporters)
    assert reporters["count"].origin == "fake-plugin-countplugin 1.2.3"
    assert reporters["count"].plugin == "countplugin"
    assert reporters["json"].origin == "built-in"
    assert plugins.problems == []


def test_hook_recotrack_register_reporters_by_specname(site: Path) -> None:
    install_fake_plugin(site, "specnamed", BY_SPECNAME)
    plugins = load_plugins()
    reporters = plugins.reporters()
    assert reporters["count"].plugin == reporters["periods"].plugin == "specnamed"
    assert reporters["count"].origin == "fake-plugin-specnamed 1.2.3"
    assert plugins.problems == []


WEAKEST = """
import recotrack
from recotrack.scoring.methods import Rollup, RollupMethod


def weakest(parts):
    scored = [p for p in parts if p.score is not None]
    worst = min(scored, key=lambda p: p.score, default=None)
    return Rollup(worst.score, None, (worst.indicator,)) if worst else Rollup(None, None, ())


@recotrack.hookimpl
def recotrack_register_methods():
    return [
        RollupMethod("weakest-link", "7", "the lowest indicator score", weakest),
        RollupMethod("ratio-of-sums", "99", "a clash with a built-in", weakest),
    ]
"""


def test_hook_recotrack_register_methods(site: Path) -> None:
    install_fake_plugin(site, "weakest", WEAKEST)
    plugins = load_plugins()
    methods = {m.name: m for m in plugins.methods()}
    assert {"ratio-of-sums", "mean-of-unit-scores", "sdg", "weakest-link"} <= set(methods)
    assert methods["ratio-of-sums"].version == "1"  # the built-in keeps its name
    assert any("already provided by 'builtin_methods'" in p for p in plugins.problems)
    tracker = recotrack.load(MINIMAL)
    chosen = tracker.catalog.model_copy(update={"method": recotrack.MethodSettings(rollup="weakest-link")})
    results = recotrack.score(
        recotrack.Tracker(tracker.root, chosen, tracker.units, tracker.evidence), "2019", methods=plugins.methods()
    )
    assert {(r.method, r.version) for r in results.method.rollups} == {("weakest-link", "7")}


def test_hookimpl_is_exported_from_the_package() -> None:
    assert recotrack.hookimpl is hookspecs.hookimpl
    assert "hookimpl" in recotrack.__all__


def test_an_unmarked_function_with_the_hook_name_is_not_called(site: Path) -> None:
    install_fake_plugin(site, "unmarked", UNMARKED)
    plugins = load_plugins()
    reporters = plugins.reporters()
    assert {"unmarked", "elsewhere"}.isdisjoint(reporters)
    assert sys.modules["unmarked"].CALLED == []
    assert plugins.problems == [
        "plugin 'unmarked' (fake-plugin-unmarked 1.2.3) has no function marked @recotrack.hookimpl; "
        "nothing from it is used"
    ]


def test_a_marked_function_that_implements_no_hook_is_named(site: Path) -> None:
    install_fake_plugin(site, "typo", GOOD.replace("@hookimpl", '@hookimpl(specname="recotrack_register_reporter")'))
    plugins = load_plugins()
    assert "count" not in plugins.reporters()
    assert plugins.problems == [
        "plugin 'typo' (fake-plugin-typo 1.2.3) implements 'recotrack_register_reporter', which is not a "
        "recotrack hook, so it is never called (hooks: recotrack_register_methods, recotrack_register_reporters)"
    ]
    optional = GOOD.replace("@hookimpl", '@hookimpl(specname="recotrack_later_hook", optionalhook=True)')
    install_fake_plugin(site, "later", optional)
    assert [p for p in load_plugins().problems if "'later'" in p] == []  # optional hooks may be unknown


def test_builtins_register_through_the_same_hook() -> None:
    plugins = load_plugins(autoload=False)
    for module in DEFAULT_PLUGINS:
        name = module.rsplit(".", 1)[1]
        assert plugins.manager.has_plugin(name)
    hook = plugins.manager.hook
    reporters = {impl.plugin_name for impl in hook.recotrack_register_reporters.get_hookimpls()}
    methods = {impl.plugin_name for impl in hook.recotrack_register_methods.get_hookimpls()}
    assert reporters | methods == {m.rsplit(".", 1)[1] for m in DEFAULT_PLUGINS}
    assert methods == {"builtin_methods"}
    assert plugins.problems == []


def test_autoload_can_be_switched_off(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_fake_plugin(site, "countplugin", GOOD)
    assert "count" not in load_plugins(blocked=["countplugin"]).reporters()
    assert "countplugin" not in sys.modules  # a blocked plugin is not even imported
    assert "count" not in load_plugins(autoload=False).reporters()
    monkeypatch.setenv(AUTOLOAD_ENV, "1")
    assert "count" not in load_plugins().reporters()
    assert "count" in load_plugins(autoload=True).reporters()  # an explicit argument beats the environment


@pytest.mark.parametrize(
    ("value", "disabled"),
    [
        (None, False),
        ("", False),
        ("0", False),
        ("false", False),
        ("False", False),
        ("no", False),
        ("off", False),
        ("2", False),
        ("1", True),
        ("true", True),
        ("TRUE", True),
        ("yes", True),
        ("Yes", True),
        ("on", True),
        (" on ", True),
    ],
)
def test_autoload_environment_values(
    site: Path, monkeypatch: pytest.MonkeyPatch, value: str | None, disabled: bool
) -> None:
    if value is not None:
        monkeypatch.setenv(AUTOLOAD_ENV, value)
    install_fake_plugin(site, "countplugin", GOOD)
    assert autoload_disabled() is disabled
    assert ("count" not in load_plugins().reporters()) is disabled


def test_broken_and_conflicting_plugins_are_named_and_others_work(site: Path) -> None:
    install_fake_plugin(site, "countplugin", GOOD)
    install_fake_plugin(site, "importfails", "raise RuntimeError('boom at import')\n")
    install_fake_plugin(site, "hookfails", GOOD.replace("return [", "raise ValueError('bad hook')\n    return ["))
    install_fake_plugin(site, "clash", GOOD.replace('"count"', '"json"'))
    install_fake_plugin(site, "notareporter", GOOD.replace('[Reporter("count"', '["count", Reporter("x"'))
    single = GOOD.replace('return [Reporter("count"', 'return (Reporter("one"').replace(")]\n", "))\n")
    install_fake_plugin(site, "single", single)  # one Reporter, not a list
    install_fake_plugin(site, "nothing", GOOD.replace("return [", "return None\n    return ["))
    install_fake_plugin(
        site, "badargs", GOOD.replace("def recotrack_register_reporters():", "def recotrack_register_reporters(x):")
    )
    plugins = load_plugins()
    reporters = plugins.reporters()
    assert reporters["json"].origin == "built-in"
    assert reporters["count"].plugin == "countplugin"
    assert reporters["x"].plugin == "notareporter"  # the good part of a plugin is kept
    assert {"one", "nothing"}.isdisjoint(reporters)
    text = "\n".join(plugins.problems)
    assert "'importfails' (fake-plugin-importfails 1.2.3) could not be loaded: RuntimeError('boom at import')" in text
    assert "'hookfails' (fake-plugin-hookfails 1.2.3) failed to declare its reporters: ValueError('bad hook')" in text
    assert (
        "plugin 'clash' (fake-plugin-clash 1.2.3) declares reporter 'json', already provided by 'json' (built-in); "
        "the second one is ignored"
    ) in text
    assert (
        "plugin 'notareporter' (fake-plugin-notareporter 1.2.3) declared something that is not a "
        "recotrack.reporters.Reporter: 'count'"
    ) in text
    assert re.search(
        r"plugin 'single' \(fake-plugin-single 1\.2\.3\) returned Reporter\(name='one', .*\) from "
        r"recotrack_register_reporters; expected a list of recotrack\.reporters\.Reporter$",
        text,
        re.MULTILINE,
    )
    assert "'nothing'" not in text  # None is pluggy's "nothing to add"
    assert "'badargs' (fake-plugin-badargs 1.2.3) could not be loaded: PluginValidationError: Plugin 'badargs'" in text
    assert all("\n" not in problem for problem in plugins.problems)  # one problem, one line
    assert len(plugins.problems) == 6


def test_a_hook_that_raises_is_named_and_skipped_while_others_work(site: Path) -> None:
    install_fake_plugin(site, "aaa", GOOD.replace("return [", "raise KeyError('first')\n    return ["))
    install_fake_plugin(site, "zzz", GOOD)
    plugins = load_plugins()
    assert plugins.reporters()["count"].plugin == "zzz"
    assert plugins.problems == [
        "plugin 'aaa' (fake-plugin-aaa 1.2.3) failed to declare its reporters: KeyError('first')"
    ]


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


def test_plugin_option_loads_a_module_by_name(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    (site / "localcount.py").write_text(BY_SPECNAME, encoding="utf-8")  # on sys.path, not installed
    out = site.parent / "count.txt"
    args = ["report", str(EXAMPLE), "--period", "2020", "--format", "periods", "-o", str(out)]
    assert main([*args, "--no-plugins", "--plugin", "localcount"]) == 0
    assert out.read_text(encoding="utf-8") == "2020\n"
    assert main(["reporters", "--no-color", "--no-plugins", "--plugin", "localcount"]) == 0
    listing = capsys.readouterr().out
    assert re.search(r"periods +the period reported on +localcount \(.*localcount\.py\)", listing), listing
    capsys.readouterr()
    assert main([*args, "--no-plugins"]) == 2  # not loaded unless asked for
    assert "unknown report format 'periods'" in capsys.readouterr().err


def test_plugin_option_loads_an_installed_plugin_by_entry_point_name(site: Path) -> None:
    install_fake_plugin(site, "countplugin", GOOD)
    assert "count" not in load_plugins(autoload=False).reporters()
    entry = load_plugins(autoload=False, load=["countplugin"]).reporters()["count"]
    assert (entry.plugin, entry.origin) == ("countplugin", "fake-plugin-countplugin 1.2.3")
    both = load_plugins(load=["countplugin"])  # loaded by name, then not again by autoloading
    assert both.reporters()["count"].plugin == "countplugin"
    assert both.problems == []


def test_plugin_option_last_request_wins(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "localcount.py").write_text(BY_SPECNAME, encoding="utf-8")
    assert main(["reporters", "--no-plugins", "--plugin", "localcount", "--plugin", "no:localcount"]) == 0
    assert "localcount" not in sys.modules
    assert "periods" not in capsys.readouterr().out
    assert main(["reporters", "--no-plugins", "--plugin", "no:json", "--plugin", "json"]) == 0
    assert re.search(r"^ *json +every figure", capsys.readouterr().out, re.MULTILINE)
    assert main(["reporters", "--no-plugins", "--plugin", "json", "--plugin", "no:json"]) == 0
    assert not re.search(r"^ *json +every figure", capsys.readouterr().out, re.MULTILINE)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (None, "plugin 'missing' could not be loaded: there is no installed recotrack plugin and no importable module"),
        ("import not_a_module_anywhere\n", "plugin 'missing' could not be loaded: ModuleNotFoundError(\"No module"),
        ("raise RuntimeError('broken at import')\n", "could not be loaded: RuntimeError('broken at import')"),
    ],
    ids=["no such module", "a dependency is missing", "the import raises"],
)
def test_plugin_option_that_cannot_be_loaded_is_an_error(site: Path, source: str | None, message: str) -> None:
    if source is not None:
        (site / "missing.py").write_text(source, encoding="utf-8")
    with pytest.raises(PluginError, match=re.escape(message)):
        load_plugins(autoload=False, load=["missing"])
    result = run_cli("reporters", "--plugin", "missing", env={"PYTHONPATH": str(site)})
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_terminal_cannot_be_blocked() -> None:
    result = run_cli("report", str(EXAMPLE), "--plugin", "no:terminal")
    assert result.returncode == 2
    assert "argument --plugin: plugin 'terminal' provides the default report format and cannot be blocked" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    with pytest.raises(ValueError, match="'terminal' provides the default report format"):
        load_plugins(blocked=["terminal"])
    empty = run_cli("reporters", "--plugin", "no:")
    assert empty.returncode == 2
    assert "expected NAME or no:NAME, got 'no:'" in empty.stderr
