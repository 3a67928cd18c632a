"""The ``recotrack`` command line: a thin layer over the Python API.

Exit codes: 0 success, 1 the input has errors, 2 the command line itself is wrong.
Heavy modules (pydantic models, rich) are imported inside the commands so that ``--help`` is quick.
"""

from __future__ import annotations

import argparse
import errno
import functools
import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from recotrack.errors import Problem
    from recotrack.loading import Tracker
    from recotrack.plugins import Plugins

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
AUTOLOAD_ENV = "RECOTRACK_DISABLE_PLUGIN_AUTOLOAD"
_FILE_KINDS = {
    "text/html": "web pages",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "workbooks",
}
"""How the refusal to print a report to a terminal names what it is, by the reporter's media type."""


def _for_terminals(media_type: str) -> bool:
    """Whether a report can be read as printed: text (CSV, Markdown, JSON), not a web page or a binary file."""
    return media_type != "text/html" and (media_type.startswith("text/") or media_type.endswith("json"))


def _console(args: argparse.Namespace, stderr: bool = False, soft_wrap: bool = False) -> Console:
    from rich.console import Console

    no_color = getattr(args, "no_color", False) or "NO_COLOR" in os.environ
    # No emoji codes: ':x:' in a unit's name must print as written, never as an emoji.
    return Console(stderr=stderr, no_color=no_color, highlight=False, soft_wrap=soft_wrap, emoji=False)


def _safe(text: str) -> str:
    """Text from an input (or about one) for rich markup: control and bidi characters escaped, markup too."""
    from rich.markup import escape

    from recotrack.errors import printable

    return escape(printable(text))


SHOWN_PER_KIND = 5
"""Problems of one kind in one file shown before the rest are summarised (``--all`` shows every one)."""
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_INDEX = re.compile(r"\[[0-9]+\]")


@functools.lru_cache(maxsize=4096)
def _kind_of(severity: str, field: str, message: str) -> tuple[str, str, str]:
    return (severity, _INDEX.sub("[]", field), _QUOTED.sub("'…'", message))


def _kind(problem: Problem) -> tuple[str, str, str]:
    """What makes problems 'alike': their severity, field and message with quoted values and indexes left out."""
    return _kind_of(problem.severity.value, problem.field, problem.message)


def _print_problems(console: Console, problems: Sequence[Problem], every: bool) -> None:
    """One line per problem; beyond a few of one kind in one file, a line saying how many more, and where."""
    hidden: dict[tuple[str, str, str], list[Problem]] = {}
    shown: dict[tuple[str, str, str], int] = {}
    current = None
    plain = console.no_color or not console.is_terminal or console.color_system is None
    write = sys.stdout.write if plain and console.file is sys.stdout else None

    def summarise() -> None:
        for kind, rest in hidden.items():
            first = rest[0]
            lines = ", ".join(str(p.line) for p in rest[:10] if p.line) + (", …" if len(rest) > 10 else "")
            style = "red" if first.severity == "error" else "yellow"
            console.print(
                f"[{style}]{_safe(first.file)}: … and {len(rest):,} more like this"
                + (f" (lines {lines})" if lines else "")
                + f": {_safe(kind[2])}[/{style}] [dim](--all lists every one)[/dim]"
            )
        hidden.clear()
        shown.clear()

    for problem in problems:
        if problem.file != current:
            summarise()
            current = problem.file
        kind = _kind(problem)
        count = shown.get(kind, 0)
        if every or count < SHOWN_PER_KIND:
            shown[kind] = count + 1
            if write is not None:  # no colour to add: a long list is written as it is, much faster
                write(str(problem) + "\n")
                continue
            style = "red" if problem.severity == "error" else "yellow"
            console.print(f"[{style}]{_safe(str(problem))}[/{style}]")
        else:
            hidden.setdefault(kind, []).append(problem)
    summarise()


def _print_json_problems(args: argparse.Namespace, tracker: Tracker | None, problems: Sequence[Problem]) -> None:
    """Every problem as JSON, for tools: written as it goes, so that a long list is never held twice."""
    import json

    errors = sum(1 for p in problems if p.severity == "error")
    out = sys.stdout
    head = {
        "format": 1,
        "tracker": args.path,
        "valid": tracker is not None and not errors,
        "errors": errors,
        "warnings": len(problems) - errors,
    }
    out.write(json.dumps(head)[:-1] + ', "problems": [')
    for index, problem in enumerate(problems):
        out.write(("," if index else "") + "\n  " + json.dumps(problem.as_dict()))
    out.write("\n]}\n")


