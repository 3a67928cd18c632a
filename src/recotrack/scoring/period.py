"""One period's figures: every distribution, score, milestone and number, with one method."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from recotrack.evidence.model import Evidence, PublishedTallies
from recotrack.method import Method
from recotrack.model import Catalog, MilestoneIndicator, ScaleIndicator, Units
from recotrack.results import (
    Distribution,
    Flag,
    IndicatorScore,
    MilestoneStatus,
    NumericProgress,
    OtherEntryCount,
    Results,
)
from recotrack.scoring.breakdowns import breakdowns
from recotrack.scoring.distributions import Ident, counted_from_tally, differences_from_published, distribution
from recotrack.scoring.hierarchy import Hierarchy
from recotrack.scoring.lifecycle import recommendation_lifecycle
from recotrack.scoring.methods import ProgressMethod, RollupMethod, ScoringMethod
from recotrack.scoring.progress import milestone_status, numeric_progress, progress_score
from recotrack.scoring.response import period_flags, response_summary
from recotrack.scoring.returns import ReturnsView, other_entry
from recotrack.scoring.rollup import (
    Rollups,
    group_scores,
    observed_indicator_score,
    recommendation_scores,
    scale_indicator_score,
)
from recotrack.scoring.sources import SourceChoice, choose_basis, known_periods
from recotrack.scoring.unit_scores import unit_scores as per_unit_scores

__all__ = ["PeriodScorer", "TrackerParts"]


class TrackerParts(Protocol):
    """What scoring needs of a tracker: :class:`recotrack.Tracker` has it, and so can any test double."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def units(self) -> Units: ...

    @property
    def evidence(self) -> Evidence: ...


class PeriodScorer:
    """Scores one period at a time with one method."""

    def __init__(self, tracker: TrackerParts, method: Method, registered: Sequence[ScoringMethod]) -> None:
        self.tracker = tracker
        self.method = method
        self.rollups = Rollups(method, {m.name: m for m in registered if isinstance(m, RollupMethod)})
        self.progress = next(m for m in registered if isinstance(m, ProgressMethod) and m.name == method.progress)
        self.periods = known_periods(tracker.units, tracker.evidence)
        """Every period the tracker knows, in time order: what "up to the period" means."""
        self.hierarchy = Hierarchy(tracker.units)
        """Who is above whom: worked out once for every period scored."""

    def score(
        self, period: str, source: SourceChoice, keep: frozenset[str] | None
    ) -> tuple[Results, ReturnsView | None]:
        """One period's figures, with its per-unit view (kept for a pair-by-pair comparison)."""
        catalog, evidence, method = self.tracker.catalog, self.tracker.evidence, self.method
        basis = choose_basis(evidence, period, source, paired=keep is not None)
        view = (
            ReturnsView(
                catalog, evidence.periods[period], keep, self.tracker.units, self.tracker.units.invited_in(period)
            )
            if basis == "returns"
            else None
        )
        published = evidence.published.get(period)
        distributions = self.distributions(period, view, published, check_published=keep is None)

        indicator_scores: dict[str, IndicatorScore] = {}
        milestones: list[MilestoneStatus] = []
        numeric: list[NumericProgress] = []
        for indicator in catalog.indicators:
            if isinstance(indicator, ScaleIndicator):
                indicator_scores[indicator.id] = scale_indicator_score(indicator, distributions, method)
            elif isinstance(indicator, MilestoneIndicator):
                status = milestone_status(catalog, evidence, indicator, period, self.periods, method)
                milestones.append(status)
                indicator_scores[indicator.id] = observed_indicator_score(indicator, status.score, method)
            else:
                progress = numeric_progress(
                    catalog, evidence.values, indicator, period, self.periods, method, self.progress
                )
                numeric.append(progress)
                indicator_scores[indicator.id] = observed_indicator_score(indicator, progress_score(progress), method)

        unit_scores = per_unit_scores(view.unit_indicator_scores() if view is not None else {}, milestones, numeric)
        lifecycles = {
            recommendation.id: recommendation_lifecycle(
                catalog,
                evidence,
                recommendation,
                period,
                self.periods,
                [flag for m in milestones if recommendation.id in m.measures for flag in m.flag_details],
            )
            for recommendation in catalog.recommendations
        }
        themes, levels = group_scores(catalog, indicator_scores, unit_scores, self.rollups)
        response = response_summary(
            self.tracker.units,
            period,
            view.responding if view is not None else None,
            published,
            both_years=keep is not None,
            disclosure=method.disclosure,
            hierarchy=self.hierarchy,
        )
        results = Results(
            period=period,
            basis=basis,
            method=method,
            response=response,
            distributions=tuple(distributions.values()),
            others=view.other_entries() if view is not None else self.others_from_tallies(period),
            indicator_scores=tuple(indicator_scores.values()),
            recommendations=recommendation_scores(catalog, indicator_scores, unit_scores, lifecycles, self.rollups),
            themes=themes,
            levels=levels,
            milestones=tuple(milestones),
            numeric=tuple(numeric),
            flags=period_flags(response, method),
            comparison=None,
            breakdowns=breakdowns(view, self.hierarchy, distributions, method) if view else (),
        )
        return results, view

    def distributions(
        self, period: str, view: ReturnsView | None, published: PublishedTallies | None, *, check_published: bool
    ) -> dict[str, Distribution]:
        """A distribution per question: counted from the returns when there is a view, else from the tallies.

        Counts from the returns are checked against the period's published tallies, unless only some
        units are scored (``check_published=False``), when they are bound to differ. Only the questions
        asked in the period have one.
        """
        found: dict[str, Distribution] = {}
        for question_id, question in self.tracker.catalog.questions_in(period).items():
            reason = question.indicator.withdrawn
            flags: list[Flag] = []
            tally = published.tallies.get(question_id) if published is not None else None
            if view is not None:
                counted = view.counted(question)
                if check_published and tally is not None and not tally.withheld:
                    flags.extend(differences_from_published(question, counted, tally))
            else:
                if tally is not None and tally.withheld and reason is None:
                    reason = "withheld in the published figures"
                counted = counted_from_tally(question, tally, flags)
            found[question_id] = distribution(
                Ident.of(question), question.scale.options, counted, reason, flags, self.method
            )
        return found

    def others_from_tallies(self, period: str) -> tuple[OtherEntryCount, ...]:
        catalog = self.tracker.catalog
        published = self.tracker.evidence.published.get(period)
        if published is None:
            return ()
        order = {indicator.id: i for i, indicator in enumerate(catalog.indicators)}
        entries = sorted(
            (o for o in published.others if o.question in order), key=lambda o: (order[o.question], o.text.casefold())
        )
        return tuple(other_entry(catalog, o.question, o.text, o.count, published.respondents) for o in entries)
