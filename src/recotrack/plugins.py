"""The plugin manager: built-in reporters and installed plugins, registered the same way.

Installed plugins are found under the ``recotrack`` entry-point group. Set
``RECOTRACK_DISABLE_PLUGIN_AUTOLOAD=1`` (or pass ``autoload=False``) to load only the built-ins and
the plugins asked for by name (``--plugin NAME``); block any plugin but ``terminal`` by name
(``--plugin no:NAME``). Only functions marked ``@recotrack.hookimpl`` count, and each one is called
on its own: a plugin that fails to load or to declare its reporters is reported by name and skipped,
and the others keep working.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, PackageNotFoundError, entry_points, packages_distributions, version
from types import ModuleType
from typing import TypeVar

import pluggy

from recotrack import hookspecs
from recotrack.reporters import Reporter
from recotrack.scoring.methods import ScoringMethod

DEFAULT_PLUGINS = (
    "recotrack.reporters.terminal",
    "recotrack.reporters.json",
    "recotrack.reporters.html",
    "recotrack.reporters.xlsx",
    "recotrack.reporters.csv",
    "recotrack.scoring.builtin_methods",
)
"""Built-in plugin modules, registered under their last name component."""

ESSENTIAL_PLUGINS = ("terminal",)
"""Built-in plugins that cannot be blocked: ``terminal`` is the default report format."""

ENTRY_POINT_GROUP = "recotrack"
AUTOLOAD_ENV = "RECOTRACK_DISABLE_PLUGIN_AUTOLOAD"
TRUE_VALUES = ("1", "true", "yes", "on")
"""Values of ``RECOTRACK_DISABLE_PLUGIN_AUTOLOAD`` that switch autoloading off (case-insensitive)."""

BUILT_IN = "built-in"

T = TypeVar("T")


class PluginError(Exception):
    """A plugin asked for by name could not be loaded: the caller wanted it, so this is not a mere warning."""


@dataclass(frozen=True)
class ReporterEntry:
    """A reporter and where it came from."""

    reporter: Reporter
    plugin: str
    origin: str
    """'built-in', the distribution that installed the plugin (name and version), or, for a module
    loaded by name that no distribution installed, its file."""


@dataclass
class Plugins:
    """Loaded plugins, their reporters, and every problem met while loading them."""

    manager: pluggy.PluginManager
    origins: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    _reporters: dict[str, ReporterEntry] | None = None
    _methods: list[ScoringMethod] | None = None

    def origin(self, plugin_name: str) -> str:
        """Where a plugin came from, for messages; plugins registered on the manager directly have no record."""
        return self.origins.get(plugin_name, "registered directly")

    def reporters(self) -> dict[str, ReporterEntry]:
        """Reporters by name. A name declared twice keeps the first (built-ins come first)."""
        if self._reporters is not None:
            return self._reporters
        found: dict[str, ReporterEntry] = {}
        for plugin_name, reporter in self._collect("recotrack_register_reporters", Reporter):
            where = f"plugin {plugin_name!r} ({self.origin(plugin_name)})"
            if not reporter.name:
                self.problems.append(f"{where} declared a reporter without a name: {reporter!r}")
            elif reporter.name in found:
                first = found[reporter.name]
                self.problems.append(
                    f"{where} declares reporter {reporter.name!r}, already provided by "
                    f"{first.plugin!r} ({first.origin}); the second one is ignored"
                )
            else:
                found[reporter.name] = ReporterEntry(reporter, plugin_name, self.origin(plugin_name))
        self._reporters = found
        return found

    def methods(self) -> list[ScoringMethod]:
        """Scoring methods, built-ins first. A name declared twice keeps the first, and the clash is reported."""
        if self._methods is not None:
            return self._methods
        found: dict[str, tuple[str, ScoringMethod]] = {}
        for plugin_name, method in self._collect("recotrack_register_methods", ScoringMethod):
            if method.name in found:
                first = found[method.name][0]
                self.problems.append(
                    f"plugin {plugin_name!r} ({self.origin(plugin_name)}) declares scoring method {method.name!r}, "
                    f"already provided by {first!r}; the second one is ignored"
                )
            else:
                found[method.name] = (plugin_name, method)
        self._methods = [method for _, method in found.values()]
        return self._methods

    def _collect(self, hook_name: str, expected: type[T], **kwargs: object) -> list[tuple[str, T]]:
        """(plugin name, object) for everything the implementations of a registration hook declare.

        Not ``manager.hook.NAME()``: there one plugin that raises would hide every other plugin's
        declarations. Each marked implementation is called on its own, as pluggy would call it, in
        registration order (built-ins first); whatever goes wrong is named in ``problems`` and skipped.
        """
        what = hook_name.removeprefix(f"{hookspecs.PROJECT}_register_")
        kind = f"{expected.__module__}.{expected.__qualname__}"
        order = {name: index for index, (name, _) in enumerate(self.manager.list_name_plugin())}
        caller: pluggy.HookCaller = getattr(self.manager.hook, hook_name)
        collected: list[tuple[str, T]] = []
        for impl in sorted(caller.get_hookimpls(), key=lambda impl: order.get(impl.plugin_name, len(order))):
            where = f"plugin {impl.plugin_name!r} ({self.origin(impl.plugin_name)})"
            if impl.wrapper or impl.hookwrapper:
                self.problems.append(f"{where}: {hook_name} cannot be a wrapper; it is ignored")
                continue
            try:
                with plugin_output():
                    declared = impl.function(*(kwargs[name] for name in impl.argnames))
                if declared is None:  # as in pluggy's own hook calls: nothing to add
                    continue
                if isinstance(declared, (expected, str, bytes, Mapping)) or not isinstance(declared, Iterable):
                    self.problems.append(f"{where} returned {declared!r} from {hook_name}; expected a list of {kind}")
                    continue
                items = list(declared)  # a generator's own errors surface here
            except Exception as exc:  # a third-party plugin's bug must not break the others
                self.problems.append(f"{where} failed to declare its {what}: {exc!r}")
                continue
            for item in items:
                if isinstance(item, expected):
                    collected.append((impl.plugin_name, item))
                else:
                    self.problems.append(f"{where} declared something that is not a {kind}: {item!r}")
        return collected


def plugin_output() -> contextlib.AbstractContextManager[object]:
    """Where a plugin's own prints go while it is imported or called: standard error, never standard output.

    A plugin that prints when it is imported (or while it renders) would otherwise mix its text into
    a report written to standard output (``--format json`` would no longer be JSON).
    """
    return contextlib.redirect_stdout(sys.stderr if sys.stderr is not None else io.StringIO())


def load_plugins(*, autoload: bool | None = None, blocked: Iterable[str] = (), load: Iterable[str] = ()) -> Plugins:
    """A plugin manager with the built-ins, the plugins named in ``load`` and (unless off) the installed ones.

    ``load`` names plugins to load even when autoloading is off: an entry-point name in the
    ``recotrack`` group or an importable module name. One that cannot be loaded raises
    :class:`PluginError`. ``autoload=None`` follows ``RECOTRACK_DISABLE_PLUGIN_AUTOLOAD``.
    Anything a plugin prints meanwhile goes to standard error (:func:`plugin_output`).
    """
    with plugin_output():
        return _load_plugins(autoload, set(blocked), load)


def _load_plugins(autoload: bool | None, blocked: set[str], load: Iterable[str]) -> Plugins:
    essential = sorted(blocked & set(ESSENTIAL_PLUGINS))
    if essential:
        raise ValueError(f"plugin {essential[0]!r} provides the default report format and cannot be blocked")
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    plugins = Plugins(manager)
    for name in blocked:
        manager.set_blocked(name)
    for module_name in DEFAULT_PLUGINS:
        short = module_name.rsplit(".", 1)[1]
        if manager.register(importlib.import_module(module_name), name=short) is not None:
            plugins.origins[short] = BUILT_IN
    for name in load:
        if name not in blocked:
            _load_named(plugins, name)
    if autoload is None:
        autoload = not autoload_disabled()
    if autoload:
        _load_entry_points(plugins, blocked)
    _check_implementations(plugins)
    return plugins


def autoload_disabled(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether ``RECOTRACK_DISABLE_PLUGIN_AUTOLOAD`` is set to a true value (``1``, ``true``, ``yes``, ``on``)."""
    return environ.get(AUTOLOAD_ENV, "").strip().lower() in TRUE_VALUES