def _cmd_validate(args: argparse.Namespace) -> int:
    from recotrack.loading import read_tracker

    console = _console(args, soft_wrap=True)  # one problem per line, whole, so it can be grepped
    tracker, problems = read_tracker(
        args.path,
        evidence=args.evidence,
        period=args.default_period,
        limits=dict(args.limit),
        allow_outside_links=args.allow_outside_links,
    )
    errors = [p for p in problems if p.severity == "error"]
    if args.format == "json":
        _print_json_problems(args, tracker, problems)
        return EXIT_INVALID if errors or tracker is None else EXIT_OK
    _print_problems(console, _openable(problems, args.path), args.all)
    if errors or tracker is None:
        count = len(errors)
        console.print(
            f"[bold red]{_safe(args.path)}: {count:,} error{'s' if count != 1 else ''}; "
            "the tracker is not valid.[/bold red]"
        )
        return EXIT_INVALID
    catalog = tracker.catalog
    warnings = len(problems)
    console.print(
        f"[bold green]{_safe(args.path)} is valid:[/bold green] {len(catalog.recommendations)} recommendations, "
        f"{len(catalog.indicators)} indicators ({len(catalog.questions)} questions and grid items), "
        f"{len(catalog.scales)} scales, {len(tracker.units.units)} units"
        + (f"; {warnings} warning{'s' if warnings != 1 else ''}." if warnings else ".")
    )
    _print_evidence_summary(console, tracker)
    return EXIT_OK


def _print_evidence_summary(console: Console, tracker: Tracker) -> None:
    """Returns per period against the invited population: the first thing an analyst checks."""
    from recotrack.scoring.response import response_summary

    evidence = tracker.evidence
    for period in evidence.all_periods():
        parts = []
        returns = evidence.periods.get(period)
        if returns is not None and returns.returns:
            response = response_summary(tracker.units, period, frozenset(returns.returns), None)
            count = len(returns.returns)
            if response.invited:
                parts.append(f"{count} {_plural(count, 'return')} of {response.invited} invited ({response.printed}%)")
            else:
                parts.append(f"{count} {_plural(count, 'return')}")
        published = evidence.published.get(period)
        if published is not None:
            respondents = f" ({published.respondents} respondents)" if published.respondents is not None else ""
            parts.append(f"published tallies for {len(published.tallies)} questions{respondents}")
        milestones = sum(1 for m in evidence.milestones if m.period == period)
        if milestones:
            parts.append(f"{milestones} milestone status{'es' if milestones != 1 else ''}")
        values = sum(1 for v in evidence.values if v.period == period)
        if values:
            parts.append(f"{values} value{'s' if values != 1 else ''}")
        console.print(f"  {_safe(period)}: " + "; ".join(parts))


