"""The catalog: everything a review asks for and how its implementation is measured."""

from __future__ import annotations

from functools import cached_property

from pydantic import Field

from recotrack.model._base import Model
from recotrack.model.crosswalk import CrosswalkEntry
from recotrack.model.disclosure import Disclosure
from recotrack.model.indicators import (
    Indicator,
    MilestoneIndicator,
    NumericIndicator,
    Question,
    ScaleIndicator,
    Section,
)
from recotrack.model.lifecycle import DEFAULT_IMPLEMENTATION, DEFAULT_RESPONSES, LifecycleSettings
from recotrack.model.periods import EvidenceSource, PeriodDeclaration
from recotrack.model.review import Level, Recommendation, Review, Theme
from recotrack.model.scales import DEFAULT_BANDS, Band, Scale
from recotrack.model.settings import MethodSettings

__all__ = ["Catalog"]


class Catalog(Model):
    """Everything a review asks for and how its implementation is measured."""

    review: Review
    levels: tuple[Level, ...] = Field(min_length=1)
    themes: tuple[Theme, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    scales: tuple[Scale, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    bands: tuple[Band, ...] = DEFAULT_BANDS
    """Status bands for scores, in any order; see docs/methodology.md for the defaults and why."""
    method: MethodSettings = MethodSettings()
    """How figures are rolled up, judged and flagged; see docs/methodology.md."""
    crosswalk: tuple[CrosswalkEntry, ...] = ()
    """Which question of one period is which of another, and whether they compare."""
    lifecycle: LifecycleSettings = LifecycleSettings()
    """The vocabularies of responses and implementation statuses (defaults: the ECA's)."""
    disclosure: Disclosure = Disclosure()
    """Which small numbers may be published below national level; see docs/methodology.md."""
    sections: tuple[Section, ...] = ()
    """Questionnaire sections asked of some kinds of unit only (``asked_of``), by their title."""

    def audience_of(self, indicator: Indicator) -> tuple[str, ...]:
        """The unit kinds asked ``indicator``: its own ``asked_of``, else its section's; empty: every unit."""
        if indicator.asked_of:
            return indicator.asked_of
        if indicator.section is None:
            return ()
        return next((s.asked_of for s in self.sections if s.title == indicator.section), ())

    periods: tuple[PeriodDeclaration, ...] = ()
    """The tracker's reporting periods in time order (empty: not declared; see :mod:`recotrack.periods`)."""
    evidence: tuple[EvidenceSource, ...] = ()
    """The evidence manifest: the period and synthetic-ness of evidence files and folders."""

    @cached_property
    def _by_id(self) -> dict[str, dict[str, object]]:
        return {
            "level": {x.id: x for x in self.levels},
            "theme": {x.id: x for x in self.themes},
            "recommendation": {x.id: x for x in self.recommendations},
            "scale": {x.id: x for x in self.scales},
            "indicator": {x.id: x for x in self.indicators},
        }

    def recommendation(self, recommendation_id: str) -> Recommendation:
        return self._by_id["recommendation"][recommendation_id]  # type: ignore[return-value]

    def scale(self, scale_id: str) -> Scale:
        return self._by_id["scale"][scale_id]  # type: ignore[return-value]

    def indicator(self, indicator_id: str) -> ScaleIndicator | MilestoneIndicator | NumericIndicator:
        return self._by_id["indicator"][indicator_id]  # type: ignore[return-value]

    @cached_property
    def questions(self) -> dict[str, Question]:
        """Every answerable id (scale indicators and grid items) in catalog order."""
        found: dict[str, Question] = {}
        scales = self._by_id["scale"]
        for indicator in self.indicators:
            if not isinstance(indicator, ScaleIndicator) or indicator.scale not in scales:
                continue
            scale = scales[indicator.scale]
            assert isinstance(scale, Scale)
            audience = self.audience_of(indicator)
            if indicator.items:
                for item in indicator.items:
                    found.setdefault(
                        f"{indicator.id}/{item.slug}",
                        Question(
                            id=f"{indicator.id}/{item.slug}",
                            indicator=indicator,
                            scale=scale,
                            item=item,
                            asked_of=audience,
                        ),
                    )
            else:
                found.setdefault(
                    indicator.id, Question(id=indicator.id, indicator=indicator, scale=scale, asked_of=audience)
                )
        return found

    def questions_in(self, period: str) -> dict[str, Question]:
        """The questions asked in ``period``, in catalog order."""
        return {key: q for key, q in self.questions.items() if q.indicator.asked_in(period)}

    @property
    def response_scale(self) -> Scale:
        chosen = self.lifecycle.responses
        return self.scale(chosen) if chosen is not None else DEFAULT_RESPONSES

    @property
    def implementation_scale(self) -> Scale:
        chosen = self.lifecycle.implementation
        return self.scale(chosen) if chosen is not None else DEFAULT_IMPLEMENTATION

    def children(self, recommendation_id: str) -> tuple[Recommendation, ...]:
        return tuple(r for r in self.recommendations if r.parent == recommendation_id)

    def indicators_for(self, recommendation_id: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if recommendation_id in i.measures)
