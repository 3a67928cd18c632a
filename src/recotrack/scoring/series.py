"""Series over every period with evidence, through the crosswalk, and their trends.

A trend over three or more periods uses the χ² test for linear trend in the period scores, as
public-health profiles test trends in shares: an inverse-variance weighted regression of the
scores on time over the last five points, significant at 99.8% (χ²₁ > 9.5495), and only when the
direction survives dropping each point in turn. Where a trend cannot be calculated, the series says
why (methodology: "Trends over several periods").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from recotrack import display
from recotrack.method import Method
from recotrack.model import Catalog
from recotrack.results import Results, ScoreSeries, Series, SeriesPoint, SeriesTrend
from recotrack.scoring.crosswalk import pairs_between, recoded

__all__ = ["MAX_POINTS", "MIN_POINTS", "series", "trend"]

MIN_POINTS = 3
"""Fewer points cannot show a trend: two points make a change, not a trend."""
MAX_POINTS = 5
"""The last five points, as public-health profiles' recent trends: old history should not mask a recent turn."""


def series(catalog: Catalog, history: Sequence[Results], periods: Sequence[str]) -> Series:
    """Every question, indicator and recommendation of the last results, over the periods of ``history``."""
    latest = history[-1]
    method = latest.method
    questions = tuple(_question_series(catalog, history, question_id, method, periods) for question_id in _ids(latest))
    indicators = tuple(
        _indicator_series(history, indicator_id, questions, method, periods)
        for indicator_id in (i.id for i in latest.indicator_scores)
    )
    recommendations = tuple(
        _recommendation_series(history, r.id, r.title, method, periods) for r in latest.recommendations
    )
    return Series(
        periods=tuple(r.period for r in history),
        questions=questions,
        indicators=indicators,
        recommendations=recommendations,
    )


def _ids(results: Results) -> list[str]:
    return [d.id for d in results.distributions]


def _question_series(
    catalog: Catalog, history: Sequence[Results], question_id: str, method: Method, periods: Sequence[str]
) -> ScoreSeries:
    """A question's points back through the crosswalk, each recoded onto the latest question's options."""
    final = catalog.questions[question_id]
    current = question_id
    recode: dict[str, str] = {}
    points: list[SeriesPoint] = []
    breaks: list[str] = []
    after_break = True
    counted = 0
    for index in range(len(history) - 1, -1, -1):
        results = history[index]
        found = next((d for d in results.distributions if d.id == current), None)
        if found is not None:
            moved = found
            if recode or [o.id for o in found.options] != list(final.scale.option_ids):
                moved = recoded(found, recode, final, method)
            points.append(_point(results, current, moved.base, moved.score, moved.score_se, method))
            if after_break:
                counted += 1
        if index == 0:
            break
        earlier = history[index - 1].period
        pair = next((p for p in pairs_between(catalog, earlier, results.period) if p.question == current), None)
        if pair is None or pair.baseline is None:
            break
        if pair.comparable == "no":
            breaks.append(f"{earlier}→{results.period}: {pair.note or 'not like-for-like'}")
            after_break = False
        recode = {old: recode.get(new, new) for old, new in pair.recode.items()} if pair.recode else recode
        current = pair.baseline
    points.reverse()
    usable = points[len(points) - counted :] if counted else []
    return ScoreSeries(
        id=question_id,
        label=final.label,
        kind="question",
        points=tuple(points),
        breaks=tuple(reversed(breaks)),
        trend=trend(usable, periods, breaks[0] if breaks and counted < len(points) else None),
    )


def _point(
    results: Results, point_id: str, base: int | None, score: float | None, se: float | None, method: Method
) -> SeriesPoint:
    return SeriesPoint(
        period=results.period,
        id=point_id,
        basis=results.basis,
        base=base,
        score=score,
        score_printed=display.score(score, method.bands),
        se=se,
    )


def _indicator_series(
    history: Sequence[Results],
    indicator_id: str,
    questions: Sequence[ScoreSeries],
    method: Method,
    periods: Sequence[str],
) -> ScoreSeries:
    """An indicator's own score in each period; a single question's indicator follows that question's series."""
    single = next((q for q in questions if q.id == indicator_id), None)
    latest = next(i for i in history[-1].indicator_scores if i.id == indicator_id)
    if single is not None:
        return single.model_copy(update={"kind": "indicator", "label": latest.label})
    points = []
    for results in history:
        found = next((i for i in results.indicator_scores if i.id == indicator_id), None)
        if found is not None and found.score is not None:
            points.append(_point(results, indicator_id, None, found.score, found.score_se, method))
    breaks = tuple(b for q in questions if q.id.startswith(f"{indicator_id}/") for b in q.breaks)
    reason = f"a series break in its items ({breaks[0]})" if breaks else None
    return ScoreSeries(
        id=indicator_id,
        label=latest.label,
        kind="indicator",
        points=tuple(points),
        breaks=tuple(dict.fromkeys(breaks)),
        trend=trend([] if reason else points, periods, reason),
    )


