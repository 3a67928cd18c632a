"""The hooks a recotrack plugin can implement. Built-in reporters use exactly these hooks.

A plugin is a module (or object) with functions marked ``@recotrack.hookimpl``, named after the
hook or pointing at it (``@recotrack.hookimpl(specname="recotrack_register_reporters")``), installed
under the ``recotrack`` entry-point group::

    [project.entry-points.recotrack]
    markdown = "recotrack_markdown"

Unmarked functions are never called, whatever their name.

Every hook is documented in ``docs/plugins.md``; a test fails when one is not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from recotrack.reporters import Reporter
    from recotrack.scoring.methods import ScoringMethod

PROJECT = "recotrack"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def recotrack_register_reporters() -> list[Reporter]:
    """Declare the report formats this plugin provides.

    Return a list of :class:`recotrack.reporters.Reporter`, each with a unique ``name`` (what users
    pass to ``--format``), a one-line ``description`` and a ``render`` function that turns a
    :class:`recotrack.reporters.ReportContext` into the report's text (or bytes). Reporters read
    the scored results in the context; they never see the raw evidence.
    """
    raise NotImplementedError


@hookspec
def recotrack_register_methods() -> list[ScoringMethod]:
    """Declare the scoring methods this plugin provides, for catalogs to choose by name.

    Return a list of :class:`recotrack.scoring.methods.RollupMethod` (how a group's indicators
    combine: ``combine(parts) -> Rollup``) and :class:`recotrack.scoring.methods.ProgressMethod`
    (whether a number is on course: ``assess(number, method) -> Assessment``), each with a unique
    ``name``, a ``version`` recorded in the results, and a one-line ``description``. A catalog picks
    them under ``method:`` (``rollup``, ``levels``, ``progress``).
    """
    raise NotImplementedError
