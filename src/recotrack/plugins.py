"""The plugin manager: built-in reporters and installed plugins, registered the same way.

Installed plugins are found under the ``recotrack`` entry-point group. Set
``RECOTRACK_DISABLE_PLUGIN_AUTOLOAD=1`` (or pass ``autoload=False``) to load only the built-ins,
and block any plugin by name (``--plugin no:NAME`` on the command line). A plugin that fails to
load or to declare its reporters is reported by name and skipped; the others keep working.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points

import pluggy

from recotrack import hookspecs
from recotrack.reporters import Reporter

DEFAULT_PLUGINS = ("recotrack.reporters.terminal", "recotrack.reporters.json", "recotrack.reporters.html")
"""Built-in plugin modules, registered under their last name component."""

ENTRY_POINT_GROUP = "recotrack"
AUTOLOAD_ENV = "RECOTRACK_DISABLE_PLUGIN_AUTOLOAD"


@dataclass(frozen=True)
class ReporterEntry:
    """A reporter and where it came from."""

    reporter: Reporter
    plugin: str
    origin: str
    """'built-in', or the distribution that installed the plugin (name and version)."""


@dataclass
class Plugins:
    """Loaded plugins, their reporters, and every problem met while loading them."""

    manager: pluggy.PluginManager
    origins: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    _reporters: dict[str, ReporterEntry] | None = None

    def reporters(self) -> dict[str, ReporterEntry]:
        """Reporters by name. A name declared twice keeps the first (built-ins come first)."""
        if self._reporters is not None:
            return self._reporters
        found: dict[str, ReporterEntry] = {}
        for plugin_name, plugin in self.manager.list_name_plugin():
            hook = getattr(plugin, "recotrack_register_reporters", None)
            if hook is None:
                continue
            origin = self.origins.get(plugin_name, "built-in")
            try:
                declared = list(hook())
            except Exception as exc:  # a third-party plugin's bug must not break the others
                self.problems.append(f"plugin {plugin_name!r} ({origin}) failed to declare its reporters: {exc!r}")
                continue
            for reporter in declared:
                if not isinstance(reporter, Reporter) or not reporter.name:
                    self.problems.append(
                        f"plugin {plugin_name!r} ({origin}) declared something that is not a "
                        f"recotrack.reporters.Reporter: {reporter!r}"
                    )
                elif reporter.name in found:
                    first = found[reporter.name]
                    self.problems.append(
                        f"plugin {plugin_name!r} ({origin}) declares reporter {reporter.name!r}, already provided by "
                        f"{first.plugin!r} ({first.origin}); the second one is ignored"
                    )
                else:
                    found[reporter.name] = ReporterEntry(reporter, plugin_name, origin)
        self._reporters = found
        return found


def load_plugins(*, autoload: bool | None = None, blocked: Iterable[str] = ()) -> Plugins:
    """A plugin manager with the built-in reporters and, unless switched off, the installed plugins."""
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    plugins = Plugins(manager)
    blocked = set(blocked)
    for name in blocked:
        manager.set_blocked(name)
    for module_name in DEFAULT_PLUGINS:
        short = module_name.rsplit(".", 1)[1]
        if short not in blocked:
            manager.register(importlib.import_module(module_name), name=short)
    if autoload is None:
        autoload = os.environ.get(AUTOLOAD_ENV, "").strip() in ("", "0")
    if autoload:
        _load_entry_points(plugins, blocked)
    return plugins


def _load_entry_points(plugins: Plugins, blocked: set[str]) -> None:
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if entry_point.name in blocked or plugins.manager.has_plugin(entry_point.name):
            continue
        dist = entry_point.dist
        origin = f"{dist.metadata['Name']} {dist.version}" if dist is not None else entry_point.value
        try:
            plugin = entry_point.load()
            plugins.manager.register(plugin, name=entry_point.name)
        except Exception as exc:  # report the broken plugin by name; keep going with the rest
            plugins.problems.append(f"plugin {entry_point.name!r} ({origin}) could not be loaded: {exc!r}")
            continue
        plugins.origins[entry_point.name] = origin
