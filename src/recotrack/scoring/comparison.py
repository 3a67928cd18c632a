"""Year on year: what changed between two periods' results, per question, indicator and recommendation."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

from recotrack import display
from recotrack.evidence.model import NO_ANSWER
from recotrack.method import Method
from recotrack.model import Catalog, Option, OptionRole, Question, ScaleIndicator
from recotrack.results import (
    Comparison,
    Distribution,
    IndicatorChange,
    Interval,
    QuestionChange,
    RecommendationChange,
    Results,
    ScoreChange,
    ShareChange,
    Trend,
)
from recotrack.scoring.crosswalk import Pair, pairs_between, recoded
from recotrack.scoring.returns import ReturnsView
from recotrack.statistics import newcombe_difference, newcombe_paired_difference

__all__ = ["Pairing", "compare"]


class Pairing:
    """Units that responded in both periods, lined up so their answers can be compared pair by pair."""

    def __init__(self, before: ReturnsView, after: ReturnsView, unit_ids: Sequence[str]) -> None:
        before_at = {unit_id: i for i, unit_id in enumerate(before.unit_ids)}
        after_at = {unit_id: i for i, unit_id in enumerate(after.unit_ids)}
        self.before, self.after = before, after
        self.before_positions = [before_at[unit_id] for unit_id in unit_ids]
        self.after_positions = [after_at[unit_id] for unit_id in unit_ids]

    def pairs(self, question_id: str, baseline_id: str, recode: bytes | None = None) -> Counter[tuple[int, int]]:
        """How many units gave each (earlier option, later option) pair, among units answering both times.

        ``recode`` maps each earlier option index onto the later question's (``NO_ANSWER`` stays itself).
        """
        before = bytes(map(self.before.effective(baseline_id).__getitem__, self.before_positions))
        if recode is not None:
            before = before.translate(recode)
        after = bytes(map(self.after.effective(question_id).__getitem__, self.after_positions))
        counted = Counter(zip(before, after, strict=True))
        return Counter({pair: n for pair, n in counted.items() if NO_ANSWER not in pair})


def score_change(before: float, after: float, se: float | None, method: Method) -> ScoreChange:
    change = after - before
    interval = Interval(low=change - method.z * se, high=change + method.z * se) if se is not None else None
    return ScoreChange(
        before=before,
        before_printed=display.score(before, method.bands) or "",
        after=after,
        after_printed=display.score(after, method.bands) or "",
        change=change,
        change_printed=display.signed(change),
        se=se,
        interval=interval,
        interval_printed=(
            display.signed_interval(interval.low, interval.high)
            if interval is not None and interval.low != interval.high
            else None
        ),
        distinguishable=interval.excludes_zero() if interval is not None else False,
    )


def _trend(before_present: bool, after_present: bool, after_withdrawn: bool, change: ScoreChange | None) -> Trend:
    if after_withdrawn:
        return Trend.WITHDRAWN
    if not after_present:
        return Trend.WITHDRAWN if before_present else Trend.NO_DATA
    if not before_present:
        return Trend.NEW
    if change is None or not change.distinguishable:
        return Trend.NO_CLEAR_CHANGE
    return Trend.IMPROVED if change.change > 0 else Trend.WORSENED


def _has_figures(distribution: Distribution) -> bool:
    return not distribution.withdrawn and bool(distribution.base)


def _share_change(option: Option, before: float, after: float, low: float, high: float) -> ShareChange:
    interval = Interval(low=100 * low, high=100 * high)
    change = 100 * (after - before)
    return ShareChange(
        option=option.id,
        label=option.label,
        before=100 * before,
        after=100 * after,
        change=change,
        change_printed=display.points(change),
        interval=interval,
        interval_printed=display.points_interval(interval.low, interval.high),
        distinguishable=interval.excludes_zero(),
    )


def _question_change(
    question: Question,
    baseline: Question,
    before: Distribution,
    after: Distribution,
    pair: Pair,
    pairing: Pairing | None,
    method: Method,
) -> QuestionChange:
    """One question's change; ``before`` is already on the later question's options (recoded if need be)."""
    both = _has_figures(before) and _has_figures(after)
    shares: list[ShareChange] = []
    change = None
    before_base, after_base = before.base, after.base
    if both and pairing is not None:
        pairs = pairing.pairs(question.id, baseline.id, _recode_table(baseline, pair.recode, question))
        n = sum(pairs.values())
        before_base = after_base = n
        if n:
            for index, option in enumerate(question.scale.options):
                kept = pairs[(index, index)]
                gained = sum(c for (_, a), c in pairs.items() if a == index) - kept
                lost = sum(c for (b, _), c in pairs.items() if b == index) - kept
                low, high = newcombe_paired_difference(kept, gained, lost, n - kept - gained - lost)
                shares.append(_share_change(option, (kept + lost) / n, (kept + gained) / n, low, high))
        change = _paired_score_change(question.scale.options, pairs, method)
    elif both:
        for option, then, now in zip(question.scale.options, before.options, after.options, strict=True):
            if then.count is None or now.count is None or before.base is None or after.base is None:
                continue
            low, high = newcombe_difference(now.count, after.base, then.count, before.base)
            shares.append(_share_change(option, then.count / before.base, now.count / after.base, low, high))
        if before.score is not None and after.score is not None:
            se = (
                math.hypot(before.score_se, after.score_se)
                if before.score_se is not None and after.score_se is not None
                else None
            )
            change = score_change(before.score, after.score, se, method)
    return QuestionChange(
        id=question.id,
        label=question.label,
        indicator=question.indicator.id,
        baseline_question=pair.baseline,
        comparable=pair.comparable,
        note=pair.note,
        before_base=before_base,
        after_base=after_base,
        shares=tuple(shares),
        score_change=change,
        trend=_trend(_has_figures(before), _has_figures(after), after.withdrawn, change),
    )


def _recode_table(earlier: Question, recode: Mapping[str, str], later: Question) -> bytes | None:
    """A byte translation from the earlier question's option indexes to the later's; None when they are the same."""
    earlier_ids = list(earlier.scale.option_ids)
    if not recode and earlier_ids == list(later.scale.option_ids):
        return None
    table = bytearray(range(256))
    for index, option_id in enumerate(earlier_ids):
        table[index] = later.scale.option_ids.index(recode.get(option_id, option_id))
    return bytes(table)


def _unpaired_change(pair: Pair, catalog: Catalog, before: Results, after: Results) -> QuestionChange:
    """A question new in the later period, dropped from it, or not like-for-like: no change figures."""
    if pair.question is None:
        assert pair.baseline is not None
        then = before.distribution(pair.baseline)
        return QuestionChange(
            id=then.id,
            label=then.label,
            indicator=then.indicator,
            baseline_question=then.id,
            comparable=None,
            note=None,
            before_base=then.base,
            after_base=None,
            shares=(),
            score_change=None,
            trend=Trend.DROPPED,
        )
    now = after.distribution(pair.question)
    then_base = before.distribution(pair.baseline).base if pair.baseline is not None else None
    if pair.comparable == "no":
        trend = Trend.NOT_COMPARABLE
    elif now.withdrawn:
        trend = Trend.WITHDRAWN
    else:
        trend = Trend.NEW if _has_figures(now) else Trend.NO_DATA
    return QuestionChange(
        id=now.id,
        label=now.label,
        indicator=now.indicator,
        baseline_question=pair.baseline,
        comparable=pair.comparable,
        note=pair.note,
        before_base=then_base,
        after_base=now.base,
        shares=(),
        score_change=None,
        trend=trend,
    )


def _paired_score_change(
    options: Sequence[Option], pairs: Counter[tuple[int, int]], method: Method
) -> ScoreChange | None:
    """Mean of the units' own changes in score, with a normal-approximation interval from their spread."""
    value = {i: o.score for i, o in enumerate(options) if o.role is OptionRole.SUBSTANTIVE and o.score is not None}
    scored = [(value[b], value[a], n) for (b, a), n in pairs.items() if b in value and a in value]
    total = sum(n for _, _, n in scored)
    if not total:
        return None
    before = math.fsum(b * n for b, _, n in scored) / total
    after = math.fsum(a * n for _, a, n in scored) / total
    mean_change = after - before
    se = None
    if total >= 2:
        variance = math.fsum(n * ((a - b) - mean_change) ** 2 for b, a, n in scored) / (total - 1)
        se = math.sqrt(variance / total)
    return score_change(before, after, se, method)


