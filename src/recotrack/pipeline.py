"""The report pipeline: load, choose the periods, score, render, write — one call, from Python or the CLI.

:func:`report` holds every rule that a report needs beyond scoring: the default period, the check
that the periods asked for exist and are in order, the provenance of every input, the reporter's
isolation (its failure is an error naming the plugin, never a traceback) and the atomic write.
The command line maps its options onto this call and does no arithmetic of its own.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from recotrack.errors import (
    InvalidEvidenceError,
    OutputError,
    PeriodError,
    RecotrackError,
    Severity,
    printable,
)
from recotrack.inputs import is_within
from recotrack.loading import Tracker, load
from recotrack.reporters import Provenance, ReportContext, generation_time, write_report
from recotrack.results import Results, UnitProfile
from recotrack.scoring import SourceChoice, score
from recotrack.scoring.profile import Profiler
from recotrack.scoring.sources import known_periods

if TYPE_CHECKING:
    from recotrack.plugins import Plugins, ReporterEntry

__all__ = [
    "Report",
    "ReporterError",
    "UnitsReport",
    "check_output",
    "default_period",
    "provenance",
    "report",
    "report_units",
]


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
    """The latest period with questionnaire evidence (returns or tallies), else the latest the tracker knows.

    Latest in time order: the order the tracker declares its periods in, never the order of their names.
    """
    evidence = tracker.evidence
    known = known_periods(tracker.units, evidence)
    questionnaire = [p for p in known if p in evidence.periods or p in evidence.published]
    periods = questionnaire or known
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
    skip_invalid: bool = False,
) -> Report:
    """Score ``period`` (default: the latest with evidence), render it with the ``format`` reporter, and write it.

    With ``unit``, the report is that unit's profile (its own figures next to its parent's and the
    national ones; ``Report.profile`` has it), in any format: reporters get it as ``context.profile``.
    ``history`` adds every earlier period with evidence and the trends (``results.series``).

    ``tracker`` is a loaded :class:`~recotrack.Tracker` or a path to load (strictly: evidence errors raise
    :class:`~recotrack.errors.TrackerError`). A tracker loaded with ``strict=False`` whose evidence has
    errors is refused with :class:`~recotrack.errors.InvalidEvidenceError` unless ``skip_invalid`` is
    true: then the report goes on without what the errors concern, and says what it left out
    (``results.excluded``). With ``output`` the report is written atomically to that file ('-' for
    standard output); without, it is only returned. An output that is one of the tracker's inputs, or
    inside the tracker's folder, raises :class:`~recotrack.errors.OutputError` before anything is
    written. Raises :class:`~recotrack.errors.PeriodError` for an unknown or reversed period,
    :class:`ReporterError` for an unknown format or a failing reporter, and :class:`OSError` when the
    file cannot be written. ``summary`` asks the reporter for a one-screen summary only (the terminal
    reporter gives one; reporters that have none ignore it).
    """
    tracker, plugins, results = _scored(
        tracker, plugins, period, compare, source, both_years_only, history, skip_invalid=skip_invalid, output=output
    )
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
    skip_invalid: bool = False,
) -> UnitsReport:
    """Write a profile of each unit ``units`` names into the folder ``output``: ``<unit id>.<extension>``.

    ``units`` is ``all`` (the units invited for the period, else every unit), a kind of unit, or unit
    ids separated by commas. The period is scored once and every profile made from that one scoring.
    For HTML, ``index.html`` lists every profile and each profile links back to it.
    """
    tracker, plugins, results = _scored(
        tracker, plugins, period, compare, source, both_years_only, False, skip_invalid=skip_invalid, output=output
    )
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
    *,
    skip_invalid: bool,
    output: str | Path | None,
) -> tuple[Tracker, Plugins, Results]:
    """The tracker loaded (strictly, from a path), its evidence and the output checked, and the period scored."""
    if not isinstance(tracker, Tracker):
        tracker = load(tracker)
    errors = [p for p in tracker.problems if p.severity is Severity.ERROR]
    if errors and not skip_invalid:
        raise InvalidEvidenceError(errors)
    if output is not None:
        check_output(tracker, output)
    errors = [p for p in tracker.problems if p.severity is Severity.ERROR]
    if errors and not skip_invalid:
        raise InvalidEvidenceError(errors)
    if output is not None:
        check_output(tracker, output)
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


def check_output(tracker: Tracker, output: str | Path) -> None:
    """Refuse an output path that would overwrite an input of ``tracker`` or write inside its folder.

    Checked before anything is written, with links followed and hard links recognised: a report may
    never replace ``units.yaml``, an evidence file given with ``--evidence``, or any file of the tracker.
    """
    if str(output) == "-":
        return
    target = Path(output)
    absolute, real = os.path.abspath(target), os.path.realpath(target)
    if tracker.root.is_dir():
        folder = tracker.root
        if is_within(absolute, os.path.abspath(folder)) or is_within(real, os.path.realpath(folder)):
            raise OutputError(
                f"refusing to write the report to {printable(str(output))}: it is inside the tracker's folder "
                f"{printable(str(tracker.root))}, whose files are its inputs; write it elsewhere"
            )
    inputs = {os.path.realpath(path) for path in tracker.files} | {os.path.realpath(tracker.root)}
    identities = set()
    for path in (*tracker.files, tracker.root):
        with contextlib.suppress(OSError):
            status = os.stat(path)
            identities.add((status.st_dev, status.st_ino))
    try:
        status = os.stat(target)
        same = (status.st_dev, status.st_ino) in identities
    except OSError:
        same = False
    if real in inputs or same:
        raise OutputError(
            f"refusing to write the report to {printable(str(output))}: it is one of the tracker's inputs; "
            "write it elsewhere"
        )


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
    from recotrack.plugins import plugin_output

    try:
        with plugin_output():
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
