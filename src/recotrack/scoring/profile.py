"""A profile for each unit: its own answers, scores and milestones next to its parent's and the national ones.

:class:`Profiler` works out, once per period, everything profiles share (every unit's scores on every
indicator, sorted for ranks and percentiles; the breakdowns by each kind; the national shares), so
that profiling all 152 units of the example costs little more than profiling one::

    profiler = Profiler(tracker, results)
    profile = profiler.profile("hwb-002")

The method (ranks, quintiles, spine charts, comparisons with England at 95% and 99.8%, polarity and
the limits) is in ``docs/methodology.md``, "Unit profiles". A unit's own answers are shown as they
are; its parent's and its peers' figures only through the catalog's disclosure policy (the parent's
figures are its row of the published breakdowns, and averages of fewer units than the policy's
threshold are withheld).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from recotrack import display
from recotrack._rounding import round_half_up
from recotrack._wording import declared_id
from recotrack.errors import RecotrackError
from recotrack.evidence.model import NO_ANSWER
from recotrack.model import OptionRole, Polarity, Question, Unit
from recotrack.results import (
    Benchmark,
    BenchmarkComparison,
    BreakdownGroup,
    Distribution,
    Interval,
    ProfileAnswer,
    ProfileMilestone,
    ProfileNumber,
    ProfileRecommendation,
    ProfileShare,
    RecommendationScore,
    Results,
    Spine,
    UnitProfile,
)
from recotrack.scoring.hierarchy import Hierarchy
from recotrack.scoring.period import TrackerParts
from recotrack.scoring.returns import ReturnsView
from recotrack.scoring.unit_scores import unit_scores
from recotrack.statistics import wilson_interval

__all__ = ["Profiler", "Ranking", "compare", "percentile"]

QUINTILES = {
    Polarity.HIGH_IS_GOOD: ("best", "better", "middle", "worse", "worst"),
    Polarity.LOW_IS_GOOD: ("best", "better", "middle", "worse", "worst"),
    Polarity.NONE: ("highest", "high", "middle", "low", "lowest"),
}
"""Quintile labels, from the first (the best, or the highest without polarity) to the fifth."""
MIN_QUINTILE_VALUES = 5


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share`` (0 to 1) percentile of sorted ``values``, by linear interpolation between ranks (inclusive)."""
    position = share * (len(values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


@dataclass(frozen=True)
class Ranking:
    """Every unit's score on one indicator, sorted, with the polarity that says which way is better."""

    values: tuple[float, ...]
    """Sorted, lowest first."""
    polarity: Polarity

    def rank(self, value: float) -> int:
        """1 + how many units score strictly better (higher, or lower when low is good): ties share a rank."""
        if self.polarity is Polarity.LOW_IS_GOOD:
            return 1 + bisect.bisect_left(self.values, value)
        return 1 + len(self.values) - bisect.bisect_right(self.values, value)

    def tied(self, value: float) -> int:
        """How many other units have exactly this score."""
        return bisect.bisect_right(self.values, value) - bisect.bisect_left(self.values, value) - 1

    def quintile(self, value: float) -> int | None:
        """1 (the best fifth) to 5; None with fewer than 5 units.

        Units with the same score share the quintile of the middle of their ranks, so that a score most
        units share is in the middle fifth, not in the best one because a few score higher.
        """
        count = len(self.values)
        if count < MIN_QUINTILE_VALUES:
            return None
        middle = self.rank(value) + self.tied(value) / 2
        return min(5, int(5 * (middle - 1) // count) + 1)

    def spine(self, national: float | None, unit: float | None) -> Spine:
        low_is_good = self.polarity is Polarity.LOW_IS_GOOD
        values = self.values
        worst, best = (values[-1], values[0]) if low_is_good else (values[0], values[-1])
        q25, q75 = (
            (percentile(values, 0.75), percentile(values, 0.25))
            if low_is_good
            else (
                percentile(values, 0.25),
                percentile(values, 0.75),
            )
        )
        return Spine(worst=worst, q25=q25, national=national, q75=q75, best=best, unit=unit, low_is_good=low_is_good)


def compare(
    share: ProfileShare | None, national: float | None, polarity: Polarity, *, strict: bool = False
) -> BenchmarkComparison:
    """A share against the national share: similar when national lies inside its 95% (``strict``: 99.8%) interval."""
    interval = None if share is None else (share.interval_998 if strict else share.interval)
    if interval is None or national is None:
        return "not compared"
    point = 100 * national
    if interval.low <= point <= interval.high:
        return "similar"
    higher = interval.low > point
    if polarity is Polarity.NONE:
        return "higher" if higher else "lower"
    good = higher if polarity is Polarity.HIGH_IS_GOOD else not higher
    return "better" if good else "worse"


class Profiler:
    """Profiles of the units of one scored period, from what they share worked out once."""

    def __init__(self, tracker: TrackerParts, results: Results) -> None:
        self.tracker = tracker
        self.results = results
        catalog, units = tracker.catalog, tracker.units
        self.catalog = catalog
        self.period = results.period
        self.method = results.method
        self.policy = results.method.disclosure
        self.hierarchy = Hierarchy(units)
        self.invited = frozenset(units.invited_in(self.period))
        evidence = tracker.evidence.periods.get(self.period)
        self.evidence = evidence if results.basis == "returns" else None
        self.view = (
            ReturnsView(catalog, evidence, None, units, self.invited)
            if evidence is not None and results.basis == "returns"
            else None
        )
        self.distributions: dict[str, Distribution] = {d.id: d for d in results.distributions}
        self.indicator_scores = {i.id: i for i in results.indicator_scores}
        self.breakdowns: dict[tuple[str, str], dict[str | None, BreakdownGroup]] = {
            (b.question, b.by): {g.unit: g for g in b.groups} for b in results.breakdowns
        }
        self.unit_scores = unit_scores(
            self.view.unit_indicator_scores() if self.view else {}, results.milestones, results.numeric
        )
        self.questions_of: dict[str, list[Question]] = {}
        for question in catalog.questions.values():
            self.questions_of.setdefault(question.indicator.id, []).append(question)
        self._rankings: dict[tuple[str, str], Ranking | None] = {}
        """(what, kind) → the scores of the units of that kind, sorted: units are ranked among their own kind."""
        self._kind_of = {u.id: u.kind for u in units.units}
        self.milestones = {m.indicator: {u.unit: u for u in m.units} for m in results.milestones}
        self._shares: dict[tuple[int | None, int | None, str | None], ProfileShare] = {}
        self._national: dict[str, ProfileShare | None] = {}
        self._group_shares: dict[tuple[str, str | None], ProfileShare | None] = {}
        self._benchmark_options: dict[str, frozenset[str]] = {
            scale.id: frozenset(scale.benchmark_options) for scale in catalog.scales
        }
        self._share_labels: dict[str, str | None] = {}
        self._peer_means: dict[tuple[str, str], float | None] = {}
        self._printed_scores: dict[float | None, str | None] = {}
        self.respondents_below: dict[str, list[str]] = {}
        """Unit id → the responding units below it."""
        if self.view is not None:
            for position in self.view.positions:
                below = self.view.unit_ids[position]
                for ancestor in self.hierarchy.ancestors(below):
                    self.respondents_below.setdefault(ancestor.id, []).append(below)
        self.numbers = {n.indicator: {u.unit: u for u in n.units} for n in results.numeric}

    # -- what units are ------------------------------------------------------------------------

    def units(self, selection: str = "all") -> list[str]:
        """The units ``selection`` names: ``all`` (those invited for the period, else every unit), a kind, or ids."""
        units = self.tracker.units
        if selection == "all":
            invited = units.invited_in(self.period)
            return list(invited) if invited else [u.id for u in units.units]
        kinds = {u.kind for u in units.units}
        if selection in kinds:
            return [u.id for u in units.units if u.kind == selection]
        chosen = [part.strip() for part in selection.split(",") if part.strip()]
        for unit_id in chosen:
            self._known(unit_id)
        return chosen

    def _known(self, unit_id: str) -> Unit:
        unit = self.tracker.units.by_id.get(unit_id)
        if unit is None:
            kinds = sorted({u.kind for u in self.tracker.units.units})
            raise RecotrackError(
                f"unknown unit {unit_id!r}: expected {declared_id(unit_id, self.tracker.units.by_id)}"
                + (f" (or, for --units, 'all' or a kind: {', '.join(kinds)})" if kinds else "")
            )
        return unit

    def _polarity(self, indicator_id: str) -> Polarity:
        questions = self.questions_of.get(indicator_id)
        if questions:
            return questions[0].polarity
        indicator = self.catalog.indicator(indicator_id)
        return indicator.polarity or Polarity.HIGH_IS_GOOD

    def _share(self, count: int | None, base: int | None, suppressed: str | None = None) -> ProfileShare:
        """A share with its intervals (the same share is made once: many units have the same parent)."""
        key = (count, base, suppressed)
        found = self._shares.get(key)
        if found is None:
            found = self._shares[key] = self._make_share(count, base, suppressed)
        return found

    def _make_share(self, count: int | None, base: int | None, suppressed: str | None) -> ProfileShare:
        if count is None or base is None or base == 0:
            return ProfileShare(
                count=count,
                base=base,
                percent=None,
                printed=None,
                interval=None,
                interval_998=None,
                suppressed=suppressed,
            )
        low, high = wilson_interval(count, base, self.method.z)
        low_998, high_998 = wilson_interval(count, base, self.method.z_high)
        percent = 100 * count / base
        return ProfileShare(
            count=count,
            base=base,
            percent=percent,
            printed=round_half_up(Fraction(100 * count, base)),
            interval=Interval(low=100 * low, high=100 * high),
            interval_998=Interval(low=100 * low_998, high=100 * high_998),
            suppressed=suppressed,
        )

    def _group_share(self, question: Question, group: BreakdownGroup | None) -> ProfileShare | None:
        """The share of a group (a row of the breakdowns) giving the compared answers, as published."""
        if group is None:
            return None
        key = (question.id, group.unit)
        if key in self._group_shares:
            return self._group_shares[key]
        wanted = self._benchmark_options[question.scale.id]
        chosen = [o for o in group.options if o.id in wanted]
        rule = next((o.suppressed for o in chosen if o.suppressed), None) or group.base_suppressed
        if any(o.count is None for o in chosen):
            found = self._share(None, group.base, rule)
        else:
            found = self._share(sum(o.count or 0 for o in chosen), group.base, rule)
        self._group_shares[key] = found
        return found

    def _national_share(self, question: Question) -> ProfileShare | None:
        if question.id not in self._national:
            self._national[question.id] = self._make_national_share(question)
        return self._national[question.id]

    def _make_national_share(self, question: Question) -> ProfileShare | None:
        distribution = self.distributions.get(question.id)
        if distribution is None or not distribution.base:
            return None
        wanted = self._benchmark_options[question.scale.id]
        counts = [o.count for o in distribution.options if o.id in wanted]
        if not counts or any(count is None for count in counts):
            return None
        return self._share(sum(count or 0 for count in counts), distribution.base)

    def _group(self, question_id: str, unit: Unit | None) -> BreakdownGroup | None:
        if unit is None:
            return None
        return self.breakdowns.get((question_id, unit.kind), {}).get(unit.id)

    def _share_label(self, question: Question) -> str | None:
        if question.id not in self._share_labels:
            self._share_labels[question.id] = self._make_share_label(question)
        return self._share_labels[question.id]

    def _make_share_label(self, question: Question) -> str | None:
        options = question.scale.benchmark_options
        if not options or not question.scored:
            return None
        labels = [question.scale.option(o).label for o in options]
        return "share answering " + " or ".join(labels)

    def _peer_mean(self, what: str, scores: Mapping[str, float], parent: Unit | None) -> float | None:
        """The mean score on ``what`` of the units in ``parent``'s group; withheld below the policy's threshold."""
        if parent is None:
            return None
        key = (what, parent.id)
        if key not in self._peer_means:
            group_of = self.hierarchy.group_of
            members = [v for u, v in scores.items() if group_of(u, parent.kind) == parent.id]
            withheld = not members or (self.policy.active and len(members) < max(self.policy.threshold, 1))
            self._peer_means[key] = None if withheld else math.fsum(members) / len(members)
        return self._peer_means[key]

    def _printed(self, score: float | None) -> str | None:
        if score not in self._printed_scores:
            self._printed_scores[score] = display.score(score, self.method.bands)
        return self._printed_scores[score]

    # -- the profile -----------------------------------------------------------------------------

    def profile(self, unit_id: str) -> UnitProfile:
        unit = self._known(unit_id)
        parent = self.hierarchy.parent(unit_id)
        returned = self.evidence.returns.get(unit_id) if self.evidence is not None else None
        below = (
            [
                self.view.unit_ids[p]
                for p in self.view.positions
                if unit in self.hierarchy.ancestors(self.view.unit_ids[p])
            ]
            if self.view is not None
            else []
        )
        answers = tuple(self._answers(unit, parent))
        profile = UnitProfile(
            id=unit.id,
            name=unit.name,
            kind=unit.kind,
            kind_label=self.hierarchy.kind_label(unit.kind),
            period=self.period,
            parent=parent.id if parent else None,
            parent_name=parent.name if parent else None,
            parent_kind=parent.kind if parent else None,
            parent_kind_label=self.hierarchy.kind_label(parent.kind) if parent else None,
            invited=(unit_id in self.invited) if self.invited else None,
            responded=returned is not None,
            return_location=str(returned.location) if returned is not None else None,
            submitted=returned.submitted if returned is not None else None,
            respondents_below=len(below),
            recommendations=tuple(self._recommendation(r, unit, parent) for r in self.results.recommendations),
            benchmarks=tuple(self._benchmarks(unit, parent)),
            answers=answers,
            milestones=tuple(
                ProfileMilestone(
                    indicator=m.indicator,
                    label=m.label,
                    unit=self.milestones.get(m.indicator, {}).get(unit_id),
                    national_status=m.status_label,
                    national_printed=m.score_printed,
                )
                for m in self.results.milestones
            ),
            numbers=tuple(
                ProfileNumber(
                    indicator=n.indicator,
                    label=n.label,
                    unit=self.numbers.get(n.indicator, {}).get(unit_id),
                    national_share_printed=n.units_share_of_way_printed if n.units else n.share_of_way_printed,
                    national_printed=n.score_printed,
                )
                for n in self.results.numeric
            ),
            notes=self._notes(unit, parent, returned is not None, len(below)),
        )
        return profile

    def _notes(self, unit: Unit, parent: Unit | None, responded: bool, below: int) -> tuple[str, ...]:
        notes = []
        if not responded and not below:
            notes.append(
                f"{unit.name} sent no return for {self.period}: it has no answers or scores of its own; the other "
                "figures are shown for reference."
            )
        if parent is not None and self.view is not None:
            members = self.respondents_below.get(parent.id, [])
            if len(members) < MIN_QUINTILE_VALUES:
                notes.append(
                    f"Only {len(members)} unit{'s' if len(members) != 1 else ''} of {parent.name} responded: its "
                    "shares have wide intervals, and a difference from national is rarely clear."
                )
        if self.policy.active:
            notes.append(
                f"Figures of other units ({parent.name if parent else 'peers'} and the spread of all units) follow "
                f"the catalog's disclosure policy: {display.disclosure(self.policy)}; this unit's own answers are "
                "shown as they are."
            )
        notes.append(
            "A single unit's own answer has no sampling interval, so it is not compared with national; its parent's "
            "share is, and where this unit has units below it, theirs."
        )
        return tuple(notes)

    def _recommendation(self, rec: RecommendationScore, unit: Unit, parent: Unit | None) -> ProfileRecommendation:
        own = rec.unit_scores.get(unit.id)
        below = own is None and bool(rec.unit_scores)
        if below:
            own = self._peer_mean(f"recommendation {rec.id}", rec.unit_scores, unit)
        ranking = self._ranking(
            f"recommendation {rec.id}", rec.unit_scores, self._peers_kind(unit, rec.unit_scores), Polarity.HIGH_IS_GOOD
        )
        rank = of = None
        if ranking is not None and own is not None and unit.id in rec.unit_scores and self._may_rank(ranking):
            rank, of = ranking.rank(own), len(ranking.values)
        band = self.method.band(own)
        parent_score = self._peer_mean(f"recommendation {rec.id}", rec.unit_scores, parent)
        return ProfileRecommendation(
            id=rec.id,
            title=rec.title,
            level=rec.level,
            unit_score=own,
            unit_printed=self._printed(own),
            from_units_below=below and own is not None,
            band=band.id if band else None,
            band_label=band.label if band else None,
            parent_score=parent_score,
            parent_printed=self._printed(parent_score),
            national=rec.score,
            national_printed=rec.score_printed,
            rank=rank,
            of=of,
        )

    def _ranking(self, what: str, scores: Mapping[str, float], kind: str, polarity: Polarity) -> Ranking | None:
        """The scores on ``what`` of the units of ``kind`` (a board among boards, an area among areas)."""
        key = (what, kind)
        if key not in self._rankings:
            values = sorted(v for u, v in scores.items() if self._kind_of.get(u) == kind)
            self._rankings[key] = Ranking(tuple(values), polarity) if values else None
        return self._rankings[key]

    def _peers_kind(self, unit: Unit, scores: Mapping[str, float]) -> str:
        """The kind a unit is set among: its own when it has a score, else that of the responding units below it."""
        if unit.id in scores:
            return unit.kind
        below = [u for u in self.respondents_below.get(unit.id, []) if u in scores]
        return self._kind_of[below[0]] if below else unit.kind

    def _may_rank(self, ranking: Ranking) -> bool:
        return not self.policy.active or len(ranking.values) >= self.policy.threshold

    def _benchmarks(self, unit: Unit, parent: Unit | None) -> list[Benchmark]:
        found = []
        for indicator in self.catalog.indicators:
            scores = self.unit_scores.get(indicator.id)
            if not scores:
                continue
            ranking = self._ranking(indicator.id, scores, self._peers_kind(unit, scores), self._polarity(indicator.id))
            if ranking is None:
                continue
            polarity = ranking.polarity
            national_score = (
                self.indicator_scores[indicator.id].score if indicator.id in self.indicator_scores else None
            )
            questions = self.questions_of.get(indicator.id, [])
            own = scores.get(unit.id)
            below = own is None
            unit_groups = [self._group(q.id, unit) for q in questions]
            if own is None and questions:
                known = [g.score for g in unit_groups if g is not None and g.score is not None]
                own = math.fsum(known) / len(known) if known else None
            elif own is None:
                own = self._peer_mean(indicator.id, scores, unit)
            parent_value: float | None
            if questions:
                parent_groups = [self._group(q.id, parent) for q in questions]
                known = [g.score for g in parent_groups if g is not None and g.score is not None]
                parent_value = math.fsum(known) / len(known) if known and len(known) == len(parent_groups) else None
            else:
                parent_value = self._peer_mean(indicator.id, scores, parent)
            rank = of = quintile = tied = None
            spine = None
            if self._may_rank(ranking):
                if unit.id in scores:
                    rank, of = ranking.rank(scores[unit.id]), len(ranking.values)
                    quintile = ranking.quintile(scores[unit.id])
                    tied = ranking.tied(scores[unit.id])
                spine = ranking.spine(national_score, own)
            single = questions[0] if len(questions) == 1 else None
            unit_share = parent_share = None
            national_share = None
            share_label = None
            note = None
            if single is not None and single.scored:
                share_label = self._share_label(single)
                national = self._national_share(single)
                national_share = (
                    national.count / national.base
                    if national and national.count is not None and national.base
                    else None
                )
                parent_share = self._group_share(single, self._group(single.id, parent))
                unit_share = self._group_share(single, unit_groups[0])
                if unit_share is None:
                    note = "a single unit's own answer has no sampling interval"
            elif questions:
                note = "a grid: each of its items is compared in the answers"
            else:
                note = "numbers and milestones are observed, not sampled"
            labels = QUINTILES[polarity]
            found.append(
                Benchmark(
                    indicator=indicator.id,
                    label=indicator.text,
                    kind=indicator.kind,
                    polarity=polarity.value,
                    unit_value=own,
                    unit_printed=self._printed(own),
                    from_units_below=below and own is not None,
                    parent_value=parent_value,
                    parent_printed=self._printed(parent_value),
                    national=national_score,
                    national_printed=self._printed(national_score),
                    rank=rank,
                    of=of,
                    tied=tied,
                    quintile=quintile,
                    quintile_label=labels[quintile - 1] if quintile else None,
                    spine=spine,
                    share_label=share_label,
                    unit_share=unit_share,
                    parent_share=parent_share,
                    national_share=national_share,
                    comparison=compare(unit_share, national_share, polarity),
                    comparison_998=compare(unit_share, national_share, polarity, strict=True),
                    parent_comparison=compare(parent_share, national_share, polarity),
                    parent_comparison_998=compare(parent_share, national_share, polarity, strict=True),
                    note=note,
                )
            )
        return found

    def _answers(self, unit: Unit, parent: Unit | None) -> list[ProfileAnswer]:
        view, evidence = self.view, self.evidence
        found = []
        position = view.position.get(unit.id) if view is not None else None
        for question in self.catalog.questions.values():
            distribution = self.distributions.get(question.id)
            if distribution is None:
                continue
            answer = None
            location = None
            status: str
            if distribution.withdrawn:
                status = "withdrawn"
            elif question.audience and unit.kind not in question.audience:
                status = "not asked"
            elif view is None or evidence is None or position is None or unit.id not in evidence.returns:
                status = "no return"
            elif view.dropped(question.id)[position] and not view.asked(question)[position]:
                status = "not applicable"
            else:
                given = view.effective(question.id)[position]
                if given == NO_ANSWER:
                    status = "left blank"
                else:
                    status = "answered"
                    answer = question.scale.options[given]
                    line = evidence.lines[question.id][position]
                    location = f"{evidence.returns[unit.id].location.file}:{line}"
            polarity = question.polarity
            national = self._national_share(question) if question.scored else None
            national_point = (
                national.count / national.base if national and national.count is not None and national.base else None
            )
            parent_group = self._group(question.id, parent)
            parent_share = self._group_share(question, parent_group) if question.scored else None
            score = (
                answer.score
                if answer is not None and answer.role is OptionRole.SUBSTANTIVE and question.scored
                else None
            )
            found.append(
                ProfileAnswer(
                    question=question.id,
                    label=question.label,
                    indicator=question.indicator.id,
                    status=status,
                    answer=answer.id if answer is not None else None,
                    answer_label=answer.label if answer is not None else None,
                    score=score,
                    score_printed=self._printed(score),
                    location=location,
                    parent_share=parent_share,
                    parent_score_printed=parent_group.score_printed if parent_group is not None else None,
                    national_share=national,
                    national_score_printed=distribution.score_printed,
                    share_label=self._share_label(question),
                    parent_comparison=compare(parent_share, national_point, polarity),
                    parent_comparison_998=compare(parent_share, national_point, polarity, strict=True),
                )
            )
        return found
