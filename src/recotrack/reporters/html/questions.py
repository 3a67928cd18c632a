"""Answers to each question: per recommendation, each question or grid as a chart and a table."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from recotrack import display
from recotrack.display import DASH
from recotrack.reporters.html import charts
from recotrack.reporters.html._base import BandView, FlagTag, Report, TrendView, flag_name, trend_view
from recotrack.results import Distribution, IndicatorScore, QuestionChange, ScoreChange, Trend


@dataclass(frozen=True)
class QuestionRow:
    id: str
    number: str
    """The question's number when it is shown (single questions); empty for grid items."""
    label: str
    cells: tuple[str, ...]
    base: str
    score: str
    band: BandView | None
    trend: TrendView | None
    change: str
    withheld: str
    flags: tuple[FlagTag, ...]


@dataclass(frozen=True)
class OtherView:
    text: str
    cell: str


@dataclass(frozen=True)
class QuestionBlock:
    id: str
    number: str
    """The question's or grid's number shown before the heading; empty for a run of questions."""
    heading: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[QuestionRow, ...]
    chart: charts.Chart | None
    summary: str
    """The score line of a lone question or of a grid (mean of its items); empty for a run of questions."""
    flags: tuple[str, ...]
    """The block's data-quality flags, by kind: 'Many “don't know” answers (3 of 12 items)'."""
    others_label: str
    others: tuple[OtherView, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class QuestionGroup:
    anchor: str
    id: str
    title: str
    blocks: tuple[QuestionBlock, ...]


def _first_measured(indicator: IndicatorScore) -> str:
    """The recommendation an indicator is listed under: the first it measures."""
    return indicator.measures[0] if indicator.measures else ""


def question_groups(report: Report) -> tuple[QuestionGroup, ...]:
    results = report.results
    scale_indicators = [i for i in results.indicator_scores if i.kind == "scale"]
    distributions = {d.id: d for d in results.distributions}
    groups: list[QuestionGroup] = []
    for group_id, members in itertools.groupby(scale_indicators, key=_first_measured):
        blocks = list(_blocks(report, list(members), distributions))
        rec = report.recommendations.get(group_id)
        groups.append(
            QuestionGroup(
                anchor=report.ids("questions"),
                id=group_id,
                title=rec.title if rec else "",
                blocks=tuple(blocks),
            )
        )
    return tuple(groups)


def _blocks(
    report: Report, indicators: list[IndicatorScore], distributions: dict[str, Distribution]
) -> Iterator[QuestionBlock]:
    def block_key(indicator: IndicatorScore) -> tuple[object, ...]:
        first = distributions.get(indicator.questions[0]) if indicator.questions else None
        is_grid = first is not None and first.item is not None
        options = tuple(o.id for o in first.options) if first else ()
        return (is_grid, indicator.id if is_grid else "", first.scale if first else "", options)

    for (is_grid, _, _, _), members in itertools.groupby(indicators, key=block_key):
        run = list(members)
        questions = [distributions[q] for indicator in run for q in indicator.questions if q in distributions]
        if not questions:
            continue
        yield _block(report, run, questions, bool(is_grid))


def _block(
    report: Report, indicators: list[IndicatorScore], questions: list[Distribution], grid: bool
) -> QuestionBlock:
    period = report.results.period
    options = questions[0].options
    columns = tuple(o.label for o in options)
    block_id = report.ids("block")
    if grid:
        indicator = indicators[0]
        number, heading = indicator.id, indicator.label
        caption = f"Question {indicator.id}, {period}: number of responding units answering each item (percentage)"
        change = report.indicator_changes.get(indicator.id)
        summary = _score_line(
            report,
            indicator.score_printed,
            indicator.band,
            change.score_change if change else None,
            change.trend if change else None,
            ", the mean of its items' scores",
        )
        if indicator.withdrawn:
            summary = f"Withdrawn: {indicator.withdrawn_reason or 'no reason given'}."
    else:
        ids = [q.id for q in questions]
        if len(ids) == 1:
            question = questions[0]
            number, heading = ids[0], question.label
            name = f"Question {ids[0]}"
            q_change = report.question_changes.get(question.id)
            summary = _score_line(
                report,
                question.score_printed,
                question.band,
                q_change.score_change if q_change else None,
                q_change.trend if q_change else None,
            )
            if question.withdrawn:
                summary = f"Withdrawn: {question.withdrawn_reason or 'no reason given'}."
        else:
            number, heading = "", f"Questions {ids[0]} to {ids[-1]}"
            name = heading
            summary = ""
        caption = f"{name}, {period}: number of responding units giving each answer (percentage of the base)"
    rows = tuple(_row(report, q, grid, with_label=grid or len(questions) > 1) for q in questions)
    chart_title = f"{number} {heading}: answers in {period}" if number else f"{heading}: answers in {period}"
    chart = charts.chart(report.ids("chart"), questions, grid, chart_title)
    others_label = ""
    others: list[OtherView] = []
    indicator_ids = {i.id for i in indicators}
    for entry in report.results.others:
        if entry.indicator in indicator_ids:
            others_label = entry.label
            others.append(OtherView(entry.text, display.count(entry.count, entry.printed)))
    notes = []
    first = questions[0]
    if first.asked_of:
        responded = f": {first.response.count} of the {first.response.base} invited responded" if first.response else ""
        notes.append(f"Asked only of {', '.join(first.asked_of)}{responded}; the base counts them alone.")
    for q in questions:
        if q.not_applicable_by_condition:
            notes.append(
                f"{q.label if grid else q.id}: asked only where an earlier answer made it apply; "
                f"{q.not_applicable_by_condition} responding unit"
                f"{'s' if q.not_applicable_by_condition != 1 else ''} "
                f"{'were' if q.not_applicable_by_condition != 1 else 'was'} not asked."
            )
    return QuestionBlock(
        id=block_id,
        flags=_flag_summary(questions, grid),
        number=number,
        heading=heading,
        caption=caption,
        columns=columns,
        rows=rows,
        chart=chart,
        summary=summary,
        others_label=others_label,
        others=tuple(others),
        notes=tuple(notes),
    )


def _row(report: Report, question: Distribution, grid: bool, *, with_label: bool) -> QuestionRow:
    """One table row; a lone question's row shows only its number, the heading above has its text."""
    change: QuestionChange | None = report.question_changes.get(question.id)
    change_text = ""
    if change is not None and change.score_change is not None:
        change_text = change.score_change.change_printed
    return QuestionRow(
        id=question.id,
        number="" if grid else question.id,
        label=question.label if with_label else "",
        cells=tuple(display.count(o.count, o.printed) for o in question.options),
        base=str(question.base) if question.base is not None else DASH,
        score=question.score_printed or DASH,
        band=report.band(question.band),
        trend=trend_view(change.trend) if change else None,
        change=change_text,
        withheld=(question.withdrawn_reason or "withdrawn, no reason given") if question.withdrawn else "",
        flags=tuple(FlagTag(flag_name(f.code), f.message) for f in question.flags),
    )


def _score_line(
    report: Report,
    score: str | None,
    band_id: str | None,
    change: ScoreChange | None,
    trend: Trend | None,
    what: str = "",
) -> str:
    """'Score 0.69 (Amber), the mean of its items' scores. Since 2019: no clear change (+0.01; …).'"""
    if score is None:
        parts = ["No score in this period"]
    else:
        band = report.band(band_id)
        parts = [f"Score {score}" + (f" ({band.label})" if band else "") + what]
    if trend is not None:
        change_text, interval = report.score_change(change)
        since = f"Since {report.baseline}: {trend_view(trend).word.lower()}"
        if change_text:
            since += f" ({change_text}" + (f"; {interval}" if interval else "") + ")"
        parts.append(since)
    return ". ".join(parts) + "."


def _flag_summary(questions: list[Distribution], grid: bool) -> tuple[str, ...]:
    counts = Counter(flag_name(f.code) for q in questions for f in q.flags)
    if len(questions) == 1:
        return tuple(counts)
    what = "items" if grid else "questions"
    return tuple(f"{name} ({count} of {len(questions)} {what})" for name, count in counts.items())
