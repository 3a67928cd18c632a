"""The built-in scoring methods, registered through the plugin hook exactly as a plugin's would be."""

from __future__ import annotations

import math
from collections.abc import Sequence

from recotrack.hookspecs import hookimpl
from recotrack.method import Method
from recotrack.model import Direction
from recotrack.results import ProgressStatus
from recotrack.scoring.methods import (
    Assessment,
    ProgressInput,
    ProgressMethod,
    Rollup,
    RollupMethod,
    RollupPart,
    ScoringMethod,
)
from recotrack.scoring.progress import period_year

__all__ = ["MEAN_OF_UNIT_SCORES", "RATIO_OF_SUMS", "SDG", "recotrack_register_methods"]


def _weighted_mean(parts: Sequence[RollupPart]) -> Rollup:
    """Weighted mean of the indicators' scores, and a conservative SE: the weighted mean of their SEs."""
    if not parts:
        return Rollup(None, None, ())
    total = math.fsum(part.weight for part in parts)
    value = math.fsum(part.weight * part.score for part in parts if part.score is not None) / total
    weighted_ses = [part.weight * part.se for part in parts if part.se is not None]
    se = math.fsum(weighted_ses) / total if len(weighted_ses) == len(parts) else None
    return Rollup(value, se, tuple(part.indicator for part in parts))


def _mean_of_unit_scores(parts: Sequence[RollupPart]) -> Rollup:
    """Each unit's own weighted mean over the indicators, then the plain mean over units.

    An indicator measured once (a national milestone or number) counts with the same score for every
    unit. Without any per-unit scores this is the weighted mean of the indicators.
    """
    units = sorted({unit for part in parts for unit in part.unit_scores})
    if not units:
        return _weighted_mean(parts)
    per_unit = []
    for unit in units:
        scored = [
            (part.weight, part.unit_scores[unit] if part.unit_scores else part.score)
            for part in parts
            if unit in part.unit_scores or not part.unit_scores
        ]
        weights = math.fsum(weight for weight, _ in scored)
        per_unit.append(math.fsum(weight * value for weight, value in scored if value is not None) / weights)
    mean = math.fsum(per_unit) / len(per_unit)
    se = None
    if len(per_unit) >= 2:
        variance = math.fsum((value - mean) ** 2 for value in per_unit) / (len(per_unit) - 1)
        se = math.sqrt(variance / len(per_unit))
    return Rollup(mean, se, tuple(part.indicator for part in parts))


RATIO_OF_SUMS = RollupMethod(
    name="ratio-of-sums",
    version="1",
    description="weighted mean of the indicators' scores, each a ratio of sums over all the answers",
    combine=_weighted_mean,
)
MEAN_OF_UNIT_SCORES = RollupMethod(
    name="mean-of-unit-scores",
    version="1",
    description="each unit's own weighted mean over the indicators, then the mean over units",
    combine=_mean_of_unit_scores,
)


def _sdg(number: ProgressInput, method: Method) -> Assessment:
    """Observed annual rate against the rate the target needs (compound growth; linear when a value is ≤ 0)."""
    indicator, baseline, latest = number.indicator, number.baseline, number.latest
    target = indicator.target
    thresholds = method.progress_thresholds
    if target is None or latest is None:
        return Assessment(ProgressStatus.UNABLE_TO_ASSESS)
    sign = 1 if indicator.direction is Direction.INCREASE else -1
    if sign * (latest.value - target.value) >= 0:
        return Assessment(ProgressStatus.TARGET_MET)
    start = period_year(baseline.period) if baseline else None
    now = period_year(latest.period)
    if baseline is None or start is None or now is None:
        return Assessment(ProgressStatus.UNABLE_TO_ASSESS)
    if now > target.date.year:
        return Assessment(ProgressStatus.TARGET_MISSED)
    if now <= start or target.date.year <= start:
        return Assessment(ProgressStatus.UNABLE_TO_ASSESS)
    kind: str
    if min(baseline.value, latest.value, target.value) > 0:
        kind = "growth rate"
        observed = (latest.value / baseline.value) ** (1 / (now - start)) - 1
        required = (target.value / baseline.value) ** (1 / (target.date.year - start)) - 1
    else:
        kind = "linear"
        observed = (latest.value - baseline.value) / (now - start)
        required = (target.value - baseline.value) / (target.date.year - start)
    if sign * required <= 0:  # the baseline already met the target and the value has fallen back since
        return Assessment(ProgressStatus.DETERIORATION, kind, observed, required)
    ratio = observed / required
    if ratio >= thresholds.on_track:
        status = ProgressStatus.ON_TRACK
    elif ratio >= thresholds.some_progress:
        status = ProgressStatus.ACCELERATION_NEEDED
    elif ratio >= 0:
        status = ProgressStatus.LIMITED_PROGRESS
    else:
        status = ProgressStatus.DETERIORATION
    return Assessment(status, kind, observed, required, ratio)


SDG = ProgressMethod(
    name="sdg",
    version="1",
    description="observed annual rate against the rate the target needs (Open SDG, after Eurostat)",
    assess=_sdg,
)


@hookimpl
def recotrack_register_methods() -> list[ScoringMethod]:
    return [RATIO_OF_SUMS, MEAN_OF_UNIT_SCORES, SDG]
