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
from recotrack.results import Results
from recotrack.scoring import SourceChoice, score
from recotrack.scoring.sources import known_periods

if TYPE_CHECKING:
    from recotrack.plugins import Plugins, ReporterEntry

__all__ = ["Report", "ReporterError", "default_period", "provenance", "report"]


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
) -> Report:
    """Score ``period`` (default: the latest with evidence), render it with the ``format`` reporter, and write it.

    ``tracker`` is a loaded :class:`~recotrack.Tracker` or a path to load (strictly: evidence errors raise).
    ``history`` adds every earlier period with evidence and the trends (``results.series``).
    With ``output`` the report is written atomically to that file ('-' for standard output); without, it
    is only returned. Raises :class:`~recotrack.errors.PeriodError` for an unknown or reversed period,
    :class:`ReporterError` for an unknown format or a failing reporter, and :class:`OSError` when the
    file cannot be written. ``summary`` asks the reporter for a one-screen summary only (the terminal
    reporter gives one; reporters that have none ignore it).
    """
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
    entry = _reporter(plugins, format)
    made = provenance(tracker)
    context = ReportContext(results, tracker.catalog.review, made, color, width, dict(options or {}), summary)
    content = _render(entry, context)
    written = None
    if output is not None:
        write_report(content, output)
        written = None if str(output) == "-" else Path(output)
    return Report(results, content, format, made, written)


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
