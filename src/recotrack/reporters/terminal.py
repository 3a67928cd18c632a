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
from collections import Counter
from collections.abc import Iterator, Sequence
from fractions import Fraction
from itertools import groupby

from rich import box
from rich.columns import Columns
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.rule import Rule
from rich.table import Column, Table
from rich.text import Text

from recotrack import display
from recotrack._rounding import round_half_up
from recotrack.errors import without_bidi_controls
from recotrack.hookspecs import hookimpl
from recotrack.model import OptionRole, Review
from recotrack.reporters import ReportContext, Reporter
from recotrack.reporters import terminal_years as years
from recotrack.reporters.terminal_notices import notice_parts
from recotrack.reporters.terminal_profile import profile_parts
from recotrack.results import Breakdown, Distribution, RecommendationScore, Results, ScoreChange, Trend

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
    Trend.DROPPED: ("dropped", "yellow"),
    Trend.NOT_COMPARABLE: ("≠ not like-for-like", "yellow"),
}
_SOURCES = {"returns": "from per-unit returns", "tallies": "from published tallies"}
_MAX_BAR = 60
_MOST_LISTED = 5
"""Recommendations listed by name in the summary as improved (and as worsened), so that it fits one screen."""
TRUE = ("1", "true", "yes", "on")
"""Values of ``--option breakdowns=…`` (and of ``--breakdowns``) that ask for the breakdowns."""


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
    breakdowns = context.options.get("breakdowns", "").strip().lower() in TRUE
    if context.profile is not None:
        parts: Iterator[RenderableType] = profile_parts(context.profile, context.results, console.width)
    else:
        report = _Report(context.results, context.review, console.width, breakdowns=breakdowns)
        parts = report.summary_parts() if context.summary else report.parts()
    for part in parts:
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


def _plural(count: int, word: str) -> str:
    return f"{word}s" if count != 1 else word


def _listed(text: Text, words: tuple[str, str], count: int) -> None:
    """Append 'words count' to a ' · '-separated list, the words in their style."""
    if text.plain and not text.plain.endswith(": "):
        text.append(" · ")
    text.append(words[0], style=words[1]).append(f" {count}")


