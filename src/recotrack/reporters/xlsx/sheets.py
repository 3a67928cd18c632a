"""The workbook's sheets as plain data: every table, its columns and number formats, from the results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TypeAlias

from recotrack import display
from recotrack.method import exact
from recotrack.reporters import ReportContext
from recotrack.reporters.excluded import excluded_headline
from recotrack.reporters.synthetic import synthetic_headline
from recotrack.results import Interval, Results, ScoreChange

__all__ = ["Cell", "Column", "Number", "Sheet", "method_lines", "sheets"]

_COUNT = "#,##0"
_PERCENT = "0.00"
_PRINTED_PERCENT = '0"%"'


@dataclass(frozen=True)
class Number:
    """A number with its own number format (a score printed with more decimals, a signed change)."""

    value: float
    format: str


Cell: TypeAlias = str | int | float | bool | dt.date | dt.datetime | Number | None


@dataclass(frozen=True)
class Column:
    header: str
    format: str | None = None
    """The number format of its plain numbers; :class:`Number` cells carry their own."""
    width: int | None = None
    """A fixed width in characters; None fits the content (up to 60)."""


@dataclass(frozen=True)
class Sheet:
    """One sheet: optional lines above its table, then the table with its header row."""

    name: str
    description: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    above: tuple[tuple[str, Cell], ...] = ()
    bold_rows: frozenset[int] = frozenset()
    """Indexes of rows shown in bold (a question's own row above its options)."""
    notices: tuple[tuple[str, str], ...] = ()
    """Lines before everything, in bold red, not fitted to the columns: synthetic or left-out evidence."""


def _score(value: float | None, printed: str | None) -> Cell:
    """A score as a number cell that shows as many decimals as its printed form."""
    if value is None:
        return None
    return Number(value, display.spreadsheet_format(printed or display.score(value) or ""))


def _change(value: float, printed: str) -> Number:
    return Number(value, display.spreadsheet_format(printed, signed=True))


def sheets(context: ReportContext) -> tuple[Sheet, ...]:
    """The sheets after README, in order (Comparison only when the results compare two periods)."""
    results = context.results
    found = [_response(results), _recommendations(results), _milestones_and_numbers(results), _questions(results)]
    if results.comparison is not None:
        found.append(_comparison(results))
    found += [_flags(results), _provenance(context)]
    notices = _notices(results)
    return tuple(replace(sheet, notices=notices) for sheet in found)


def _notices(results: Results) -> tuple[tuple[str, str], ...]:
    """The lines atop every sheet: a sheet opened on its own still says what its figures rest on."""
    found: list[tuple[str, str]] = []
    if results.synthetic is not None:
        found.append(("Synthetic evidence", synthetic_headline(results.synthetic)))
    if results.excluded is not None:
        found.append(("Left out", excluded_headline(results.excluded)))
    return tuple(found)


def _response(results: Results) -> Sheet:
    response = results.response
    columns = (
        Column("Region"),
        Column("Region id"),
        Column("Invited", _COUNT),
        Column("Responded", _COUNT),
        Column("Percent (exact)", _PERCENT),
        Column("Printed %", _PRINTED_PERCENT),
    )
    rows: list[tuple[Cell, ...]] = [
        (
            "All invited units",
            None,
            response.invited,
            response.responded_invited,
            response.percent,
            response.printed,
        )
    ]
    rows += [(r.name, r.id, r.invited, r.responded, r.percent, r.printed) for r in response.regions]
    above: tuple[tuple[str, Cell], ...] = (
        ("Period", results.period),
        ("Returns", response.responded),
        ("Figures describe", response.statement),
    )
    return Sheet("Response", "who was asked and who answered, in all and by region", columns, tuple(rows), above)


def _recommendations(results: Results) -> Sheet:
    columns = (
        Column("Type"),
        Column("Id"),
        Column("Title"),
        Column("Level"),
        Column("Theme"),
        Column("Parent"),
        Column("Score"),
        Column("Printed score"),
        Column("Band"),
        Column("Score with sub-recommendations"),
        Column("Printed (with sub-recommendations)"),
        Column("Indicators scored"),
    )
    levels = {level.id: level.label for level in results.levels}
    themes = {theme.id: theme.label for theme in results.themes}
    rows: list[tuple[Cell, ...]] = []
    for kind, groups in (("level", results.levels), ("theme", results.themes)):
        for group in groups:
            rows.append(
                (
                    kind,
                    group.id,
                    group.label,
                    levels.get(group.id) if kind == "level" else None,
                    themes.get(group.id) if kind == "theme" else None,
                    None,
                    _score(group.score, group.score_printed),
                    group.score_printed,
                    group.band_label,
                    None,
                    None,
                    len(group.indicators),
                )
            )
    for rec in results.recommendations:
        rows.append(
            (
                rec.kind.value,
                rec.id,
                rec.title,
                levels.get(rec.level, rec.level),
                themes.get(rec.theme, rec.theme) if rec.theme else None,
                rec.parent,
                _score(rec.score, rec.score_printed),
                rec.score_printed,
                rec.band_label,
                _score(rec.score_with_children, rec.score_with_children_printed),
                rec.score_with_children_printed,
                len(rec.indicators),
            )
        )
    return Sheet(
        "Recommendations", "levels, themes and recommendations: score, printed score, band", columns, tuple(rows)
    )


def _history(entries: Iterable[tuple[str, str, dt.date | None, str | None]]) -> str:
    parts = []
    for period, status, date, document in entries:
        text = f"{period}: {status}"
        if date is not None:
            text += f", {display.date(date)}"
        if document:
            text += f" ({document})"
        parts.append(text)
    return "; ".join(parts)


def _milestones_and_numbers(results: Results) -> Sheet:
    columns = (
        Column("Type"),
        Column("Indicator"),
        Column("Label"),
        Column("Measures"),
        Column("Status"),
        Column("Status since"),
        Column("Due or target date"),
        Column("Score"),
        Column("Printed score"),
        Column("Unit"),
        Column("Baseline"),
        Column("Baseline period"),
        Column("Latest"),
        Column("Latest period"),
        Column("Target"),
        Column("On course"),
        Column("History"),
    )
    rows: list[tuple[Cell, ...]] = []
    for milestone in results.milestones:
        history = _history((e.period, e.status_label, e.date, e.document_title) for e in milestone.history)
        rows.append(
            (
                "milestone",
                milestone.indicator,
                milestone.label,
                ", ".join(milestone.measures),
                milestone.status_label,
                milestone.status_period,
                milestone.due,
                _score(milestone.score, milestone.score_printed),
                milestone.score_printed,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                history,
            )
        )
    for number in results.numeric:
        baseline, latest = number.baseline, number.latest
        history = _history((v.period, v.value_printed, None, v.document_title) for v in number.history)
        rows.append(
            (
                "number",
                number.indicator,
                number.label,
                ", ".join(number.measures),
                number.status.value,
                None,
                number.target_date,
                _score(number.share_of_way, number.share_of_way_printed),
                number.share_of_way_printed,
                number.unit,
                baseline.value if baseline else None,
                baseline.period if baseline else None,
                latest.value if latest else None,
                latest.period if latest else None,
                number.target_value,
                number.on_course,
                history,
            )
        )
    description = "each milestone's status and each number's way from its baseline to its target"
    return Sheet("Milestones and numbers", description, columns, tuple(rows))


def _questions(results: Results) -> Sheet:
    columns = (
        Column("Section"),
        Column("Question"),
        Column("Item"),
        Column("Question text"),
        Column("Answer"),
        Column("Count", _COUNT),
        Column("Percent (exact)", _PERCENT),
        Column("Printed %", _PRINTED_PERCENT),
        Column("As printed"),
        Column("Base", _COUNT),
        Column("Score"),
        Column("Printed score"),
        Column("Band"),
        Column("Note"),
        Column("Flags"),
    )
    rows: list[tuple[Cell, ...]] = []
    bold: set[int] = set()
    others_done: set[str] = set()
    texts = {indicator.id: indicator.label for indicator in results.indicator_scores}
    for question in results.distributions:
        text = texts.get(question.indicator, question.label) if question.item is not None else question.label
        note = None
        if question.withdrawn:
            note = f"withdrawn: {question.withdrawn_reason or 'no reason given'}"
        elif not question.base:
            note = "no answers in this period"
        bold.add(len(rows))
        rows.append(
            (
                question.section,
                question.id,
                question.item,
                text,
                None,
                None,
                None,
                None,
                None,
                question.base,
                _score(question.score, question.score_printed),
                question.score_printed,
                question.band_label,
                note,
                "; ".join(f"{flag.code.value}: {flag.message}" for flag in question.flags) or None,
            )
        )
        if question.withdrawn:
            continue
        for option in question.options:
            rows.append(
                (
                    question.section,
                    question.id,
                    question.item,
                    text,
                    option.label,
                    option.count,
                    option.percent,
                    option.printed,
                    display.count(option.count, option.printed) if option.count is not None else "not published",
                    question.base,
                    None,
                    None,
                    None,
                    None,
                    None,
                )
            )
        if question.indicator in others_done:
            continue
        others_done.add(question.indicator)
        for other in results.others:
            if other.indicator == question.indicator:
                rows.append(
                    (
                        question.section,
                        other.indicator,
                        None,
                        texts.get(other.indicator, other.indicator),
                        f"{other.label}: {other.text}",
                        other.count,
                        other.percent,
                        other.printed,
                        display.count(other.count, other.printed),
                        other.base,
                        None,
                        None,
                        None,
                        None,
                        None,
                    )
                )
    description = "every question's table as published: each answer's count, percent and printed figure"
    return Sheet("Questions", description, columns, tuple(rows), bold_rows=frozenset(bold))


def _interval(interval: Interval | None, printed: str) -> tuple[Cell, Cell]:
    if interval is None:
        return None, None
    return _change(interval.low, printed), _change(interval.high, printed)


def _score_change(change: ScoreChange | None) -> tuple[Cell, ...]:
    """Before, after, change, printed change, interval low and high, printed interval, distinguishable."""
    if change is None:
        return (None,) * 8
    return (
        _score(change.before, change.before_printed),
        _score(change.after, change.after_printed),
        _change(change.change, change.change_printed),
        change.change_printed,
        *_interval(change.interval, change.change_printed),
        change.interval_printed,
        change.distinguishable,
    )


def _comparison(results: Results) -> Sheet:
    comparison = results.comparison
    assert comparison is not None
    columns = (
        Column("Type"),
        Column("Id"),
        Column("Label"),
        Column("Answer"),
        Column(f"Before ({comparison.baseline})"),
        Column(f"After ({comparison.period})"),
        Column("Change"),
        Column("Printed change"),
        Column("Interval low"),
        Column("Interval high"),
        Column("Printed interval"),
        Column("Distinguishable"),
        Column("Trend"),
        Column("Improved"),
        Column("Worsened"),
        Column("New"),
        Column("Withdrawn"),
    )
    rows: list[tuple[Cell, ...]] = []
    for rec in comparison.recommendations:
        moved = (", ".join(ids) or None for ids in (rec.improved, rec.worsened, rec.new, rec.withdrawn))
        rows.append(
            ("recommendation", rec.id, rec.title, None, *_score_change(rec.score_change), rec.trend.value, *moved)
        )
    for indicator in comparison.indicators:
        rows.append(
            (
                f"{indicator.kind} indicator",
                indicator.id,
                indicator.label,
                None,
                *_score_change(indicator.score_change),
                indicator.trend.value,
                *(None,) * 4,
            )
        )
    for question in comparison.questions:
        rows.append(
            (
                "question",
                question.id,
                question.label,
                None,
                *_score_change(question.score_change),
                question.trend.value,
                *(None,) * 4,
            )
        )
        for share in question.shares:
            rows.append(
                (
                    "answer share (points)",
                    question.id,
                    question.label,
                    share.label,
                    Number(share.before, _PERCENT),
                    Number(share.after, _PERCENT),
                    _change(share.change, share.change_printed),
                    share.change_printed,
                    *_interval(share.interval, share.change_printed),
                    share.interval_printed,
                    share.distinguishable,
                    None,
                    *(None,) * 4,
                )
            )
    description = (
        f"what changed since {comparison.baseline}, with 95% intervals, per recommendation, indicator, question"
    )
    return Sheet("Comparison", description, columns, tuple(rows))


def _flags(results: Results) -> Sheet:
    columns = (Column("Where"), Column("Question"), Column("Item"), Column("Code"), Column("Message"))
    rows: list[tuple[Cell, ...]] = [
        (f"period {results.period}", None, None, f.code.value, f.message) for f in results.flags
    ]
    for question in results.distributions:
        for flag in question.flags:
            rows.append((question.section, question.id, question.item, flag.code.value, flag.message))
    return Sheet("Flags", "data-quality warnings on the period and on questions", columns, tuple(rows))


def _provenance(context: ReportContext) -> Sheet:
    provenance = context.provenance
    columns = (Column("Input file"), Column("Kind"), Column("SHA-256", width=68))
    rows = tuple((f.path, f.kind, f.sha256) for f in provenance.inputs)
    above: tuple[tuple[str, Cell], ...] = (
        ("Generator", f"{provenance.generator} {provenance.version}"),
        ("Generated (UTC)", provenance.generated),
        ("Input files", len(provenance.inputs)),
    )
    return Sheet(
        "Provenance", "what generated the workbook, when, and from which files (SHA-256)", columns, rows, above
    )


def method_lines(results: Results) -> Iterator[tuple[str, str]]:
    method = results.method
    bands = sorted(method.bands, key=lambda band: band.min_score)
    yield "Methodology", f"version {method.version} (docs/methodology.md describes every formula and default)"
    yield (
        "Respondents only",
        "Every figure describes the units that responded; nothing is imputed for the others. A question's base is "
        "the responding units to which it applied and that answered it.",
    )
    yield (
        "Scores",
        "A score runs from 0 to 1: the mean score of the scored answers. Answers outside the score (such as "
        "'don't know' and 'not applicable') are shown as shares instead.",
    )
    for scale, scores in method.option_scores.items():
        scored = ", ".join(f"{option} {display.number(score)}" for option, score in scores.items() if score is not None)
        unscored = ", ".join(option for option, score in scores.items() if score is None)
        yield f"Scale {scale}", scored + (f"; not scored: {unscored}" if unscored else "")
    yield "Bands", "; ".join(f"{band.label} from {display.threshold(band.min_score)}" for band in bands)
    confidence = display.share(exact(method.confidence))
    yield (
        "Intervals",
        f"{confidence} intervals: Wilson score intervals for shares, ± {display.number(method.z)} standard errors "
        "for scores; changes in shares by Newcombe's method. A change is improved or worsened only when its "
        "interval excludes zero.",
    )
    for rollup in method.rollups:
        yield f"Roll-up, {rollup.level}", f"{rollup.method} (version {rollup.version})"
    weighted = [f"{indicator} {display.number(weight)}" for indicator, weight in method.weights.items() if weight != 1]
    yield "Weights", ", ".join(weighted) if weighted else "every indicator weighs 1"
    thresholds = method.progress_thresholds
    yield (
        "Numbers",
        f"progress by the {method.progress} method (version {method.progress_version}): on track from a ratio of "
        f"{display.number(thresholds.on_track)}, progress needing acceleration from "
        f"{display.number(thresholds.some_progress)}",
    )
    flags = method.flags
    dont_know, not_applicable = display.share(exact(flags.dont_know)), display.share(exact(flags.not_applicable))
    yield (
        "Flags",
        f"'don't know' from {dont_know} of the base, 'not applicable' from {not_applicable}, "
        f"response rate below {display.share(exact(flags.low_response_rate))}",
    )
    yield (
        "Figures",
        "Percentages are on a 0-100 scale. 'Percent (exact)' holds the share as computed; 'Printed %' the whole "
        "number the reports print (rounded half up); 'As printed' the text of the published tables. Score cells "
        "hold the exact score, shown with the decimals of the printed score.",
    )