def _load_named(plugins: Plugins, name: str) -> None:
    """Load one plugin the caller asked for: an installed entry point of that name, else a module."""
    if plugins.manager.has_plugin(name):
        return
    named = sorted(entry_points(group=ENTRY_POINT_GROUP, name=name), key=lambda e: e.value)
    if named:
        try:
            _register_entry_point(plugins, named[0])
        except Exception as exc:
            raise PluginError(f"plugin {name!r} ({_origin(named[0])}) could not be loaded: {_describe(exc)}") from exc
        return
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
            raise PluginError(
                f"plugin {name!r} could not be loaded: there is no installed recotrack plugin "
                "and no importable module of that name"
            ) from exc
        raise PluginError(f"plugin {name!r} could not be loaded: {_describe(exc)}") from exc
    except Exception as exc:  # the module exists but its import fails: the plugin's bug, named
        raise PluginError(f"plugin {name!r} could not be loaded: {_describe(exc)}") from exc
    if plugins.manager.is_registered(module):  # e.g. a built-in asked for by its module name
        return
    origin = BUILT_IN if module.__name__ in DEFAULT_PLUGINS else _module_origin(module)
    try:
        plugins.manager.register(module, name=name)
    except Exception as exc:
        raise PluginError(f"plugin {name!r} ({origin}) could not be loaded: {_describe(exc)}") from exc
    plugins.origins[name] = origin