def _counts(counted: Counter[str], by_count: bool = False) -> Text:
    """'Delivered 3 · In progress 1': in order of first appearance, or of count (most first)."""
    items = sorted(counted.items(), key=lambda item: (-item[1], item[0])) if by_count else list(counted.items())
    text = Text()
    for words, count in items:
        _listed(text, (words, ""), count)
    return text


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

    def __init__(self, results: Results, review: Review, width: int, *, breakdowns: bool = False) -> None:
        self.results = results
        self.show_breakdowns = breakdowns
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

    def summary_parts(self) -> Iterator[RenderableType]:
        """The one-screen report (``--summary``): the header and the summary."""
        yield from self.header()
        yield from notice_parts(self.results)
        yield from self.summary()

    def parts(self) -> Iterator[RenderableType]:
        yield from self.summary_parts()
        yield from self.response()
        yield from self.recommendations()
        yield from self.distributions()
        yield from years.dropped_questions(self.results)
        if self.show_breakdowns and self.results.breakdowns:
            yield from self.breakdowns()
        if self.results.milestones:
            yield from self.milestones()
        if self.results.numeric:
            yield from self.numeric()
        yield from self.flags()
        yield from years.history(self.results)

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

    def returns(self) -> Text:
        response = self.results.response
        responded = "–" if response.responded is None else str(response.responded)
        line = Text.assemble("Returns ", (responded, "bold"))
        if response.invited is not None:
            line.append(f" of {response.invited} invited")
        if response.printed is not None:
            line.append(" · response rate ").append(f"{response.printed}%", style="bold")
        return line

    def summary(self) -> Iterator[RenderableType]:
        """One screen: response, levels, recommendations by band, milestones, numbers, flags, what changed."""
        results = self.results
        yield _heading("Summary")
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold")
        table.add_column()
        returns = self.returns()
        regions = [region for region in results.response.regions if region.printed is not None]
        if regions:
            low = min(regions, key=lambda region: (region.percent or 0, region.name))
            high = max(regions, key=lambda region: (region.percent or 0, region.name))
            returns.append(f"\nby region from {low.printed}% ({low.name}) to {high.printed}% ({high.name})")
        table.add_row("Response", returns)
        levels = Table.grid(padding=(0, 1))
        levels.add_column(no_wrap=True)
        levels.add_column()
        for level in results.levels:
            scored = (
                Text("not measured", style="dim")
                if level.score is None
                else self.scored(level.score, level.score_printed, level.band_label)
            )
            levels.add_row(Text(level.label), scored)
        table.add_row("Levels", levels)
        by_band = Counter(rec.band_label for rec in results.recommendations)
        counted = Text()
        for band, colour in reversed(self.bands):
            if by_band[band.label]:
                _listed(counted, (band.label, colour), by_band[band.label])
        if by_band[None]:
            _listed(counted, ("not measured", "dim"), by_band[None])
        table.add_row(_plural(len(results.recommendations), "Recommendation"), counted)
        if results.milestones:
            statuses = Counter(m.status_label or "no status" for m in results.milestones)
            table.add_row(_plural(len(results.milestones), "Milestone"), _counts(statuses))
        if results.numeric:
            table.add_row(
                _plural(len(results.numeric), "Number"), _counts(Counter(n.status.value for n in results.numeric))
            )
        flags = Counter(flag.code.value for flag in results.flags)
        flags.update(flag.code.value for question in results.distributions for flag in question.flags)
        flagged = _counts(flags, by_count=True) if flags else Text("none")
        table.add_row(_plural(flags.total(), "Flag"), flagged)
        comparison = results.comparison
        if comparison is not None:
            table.add_row(f"Since {comparison.baseline}", self.changes_summary())
        yield table

    def changes_summary(self) -> Group:
        comparison = self.results.comparison
        assert comparison is not None
        lines: list[RenderableType] = []
        for what, trends in (
            ("recommendations", [r.trend for r in comparison.recommendations]),
            ("questions", [q.trend for q in comparison.questions]),
        ):
            counted = Counter(trends)
            line = Text(f"{what}: ")
            for trend in Trend:
                if counted[trend]:
                    _listed(line, _TRENDS[trend], counted[trend])
            lines.append(line)
        titles = {rec.id: rec.title for rec in self.results.recommendations}
        for trend in (Trend.IMPROVED, Trend.WORSENED):
            changes = [c for c in comparison.recommendations if c.trend is trend]
            words, style = _TRENDS[trend]
            symbol, word = words.split(" ", 1)
            for change in changes[:_MOST_LISTED]:
                line = Text(no_wrap=True, overflow="ellipsis").append(symbol, style=style).append(f" {change.id}")
                if change.score_change is not None:
                    line.append(f" {change.score_change.change_printed}")
                lines.append(line.append(f" {titles.get(change.id, change.title)}"))
            if len(changes) > _MOST_LISTED:
                lines.append(Text(f"and {len(changes) - _MOST_LISTED} more {word} (see below)", style="dim"))
        return Group(*lines)

    def response(self) -> Iterator[RenderableType]:
        response = self.results.response
        yield _heading("Response")
        yield self.returns()
        yield Text(response.statement)
        for group in response.tables():
            table = Table(
                group.kind_label.lower(), "returns", "rate", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False
            )
            for region in group.rows:
                rate = Text()
                if region.responded is None:
                    returns = Text(f"suppressed of {region.invited}")
                else:
                    returns = Text(f"{region.responded} of {region.invited}")
                    if region.invited:
                        rate = _bar(Fraction(region.responded, region.invited), self.bar_width, "cyan")
                        rate.append(f" {region.printed}%")
                table.add_row(Text(region.name), returns, rate)
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
                if level.id in (recommendation.levels or (recommendation.level,)) and recommendation.parent is None:
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
            gone = (
                ("withdrawn", change.withdrawn),
                ("dropped", change.dropped),
                ("not like-for-like", change.not_comparable),
            )
            for words, indicators in (*moved, *gone):
                if indicators:
                    trend.append(f"\n{words}: {', '.join(indicators)}", style="dim")
            if self.narrow:
                scored.append("\n").append_text(trend)
            else:
                cells.append(trend)
        lifecycle = years.lifecycle_line(rec)
        if lifecycle is not None:
            title.append("\n").append_text(lifecycle)
        for line in years.flag_lines(rec.flag_details):
            title.append("\n").append_text(line)
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
        if question.asked_of:
            facts.append(f" · asked of {', '.join(question.asked_of)}")
            if question.response is not None:
                facts.append(f": {question.response.count} of {question.response.base} invited responded")
        if question.score is not None:
            facts.append(f" · score {question.score_printed} ").append(
                question.band_label or "", style=self.colour(question.score)
            )
        change = self.question_changes.get(question.id)
        notes: list[RenderableType] = []
        if change is not None and self.baseline is not None:
            facts.append(f" · since {self.baseline}: ").append_text(self.trend(change.trend, change.score_change))
            note = years.pairing_note(change, self.baseline)
            if note is not None:
                notes.append(note)
        return Group(*lines, _StackedBar(segments), Columns(legend, padding=(0, 3)), facts, *notes)

    def breakdowns(self) -> Iterator[RenderableType]:
        kinds: dict[str, list[Breakdown]] = {}
        for breakdown in self.results.breakdowns:
            kinds.setdefault(breakdown.by, []).append(breakdown)
        for tables in kinds.values():
            label = tables[0].by_label.lower()
            yield _heading(f"Answers by {label}")
            yield Text(
                f"Each cell is the number of units of the {label} giving the answer (the percentage of its base); "
                "'suppressed' marks a count the disclosure policy withholds.",
                style="dim",
            )
            for breakdown in tables:
                table = Table(
                    label,
                    *(Column(o.label, justify="right") for o in breakdown.groups[0].options),
                    Column("base", justify="right"),
                    box=box.SIMPLE_HEAD,
                    show_edge=False,
                    pad_edge=False,
                )
                number, _, item = breakdown.question.partition("/")
                yield Text.assemble("\n", (number, "bold"), f" – {breakdown.label}" if item else f" {breakdown.label}")
                for group in breakdown.groups:
                    table.add_row(
                        Text(group.name),
                        *(
                            Text(
                                "suppressed" if o.count is None else display.count(o.count, o.printed), justify="right"
                            )
                            for o in group.options
                        ),
                        Text("suppressed" if group.base is None else str(group.base), justify="right"),
                    )
                yield table

    def milestones(self) -> Iterator[RenderableType]:
        yield _heading("Milestones")
        table = _grid([", ".join(m.measures) for m in self.results.milestones])
        for milestone in self.results.milestones:
            status = Text(
                milestone.status_label or ("measured per unit" if milestone.units else "no status"),
                style=self.colour(milestone.score),
            )
            if milestone.status_period not in (None, self.results.period):
                status.append(f" (since {milestone.status_period})")
            status.append(years.milestone_target(milestone))
            lines = [Text(milestone.label), status, *years.flag_lines(milestone.flag_details)]
            if milestone.units:
                lines.append(Text(display.units_milestone(milestone)))
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
            lines = [Text(number.label), figures, status]
            if number.units:
                lines.append(Text(display.units_number(number)))
            table.add_row(Text(", ".join(number.measures)), Group(*lines))
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
