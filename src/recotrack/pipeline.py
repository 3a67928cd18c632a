"""The report pipeline: load, choose the periods, score, render, write — one call, from Python or the CLI.

:func:`report` holds every rule that a report needs beyond scoring: the default period, the check
that the periods asked for exist and are in order, the provenance of every input, the reporter's
isolation (its failure is an error naming the plugin, never a traceback) and the atomic write.
The command line maps its options onto this call and does no arithmetic of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from recotrack.errors import PeriodError, RecotrackError
from recotrack.loading import Tracker, load
from recotrack.reporters import Provenance, ReportContext, generation_time, write_report
from recotrack.results import Results, UnitProfile
from recotrack.scoring import SourceChoice, score
from recotrack.scoring.profile import Profiler
from recotrack.scoring.sources import known_periods

if TYPE_CHECKING:
    from recotrack.plugins import Plugins, ReporterEntry

__all__ = ["Report", "ReporterError", "UnitsReport", "default_period", "provenance", "report", "report_units"]


class ReporterError(RecotrackError):
    """A reporter failed or returned something that is not a report; the message names its plugin."""


@dataclass(frozen=True)
class Report:
    """A rendered report: the results it shows, its content, and where it was written (None: not written)."""

    results: Results
    content: str | bytes
    format: str
    provenance: Provenance
    output: Path | None = None
    profile: UnitProfile | None = None
    """The unit's profile, for a report made with ``unit=``."""


def default_period(tracker: Tracker) -> str:
    """The latest period with questionnaire evidence (returns or tallies), else the latest the tracker knows."""
    evidence = tracker.evidence
    questionnaire = sorted(set(evidence.periods) | set(evidence.published))
    periods = questionnaire or known_periods(tracker.units, evidence)
    if not periods:
        raise PeriodError("the tracker has no periods to report on: no evidence, and no invitation names one")
    return periods[-1]


def provenance(tracker: Tracker) -> Provenance:
    """What the report was computed from: the input registry's files, kinds and digests, taken as they were read."""
    from recotrack import __version__

    return Provenance("recotrack", __version__, generation_time(), tracker.inputs)


def report(
    tracker: Tracker | str | Path,
    *,
    period: str | None = None,
    compare: str | None = None,
    format: str = "terminal",
    output: str | Path | None = None,
    source: SourceChoice | Mapping[str, SourceChoice] = "auto",
    both_years_only: bool = False,
    history: bool = False,
    color: bool = False,
    width: int | None = None,
    options: Mapping[str, str] | None = None,
    plugins: Plugins | None = None,
    summary: bool = False,
    unit: str | None = None,
) -> Report:
    """Score ``period`` (default: the latest with evidence), render it with the ``format`` reporter, and write it.

    With ``unit``, the report is that unit's profile (its own figures next to its parent's and the
    national ones; ``Report.profile`` has it), in any format: reporters get it as ``context.profile``.

    ``tracker`` is a loaded :class:`~recotrack.Tracker` or a path to load (strictly: evidence errors raise).
    ``history`` adds every earlier period with evidence and the trends (``results.series``).
    With ``output`` the report is written atomically to that file ('-' for standard output); without, it
    is only returned. Raises :class:`~recotrack.errors.PeriodError` for an unknown or reversed period,
    :class:`ReporterError` for an unknown format or a failing reporter, and :class:`OSError` when the
    file cannot be written. ``summary`` asks the reporter for a one-screen summary only (the terminal
    reporter gives one; reporters that have none ignore it).
    """
    tracker, plugins, results = _scored(tracker, plugins, period, compare, source, both_years_only, history)
    entry = _reporter(plugins, format)
    made = provenance(tracker)
    profile = Profiler(tracker, results).profile(unit) if unit is not None else None
    context = ReportContext(
        results, tracker.catalog.review, made, color, width, dict(options or {}), summary=summary, profile=profile
    )
    content = _render(entry, context)
    written = None
    if output is not None:
        write_report(content, output)
        written = None if str(output) == "-" else Path(output)
    return Report(results, content, format, made, written, profile)


@dataclass(frozen=True)
class UnitsReport:
    """The profiles written by :func:`report_units`: one file per unit, and an index page for HTML."""

    results: Results
    directory: Path
    profiles: dict[str, Path]
    """Unit id → the file of its profile."""
    index: Path | None
    format: str