def _load_entry_points(plugins: Plugins, blocked: set[str]) -> None:
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if entry_point.name in blocked or plugins.manager.has_plugin(entry_point.name):
            continue
        try:
            _register_entry_point(plugins, entry_point)
        except Exception as exc:  # report the broken plugin by name; keep going with the rest
            plugins.problems.append(
                f"plugin {entry_point.name!r} ({_origin(entry_point)}) could not be loaded: {_describe(exc)}"
            )


def _register_entry_point(plugins: Plugins, entry_point: EntryPoint) -> None:
    plugin = entry_point.load()
    if plugins.manager.is_registered(plugin):  # already loaded by module name
        return
    plugins.manager.register(plugin, name=entry_point.name)
    plugins.origins[entry_point.name] = _origin(entry_point)


def _check_implementations(plugins: Plugins) -> None:
    """Name what would otherwise be silently ignored: a plugin with no marked function (a forgotten
    ``@recotrack.hookimpl``), and marked functions that implement no recotrack hook (a typo)."""
    manager = plugins.manager
    for name, plugin in manager.list_name_plugin():
        if plugin is not None and plugins.origins.get(name) != BUILT_IN and not manager.get_hookcallers(plugin):
            plugins.problems.append(
                f"plugin {name!r} ({plugins.origin(name)}) has no function marked @recotrack.hookimpl; "
                "nothing from it is used"
            )
    callers = {name: c for name, c in vars(manager.hook).items() if isinstance(c, pluggy.HookCaller)}
    known = ", ".join(sorted(name for name, caller in callers.items() if caller.has_spec()))
    for hook_name, caller in sorted(callers.items()):
        if caller.has_spec():
            continue
        for impl in caller.get_hookimpls():
            if not impl.optionalhook:
                plugins.problems.append(
                    f"plugin {impl.plugin_name!r} ({plugins.origin(impl.plugin_name)}) implements {hook_name!r}, "
                    f"which is not a recotrack hook, so it is never called (hooks: {known})"
                )


def _origin(entry_point: EntryPoint) -> str:
    dist = entry_point.dist
    return f"{dist.metadata['Name']} {dist.version}" if dist is not None else entry_point.value


def _module_origin(module: ModuleType) -> str:
    """The distribution that installed a module loaded by name, else its file."""
    for dist in packages_distributions().get(module.__name__.partition(".")[0], []):
        try:
            return f"{dist} {version(dist)}"
        except PackageNotFoundError:
            continue
    return getattr(module, "__file__", None) or module.__name__


def _describe(exc: Exception) -> str:
    """One line: pluggy's validation errors span several."""
    if isinstance(exc, pluggy.PluginValidationError):
        return f"PluginValidationError: {' '.join(str(exc).split())}"
    return repr(exc)
