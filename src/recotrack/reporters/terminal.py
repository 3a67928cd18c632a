"""The terminal reporter: the results as a text report to read in a terminal, in colour when it can.

The report fits ``context.width`` (100 columns when unset). Colour is never the only signal: every
band is named, every trend has its word, and each answer of a stacked bar has its own fill character,
shown in the legend with its count and printed percentage. Without ``context.color`` the text carries
no escape codes at all. Every name and text from the inputs goes in as :class:`rich.text.Text`, never
as markup, so brackets in them print as written.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from fractions import Fraction
from itertools import groupby

from rich import box
from rich.columns import Columns
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from recotrack import display
from recotrack._rounding import round_half_up
from recotrack.errors import without_bidi_controls
from recotrack.hookspecs import hookimpl
from recotrack.model import OptionRole, Review
from recotrack.reporters import ReportContext, Reporter
from recotrack.reporters.excluded import excluded_files, excluded_headline
from recotrack.results import Distribution, RecommendationScore, Results, ScoreChange, Trend

_FILLS = "█▓▒░·"
"""Fill characters of a stacked bar's segments, in option order, so that the bar reads without colour."""
_BAND_COLOURS = ("red", "dark_orange", "green")
"""Colours from the lowest band to the highest; bands in between take the nearest."""
_UNSCORED = {OptionRole.DONT_KNOW: "grey58", OptionRole.NOT_APPLICABLE: "grey42"}
_TRENDS = {
    Trend.IMPROVED: ("▲ improved", "green"),
    Trend.WORSENED: ("▼ worsened", "red"),
    Trend.NO_CLEAR_CHANGE: ("= no clear change", ""),
    Trend.NEW: ("new", "cyan"),
    Trend.WITHDRAWN: ("withdrawn", "yellow"),
    Trend.NO_DATA: ("no data", "dim"),
}
_SOURCES = {"returns": "from per-unit returns", "tallies": "from published tallies"}
_MAX_BAR = 60


def render(context: ReportContext) -> str:
    """The report as text: with ANSI colour codes when ``context.color``, plain otherwise."""
    output = io.StringIO()
    console = Console(
        file=output,
        width=context.width or 100,
        color_system="truecolor" if context.color else None,
        force_terminal=context.color,
        no_color=not context.color,
        highlight=False,
        legacy_windows=False,
        emoji=False,
    )
    for part in _Report(context.results, context.review, console.width).parts():
        console.print(part)
    # Inputs cannot hold control characters (the models refuse them), but bidi overrides are text:
    # written out, they cannot reorder what the reader sees.
    text = without_bidi_controls(output.getvalue())
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


@hookimpl
def recotrack_register_reporters() -> list[Reporter]:
    return [Reporter("terminal", "a readable report for the terminal, in colour when it is one", render)]


class _StackedBar:
    """Counts as adjacent segments of one bar, as wide as the space allows up to ``_MAX_BAR``."""

    def __init__(self, segments: Sequence[tuple[int, str, str]]) -> None:
        self.segments = segments
        """(count, fill character, style) of each segment."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        cells = _cells([count for count, _, _ in self.segments], min(options.max_width, _MAX_BAR))
        yield Text.assemble(*((fill * n, style) for (_, fill, style), n in zip(self.segments, cells, strict=True)))


def _cells(counts: Sequence[int], width: int) -> list[int]:
    """Share ``width`` cells out in proportion to ``counts`` (largest remainders), summing to ``width``."""
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    exact = [Fraction(count * width, total) for count in counts]
    cells = [math.floor(share) for share in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: (cells[i] - exact[i], i))
    for i in by_remainder[: width - sum(cells)]:
        cells[i] += 1
    return cells


def _fraction(value: float) -> Fraction:
    """A score as the fraction it stands for (0.35, not 0.34999...), to share a bar's cells out exactly."""
    return Fraction(value).limit_denominator(10**6)


def _bar(share: Fraction, width: int, style: str) -> Text:
    filled = round_half_up(share * width)
    return Text.assemble(("█" * filled, style), ("░" * (width - filled), "dim"))


def _heading(title: str) -> Group:
    return Group(Text(), Rule(Text(title, style="bold"), align="left", style="dim"))


def _grid(ids: Sequence[str], leading: int = 1) -> Table:
    """Rows of an id and its text, the ids in a column as wide as the widest."""
    table = Table.grid(padding=(0, 2))
    table.leading = leading
    table.add_column(width=max(map(len, ids), default=0), no_wrap=True)
    table.add_column()
    return table


