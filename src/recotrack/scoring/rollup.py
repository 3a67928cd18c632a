"""Indicator, recommendation, theme and level scores: each group's indicators combined by its level's rule."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from recotrack import display
from recotrack.method import Method
from recotrack.model import (
    Catalog,
    Indicator,
    MilestoneIndicator,
    NumericIndicator,
    Recommendation,
    RecommendationKind,
    ScaleIndicator,
)
from recotrack.results import Distribution, Flag, GroupScore, IndicatorScore, Lifecycle, RecommendationScore
from recotrack.scoring.methods import Rollup, RollupMethod, RollupPart
from recotrack.scoring.unit_scores import UnitMeans, UnitScores

__all__ = [
    "group_scores",
    "observed_indicator_score",
    "recommendation_scores",
    "scale_indicator_score",
]


def _banded(value: float | None, method: Method) -> dict[str, str | None]:
    band = method.band(value)
    return {
        "score_printed": display.score(value, method.bands),
        "band": band.id if band else None,
        "band_label": band.label if band else None,
    }


def scale_indicator_score(
    indicator: ScaleIndicator, distributions: Mapping[str, Distribution], method: Method
) -> IndicatorScore:
    """A question's score, or for a grid the mean of its items' scores (its SE: the items' mean SE, a bound)."""
    parts = [d for d in distributions.values() if d.indicator == indicator.id]
    scored = [(d.score, d.score_se) for d in parts if d.score is not None]
    value = math.fsum(item for item, _ in scored) / len(scored) if scored else None
    ses = [item_se for _, item_se in scored if item_se is not None]
    se = math.fsum(ses) / len(ses) if scored and len(ses) == len(scored) else None
    return IndicatorScore(
        id=indicator.id,
        label=indicator.text,
        kind="scale",
        measures=indicator.measures,
        weight=indicator.weight,
        questions=tuple(d.id for d in parts),
        score=value,
        score_se=se,
        withdrawn=indicator.withdrawn is not None,
        withdrawn_reason=indicator.withdrawn,
        **_banded(value, method),
    )


def observed_indicator_score(
    indicator: MilestoneIndicator | NumericIndicator, value: float | None, method: Method
) -> IndicatorScore:
    """Milestones and numbers are observed, not sampled: their score has no sampling error."""
    return IndicatorScore(
        id=indicator.id,
        label=indicator.text,
        kind=indicator.kind,
        measures=indicator.measures,
        weight=indicator.weight,
        questions=(),
        score=value,
        score_se=0.0 if value is not None else None,
        withdrawn=indicator.withdrawn is not None,
        withdrawn_reason=indicator.withdrawn,
        **_banded(value, method),
    )


def _parts(
    indicators: Sequence[Indicator], scores: Mapping[str, IndicatorScore], unit_scores: UnitScores
) -> list[RollupPart]:
    """The indicators that can take part in a group's score: scored in the period and not withdrawn."""
    return [
        RollupPart(indicator.id, indicator.weight, found.score, found.score_se, unit_scores.get(indicator.id, {}))
        for indicator in indicators
        if (found := scores[indicator.id]).score is not None and not found.withdrawn
    ]


def _descendants(catalog: Catalog, recommendation_id: str) -> list[str]:
    found: list[str] = []
    pending = [recommendation_id]
    while pending:
        for child in catalog.children(pending.pop()):
            if child.id not in found and child.id != recommendation_id:
                found.append(child.id)
                pending.append(child.id)
    return found


class Rollups:
    """The roll-up method of each level, as the method names them and the registry provides them."""

    def __init__(self, method: Method, registered: Mapping[str, RollupMethod]) -> None:
        self.method = method
        self.registered = registered

    def of_level(self, level: str) -> RollupMethod:
        return self.registered[self.method.rollup_of(level).method]

    def of_members(self, members: Sequence[Recommendation], catalog: Catalog) -> RollupMethod:
        """A theme's rule: its recommendations' level's, when they share one; else the first level's."""
        levels = {r.level for r in members}
        return self.of_level(levels.pop() if len(levels) == 1 else catalog.levels[0].id)


def recommendation_scores(
    catalog: Catalog,
    scores: Mapping[str, IndicatorScore],
    unit_scores: UnitScores,
    lifecycles: Mapping[str, tuple[Lifecycle, tuple[Flag, ...]]],
    rollups: Rollups,
) -> tuple[RecommendationScore, ...]:
    found = []
    method = rollups.method
    means = UnitMeans(unit_scores)
    for recommendation in catalog.recommendations:
        combine = rollups.of_level(recommendation.level).combine
        own = catalog.indicators_for(recommendation.id)
        result = combine(_parts(own, scores, unit_scores))
        children = tuple(child.id for child in catalog.children(recommendation.id))
        with_children = None
        if children:
            family = {recommendation.id, *_descendants(catalog, recommendation.id)}
            everything = [i for i in catalog.indicators if family.intersection(i.measures)]
            with_children = combine(_parts(everything, scores, unit_scores)).score
        found.append(
            RecommendationScore(
                id=recommendation.id,
                title=recommendation.title,
                kind=recommendation.kind,
                level=recommendation.level,
                levels=recommendation.levels or (recommendation.level,),
                theme=recommendation.theme,
                parent=recommendation.parent,
                children=children,
                indicators=result.used,
                score=result.score,
                score_se=result.se,
                score_with_children=with_children,
                score_with_children_printed=display.score(with_children, method.bands),
                unit_scores=means.of(own),
                lifecycle=lifecycles[recommendation.id][0],
                flags=tuple(flag.code for flag in lifecycles[recommendation.id][1]),
                flag_details=lifecycles[recommendation.id][1],
                **_banded(result.score, method),
            )
        )
    return tuple(found)


def group_scores(
    catalog: Catalog, scores: Mapping[str, IndicatorScore], unit_scores: UnitScores, rollups: Rollups
) -> tuple[tuple[GroupScore, ...], tuple[GroupScore, ...]]:
    """Theme scores and level scores, each over the indicators of its recommendations (each indicator once)."""
    themes = []
    for theme in catalog.themes:
        members = [r for r in catalog.recommendations if r.theme == theme.id]
        rollup = rollups.of_members(members, catalog)
        themes.append(_group(theme.id, theme.label, members, catalog, scores, unit_scores, rollup, rollups.method))
    levels = tuple(
        _group(
            level.id,
            level.label,
            # The reviewer's own commitments are not what the level's recommendations asked of others:
            # counting them would let a delivered commitment score a level whose recommendations have no evidence.
            [
                r
                for r in catalog.recommendations
                if level.id in (r.levels or (r.level,)) and r.kind is RecommendationKind.RECOMMENDATION
            ],
            catalog,
            scores,
            unit_scores,
            rollups.of_level(level.id),
            rollups.method,
        )
        for level in catalog.levels
    )
    return tuple(themes), levels


def _group(
    group_id: str,
    label: str,
    members: Sequence[Recommendation],
    catalog: Catalog,
    scores: Mapping[str, IndicatorScore],
    unit_scores: UnitScores,
    rollup: RollupMethod,
    method: Method,
) -> GroupScore:
    ids = {r.id for r in members}
    indicators = [i for i in catalog.indicators if ids.intersection(i.measures)]
    result: Rollup = rollup.combine(_parts(indicators, scores, unit_scores))
    return GroupScore(
        id=group_id,
        label=label,
        recommendations=tuple(r.id for r in members),
        indicators=result.used,
        score=result.score,
        score_se=result.se,
        **_banded(result.score, method),
    )