def _combined_change(parts: Sequence[tuple[float, ScoreChange]], method: Method) -> ScoreChange | None:
    """Weighted mean of like-for-like changes; its SE is the weighted mean of theirs (a conservative bound)."""
    if not parts:
        return None
    total = math.fsum(weight for weight, _ in parts)
    before = math.fsum(weight * c.before for weight, c in parts) / total
    after = math.fsum(weight * c.after for weight, c in parts) / total
    ses = [c.se for _, c in parts]
    se = None
    if None not in ses:
        se = math.fsum(weight * c.se for weight, c in parts if c.se is not None) / total
    return score_change(before, after, se, method)


def compare(catalog: Catalog, before: Results, after: Results, pairing: Pairing | None) -> Comparison:
    """Changes per question, indicator and recommendation, pairing questions through the crosswalk; after − before."""
    method = after.method
    questions: list[QuestionChange] = []
    for pair in pairs_between(catalog, before.period, after.period):
        if pair.question is None or pair.baseline is None or pair.comparable == "no":
            questions.append(_unpaired_change(pair, catalog, before, after))
            continue
        question = catalog.questions[pair.question]
        earlier = before.distribution(pair.baseline)
        if pair.recode or [o.id for o in earlier.options] != list(question.scale.option_ids):
            earlier = recoded(earlier, pair.recode, question, method)
        baseline = catalog.questions[pair.baseline]
        later = after.distribution(pair.question)
        questions.append(_question_change(question, baseline, earlier, later, pair, pairing, method))
    earlier_scores = {found.id: found for found in before.indicator_scores}
    later_scores = {found.id: found for found in after.indicator_scores}
    indicators: dict[str, IndicatorChange] = {}
    for indicator in catalog.indicators:
        then, now = earlier_scores[indicator.id], later_scores[indicator.id]
        change: ScoreChange | None
        if isinstance(indicator, ScaleIndicator):
            own = [c for c in questions if c.indicator == indicator.id]
            parts = [c.score_change for c in own if c.score_change is not None]
            change = _combined_change([(1.0, part) for part in parts], method)
            trend = _scale_indicator_trend(indicator, own, then.score is not None, now.withdrawn, change, after.period)
        else:
            change = (
                score_change(then.score, now.score, 0.0, method)
                if then.score is not None and now.score is not None
                else None
            )
            trend = _trend(then.score is not None, now.score is not None, now.withdrawn, change)
        indicators[indicator.id] = IndicatorChange(
            id=indicator.id, label=indicator.text, kind=indicator.kind, score_change=change, trend=trend
        )
    recommendations = []
    for recommendation, was, is_now in zip(
        catalog.recommendations, before.recommendations, after.recommendations, strict=True
    ):
        own_indicators = catalog.indicators_for(recommendation.id)
        moved = [(i.weight, indicators[i.id]) for i in own_indicators]
        change = _combined_change(
            [(weight, c.score_change) for weight, c in moved if c.score_change is not None], method
        )
        by_trend: dict[Trend, list[str]] = {}
        for _, c in moved:
            by_trend.setdefault(c.trend, []).append(c.id)
        recommendations.append(
            RecommendationChange(
                id=recommendation.id,
                title=recommendation.title,
                score_change=change,
                trend=_trend(was.score is not None, is_now.score is not None, False, change),
                improved=tuple(by_trend.get(Trend.IMPROVED, ())),
                worsened=tuple(by_trend.get(Trend.WORSENED, ())),
                new=tuple(by_trend.get(Trend.NEW, ())),
                withdrawn=tuple(by_trend.get(Trend.WITHDRAWN, ())),
                dropped=tuple(by_trend.get(Trend.DROPPED, ())),
                not_comparable=tuple(by_trend.get(Trend.NOT_COMPARABLE, ())),
            )
        )
    return Comparison(
        period=after.period,
        baseline=before.period,
        baseline_basis=before.basis,
        both_years_only=pairing is not None,
        units_in_both=len(pairing.after_positions) if pairing is not None else None,
        questions=tuple(questions),
        indicators=tuple(indicators.values()),
        recommendations=tuple(recommendations),
    )


def _scale_indicator_trend(
    indicator: ScaleIndicator,
    own: Sequence[QuestionChange],
    had_score: bool,
    withdrawn_now: bool,
    change: ScoreChange | None,
    period: str,
) -> Trend:
    """A questionnaire indicator's trend, from its questions' pairs: a change, or why there is none."""
    if withdrawn_now:
        return Trend.WITHDRAWN
    if not indicator.asked_in(period):
        return Trend.DROPPED if had_score else Trend.NO_DATA
    if change is not None:
        return _trend(True, True, False, change)
    trends = {c.trend for c in own}
    for reason in (Trend.NOT_COMPARABLE, Trend.NEW, Trend.NO_CLEAR_CHANGE, Trend.WITHDRAWN):
        if reason in trends:
            return reason
    return Trend.NO_DATA
