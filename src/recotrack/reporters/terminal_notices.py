"""What every terminal page says before any figure: the invented evidence it rests on, the evidence it left out.

The national report and a unit's profile show the same notices, in the words of
:mod:`recotrack.reporters.synthetic` and :mod:`recotrack.reporters.excluded`.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.text import Text

from recotrack.reporters.excluded import excluded_files, excluded_headline
from recotrack.reporters.synthetic import synthetic_headline, synthetic_lines
from recotrack.results import Results

__all__ = ["notice_parts"]


def notice_parts(results: Results) -> Iterator[RenderableType]:
    synthetic = results.synthetic
    if synthetic is not None:
        yield Text.assemble(("SYNTHETIC EVIDENCE. ", "bold"), synthetic_headline(synthetic), style="yellow")
        for line in synthetic_lines(synthetic):
            yield Text(f"  {line}", style="yellow")
    excluded = results.excluded
    if excluded is not None:
        yield Group(Text(), Rule(Text("LEFT OUT OF THIS REPORT", style="bold"), align="left", style="dim"))
        yield Text(excluded_headline(excluded), style="bold red")
        for line in excluded_files(excluded):
            yield Text(f"  {line}", style="red")
