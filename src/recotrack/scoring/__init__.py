"""Scoring: from a tracker's evidence to the figures of a period, and what changed since another.

The obvious calls::

    results = recotrack.score(tracker, period="2019")
    results = recotrack.score(tracker, period="2020", compare="2019")

One module per concern: :mod:`~recotrack.scoring.sources` (which evidence, which periods),
:mod:`~recotrack.scoring.distributions` (per-question figures and flags), :mod:`~recotrack.scoring.returns`
(counting per-unit returns), :mod:`~recotrack.scoring.response`, :mod:`~recotrack.scoring.rollup`
(indicator to level scores), :mod:`~recotrack.scoring.progress` (milestones and numbers) and
:mod:`~recotrack.scoring.comparison`. Every formula, default and threshold is in ``docs/methodology.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from recotrack._collection import collection_paused
from recotrack.evidence.model import Evidence
from recotrack.method import Method
from recotrack.model import Catalog
from recotrack.results import Excluded, ExcludedFile, Results, Series
from recotrack.scoring.comparison import Pairing
from recotrack.scoring.comparison import compare as compare_results
from recotrack.scoring.distributions import merge
from recotrack.scoring.methods import ScoringMethod, method_for
from recotrack.scoring.period import PeriodScorer, TrackerParts
from recotrack.scoring.series import series
from recotrack.scoring.sources import SourceChoice, check_periods, known_periods, returns_of, source_of
from recotrack.scoring.synthetic import synthetic_of
from recotrack.statistics import newcombe_difference, newcombe_paired_difference

__all__ = [
    "SourceChoice",
    "TrackerParts",
    "excluded_of",
    "merge",
    "method_of",
    "newcombe_difference",
    "newcombe_paired_difference",
    "registered_methods",
    "score",
]


def registered_methods() -> list[ScoringMethod]:
    """Every scoring method the plugins register through ``recotrack_register_methods``, built-ins first."""
    from recotrack.plugins import load_plugins

    return load_plugins().methods()


def method_of(catalog: Catalog, methods: Sequence[ScoringMethod] | None = None) -> Method:
    """The method a catalog's figures are made with (its bands, thresholds and named methods)."""
    return method_for(catalog, registered_methods() if methods is None else methods)


def excluded_of(evidence: Evidence) -> Excluded | None:
    """What the evidence left out because of errors, for the results (None when nothing was)."""
    left = [evidence.left_out[path] for path in sorted(evidence.left_out)]
    if not left:
        return None
    files = tuple(
        ExcludedFile(path=f.path, count=f.answers, returns=f.returns, reasons=tuple(sorted(f.reasons))) for f in left
    )
    return Excluded(count=sum(f.count for f in files), returns=sum(f.returns for f in files), files=files)


@collection_paused()
def score(
    tracker: TrackerParts,
    period: str,
    *,
    compare: str | None = None,
    source: SourceChoice | Mapping[str, SourceChoice] = "auto",
    both_years_only: bool = False,
    history: bool = False,
    methods: Sequence[ScoringMethod] | None = None,
) -> Results:
    """Score ``period``; with ``compare``, also say what changed since that period (change = period − compare).

    ``source`` picks the evidence: ``"returns"`` (per-unit answers), ``"tallies"`` (published counts)
    or ``"auto"`` (returns when the period has any, else its tallies); a mapping such as
    ``{"2019": "tallies"}`` chooses per period (``"auto"`` for periods it does not name).
    ``both_years_only`` keeps only the units that responded in both periods and compares them pair by
    pair; it needs per-unit returns for both. ``history`` adds ``results.series``: every period with
    evidence up to ``period``, each question, indicator and recommendation over them, with trends.
    ``methods`` replaces the registered scoring methods.
    Raises :class:`recotrack.errors.PeriodError` for a period without evidence, one that is not text,
    or a ``compare`` that is not earlier than ``period``.
    """
    evidence = tracker.evidence
    check_periods(known_periods(tracker.units, evidence), period, compare)
    registered = registered_methods() if methods is None else list(methods)
    method = method_for(tracker.catalog, registered)
    scorer = PeriodScorer(tracker, method, registered)
    keep: frozenset[str] | None = None
    if both_years_only:
        if compare is None:
            raise ValueError("both_years_only needs a period to compare with (compare=...)")
        if "tallies" in (source_of(source, period), source_of(source, compare)):
            raise ValueError("both_years_only needs per-unit returns; it cannot work from published tallies")
        keep = frozenset(returns_of(evidence, period).returns) & frozenset(returns_of(evidence, compare).returns)
    current, current_view = scorer.score(period, source_of(source, period), keep)
    made_up = synthetic_of(tracker.catalog, evidence, scorer.periods, period)
    current = current.model_copy(update={"excluded": excluded_of(evidence), "synthetic": made_up})
    if history:
        current = current.model_copy(update={"series": _series(tracker, scorer, source, period, current)})
    if compare is None:
        return current
    earlier, earlier_view = scorer.score(compare, source_of(source, compare), keep)
    pairing = None
    if keep is not None and current_view is not None and earlier_view is not None:
        pairing = Pairing(earlier_view, current_view, sorted(keep))
    return current.model_copy(update={"comparison": compare_results(tracker.catalog, earlier, current, pairing)})


def _series(
    tracker: TrackerParts,
    scorer: PeriodScorer,
    source: SourceChoice | Mapping[str, SourceChoice],
    period: str,
    current: Results,
) -> Series:
    """Every period with evidence up to ``period``, scored on its own, and the series through them."""
    evidence = tracker.evidence
    having = set(evidence.all_periods())
    earlier = scorer.periods[: scorer.periods.index(period)]
    history = [scorer.score(p, source_of(source, p), None)[0] for p in earlier if p in having]
    return series(tracker.catalog, [*history, current], scorer.periods)