INDEX = "index"


def report_units(
    tracker: Tracker | str | Path,
    output: str | Path,
    *,
    units: str = "all",
    period: str | None = None,
    compare: str | None = None,
    format: str = "html",
    source: SourceChoice | Mapping[str, SourceChoice] = "auto",
    both_years_only: bool = False,
    width: int | None = None,
    options: Mapping[str, str] | None = None,
    plugins: Plugins | None = None,
) -> UnitsReport:
    """Write a profile of each unit ``units`` names into the folder ``output``: ``<unit id>.<extension>``.

    ``units`` is ``all`` (the units invited for the period, else every unit), a kind of unit, or unit
    ids separated by commas. The period is scored once and every profile made from that one scoring.
    For HTML, ``index.html`` lists every profile and each profile links back to it.
    """
    tracker, plugins, results = _scored(tracker, plugins, period, compare, source, both_years_only, False)
    entry = _reporter(plugins, format)
    made = provenance(tracker)
    profiler = Profiler(tracker, results)
    selected = profiler.units(units)
    folder = Path(output)
    html = entry.reporter.extension == "html"
    settings = {**dict(options or {}), **({"index": f"{INDEX}.html"} if html else {})}
    written: dict[str, Path] = {}
    review = tracker.catalog.review
    for unit_id in selected:
        context = ReportContext(results, review, made, False, width, settings, profile=profiler.profile(unit_id))
        path = folder / f"{unit_id}.{entry.reporter.extension}"
        write_report(_render(entry, context), path)
        written[unit_id] = path
    index = None
    if html:
        from recotrack.reporters.html import render_index
        from recotrack.reporters.html.profile import IndexRow

        by_id = tracker.units.by_id
        hierarchy = profiler.hierarchy
        rows = []
        for unit_id in selected:
            unit = by_id[unit_id]
            parent = hierarchy.parent(unit_id)
            responded = profiler.evidence is not None and unit_id in profiler.evidence.returns
            rows.append(
                IndexRow(
                    id=unit_id,
                    name=unit.name,
                    href=written[unit_id].name,
                    kind=hierarchy.kind_label(unit.kind),
                    parent=parent.name if parent else "",
                    responded="Yes" if responded else "No",
                )
            )
        index = folder / f"{INDEX}.html"
        write_report(render_index(ReportContext(results, review, made), rows), index)
    return UnitsReport(results, folder, written, index, format)


def _scored(
    tracker: Tracker | str | Path,
    plugins: Plugins | None,
    period: str | None,
    compare: str | None,
    source: SourceChoice | Mapping[str, SourceChoice],
    both_years_only: bool,
    history: bool,
) -> tuple[Tracker, Plugins, Results]:
    """The tracker loaded (strictly, from a path), the plugins, and the period scored with their methods."""
    if not isinstance(tracker, Tracker):
        tracker = load(tracker)
    if plugins is None:
        from recotrack.plugins import load_plugins

        plugins = load_plugins()
    chosen = default_period(tracker) if period is None else period
    results = score(
        tracker,
        chosen,
        compare=compare,
        source=source,
        both_years_only=both_years_only,
        history=history,
        methods=plugins.methods(),
    )
    return tracker, plugins, results


def _reporter(plugins: Plugins, name: str) -> ReporterEntry:
    reporters = plugins.reporters()
    entry = reporters.get(name)
    if entry is None:
        raise ReporterError(
            f"unknown report format {name!r}; available: {', '.join(sorted(reporters))} (see `recotrack reporters`)"
        )
    return entry


def _render(entry: ReporterEntry, context: ReportContext) -> str | bytes:
    """The reporter's output, or a :class:`ReporterError` naming the plugin: a plugin's bug is not a traceback."""
    who = f"reporter {entry.reporter.name!r} from plugin {entry.plugin} ({entry.origin})"
    try:
        content = entry.reporter.render(context)
    except (Exception, SystemExit) as exc:
        raise ReporterError(f"{who} failed: {exc!r}") from exc
    if isinstance(content, str):
        try:
            content.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ReporterError(f"{who} returned text that cannot be written as UTF-8: {exc}") from exc
        return content
    if isinstance(content, bytes):
        return content
    raise ReporterError(f"{who} returned {type(content).__name__}, not the report's text (str) or bytes")
