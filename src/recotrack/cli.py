"""The ``recotrack`` command line: a thin layer over the Python API.

Exit codes: 0 success, 1 the input has errors, 2 the command line itself is wrong.
Heavy modules (pydantic models, rich) are imported inside the commands so that ``--help`` is quick.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from recotrack._rounding import round_half_up

if TYPE_CHECKING:
    from rich.console import Console

    from recotrack.loading import Tracker

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def _console(args: argparse.Namespace, stderr: bool = False, soft_wrap: bool = False) -> Console:
    from rich.console import Console

    no_color = getattr(args, "no_color", False) or "NO_COLOR" in os.environ
    return Console(stderr=stderr, no_color=no_color, highlight=False, soft_wrap=soft_wrap)


def _cmd_validate(args: argparse.Namespace) -> int:
    from rich.markup import escape

    from recotrack.loading import read_tracker

    console = _console(args, soft_wrap=True)  # one problem per line, whole, so it can be grepped
    tracker, problems = read_tracker(args.path)
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        style = "red" if problem.severity == "error" else "yellow"
        console.print(f"[{style}]{escape(str(problem))}[/{style}]")
    if errors or tracker is None:
        count = len(errors)
        console.print(
            f"[bold red]{escape(args.path)}: {count} error{'s' if count != 1 else ''}; "
            "the tracker is not valid.[/bold red]"
        )
        return EXIT_INVALID
    catalog = tracker.catalog
    warnings = len(problems)
    console.print(
        f"[bold green]{escape(args.path)} is valid:[/bold green] {len(catalog.recommendations)} recommendations, "
        f"{len(catalog.indicators)} indicators ({len(catalog.questions)} questions and grid items), "
        f"{len(catalog.scales)} scales, {len(tracker.units.units)} units"
        + (f"; {warnings} warning{'s' if warnings != 1 else ''}." if warnings else ".")
    )
    _print_evidence_summary(console, tracker)
    return EXIT_OK


def _print_evidence_summary(console: Console, tracker: Tracker) -> None:
    """Returns per period against the invited population: the first thing an analyst checks."""
    from rich.markup import escape

    evidence = tracker.evidence
    for period in evidence.all_periods():
        invited = tracker.units.invited_in(period)
        parts = []
        returns = evidence.periods.get(period)
        if returns is not None and returns.returns:
            count = len(returns.returns)
            if invited:
                share = round_half_up(
                    Fraction(100 * sum(1 for u in returns.returns if u in set(invited)), len(invited))
                )
                parts.append(f"{count} returns of {len(invited)} invited ({share}%)")
            else:
                parts.append(f"{count} returns")
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
        console.print(f"  {escape(period)}: " + "; ".join(parts))


def _cmd_catalog(args: argparse.Namespace) -> int:
    from rich.markup import escape
    from rich.tree import Tree

    from recotrack.loading import read_tracker
    from recotrack.model import Recommendation, ScaleIndicator

    console = _console(args)
    tracker, problems = read_tracker(args.path)
    errors = [p for p in problems if p.severity == "error"]
    if errors or tracker is None:
        for problem in errors:
            console.print(f"[red]{escape(str(problem))}[/red]")
        console.print("[bold red]Fix these errors first (see `recotrack validate`).[/bold red]")
        return EXIT_INVALID
    catalog = tracker.catalog
    root = Tree(
        f"[bold]{escape(catalog.review.title)}[/bold] ({escape(catalog.review.publisher)}, {catalog.review.published})"
    )

    def questions_of(indicator: ScaleIndicator) -> int:
        return len(indicator.items) or 1

    def add(node: Tree, rec: Recommendation) -> None:
        indicators = catalog.indicators_for(rec.id)
        kind = " [magenta](commitment)[/magenta]" if rec.kind == "commitment" else ""
        branch = node.add(
            f"[cyan]{escape(rec.id)}[/cyan] {escape(rec.title)}{kind} "
            f"[dim]{len(indicators)} indicator{'s' if len(indicators) != 1 else ''}[/dim]"
        )
        for indicator in indicators:
            label = (
                f"[green]{escape(indicator.id)}[/green] [dim]{indicator.kind}[/dim] {escape(_short(indicator.text))}"
            )
            if isinstance(indicator, ScaleIndicator):
                label += f" [dim]({escape(indicator.scale)}"
                if indicator.items:
                    label += f", {questions_of(indicator)} items"
                if indicator.applies_when:
                    label += f", when {escape(indicator.applies_when.indicator)} in " + escape(
                        "{" + ", ".join(indicator.applies_when.in_) + "}"
                    )
                label += ")[/dim]"
            if indicator.withdrawn:
                label += " [yellow]withdrawn[/yellow]"
            branch.add(label)
        for child in catalog.children(rec.id):
            add(branch, child)

    for level in catalog.levels:
        top = [r for r in catalog.recommendations if r.level == level.id and r.parent is None]
        total = sum(1 for r in catalog.recommendations if r.level == level.id)
        node = root.add(f"[bold]{escape(level.label)}[/bold] [dim]{total} recommendations[/dim]")
        for rec in top:
            add(node, rec)
    console.print(root)
    console.print(
        f"{len(catalog.recommendations)} recommendations, {len(catalog.indicators)} indicators, "
        f"{len(catalog.questions)} questions and grid items."
    )
    return EXIT_OK


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def build_parser() -> argparse.ArgumentParser:
    from recotrack import __version__

    parser = argparse.ArgumentParser(
        prog="recotrack",
        description="Track whether a review's recommendations are being implemented, year after year.",
    )
    parser.add_argument("--version", action="version", version=f"recotrack {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--no-color", action="store_true", help="plain output without colour (also: NO_COLOR=1)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser(
        "validate", parents=[common], help="check a tracker and list every problem with its line"
    )
    validate.add_argument("path", metavar="PATH", help="tracker directory (or a single catalog YAML file)")
    validate.set_defaults(run=_cmd_validate)

    catalog = commands.add_parser(
        "catalog", parents=[common], help="show the recommendations and their indicators as a tree"
    )
    catalog.add_argument("path", metavar="PATH", help="tracker directory (or a single catalog YAML file)")
    catalog.set_defaults(run=_cmd_catalog)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if hasattr(args, "path") and not Path(args.path).exists():
        parser.error(f"{args.path}: no such file or directory")
    try:
        result: int = args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return result