class _Report:
    """The parts of one report, in reading order."""

    def __init__(self, results: Results, review: Review, width: int) -> None:
        self.results = results
        self.review = review
        self.narrow = width < 120
        self.bar_width = 10 if self.narrow else 20
        bands = sorted(results.bands, key=lambda band: band.min_score)
        last = max(1, len(bands) - 1)
        self.bands = [(band, _BAND_COLOURS[round_half_up(Fraction(2 * i, last))]) for i, band in enumerate(bands)]
        comparison = results.comparison
        self.baseline = comparison.baseline if comparison else None
        self.question_changes = {q.id: q for q in comparison.questions} if comparison else {}
        self.recommendation_changes = {r.id: r for r in comparison.recommendations} if comparison else {}

    def parts(self) -> Iterator[RenderableType]:
        yield from self.header()
        yield from self.excluded()
        yield from self.response()
        yield from self.recommendations()
        yield from self.distributions()
        if self.results.milestones:
            yield from self.milestones()
        if self.results.numeric:
            yield from self.numeric()
        yield from self.flags()

    def colour(self, score: float | None) -> str:
        """The colour of the band a score falls in; none below every band or without a score."""
        found = ""
        for band, colour in self.bands:
            if score is not None and score >= band.min_score:
                found = colour
        return found

    def scored(self, score: float, printed: str | None, band_label: str | None) -> Text:
        """A score's bar, its printed value and its band, named."""
        text = _bar(_fraction(score), self.bar_width, self.colour(score)).append(f" {printed} ")
        return text.append(band_label or "", style=self.colour(score))

    def trend(self, trend: Trend, change: ScoreChange | None) -> Text:
        words, style = _TRENDS[trend]
        text = Text(words, style=style)
        if change is not None:
            text.append(f" {change.change_printed}")
        return text

    def header(self) -> Iterator[RenderableType]:
        results, review = self.results, self.review
        yield Text(review.title, style="bold")
        yield Text(f"{review.publisher}, {review.published}", style="dim")
        period = Text.assemble("Period ", (results.period, "bold"))
        if results.basis:
            period.append(f" ({_SOURCES[results.basis]})")
        comparison = results.comparison
        if comparison is not None:
            period.append(", compared with ").append(comparison.baseline, style="bold")
            if comparison.baseline_basis:
                period.append(f" ({_SOURCES[comparison.baseline_basis]})")
            if comparison.both_years_only:
                period.append(f", only the {comparison.units_in_both} units that responded in both")
        yield period

    def excluded(self) -> Iterator[RenderableType]:
        """What the figures were computed without (``--skip-invalid``), where nobody can miss it."""
        excluded = self.results.excluded
        if excluded is None:
            return
        yield _heading("LEFT OUT OF THIS REPORT")
        yield Text(excluded_headline(excluded), style="bold red")
        for line in excluded_files(excluded):
            yield Text(f"  {line}", style="red")

    def response(self) -> Iterator[RenderableType]:
        response = self.results.response
        yield _heading("Response")
        responded = "–" if response.responded is None else str(response.responded)
        line = Text.assemble("Returns ", (responded, "bold"))
        if response.invited is not None:
            line.append(f" of {response.invited} invited")
        if response.printed is not None:
            line.append(" · response rate ").append(f"{response.printed}%", style="bold")
        yield line
        yield Text(response.statement)
        if response.regions:
            table = Table("region", "returns", "rate", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
            for region in response.regions:
                rate = Text()
                if region.invited:
                    rate = _bar(Fraction(region.responded, region.invited), self.bar_width, "cyan")
                    rate.append(f" {region.printed}%")
                table.add_row(Text(region.name), Text(f"{region.responded} of {region.invited}"), rate)
            yield table

    def recommendations(self) -> Iterator[RenderableType]:
        results = self.results
        yield _heading("Recommendations")
        bands = ", ".join(f"{band.label} from {display.threshold(band.min_score)}" for band, _ in self.bands)
        note = f"Scores run from 0 to 1 ({bands})."
        if self.baseline is not None:
            note += f" Since {self.baseline}: ▲ and ▼ mark changes whose 95% interval excludes zero."
        yield Text(note, style="dim")
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column()
        table.add_column(min_width=self.bar_width + 11)
        if self.baseline is not None and not self.narrow:
            table.add_column(min_width=23)
        by_id = {r.id: r for r in results.recommendations}
        for level in results.levels:
            scored = (
                Text("not measured", style="dim")
                if level.score is None
                else self.scored(level.score, level.score_printed, level.band_label)
            )
            table.add_row()
            table.add_row(Text(level.label, style="bold"), Text(), scored)
            for recommendation in results.recommendations:
                if recommendation.level == level.id and recommendation.parent is None:
                    self.add_recommendation(table, recommendation, by_id, 0)
        yield table

    def add_recommendation(
        self, table: Table, rec: RecommendationScore, by_id: dict[str, RecommendationScore], depth: int
    ) -> None:
        title = Text(rec.title)
        if rec.kind == "commitment":
            title.append(" (commitment)", style="dim")
        scored = (
            Text("not measured", style="dim")
            if rec.score is None
            else self.scored(rec.score, rec.score_printed, rec.band_label)
        )
        cells = [scored]
        change = self.recommendation_changes.get(rec.id)
        if change is not None:
            trend = self.trend(change.trend, change.score_change)
            moved = ("improved", change.improved), ("worsened", change.worsened), ("new", change.new)
            for words, indicators in (*moved, ("withdrawn", change.withdrawn)):
                if indicators:
                    trend.append(f"\n{words}: {', '.join(indicators)}", style="dim")
            if self.narrow:
                scored.append("\n").append_text(trend)
            else:
                cells.append(trend)
        table.add_row(Text("  " * depth + rec.id), title, *cells)
        for child in rec.children:
            self.add_recommendation(table, by_id[child], by_id, depth + 1)

    def distributions(self) -> Iterator[RenderableType]:
        results = self.results
        yield _heading("Answers by question")
        yield Text(
            "Each bar shares out the base (the units that answered); percentages are whole numbers rounded "
            "half up, so a row need not add up to 100.",
            style="dim",
        )
        labels = {i.id: i.label for i in results.indicator_scores}
        ids = [d.indicator for d in results.distributions]
        section: str | None = None
        for indicator, grouped in groupby(results.distributions, key=lambda d: d.indicator):
            questions = list(grouped)
            if questions[0].section != section:
                section = questions[0].section
                yield Text.assemble("\n", (section or "", "bold"))
            table = _grid(ids, leading=0)
            if questions[0].item is None:
                table.add_row(Text(indicator, style="bold"), self.question(questions[0], questions[0].label))
            else:
                table.add_row(Text(indicator, style="bold"), Text(labels.get(indicator, ""), style="bold"))
                for question in questions:
                    table.add_row(Text(), self.question(question, f"– {question.item}"))
            others = [o for o in results.others if o.indicator == indicator]
            if others:
                named = [f"{o.text} {o.count}" + (f" ({o.printed}%)" if o.printed is not None else "") for o in others]
                table.add_row(Text(), Text(f"{others[0].label}: {', '.join(named)}"))
            yield table

    def question(self, question: Distribution, label: str) -> Group:
        lines: list[RenderableType] = [Text(label)]
        if question.withdrawn:
            reason = question.withdrawn_reason or "no reason given"
            lines.append(Text.assemble(("withdrawn", "bold yellow"), f": {reason}"))
            return Group(*lines)
        if not question.base:
            lines.append(Text("no answers in this period", style="dim"))
            return Group(*lines)
        segments, legend = [], []
        for index, option in enumerate(question.options):
            fill = _FILLS[index % len(_FILLS)]
            style = _UNSCORED.get(option.role) or self.colour(option.score)
            segments.append((option.count or 0, fill, style))
            figure = "not published" if option.count is None else f"{option.count} ({option.printed}%)"
            legend.append(Text.assemble((fill, style), f" {option.label} ", (figure, "bold")))
        facts = Text(f"base {question.base}")
        if question.score is not None:
            facts.append(f" · score {question.score_printed} ").append(
                question.band_label or "", style=self.colour(question.score)
            )
        change = self.question_changes.get(question.id)
        if change is not None:
            facts.append(f" · since {self.baseline}: ").append_text(self.trend(change.trend, change.score_change))
        return Group(*lines, _StackedBar(segments), Columns(legend, padding=(0, 3)), facts)

    def milestones(self) -> Iterator[RenderableType]:
        yield _heading("Milestones")
        table = _grid([", ".join(m.measures) for m in self.results.milestones])
        for milestone in self.results.milestones:
            status = Text(milestone.status_label or "no status", style=self.colour(milestone.score))
            if milestone.status_period not in (None, self.results.period):
                status.append(f" (since {milestone.status_period})")
            if milestone.due:
                status.append(f" · due {milestone.due.isoformat()}")
            lines = [Text(milestone.label), status]
            for entry in milestone.history:
                when = f", {entry.date.isoformat()}" if entry.date else ""
                source = f" ({entry.document_title})" if entry.document_title else ""
                lines.append(Text(f"{entry.period}: {entry.status_label}{when}{source}", style="dim"))
            table.add_row(Text(", ".join(milestone.measures)), Group(*lines))
        yield table

    def numeric(self) -> Iterator[RenderableType]:
        yield _heading("Numbers")
        table = _grid([", ".join(n.measures) for n in self.results.numeric])
        for number in self.results.numeric:
            baseline, latest = (
                f"{v.value_printed} ({v.period})" if v else "–" for v in (number.baseline, number.latest)
            )
            target = "–"
            if number.target_printed is not None:
                target = number.target_printed
                target += f" by {number.target_date.isoformat()}" if number.target_date else ""
            status = Text(number.status.value, style={True: "green", False: "red", None: ""}[number.on_course])
            if number.share_of_way_printed is not None:
                status.append(f" · {number.share_of_way_printed} of the way")
            figures = Text(f"baseline {baseline} · latest {latest} · target {target}")
            table.add_row(Text(", ".join(number.measures)), Group(Text(number.label), figures, status))
        yield table

    def flags(self) -> Iterator[RenderableType]:
        results = self.results
        flagged = [(results.period, "", flag) for flag in results.flags]
        for question in results.distributions:
            flagged += [(question.indicator, f"{question.item}: " if question.item else "", f) for f in question.flags]
        yield _heading("Data quality")
        if not flagged:
            yield Text("No data-quality flags.")
            return
        table = _grid([where for where, _, _ in flagged], leading=0)
        for where, item, flag in flagged:
            table.add_row(Text(where), Text.assemble((flag.code.value, "yellow"), f" {item}{flag.message}"))
        yield table