def _cmd_catalog(args: argparse.Namespace) -> int:
    from rich.tree import Tree

    from recotrack.loading import read_tracker
    from recotrack.model import Recommendation, ScaleIndicator

    console = _console(args)
    tracker, problems = read_tracker(args.path)
    errors = [p for p in problems if p.severity == "error"]
    if errors or tracker is None:
        for problem in _openable(errors, args.path):
            console.print(f"[red]{_safe(str(problem))}[/red]")
        console.print("[bold red]Fix these errors first (see `recotrack validate`).[/bold red]")
        return EXIT_INVALID
    catalog = tracker.catalog
    root = Tree(
        f"[bold]{_safe(catalog.review.title)}[/bold] ({_safe(catalog.review.publisher)}, {catalog.review.published})"
    )

    def questions_of(indicator: ScaleIndicator) -> int:
        return len(indicator.items) or 1

    def add(node: Tree, rec: Recommendation) -> None:
        indicators = catalog.indicators_for(rec.id)
        kind = " [magenta](commitment)[/magenta]" if rec.kind == "commitment" else ""
        branch = node.add(
            f"[cyan]{_safe(rec.id)}[/cyan] {_safe(rec.title)}{kind} "
            f"[dim]{len(indicators)} {_plural(len(indicators), 'indicator')}[/dim]"
        )
        for indicator in indicators:
            text = " ".join(indicator.text.split())  # whole, wrapped to the width: 9.6a to 9.6d differ at the end
            label = f"[green]{_safe(indicator.id)}[/green] [dim]{indicator.kind}[/dim] {_safe(text)}"
            if isinstance(indicator, ScaleIndicator):
                label += f" [dim]({_safe(indicator.scale)}"
                if indicator.items:
                    label += f", {questions_of(indicator)} items"
                if indicator.applies_when:
                    label += f", when {_safe(indicator.applies_when.indicator)} in " + _safe(
                        "{" + ", ".join(indicator.applies_when.in_) + "}"
                    )
                label += ")[/dim]"
            if indicator.withdrawn:
                label += " [yellow]withdrawn[/yellow]"
            branch.add(label)
        for child in catalog.children(rec.id):
            add(branch, child)

    for level in catalog.levels:
        top = [r for r in catalog.recommendations if level.id in r.levels and r.parent is None]
        total = sum(1 for r in catalog.recommendations if level.id in r.levels)
        node = root.add(f"[bold]{_safe(level.label)}:[/bold] [dim]{total} {_plural(total, 'recommendation')}[/dim]")
        for rec in top:
            add(node, rec)
    console.print(root)
    recommendations, indicators, questions = (
        len(catalog.recommendations),
        len(catalog.indicators),
        len(catalog.questions),
    )
    console.print(
        f"{recommendations} {_plural(recommendations, 'recommendation')}, "
        f"{indicators} {_plural(indicators, 'indicator')}, "
        f"{questions} {'question or grid item' if questions == 1 else 'questions and grid items'}."
    )
    return EXIT_OK


def _plugins(args: argparse.Namespace) -> Plugins:
    """The plugins for this command. A plugin asked for with ``--plugin NAME`` that cannot be loaded
    ends the command (exit 1): running without it would silently give another report."""
    from recotrack.plugins import PluginError, load_plugins

    wanted = {request.removeprefix("no:"): not request.startswith("no:") for request in args.plugin}  # last wins
    try:
        return load_plugins(
            autoload=False if args.no_plugins else None,
            blocked=[name for name, load in wanted.items() if not load],
            load=[name for name, load in wanted.items() if load],
        )
    except PluginError as exc:
        _console(args, stderr=True, soft_wrap=True).print(f"[red]{_safe(str(exc))}[/red]")
        raise SystemExit(EXIT_INVALID) from None


