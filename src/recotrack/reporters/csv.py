"""The CSV reporter: every figure as one tidy table, one row per figure, for pandas, R or a spreadsheet.

The columns, their order and the kinds of row (``figure``) are documented in docs/formats.md
("CSV report") and only ever grow at the end. Rows follow the results: the response and its regions,
levels, themes, recommendations, then each question with its options and 'other' entries,
milestones, numbers, and, when compared, the changes. Numbers are written in full precision
(percentages on a 0-100 scale); an empty field is a figure that does not exist (None).
Text that a spreadsheet could take for a formula starts with ``'`` (see ``_spreadsheet``).
Same input, same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TypeAlias

from recotrack.hookspecs import hookimpl
from recotrack.reporters import ReportContext, Reporter
from recotrack.reporters._spreadsheet import csv_safe
from recotrack.reporters.excluded import file_line
from recotrack.reporters.synthetic import period_line
from recotrack.results import Interval, OtherEntryCount, Results, ScoreChange

__all__ = ["COLUMNS", "FIGURES", "figure_rows", "render"]

COLUMNS = (
    "period",
    "section",
    "question",
    "item",
    "option",
    "count",
    "base",
    "percent",
    "printed",
    "interval_low",
    "interval_high",
    "score",
    "score_printed",
    "band",
    "figure",
    "indicator",
    "recommendation",
    "theme",
    "level",
    "region",
    "label",
    "band_label",
    "score_se",
    "baseline",
    "before",
    "after",
    "change",
    "change_printed",
    "interval_printed",
    "distinguishable",
    "trend",
    "status",
    "value",
    "value_printed",
    "target",
    "target_printed",
    "flags",
    "synthetic",
)
"""The columns, in their order: stable, so that scripts may rely on it; new ones only at the end."""

FIGURES = (
    "response",
    "region",
    "level",
    "theme",
    "recommendation",
    "question",
    "option",
    "other",
    "milestone",
    "number",
    "recommendation-change",
    "indicator-change",
    "question-change",
    "option-change",
    "synthetic",
    "excluded",
)
"""The values of the ``figure`` column, in the order their rows come."""

Value: TypeAlias = str | int | float | bool | None
Row: TypeAlias = dict[str, Value]


def render(context: ReportContext) -> str:
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    synthetic = context.results.synthetic is not None
    for row in figure_rows(context.results):
        writer.writerow({name: _field(row.get(name)) for name in COLUMNS} | {"synthetic": _field(synthetic)})
    return output.getvalue()


@hookimpl
def recotrack_register_reporters() -> list[Reporter]:
    return [Reporter("csv", "every figure as one tidy CSV table, one row per figure", render, "csv", "text/csv")]


def _field(value: Value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return csv_safe(value)
    return value


def figure_rows(results: Results) -> Iterator[Row]:
    """Every figure of the results as a row (a dict keyed by :data:`COLUMNS`; missing keys are empty)."""
    period = results.period
    yield from _response(results)
    for group, kind in ((results.levels, "level"), (results.themes, "theme")):
        for found in group:
            yield {
                "period": period,
                "figure": kind,
                kind: found.id,
                "label": found.label,
                "score": found.score,
                "score_printed": found.score_printed,
                "band": found.band,
                "band_label": found.band_label,
                "score_se": found.score_se,
            }
    for rec in results.recommendations:
        yield {
            "period": period,
            "figure": "recommendation",
            "recommendation": rec.id,
            "theme": rec.theme,
            "level": rec.level,
            "label": rec.title,
            "score": rec.score,
            "score_printed": rec.score_printed,
            "band": rec.band,
            "band_label": rec.band_label,
            "score_se": rec.score_se,
        }
    yield from _questions(results)
    for milestone in results.milestones:
        yield {
            "period": period,
            "figure": "milestone",
            "indicator": milestone.indicator,
            "recommendation": ";".join(milestone.measures),
            "label": milestone.label,
            "score": milestone.score,
            "score_printed": milestone.score_printed,
            "status": milestone.status,
            "value_printed": milestone.status_label,
        }
    for number in results.numeric:
        latest = number.latest
        yield {
            "period": period,
            "figure": "number",
            "indicator": number.indicator,
            "recommendation": ";".join(number.measures),
            "label": number.label,
            "score": number.share_of_way,
            "score_printed": number.share_of_way_printed,
            "status": number.status.value,
            "value": latest.value if latest else None,
            "value_printed": latest.value_printed if latest else None,
            "target": number.target_value,
            "target_printed": number.target_printed,
        }
    yield from _changes(results)
    yield from _notices(results)


def _notices(results: Results) -> Iterator[Row]:
    """What the figures rest on that a reader must know: each period of invented evidence, each file left out."""
    if results.synthetic is not None:
        for made_up in results.synthetic.periods:
            label = period_line(made_up)
            yield {"period": made_up.period, "figure": "synthetic", "label": label, "count": len(made_up.files)}
    if results.excluded is not None:
        for left in results.excluded.files:
            yield {"period": results.period, "figure": "excluded", "label": file_line(left), "count": left.count}


def _interval(interval: Interval | None) -> Row:
    return {} if interval is None else {"interval_low": interval.low, "interval_high": interval.high}


def _response(results: Results) -> Iterator[Row]:
    response = results.response
    yield {
        "period": results.period,
        "figure": "response",
        "label": response.statement,
        "count": response.responded_invited,
        "base": response.invited,
        "percent": response.percent,
        "printed": response.printed,
        "value": response.responded,
        "flags": ";".join(flag.code.value for flag in results.flags) or None,
    }
    for region in response.regions:
        yield {
            "period": results.period,
            "figure": "region",
            "region": region.id,
            "label": region.name,
            "count": region.responded,
            "base": region.invited,
            "percent": region.percent,
            "printed": region.printed,
        }


def _questions(results: Results) -> Iterator[Row]:
    period = results.period
    others: dict[str, list[OtherEntryCount]] = {}
    for other in results.others:
        others.setdefault(other.indicator, []).append(other)
    seen: set[str] = set()
    for question in results.distributions:
        where = {
            "period": period,
            "section": question.section,
            "question": question.id,
            "item": question.item,
            "indicator": question.indicator,
        }
        yield {
            **where,
            "figure": "question",
            "label": question.label,
            "base": question.base,
            "score": question.score,
            "score_printed": question.score_printed,
            "band": question.band,
            "band_label": question.band_label,
            "score_se": question.score_se,
            "status": "withdrawn" if question.withdrawn else None,
            "flags": ";".join(flag.code.value for flag in question.flags) or None,
        }
        for option in question.options:
            yield {
                **where,
                "figure": "option",
                "option": option.id,
                "label": option.label,
                "count": option.count,
                "base": question.base if option.count is not None else None,
                "percent": option.percent,
                "printed": option.printed,
                **_interval(option.interval),
                "score": option.score,
                "score_printed": option.score_printed,
            }
        if question.indicator not in seen:
            seen.add(question.indicator)
            for other in others.get(question.indicator, ()):
                yield {
                    **where,
                    "question": question.indicator,
                    "item": None,
                    "figure": "other",
                    "option": other.label,
                    "label": other.text,
                    "count": other.count,
                    "base": other.base,
                    "percent": other.percent,
                    "printed": other.printed,
                }


def _score_change(change: ScoreChange | None) -> Row:
    if change is None:
        return {}
    return {
        "before": change.before,
        "after": change.after,
        "change": change.change,
        "change_printed": change.change_printed,
        **_interval(change.interval),
        "interval_printed": change.interval_printed,
        "distinguishable": change.distinguishable,
    }


def _changes(results: Results) -> Iterator[Row]:
    comparison = results.comparison
    if comparison is None:
        return
    when = {"period": comparison.period, "baseline": comparison.baseline}
    for rec in comparison.recommendations:
        yield {
            **when,
            "figure": "recommendation-change",
            "recommendation": rec.id,
            "label": rec.title,
            **_score_change(rec.score_change),
            "trend": rec.trend.value,
        }
    for indicator in comparison.indicators:
        yield {
            **when,
            "figure": "indicator-change",
            "indicator": indicator.id,
            "label": indicator.label,
            **_score_change(indicator.score_change),
            "trend": indicator.trend.value,
        }
    for question in comparison.questions:
        where = {**when, "question": question.id, "indicator": question.indicator}
        yield {
            **where,
            "figure": "question-change",
            "label": question.label,
            "base": question.after_base,
            **_score_change(question.score_change),
            "trend": question.trend.value,
        }
        for share in question.shares:
            yield {
                **where,
                "figure": "option-change",
                "option": share.option,
                "label": share.label,
                "before": share.before,
                "after": share.after,
                "change": share.change,
                "change_printed": share.change_printed,
                **_interval(share.interval),
                "interval_printed": share.interval_printed,
                "distinguishable": share.distinguishable,
            }