def _recommendation_series(
    history: Sequence[Results], recommendation_id: str, title: str, method: Method, periods: Sequence[str]
) -> ScoreSeries:
    """A recommendation's score in each period; a change in the indicators it is scored on breaks the series."""
    points: list[SeriesPoint] = []
    breaks: list[str] = []
    previous: tuple[str, tuple[str, ...]] | None = None
    counted = 0
    for results in history:
        found = results.recommendation(recommendation_id)
        if found.score is None:
            continue
        if previous is not None and previous[1] != found.indicators:
            breaks.append(f"{previous[0]}→{results.period}: scored on other indicators")
            counted = 0
        points.append(_point(results, recommendation_id, None, found.score, found.score_se, method))
        counted += 1
        previous = (results.period, found.indicators)
    usable = points[len(points) - counted :]
    return ScoreSeries(
        id=recommendation_id,
        label=title,
        kind="recommendation",
        points=tuple(points),
        breaks=tuple(breaks),
        trend=trend(usable, periods, breaks[-1] if breaks and len(usable) < MIN_POINTS else None),
    )


@dataclass(frozen=True)
class _Fit:
    slope: float
    chi_square: float


def _fit(points: Sequence[tuple[float, float, float]]) -> _Fit | None:
    """Inverse-variance weighted least squares of score on time: (x, y, se) per point."""
    weights = [1 / (se * se) for _, _, se in points]
    total = math.fsum(weights)
    x_bar = math.fsum(w * x for w, (x, _, _) in zip(weights, points, strict=True)) / total
    y_bar = math.fsum(w * y for w, (_, y, _) in zip(weights, points, strict=True)) / total
    sxx = math.fsum(w * (x - x_bar) ** 2 for w, (x, _, _) in zip(weights, points, strict=True))
    if sxx == 0:
        return None
    slope = math.fsum(w * (x - x_bar) * (y - y_bar) for w, (x, y, _) in zip(weights, points, strict=True)) / sxx
    return _Fit(slope, slope * slope * sxx)


def trend(points: Sequence[SeriesPoint], periods: Sequence[str], broken: str | None = None) -> SeriesTrend:
    """The recent trend of ``points`` (after the last break), or the reason it cannot be calculated."""

    def cannot(reason: str) -> SeriesTrend:
        return SeriesTrend(
            status="cannot be calculated",
            label=f"cannot be calculated: {reason}",
            reason=reason,
            chi_square=None,
            points=0,
        )

    recent = [p for p in points if p.score is not None][-MAX_POINTS:]
    if broken is not None and len(recent) < MIN_POINTS:
        return cannot(f"a series break ({broken}) leaves {len(recent)} comparable point{'s' * (len(recent) != 1)}")
    if len(recent) < MIN_POINTS:
        return cannot(f"too few points ({len(recent)}; at least {MIN_POINTS} are needed)")
    if all(p.se == 0 for p in recent):
        return cannot("observed, not sampled (milestones and numbers): their history is their trend")
    missing = [p.period for p in recent if not p.se]
    if missing:
        return cannot(f"no standard error in {', '.join(missing)} (fewer than two scored answers, or no counts)")
    position = {period: index for index, period in enumerate(periods)}
    data = [(float(position.get(p.period, i)), float(p.score or 0.0), float(p.se or 0.0)) for i, p in enumerate(recent)]
    fitted = _fit(data)
    if fitted is None:
        return cannot("the points are all in one period")
    significant = fitted.chi_square > CHI_SQUARE_998
    robust = all(
        (dropped := _fit([d for j, d in enumerate(data) if j != i])) is not None
        and math.copysign(1, dropped.slope) == math.copysign(1, fitted.slope)
        for i in range(len(data))
    )
    if not (significant and robust) or fitted.slope == 0:
        status, label = "no significant change", "no significant change"
    elif fitted.slope > 0:
        status, label = "increasing", "increasing and getting better"
    else:
        status, label = "decreasing", "decreasing and getting worse"
    return SeriesTrend(status=status, label=label, reason=None, chi_square=fitted.chi_square, points=len(data))


CHI_SQUARE_998 = 9.5495
"""χ²₁ beyond which a trend is significant at 99.8% (two-sided p < 0.002), as in public-health profiles."""