def _cmd_report(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from recotrack.errors import RecotrackError, TrackerError
    from recotrack.loading import load
    from recotrack.pipeline import report

    errors_console = _console(args, stderr=True, soft_wrap=True)
    plugins = _plugins(args)
    for message in plugins.problems:
        errors_console.print(f"[yellow]warning: {_safe(message)}[/yellow]")
    if args.format not in plugins.reporters():
        errors_console.print(
            f"[red]unknown report format {_safe(repr(args.format))}; available: "
            f"{_safe(', '.join(sorted(plugins.reporters())))} (see `recotrack reporters`)[/red]"
        )
        return EXIT_USAGE
    reporter = plugins.reporters()[args.format].reporter
    to_terminal = args.output in (None, "-") and sys.stdout.isatty()
    if to_terminal and not _for_terminals(reporter.media_type):
        kind = _FILE_KINDS.get(reporter.media_type, f"{reporter.media_type} files")
        errors_console.print(
            f"[red]{_safe(args.format)} reports are {_safe(kind)}: write one with "
            f"-o report.{_safe(reporter.extension)} (or pipe it into another program)[/red]"
        )
        return EXIT_USAGE
    progress = Progress(console=errors_console, transient=True, disable=not sys.stderr.isatty())
    reading = progress.add_task("reading evidence", total=None)

    def advance(index: int, total: int, path: Path) -> None:
        progress.update(reading, completed=index, total=total, description=f"reading {_safe(path.name)}")

    try:
        with progress:
            tracker = load(
                args.path,
                evidence=args.evidence,
                period=args.default_period,
                strict=False,
                progress=advance,
                limits=dict(args.limit),
                allow_outside_links=args.allow_outside_links,
            )
    except TrackerError as exc:
        for problem in _openable(exc.problems, args.path):
            errors_console.print(f"[red]{_safe(str(problem))}[/red]")
        errors_console.print("[bold red]The tracker has errors; fix them first (see `recotrack validate`).[/bold red]")
        return EXIT_INVALID
    refused = [p for p in tracker.problems if p.severity == "error"]
    if refused and not args.skip_invalid:
        count = len(refused)
        errors_console.print(
            f"[bold red]error: the evidence has {count:,} error{'s' if count != 1 else ''}; a report now would "
            "leave out what they concern:[/bold red]"
        )
        for problem in _openable(refused[:5], args.path):
            errors_console.print(f"[red]  {_safe(str(problem))}[/red]")
        if count > 5:
            errors_console.print(f"[red]  … and {count - 5:,} more[/red]")
        errors_console.print(
            f"[bold red]Fix them (`recotrack validate {_safe(args.path)}` lists every one), or give --skip-invalid "
            "to report without them: the report then says what it left out.[/bold red]"
        )
        return EXIT_INVALID
    if refused:
        errors_console.print(
            f"[yellow]warning: {len(refused):,} evidence error{'s' if len(refused) != 1 else ''}: what they "
            "concern is left out of the figures, and the report says so (--skip-invalid)[/yellow]"
        )
    to_terminal = args.output in (None, "-") and sys.stdout.isatty()
    if args.units is not None:
        return _report_units(args, tracker, plugins, errors_console)
    try:
        made = report(
            tracker,
            period=args.period,
            compare=args.compare,
            format=args.format,
            output=args.output or "-",
            source=args.source,
            both_years_only=args.both_years,
            history=args.history,
            color=to_terminal and not args.no_color and "NO_COLOR" not in os.environ,
            width=args.width
            or (shutil.get_terminal_size().columns if to_terminal or "COLUMNS" in os.environ else None),
            options=_report_options(args),
            plugins=plugins,
            summary=args.summary,
            unit=args.unit,
            skip_invalid=args.skip_invalid,
        )
    except RecotrackError as exc:
        errors_console.print(f"[red]{_safe(str(exc))}[/red]")
        return EXIT_INVALID
    except ValueError as exc:  # options that do not fit together, such as --both-years with tallies
        errors_console.print(f"[red]{_safe(str(exc))}[/red]")
        return EXIT_INVALID
    except OSError as exc:
        if args.output in (None, "-"):
            raise  # standard output: said so by main()
        errors_console.print(f"[red]cannot write {_safe(str(args.output))}: {_safe(exc.strerror or str(exc))}[/red]")
        return EXIT_INVALID
    if made.output is not None:
        from recotrack import display

        size = len(made.content.encode("utf-8") if isinstance(made.content, str) else made.content)
        errors_console.print(f"wrote {_safe(args.output)} ({_safe(args.format)}, {display.size(size)})")
    return EXIT_OK


def _cmd_explain(args: argparse.Namespace) -> int:
    import json

    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from recotrack.drilldown import explain
    from recotrack.errors import RecotrackError, TrackerError
    from recotrack.loading import load
    from recotrack.pipeline import default_period
    from recotrack.reporters import write_report

    errors_console = _console(args, stderr=True, soft_wrap=True)
    try:
        tracker = load(args.path, evidence=args.evidence, period=args.default_period, strict=False)
        found = explain(
            tracker,
            args.period or default_period(tracker),
            args.question,
            args.option,
            include_non_respondents=args.non_respondents,
            include_not_applicable=args.not_applicable,
        )
    except TrackerError as exc:
        for problem in _openable(exc.problems, args.path):
            errors_console.print(f"[red]{_safe(str(problem))}[/red]")
        return EXIT_INVALID
    except RecotrackError as exc:
        errors_console.print(f"[red]{escape(str(exc))}[/red]")
        return EXIT_INVALID
    if args.format == "json":
        content = json.dumps(found.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    else:
        from io import StringIO

        from rich.console import Console

        buffer = StringIO()
        console = Console(file=buffer, width=args.width or 120, no_color=True, highlight=False)
        if found.option_label:
            summary = f"{found.count} of the {found.base} units in the base answered {found.option_label!r}"
        else:
            summary = f"the base: {found.base} responding units answered it"
        console.print(Text.assemble((found.question, "bold"), f" {found.label}\n{found.period}: {summary}"))
        table = Table("unit", "name", "answer", "status", "where", box=None, pad_edge=False)
        for unit in found.units:
            table.add_row(
                Text(unit.unit),
                Text(unit.name),
                Text(unit.answer_label or "—"),
                Text(unit.status),
                Text(unit.location or "—"),
            )
        console.print(table)
        content = "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
    try:
        write_report(content, args.output or "-")
    except OSError as exc:
        errors_console.print(f"[red]cannot write {escape(str(args.output))}: {escape(exc.strerror or str(exc))}[/red]")
        return EXIT_INVALID
    return EXIT_OK


def _report_options(args: argparse.Namespace) -> dict[str, str]:
    return {
        **dict(option.split("=", 1) for option in args.option),
        **({"breakdowns": "true"} if args.breakdowns else {}),
    }


def _report_units(args: argparse.Namespace, tracker: Tracker, plugins: Plugins, errors_console: Console) -> int:
    """``report --units SELECTION -o DIR``: a profile per unit (and an index for HTML), from one scoring."""
    import time

    from rich.markup import escape

    from recotrack.errors import RecotrackError
    from recotrack.pipeline import report_units

    if args.output in (None, "-"):
        errors_console.print("[red]--units writes one file per unit: give the folder with -o DIR[/red]")
        return EXIT_USAGE
    started = time.perf_counter()
    try:
        written = report_units(
            tracker,
            args.output,
            units=args.units,
            period=args.period,
            compare=args.compare,
            format=args.format,
            source=args.source,
            both_years_only=args.both_years,
            width=args.width,
            options=_report_options(args),
            plugins=plugins,
        )
    except (RecotrackError, ValueError) as exc:
        errors_console.print(f"[red]{escape(str(exc))}[/red]")
        return EXIT_INVALID
    except OSError as exc:
        errors_console.print(f"[red]cannot write {escape(str(args.output))}: {escape(exc.strerror or str(exc))}[/red]")
        return EXIT_INVALID
    count = len(written.profiles)
    index = f" and {written.index.name}" if written.index else ""
    errors_console.print(
        f"wrote {count} profile{'s' if count != 1 else ''}{index} to {escape(str(written.directory))} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return EXIT_OK


def _cmd_reporters(args: argparse.Namespace) -> int:
    from rich.table import Table

    console = _console(args)
    plugins = _plugins(args)
    table = Table("format", "description", "from", box=None, show_edge=False)
    for name, entry in sorted(plugins.reporters().items()):
        table.add_row(_safe(name), _safe(entry.reporter.description), _safe(f"{entry.plugin} ({entry.origin})"))
    console.print(table)
    for message in plugins.problems:
        console.print(f"[yellow]warning: {_safe(message)}[/yellow]")
    return EXIT_OK


def _plugin_request(text: str) -> str:
    """``NAME`` or ``no:NAME``, checked here so that a wrong one is a usage error (exit 2)."""
    from recotrack.plugins import ESSENTIAL_PLUGINS

    name = text.removeprefix("no:")
    if not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME or no:NAME, got {text!r}")
    if text.startswith("no:") and name in ESSENTIAL_PLUGINS:
        raise argparse.ArgumentTypeError(f"plugin {name!r} provides the default report format and cannot be blocked")
    return text


MIN_WIDTH = 20
MAX_WIDTH = 10_000


def _width(text: str) -> int:
    try:
        width = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of characters, got {text!r}") from None
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise argparse.ArgumentTypeError(f"the width must be from {MIN_WIDTH} to {MAX_WIDTH} characters, not {width}")
    return width


def _limit(text: str) -> tuple[str, int]:
    from recotrack.limits import LimitError, parse_limit

    try:
        return parse_limit(text)
    except LimitError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _option(text: str) -> str:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return text


def _openable(problems: Sequence[Problem], tracker: str) -> list[Problem]:
    """Problems with their files named so that an editor or terminal opens them from here.

    Problems name files relative to the tracker's root (what reports record, for reproducible bytes);
    printed, a file is relative to the current directory when it is under it, else absolute. A file
    outside the tracker (``--evidence``) was named as given.
    """
    import dataclasses

    root = Path(tracker)
    here = Path.cwd()
    shown: dict[str, str] = {}

    def opened(file: str) -> str:
        named = Path(file)
        if not named.is_absolute() and root.is_dir() and (root / named).exists():
            named = root / named
        found = Path(os.path.abspath(named))  # never resolved: a link keeps its name in the tracker
        try:
            return found.relative_to(here).as_posix() or "."
        except ValueError:
            return found.as_posix()

    return [
        dataclasses.replace(problem, file=shown[problem.file]) if problem.file else problem
        for problem in problems
        if not problem.file or problem.file in shown or shown.setdefault(problem.file, opened(problem.file))
    ]


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def build_parser() -> argparse.ArgumentParser:
    from recotrack import __version__

    parser = argparse.ArgumentParser(
        prog="recotrack",
        description="Track whether a review's recommendations are being implemented, year after year.",
    )
    parser.add_argument("--version", action="version", version=f"recotrack {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--no-color", action="store_true", help="plain output without colour (also: NO_COLOR=1)")
    evidence_options = argparse.ArgumentParser(add_help=False)
    evidence_options.add_argument(
        "--evidence",
        action="append",
        default=[],
        metavar="FILE",
        help="more evidence files besides the tracker's evidence/ folder (repeatable)",
    )
    evidence_options.add_argument(
        "--default-period", metavar="P", help="period of wide CSV files without a period column"
    )
    evidence_options.add_argument(
        "--limit",
        action="append",
        default=[],
        type=_limit,
        metavar="NAME=VALUE",
        help="raise or lower a reading limit, such as --limit csv-bytes=4G (repeatable; see docs/formats.md)",
    )
    evidence_options.add_argument(
        "--allow-outside-links",
        action="store_true",
        help="read files that links inside the tracker point to outside it (refused by default)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser(
        "validate", parents=[common, evidence_options], help="check a tracker and list every problem with its line"
    )
    validate.add_argument("path", metavar="PATH", help="tracker directory (or a single catalog YAML file)")
    validate.add_argument(
        "--all",
        action="store_true",
        help=f"print every problem (by default, after {SHOWN_PER_KIND} alike in one file, the rest are counted)",
    )
    validate.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (default) or json: every problem with its path, line, column, severity, field and message",
    )
    validate.set_defaults(run=_cmd_validate)

    catalog = commands.add_parser(
        "catalog", parents=[common], help="show the recommendations and their indicators as a tree"
    )
    catalog.add_argument("path", metavar="PATH", help="tracker directory (or a single catalog YAML file)")
    catalog.set_defaults(run=_cmd_catalog)

    plugin_options = argparse.ArgumentParser(add_help=False)
    plugin_options.add_argument(
        "--plugin",
        action="append",
        default=[],
        type=_plugin_request,
        metavar="[no:]NAME",
        help="load a plugin by entry-point or module name, or block one with no:NAME (repeatable)",
    )
    plugin_options.add_argument(
        "--no-plugins",
        action="store_true",
        help=f"load only the built-ins and --plugin ones, not installed plugins (also: {AUTOLOAD_ENV}=1)",
    )

    report = commands.add_parser(
        "report",
        parents=[common, evidence_options, plugin_options],
        help="score a period (and compare it with another) and write a report",
    )
    report.add_argument("path", metavar="PATH", help="tracker directory")
    report.add_argument("--period", help="the period to report on (default: the latest with evidence)")
    report.add_argument("--compare", metavar="P0", help="compare with this earlier period")
    report.add_argument("--format", default="terminal", help="report format (see `recotrack reporters`)")
    report.add_argument("-o", "--output", metavar="FILE", help="write to FILE atomically (default: standard output)")
    report.add_argument(
        "--source",
        choices=("auto", "returns", "tallies"),
        default="auto",
        help="per-unit returns or published tallies (default: returns when there are any)",
    )
    report.add_argument("--both-years", action="store_true", help="compare only units that answered in both periods")
    report.add_argument(
        "--history", action="store_true", help="every earlier period with evidence, with trends where they can be had"
    )
    report.add_argument(
        "--width",
        type=_width,
        help=f"width of terminal reports in characters ({MIN_WIDTH} to {MAX_WIDTH}; default: COLUMNS)",
    )
    report.add_argument(
        "--summary", action="store_true", help="only the one-screen summary (reporters that have none ignore it)"
    )
    chosen = report.add_mutually_exclusive_group()
    chosen.add_argument(
        "--unit", metavar="ID", help="a profile of this unit: its own figures next to its parent's and national"
    )
    chosen.add_argument(
        "--units",
        metavar="WHICH",
        help="a profile of each unit, into the folder -o DIR (HTML: with index.html): 'all' (those invited), "
        "a kind of unit, or ids separated by commas",
    )
    report.add_argument(
        "--breakdowns",
        action="store_true",
        help="show every question's answers by region (or any kind of unit above the respondents) in the "
        "terminal report (the option breakdowns=true; JSON and HTML always have them)",
    )
    report.add_argument(
        "--skip-invalid",
        action="store_true",
        help="report even though the evidence has errors: what they concern is left out, and the report says so",
    )
    report.add_argument(
        "--option",
        action="append",
        default=[],
        type=_option,
        metavar="KEY=VALUE",
        help="a setting passed to the reporter (repeatable)",
    )
    report.set_defaults(run=_cmd_report)

    explain = commands.add_parser(
        "explain",
        parents=[common, evidence_options],
        help="list the units behind a figure, each with the file and line of its answer",
    )
    explain.add_argument("path", metavar="PATH", help="tracker directory")
    explain.add_argument("question", metavar="QUESTION", help="a question or grid-item id, such as 1.1")
    explain.add_argument("option", metavar="OPTION", nargs="?", help="an answer (id or label); without: the base")
    explain.add_argument("--period", help="the period (default: the latest with evidence)")
    explain.add_argument(
        "--format", choices=("terminal", "json"), default="terminal", help="terminal (default) or json"
    )
    explain.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    explain.add_argument("--width", type=int, help="width of the table in characters")
    explain.add_argument("--non-respondents", action="store_true", help="also list the units asked that gave no answer")
    explain.add_argument(
        "--not-applicable", action="store_true", help="also list the responding units it did not apply to"
    )
    explain.set_defaults(run=_cmd_explain)

    reporters = commands.add_parser(
        "reporters",
        parents=[common, plugin_options],
        help="list the report formats available, and where they come from",
    )
    reporters.set_defaults(run=_cmd_reporters)
    return parser


_STDOUT_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EBADF, errno.EFBIG, errno.ENXIO, errno.EDQUOT}


def _uses_stdout(args: argparse.Namespace) -> bool:
    return args.command != "report" or getattr(args, "output", None) in (None, "-")


def _stderr(message: str) -> None:
    from recotrack.errors import printable

    if sys.stderr is not None:
        try:
            print(f"recotrack: {printable(message)}", file=sys.stderr)
            sys.stderr.flush()
        except OSError:
            pass


def _silence_stdout() -> None:
    """After standard output failed, point it at /dev/null so that Python's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "path", None) is not None and not os.path.lexists(args.path):
        parser.error(f"{args.path}: no such file or directory")
    if sys.stdout is None:  # started with standard output closed (`recotrack validate x >&-`)
        if _uses_stdout(args):
            _stderr("standard output is closed, so nothing can be written (for a report, give -o FILE)")
            return EXIT_INVALID
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    from recotrack.errors import RecotrackError

    try:
        result: int = args.run(args)
        sys.stdout.flush()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except RecotrackError as exc:
        _stderr(f"error: {exc}")
        return EXIT_INVALID
    except OSError as exc:
        if exc.errno in _STDOUT_ERRORS:
            _silence_stdout()
            _stderr(f"cannot write to standard output: {exc.strerror or exc}")
        else:
            _stderr(f"error: {exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else ""))
        return EXIT_INVALID
    except MemoryError:
        _stderr("error: out of memory (lower the limits with --limit, see `recotrack validate --help`)")
        return EXIT_INVALID
    except Exception as exc:  # a bug: said plainly, never a traceback for a user (RECOTRACK_DEBUG=1 shows it)
        if os.environ.get("RECOTRACK_DEBUG"):
            raise
        _stderr(f"internal error: {exc!r}; please report it (RECOTRACK_DEBUG=1 shows where it happened)")
        return EXIT_INVALID
    return result
