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
from recotrack.results import Results
from recotrack.scoring import SourceChoice, score
from recotrack.scoring.sources import known_periods

if TYPE_CHECKING:
    from recotrack.plugins import Plugins, ReporterEntry

__all__ = ["Report", "ReporterError", "check_output", "default_period", "provenance", "report"]


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
    color: bool = False,
    width: int | None = None,
    options: Mapping[str, str] | None = None,
    plugins: Plugins | None = None,
    skip_invalid: bool = False,
) -> Report:
    """Score ``period`` (default: the latest with evidence), render it with the ``format`` reporter, and write it.

    ``tracker`` is a loaded :class:`~recotrack.Tracker` or a path to load (strictly: evidence errors raise
    :class:`~recotrack.errors.TrackerError`). A tracker loaded with ``strict=False`` whose evidence has
    errors is refused with :class:`~recotrack.errors.InvalidEvidenceError` unless ``skip_invalid`` is
    true: then the report goes on without what the errors concern, and says what it left out
    (``results.excluded``). With ``output`` the report is written atomically to that file ('-' for
    standard output); without, it is only returned. An output that is one of the tracker's inputs, or
    inside the tracker's folder, raises :class:`~recotrack.errors.OutputError` before anything is
    written. Raises :class:`~recotrack.errors.PeriodError` for an unknown or reversed period,
    :class:`ReporterError` for an unknown format or a failing reporter, and :class:`OSError` when the
    file cannot be written.
    """
    if not isinstance(tracker, Tracker):
        tracker = load(tracker)
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
        tracker, chosen, compare=compare, source=source, both_years_only=both_years_only, methods=plugins.methods()
    )
    entry = _reporter(plugins, format)
    made = provenance(tracker)
    context = ReportContext(results, tracker.catalog.review, made, color, width, dict(options or {}))
    content = _render(entry, context)
    written = None
    if output is not None:
        write_report(content, output)
        written = None if str(output) == "-" else Path(output)
    return Report(results, content, format, made, written)


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
