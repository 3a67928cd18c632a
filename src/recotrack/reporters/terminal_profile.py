"""A unit's profile in the terminal (``recotrack report PATH --unit ID``): the terminal reporter's other page.

Like the national report it fits the width it is given, carries no escape codes without colour, and
puts every input text in as :class:`rich.text.Text`, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich import box
from rich.console import RenderableType
from rich.rule import Rule
from rich.table import Column, Table
from rich.text import Text

from recotrack.display import DASH
from recotrack.reporters.terminal_notices import notice_parts
from recotrack.results import ProfileShare, Results, UnitProfile

_COMPARISON_STYLES = {"better": "green", "worse": "red"}


def _heading(title: str) -> RenderableType:
    return Rule(Text(title, style="bold"), align="left", style="dim")


def _share(share: ProfileShare | None) -> str:
    if share is None:
        return DASH
    if share.count is None or share.base is None:
        return "suppressed" if share.suppressed else DASH
    return f"{share.count}/{share.base} ({share.printed}%)"


def _vs(value: str) -> Text:
    return Text(value, style=_COMPARISON_STYLES.get(value, ""))


def profile_parts(profile: UnitProfile, results: Results, width: int) -> Iterator[RenderableType]:
    parent = profile.parent_name
    yield Text(profile.name, style="bold")
    where = profile.kind_label + (f" in {parent}" if parent else "")
    yield Text(f"{where} · unit profile for {profile.period}", style="dim")
    yield from notice_parts(results)
    if profile.responded:
        yield Text(f"Return: {profile.return_location or 'yes'}")
    elif profile.respondents_below:
        yield Text(f"No return of its own; {profile.respondents_below} responding units below it")
    else:
        yield Text("No return for this period", style="yellow")
    for note in profile.notes:
        yield Text(f"· {note}", style="dim")

    recommendations = [r for r in profile.recommendations if r.unit_score is not None]
    if recommendations:
        yield Text()
        yield _heading("Recommendations")
        table = Table("", "this unit", *([parent] if parent else []), "national", "rank", box=box.SIMPLE_HEAD)
        for r in recommendations:
            below = " (its units)" if r.from_units_below else ""
            cells = [Text(r.id), Text(f"{r.unit_printed} {r.band_label or ''}".strip() + below)]
            if parent:
                cells.append(Text(r.parent_printed or DASH))
            cells += [Text(r.national_printed or DASH), Text(f"{r.rank} of {r.of}" if r.rank else DASH)]
            table.add_row(*cells)
        yield table

    if profile.benchmarks:
        yield Text()
        yield _heading("Where it stands among all units of its kind")
        yield Text(
            "Rank 1 is the best; quintile 1 the best fifth (5 units or more). A parent's share is compared with "
            "national at 95% and 99.8% (similar when national lies inside its interval).",
            style="dim",
        )
        table = Table(
            "",
            Column("this unit", justify="right"),
            *([Column(parent, justify="right")] if parent else []),
            Column("national", justify="right"),
            Column("rank", justify="right"),
            "quintile",
            *([f"{parent} vs national"] if parent else []),
            box=box.SIMPLE_HEAD,
        )
        for b in profile.benchmarks:
            row: list[RenderableType] = [
                Text(b.indicator),
                Text((b.unit_printed or DASH) + (" (its units)" if b.from_units_below else "")),
            ]
            if parent:
                row.append(Text(b.parent_printed or DASH))
            row += [
                Text(b.national_printed or DASH),
                Text(f"{b.rank}{'=' if b.tied else ''} of {b.of}" if b.rank else DASH),
                Text(f"{b.quintile} {b.quintile_label}" if b.quintile else DASH),
            ]
            if parent:
                row.append(
                    Text.assemble(_vs(b.parent_comparison), " / ", _vs(b.parent_comparison_998))
                    if b.share_label
                    else Text(DASH)
                )
            table.add_row(*row)
        yield table

    yield Text()
    yield _heading("Its answers")
    table = Table(
        "",
        "its answer",
        *([Column(parent, justify="right")] if parent else []),
        Column("national", justify="right"),
        *([f"{parent} vs national"] if parent else []),
        "where",
        box=box.SIMPLE_HEAD,
    )
    for a in profile.answers:
        answer: list[RenderableType] = [
            Text(a.question),
            Text(a.answer_label or a.status, style="" if a.answer_label else "dim"),
        ]
        if parent:
            answer.append(Text(_share(a.parent_share)))
        answer.append(Text(_share(a.national_share)))
        if parent:
            answer.append(Text.assemble(_vs(a.parent_comparison), " / ", _vs(a.parent_comparison_998)))
        answer.append(Text(a.location or "", style="dim"))
        table.add_row(*answer)
    yield table

    own = [m for m in profile.milestones if m.unit is not None]
    numbers = [n for n in profile.numbers if n.unit is not None]
    if own or numbers:
        yield Text()
        yield _heading("Its milestones and numbers")
        for m in own:
            assert m.unit is not None
            yield Text(
                f"{m.label}: {m.unit.status_label} ({m.unit.status_period}); national: {m.national_status or DASH}"
            )
        for n in numbers:
            assert n.unit is not None
            way = f", {n.unit.share_of_way_printed} of the way" if n.unit.share_of_way_printed else ""
            yield Text(
                f"{n.label}: {n.unit.status.value}{way}; national: {n.national_share_printed or DASH} of the way"
            )
