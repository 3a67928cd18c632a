"""Scoring: from a tracker's evidence to the figures of a period, and what changed since another.

The obvious calls::

    results = recotrack.score(tracker, period="2019")
    results = recotrack.score(tracker, period="2020", compare="2019")

Per-unit answers are counted with ``bytes.count`` on whole answer arrays after masking out, in one
bitwise OR, every unit that did not respond or to which the question did not apply; no object is
made per answer. Published tallies give the same :class:`~recotrack.results.Distribution` shapes.
Every formula, default and threshold is stated, with its reason, in ``docs/methodology.md``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, Protocol

from recotrack.evidence.model import NO_ANSWER, Evidence, PeriodEvidence, PublishedTallies, Tally, ValueRecord
from recotrack.model import (
    DEFAULT_BANDS,
    Band,
    Catalog,
    Direction,
    Indicator,
    MilestoneIndicator,
    NumericIndicator,
    Option,
    OptionRole,
    Question,
    Recommendation,
    RecommendationKind,
    ScaleIndicator,
    Units,
)
from recotrack.results import (
    Z95,
    Comparison,
    Distribution,
    Flag,
    FlagCode,
    GroupScore,
    IndicatorChange,
    IndicatorScore,
    Interval,
    MilestoneEntry,
    MilestoneStatus,
    NumericProgress,
    NumericValue,
    OptionCount,
    OtherEntryCount,
    ProgressStatus,
    QuestionChange,
    RecommendationChange,
    RecommendationScore,
    RegionResponse,
    ResponseSummary,
    Results,
    ScoreChange,
    Share,
    ShareChange,
    Source,
    Trend,
    round_half_up,
    wilson_interval,
)

__all__ = [
    "DONT_KNOW_FLAG_SHARE",
    "LOW_RESPONSE_RATE",
    "NOT_APPLICABLE_FLAG_SHARE",
    "ON_TRACK_RATIO",
    "REGION_KIND",
    "SOME_PROGRESS_RATIO",
    "SourceChoice",
    "TrackerParts",
    "merge",
    "newcombe_difference",
    "newcombe_paired_difference",
    "score",
]

SourceChoice = Literal["auto", "returns", "tallies"]
_SOURCE_CHOICES: tuple[SourceChoice, ...] = ("auto", "returns", "tallies")

DONT_KNOW_FLAG_SHARE = Fraction(1, 10)
"""A question is flagged when at least this share of its base answered "Don't know"."""
NOT_APPLICABLE_FLAG_SHARE = Fraction(1, 10)
"""A question is flagged when at least this share of its base answered "Not applicable"."""
LOW_RESPONSE_RATE = Fraction(1, 2)
"""A period is flagged when fewer than this share of the invited units responded."""
ON_TRACK_RATIO = 0.95
"""Observed / required rate at or above which a number is on track (Open SDG, after Eurostat)."""
SOME_PROGRESS_RATIO = 0.6
"""Observed / required rate at or above which progress is made but must accelerate."""
REGION_KIND = "region"
"""The unit kind whose units are the regions of the response-rate breakdown."""

_DROPPED = 0xFF
_NONZERO_TO_DROP = bytes([0] + [_DROPPED] * 255)
_YEAR = re.compile(r"\d{4}")


class TrackerParts(Protocol):
    """What scoring needs of a tracker: :class:`recotrack.Tracker` has it, and so can any test double."""

    @property
    def catalog(self) -> Catalog: ...

    @property
    def units(self) -> Units: ...

    @property
    def evidence(self) -> Evidence: ...


# -- the entry point ----------------------------------------------------------------------------------


def score(
    tracker: TrackerParts,
    period: str,
    *,
    compare: str | None = None,
    source: SourceChoice | Mapping[str, SourceChoice] = "auto",
    both_years_only: bool = False,
) -> Results:
    """Score ``period``; with ``compare``, also say what changed since that period (change = period − compare).

    ``source`` picks the evidence: ``"returns"`` (per-unit answers), ``"tallies"`` (published counts)
    or ``"auto"`` (returns when the period has any, else its tallies); a mapping such as
    ``{"2019": "tallies"}`` chooses per period (``"auto"`` for periods it does not name).
    ``both_years_only`` keeps only the units that responded in both periods and compares them pair by
    pair; it needs per-unit returns for both.
    """

    def source_of(chosen_period: str) -> SourceChoice:
        choice = source.get(chosen_period, "auto") if isinstance(source, Mapping) else source
        if choice not in _SOURCE_CHOICES:
            raise ValueError(f"unknown source {choice!r}: expected one of {', '.join(_SOURCE_CHOICES)}")
        return choice

    evidence = tracker.evidence
    keep: frozenset[str] | None = None
    if both_years_only:
        if compare is None:
            raise ValueError("both_years_only needs a period to compare with (compare=...)")
        if "tallies" in (source_of(period), source_of(compare)):
            raise ValueError("both_years_only needs per-unit returns; it cannot work from published tallies")
        keep = frozenset(_returns_of(evidence, period).returns) & frozenset(_returns_of(evidence, compare).returns)
    current, current_view = _score_period(tracker, period, source_of(period), keep)
    if compare is None:
        return current
    earlier, earlier_view = _score_period(tracker, compare, source_of(compare), keep)
    pairing = None
    if keep is not None and current_view is not None and earlier_view is not None:
        pairing = _Pairing(earlier_view, current_view, sorted(keep))
    return current.model_copy(update={"comparison": _compare(tracker.catalog, earlier, current, pairing)})


def _returns_of(evidence: Evidence, period: str) -> PeriodEvidence:
    found = evidence.periods.get(period)
    if found is None:
        having = ", ".join(p for p, e in sorted(evidence.periods.items()) if e.returns) or "none"
        raise ValueError(f"no per-unit returns for period {period!r} (periods with returns: {having})")
    return found


def _published_of(evidence: Evidence, period: str) -> PublishedTallies:
    found = evidence.published.get(period)
    if found is None:
        having = ", ".join(sorted(evidence.published)) or "none"
        raise ValueError(f"no published tallies for period {period!r} (periods with tallies: {having})")
    return found


# -- one period ---------------------------------------------------------------------------------------


def _score_period(
    tracker: TrackerParts, period: str, source: SourceChoice, keep: frozenset[str] | None
) -> tuple[Results, _ReturnsView | None]:
    """One period's figures, with its per-unit view (kept for a pair-by-pair comparison)."""
    catalog, evidence = tracker.catalog, tracker.evidence
    bands = _sorted_bands(catalog.bands)
    chosen = _choose_source(evidence, period, source, keep)
    view = _ReturnsView(catalog, evidence.periods[period], keep) if chosen == "returns" else None
    published = evidence.published.get(period)
    distributions = _distributions(catalog, view, published, bands, check_published=keep is None)

    indicator_scores: dict[str, IndicatorScore] = {}
    milestones: list[MilestoneStatus] = []
    numeric: list[NumericProgress] = []
    for indicator in catalog.indicators:
        if isinstance(indicator, ScaleIndicator):
            indicator_scores[indicator.id] = _scale_indicator_score(indicator, distributions, bands)
        elif isinstance(indicator, MilestoneIndicator):
            status = _milestone_status(catalog, evidence, indicator, period)
            milestones.append(status)
            indicator_scores[indicator.id] = _plain_indicator_score(indicator, status.score, bands)
        else:
            progress = _numeric_progress(evidence.values, indicator, period)
            numeric.append(progress)
            indicator_scores[indicator.id] = _plain_indicator_score(indicator, _progress_score(progress), bands)

    unit_indicator_scores = view.unit_indicator_scores() if view is not None else {}
    recommendations = tuple(
        _recommendation_score(catalog, recommendation, indicator_scores, unit_indicator_scores, view, bands)
        for recommendation in catalog.recommendations
    )
    themes = tuple(
        _group_score(
            theme.id,
            theme.label,
            [r for r in catalog.recommendations if r.theme == theme.id],
            catalog,
            indicator_scores,
            bands,
        )
        for theme in catalog.themes
    )
    levels = tuple(
        _group_score(
            level.id,
            level.label,
            # The reviewer's own commitments are not what the level's recommendations asked of others:
            # counting them would let a delivered commitment score a level whose recommendations have no evidence.
            [r for r in catalog.recommendations if r.level == level.id and r.kind is RecommendationKind.RECOMMENDATION],
            catalog,
            indicator_scores,
            bands,
        )
        for level in catalog.levels
    )
    response = _response_summary(tracker.units, period, view, published, both_years=keep is not None)
    results = Results(
        period=period,
        source=chosen,
        response=response,
        indicators=tuple(distributions.values()),
        others=view.other_entries() if view is not None else _others_from_tallies(catalog, published),
        indicator_scores=tuple(indicator_scores.values()),
        recommendations=recommendations,
        themes=themes,
        levels=levels,
        milestones=tuple(milestones),
        numeric=tuple(numeric),
        bands=catalog.bands,
        flags=_period_flags(response),
        comparison=None,
    )
    return results, view


def _choose_source(evidence: Evidence, period: str, source: SourceChoice, keep: frozenset[str] | None) -> Source | None:
    if source == "returns" or keep is not None:
        _returns_of(evidence, period)
        return "returns"
    if source == "tallies":
        _published_of(evidence, period)
        return "tallies"
    if period in evidence.periods and evidence.periods[period].returns:
        return "returns"
    if period in evidence.published:
        return "tallies"
    return None


def _period_flags(response: ResponseSummary) -> tuple[Flag, ...]:
    if not response.invited or response.responded_invited is None:
        return ()
    if Fraction(response.responded_invited, response.invited) >= LOW_RESPONSE_RATE:
        return ()
    return (
        Flag(
            code=FlagCode.LOW_RESPONSE_RATE,
            message=f"{response.printed}% of the {response.invited} invited units responded "
            f"(below {_percent_text(LOW_RESPONSE_RATE)}): the figures may not represent those that did not",
        ),
    )


# -- distributions ------------------------------------------------------------------------------------


def _distributions(
    catalog: Catalog,
    view: _ReturnsView | None,
    published: PublishedTallies | None,
    bands: Sequence[Band],
    *,
    check_published: bool,
) -> dict[str, Distribution]:
    """A distribution per question: counted from the returns when there is a view, else from the tallies.

    Counts from the returns are checked against the period's published tallies, unless only some
    units are scored (``check_published=False``), when they are bound to differ.
    """
    found: dict[str, Distribution] = {}
    for question_id, question in catalog.questions.items():
        reason = question.indicator.withdrawn
        flags: list[Flag] = []
        tally = published.tallies.get(question_id) if published is not None else None
        if view is not None:
            counted = view.counted(question)
            if check_published and tally is not None and not tally.withheld:
                flags.extend(_differences_from_published(question, counted, tally))
        else:
            if tally is not None and tally.withheld and reason is None:
                reason = "withheld in the published figures"
            counted = _counted_from_tally(question, tally, flags)
        found[question_id] = _distribution(_Ident.of(question), question.scale.options, counted, reason, flags, bands)
    return found


@dataclass(frozen=True)
class _Counted:
    """What a distribution is built from, whether counted from returns or read from published tallies."""

    counts: tuple[int | None, ...] | None
    """Per option in scale order; None when the period has no figures for the question."""
    base: int | None
    item_non_response: int | None = None
    not_applicable_by_condition: int | None = None
    answered_when_not_applicable: int | None = None


@dataclass(frozen=True)
class _Ident:
    id: str
    label: str
    indicator: str
    item: str | None
    section: str | None
    scale: str

    @classmethod
    def of(cls, question: Question) -> _Ident:
        return cls(
            id=question.id,
            label=question.label,
            indicator=question.indicator.id,
            item=question.item.label if question.item else None,
            section=question.indicator.section,
            scale=question.scale.id,
        )


def _distribution(
    ident: _Ident,
    options: Sequence[Option],
    counted: _Counted,
    withheld_reason: str | None,
    source_flags: Sequence[Flag],
    bands: Sequence[Band],
) -> Distribution:
    """Every derived figure of a distribution, from its counts: the single place they are worked out."""
    if withheld_reason is not None:
        counted = _Counted(None, None)
    counts = counted.counts if counted.counts is not None else (None,) * len(options)
    denominator = counted.base or None  # no percentages of nothing
    option_counts = []
    for option, count in zip(options, counts, strict=True):
        shown = Share.of(count, denominator) if count is not None and denominator is not None else None
        option_counts.append(
            OptionCount(
                id=option.id,
                label=option.label,
                role=option.role,
                score=option.score,
                count=count,
                percent=shown.percent if shown else None,
                printed=shown.printed if shown else None,
                interval=shown.interval if shown else None,
            )
        )
    dont_know = _role_share(options, counts, denominator, OptionRole.DONT_KNOW)
    not_applicable = _role_share(options, counts, denominator, OptionRole.NOT_APPLICABLE)
    mean, se, scored = _mean_score(options, counts)
    flags = list(source_flags)
    if counted.item_non_response:
        flags.append(
            Flag(
                code=FlagCode.ITEM_NON_RESPONSE,
                message=f"{_units(counted.item_non_response)} to which the question applied "
                "responded but left it blank",
            )
        )
    if counted.answered_when_not_applicable:
        flags.append(
            Flag(
                code=FlagCode.ANSWERED_WHEN_NOT_APPLICABLE,
                message=f"{_units(counted.answered_when_not_applicable)} to which the question did not apply "
                "answered it; those answers are not counted",
            )
        )
    if dont_know is not None and dont_know.exact >= DONT_KNOW_FLAG_SHARE:
        flags.append(
            Flag(
                code=FlagCode.HIGH_DONT_KNOW,
                message=f"{dont_know.printed}% answered 'don't know' (flagged from "
                f"{_percent_text(DONT_KNOW_FLAG_SHARE)}): those answering may not know local practice",
            )
        )
    if not_applicable is not None and not_applicable.exact >= NOT_APPLICABLE_FLAG_SHARE:
        flags.append(
            Flag(
                code=FlagCode.HIGH_NOT_APPLICABLE,
                message=f"{not_applicable.printed}% answered 'not applicable' to a question that applied to them "
                f"(flagged from {_percent_text(NOT_APPLICABLE_FLAG_SHARE)})",
            )
        )
    return Distribution(
        id=ident.id,
        label=ident.label,
        indicator=ident.indicator,
        item=ident.item,
        section=ident.section,
        scale=ident.scale,
        withheld=withheld_reason is not None,
        withheld_reason=withheld_reason,
        base=counted.base,
        options=tuple(option_counts),
        item_non_response=counted.item_non_response,
        not_applicable_by_condition=counted.not_applicable_by_condition,
        answered_when_not_applicable=counted.answered_when_not_applicable,
        score=mean,
        score_se=se,
        scored_base=scored,
        band=_band_of(mean, bands)[0],
        dont_know=dont_know,
        not_applicable=not_applicable,
        flags=tuple(flags),
    )


def _role_share(
    options: Sequence[Option], counts: Sequence[int | None], base: int | None, role: OptionRole
) -> Share | None:
    total = 0
    for option, count in zip(options, counts, strict=True):
        if option.role is role:
            if count is None:
                return None
            total += count
    has_role = any(option.role is role for option in options)
    return Share.of(total, base) if has_role and base is not None else None


def _mean_score(
    options: Sequence[Option], counts: Sequence[int | None]
) -> tuple[float | None, float | None, int | None]:
    """Mean option score over the scored answers, its standard error, and how many answers carry a score."""
    weighted: list[tuple[int, float]] = []
    for option, count in zip(options, counts, strict=True):
        if option.role is not OptionRole.SUBSTANTIVE or option.score is None:
            continue
        if count is None:
            return None, None, None
        weighted.append((count, option.score))
    n = sum(count for count, _ in weighted)
    if n == 0:
        return None, None, 0 if weighted else None
    mean = math.fsum(count * value for count, value in weighted) / n
    if n < 2:
        return mean, None, n
    variance = math.fsum(count * (value - mean) ** 2 for count, value in weighted) / (n - 1)
    return mean, math.sqrt(variance / n), n


def merge(a: Distribution, b: Distribution, *, bands: Sequence[Band] = DEFAULT_BANDS) -> Distribution:
    """The distribution of two disjoint sets of units together (e.g. two halves of the returns).

    Counts add and every derived figure is worked out again from them, so merging the halves gives
    exactly what scoring all the units gives. Flags that compare with published tallies are dropped.
    """
    if (a.id, a.scale, [o.id for o in a.options]) != (b.id, b.scale, [o.id for o in b.options]):
        raise ValueError(f"cannot merge distributions of different questions or scales: {a.id!r} and {b.id!r}")
    reason = (a.withheld_reason or b.withheld_reason) if a.withheld or b.withheld else None
    ident = _Ident(a.id, a.label, a.indicator, a.item, a.section, a.scale)
    options = [Option(id=o.id, label=o.label, score=o.score, role=o.role) for o in a.options]
    counts = tuple(_add(x.count, y.count) for x, y in zip(a.options, b.options, strict=True))
    counted = _Counted(
        counts=counts,
        base=_add(a.base, b.base),
        item_non_response=_add(a.item_non_response, b.item_non_response),
        not_applicable_by_condition=_add(a.not_applicable_by_condition, b.not_applicable_by_condition),
        answered_when_not_applicable=_add(a.answered_when_not_applicable, b.answered_when_not_applicable),
    )
    return _distribution(ident, options, counted, reason, (), _sorted_bands(bands))


def _add(x: int | None, y: int | None) -> int | None:
    return None if x is None or y is None else x + y


def _counted_from_tally(question: Question, tally: Tally | None, flags: list[Flag]) -> _Counted:
    """Counts as published; one missing option count is the base less the others (the base is who answered)."""
    if tally is None or tally.withheld:
        return _Counted(None, None)
    by_option = {question.scale.resolve(key) or key: value for key, value in tally.counts.items()}
    counts = [by_option.get(option.id) for option in question.scale.options]
    base = tally.base
    missing = [i for i, count in enumerate(counts) if count is None]
    if base is None and not missing:
        base = sum(count for count in counts if count is not None)
    elif base is not None and len(missing) == 1:
        rest = base - sum(count for count in counts if count is not None)
        if rest >= 0:
            counts[missing[0]] = rest
            flags.append(
                Flag(
                    code=FlagCode.COUNT_INFERRED,
                    message=f"'{question.scale.options[missing[0]].label}' is not published; its count {rest} is "
                    f"the base {base} less the published counts",
                )
            )
    if base:
        printed = {question.scale.resolve(key) or key: value for key, value in tally.printed.items()}
        for option, count in zip(question.scale.options, counts, strict=True):
            if count is None or option.id not in printed:
                continue
            computed = round_half_up(Fraction(100 * count, base))
            if computed != printed[option.id]:
                flags.append(
                    Flag(
                        code=FlagCode.PRINTED_DIFFERS,
                        message=f"'{option.label}' is printed as {printed[option.id]}% but {count} of {base} "
                        f"is {computed}%",
                    )
                )
    return _Counted(tuple(counts), base)


def _differences_from_published(question: Question, counted: _Counted, tally: Tally) -> list[Flag]:
    published = {question.scale.resolve(key) or key: value for key, value in tally.counts.items()}
    ours = dict(zip(question.scale.option_ids, counted.counts or (), strict=False))
    differing = [
        f"'{question.scale.option(option_id).label}' {ours.get(option_id)} (published {value})"
        for option_id, value in published.items()
        if option_id in ours and ours[option_id] != value
    ]
    if tally.base is not None and tally.base != counted.base:
        differing.append(f"base {counted.base} (published {tally.base})")
    if not differing:
        return []
    return [
        Flag(
            code=FlagCode.DIFFERS_FROM_PUBLISHED,
            message="counted from the returns: " + ", ".join(differing),
        )
    ]


# -- per-unit returns ---------------------------------------------------------------------------------


def _or(a: bytes | bytearray, b: bytes | bytearray) -> bytes:
    """Bytewise OR of two equally long arrays, in one big-integer operation."""
    return (int.from_bytes(a, "big") | int.from_bytes(b, "big")).to_bytes(len(a), "big")


class _ReturnsView:
    """One period's answers seen through masks: 0xFF drops a unit (no return, left out, or not applicable).

    OR-ing an answer array with a mask turns every dropped unit's answer into :data:`NO_ANSWER`, so an
    option's count is one ``bytes.count`` over the masked array.
    """

    def __init__(self, catalog: Catalog, evidence: PeriodEvidence, keep: frozenset[str] | None) -> None:
        self.catalog = catalog
        self.evidence = evidence
        self.unit_ids = evidence.unit_ids
        self.positions = [
            position for position in evidence.responded() if keep is None or self.unit_ids[position] in keep
        ]
        mask = bytearray([_DROPPED]) * len(self.unit_ids)
        for position in self.positions:
            mask[position] = 0
        self.not_responding = bytes(mask)
        self._nothing = bytes([NO_ANSWER]) * len(self.unit_ids)
        self._dropped: dict[str, bytes] = {}
        self._effective: dict[str, bytes] = {}

    def dropped(self, question_id: str) -> bytes:
        """0xFF for every unit outside the question: no return, excluded by the reader, or condition not met."""
        found = self._dropped.get(question_id)
        if found is not None:
            return found
        mask = self.not_responding
        excluded = self.evidence.excluded.get(question_id)
        if excluded is not None:
            mask = _or(mask, excluded.translate(_NONZERO_TO_DROP))
        question = self.catalog.questions[question_id]
        condition = question.indicator.applies_when
        if condition is not None:
            parent = self.catalog.questions.get(condition.indicator)
            allowed: set[int] = set()
            parent_answers = self._nothing
            if parent is not None:
                resolved = (parent.scale.resolve(answer) for answer in condition.in_)
                allowed = {parent.scale.option_ids.index(option_id) for option_id in resolved if option_id}
                parent_answers = self.effective(parent.id)
            met = bytes(0 if index in allowed else _DROPPED for index in range(256))
            mask = _or(mask, parent_answers.translate(met))
        self._dropped[question_id] = mask
        return mask

    def effective(self, question_id: str) -> bytes:
        """The answers that count: the unit's option index, or NO_ANSWER wherever the unit is dropped."""
        found = self._effective.get(question_id)
        if found is None:
            raw = self.evidence.answers.get(question_id, self._nothing)
            found = self._effective[question_id] = _or(raw, self.dropped(question_id))
        return found

    def counted(self, question: Question) -> _Counted:
        answers = self.effective(question.id)
        dropped = self.dropped(question.id)
        counts = tuple(answers.count(index) for index in range(len(question.scale.options)))
        applicable = dropped.count(0)
        base = sum(counts)
        raw = self.evidence.answers.get(question.id, self._nothing)
        answered_by_responding = len(raw) - _or(raw, self.not_responding).count(NO_ANSWER)
        answered_where_applicable = len(answers) - answers.count(NO_ANSWER)
        return _Counted(
            counts=counts,
            base=base,
            item_non_response=applicable - base,
            not_applicable_by_condition=len(self.positions) - applicable,
            answered_when_not_applicable=answered_by_responding - answered_where_applicable,
        )

    def unit_question_scores(self, question: Question) -> list[float | None]:
        """Each responding unit's option score on the question (None: no scored answer), in position order."""
        table: list[float | None] = [None] * 256
        for index, option in enumerate(question.scale.options):
            if option.role is OptionRole.SUBSTANTIVE:
                table[index] = option.score
        answers = self.effective(question.id)
        return [table[answers[position]] for position in self.positions]

    def unit_indicator_scores(self) -> dict[str, list[float | None]]:
        """Per scale indicator in use, each responding unit's score: its option score, or its mean over grid items."""
        by_indicator: dict[str, list[list[float | None]]] = {}
        for question in self.catalog.questions.values():
            if question.indicator.withdrawn is None:
                by_indicator.setdefault(question.indicator.id, []).append(self.unit_question_scores(question))
        return {
            indicator_id: items[0] if len(items) == 1 else [_mean(values) for values in zip(*items, strict=True)]
            for indicator_id, items in by_indicator.items()
        }

    def other_entries(self) -> tuple[OtherEntryCount, ...]:
        """How many units named each free-text 'other' entry, over the units the indicator applied to."""
        first_question: dict[str, str] = {}
        for question in self.catalog.questions.values():
            first_question.setdefault(question.indicator.id, question.id)
        position_of = {unit_id: position for position, unit_id in enumerate(self.unit_ids)}
        naming: dict[tuple[str, str], set[str]] = {}
        for entry in self.evidence.others:
            question_id = first_question.get(entry.question)
            position = position_of.get(entry.unit)
            if question_id is None or position is None or self.dropped(question_id)[position]:
                continue
            naming.setdefault((entry.question, entry.text.strip()), set()).add(entry.unit)
        found = []
        order = {indicator.id: i for i, indicator in enumerate(self.catalog.indicators)}
        for (indicator_id, text), units in sorted(naming.items(), key=lambda k: (order[k[0][0]], k[0][1].casefold())):
            base = self.dropped(first_question[indicator_id]).count(0)
            found.append(_other_entry(self.catalog, indicator_id, text, len(units), base))
        return tuple(found)


def _mean(values: Iterable[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None


def _other_entry(catalog: Catalog, indicator_id: str, text: str, count: int, base: int | None) -> OtherEntryCount:
    indicator = catalog.indicator(indicator_id)
    label = indicator.other.label if isinstance(indicator, ScaleIndicator) and indicator.other else "Other"
    shown = Share.of(count, base) if base else None
    return OtherEntryCount(
        indicator=indicator_id,
        label=label,
        text=text,
        count=count,
        base=base,
        percent=shown.percent if shown else None,
        printed=shown.printed if shown else None,
    )


def _others_from_tallies(catalog: Catalog, published: PublishedTallies | None) -> tuple[OtherEntryCount, ...]:
    if published is None:
        return ()
    order = {indicator.id: i for i, indicator in enumerate(catalog.indicators)}
    entries = sorted(
        (o for o in published.others if o.question in order), key=lambda o: (order[o.question], o.text.casefold())
    )
    return tuple(_other_entry(catalog, o.question, o.text, o.count, published.respondents) for o in entries)


# -- response ------------------------------------------------------------------------------------------


def _response_summary(
    units: Units, period: str, view: _ReturnsView | None, published: PublishedTallies | None, *, both_years: bool
) -> ResponseSummary:
    invited = units.invited_in(period)
    responding: frozenset[str] | None = None
    responded: int | None = None
    if view is not None:
        responding = frozenset(view.unit_ids[position] for position in view.positions)
        responded = len(responding)
    elif published is not None:
        responded = published.respondents
    responded_invited = len(responding & frozenset(invited)) if responding is not None and invited else responded
    rate = Share.of(responded_invited, len(invited)) if invited and responded_invited is not None else None
    regions: list[RegionResponse] = []
    if responding is not None and invited:
        by_region: dict[str | None, list[str]] = {}
        for unit_id in invited:
            by_region.setdefault(_region_of(units, unit_id), []).append(unit_id)
        region_order = [u.id for u in units.units if u.kind == REGION_KIND]
        for region in sorted(
            by_region, key=lambda r: region_order.index(r) if r in region_order else len(region_order)
        ):
            members = by_region[region]
            answered = sum(1 for unit_id in members if unit_id in responding)
            share = Share.of(answered, len(members))
            regions.append(
                RegionResponse(
                    id=region,
                    name=units.by_id[region].name if region is not None else "No region",
                    invited=len(members),
                    responded=answered,
                    percent=share.percent,
                    printed=share.printed,
                )
            )
    return ResponseSummary(
        invited=len(invited) if invited else None,
        responded=responded,
        responded_invited=responded_invited,
        percent=rate.percent if rate else None,
        printed=rate.printed if rate else None,
        regions=tuple(regions),
        statement=_coverage_statement(responded, len(invited), rate, both_years),
    )


def _region_of(units: Units, unit_id: str) -> str | None:
    """The nearest ancestor of kind region (the unit itself if it is one)."""
    seen: set[str] = set()
    current = units.by_id.get(unit_id)
    while current is not None and current.id not in seen:
        if current.kind == REGION_KIND:
            return current.id
        seen.add(current.id)
        current = units.by_id.get(current.parent) if current.parent else None
    return None


def _coverage_statement(responded: int | None, invited: int, rate: Share | None, both_years: bool) -> str:
    if responded is None:
        return "No returns or published figures for this period."
    who = f"the {responded} unit{'s' if responded != 1 else ''} that responded"
    if both_years:
        who += " in both compared periods"
    if rate is not None:
        return (
            f"Figures describe {who} ({rate.printed}% of the {invited} invited), not all invited units; "
            f"{invited - rate.count} of the invited are not counted."
        )
    return f"Figures describe {who}, not all units."


# -- indicator, recommendation, theme and level scores ------------------------------------------------


def _sorted_bands(bands: Sequence[Band]) -> tuple[Band, ...]:
    return tuple(sorted(bands, key=lambda band: band.min_score, reverse=True))


def _band_of(value: float | None, bands: Sequence[Band]) -> tuple[str | None, str | None]:
    """The band (id, label) of a score: the highest band whose minimum it reaches; bands sorted high to low."""
    if value is None:
        return None, None
    for band in bands:
        if value >= band.min_score:
            return band.id, band.label
    return None, None


def _scale_indicator_score(
    indicator: ScaleIndicator, distributions: dict[str, Distribution], bands: Sequence[Band]
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
        band=_band_of(value, bands)[0],
        withheld=indicator.withdrawn is not None,
        withheld_reason=indicator.withdrawn,
    )


def _plain_indicator_score(
    indicator: MilestoneIndicator | NumericIndicator, value: float | None, bands: Sequence[Band]
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
        band=_band_of(value, bands)[0],
        withheld=indicator.withdrawn is not None,
        withheld_reason=indicator.withdrawn,
    )


def _weighted(
    indicators: Sequence[Indicator], scores: dict[str, IndicatorScore]
) -> tuple[float | None, float | None, tuple[str, ...]]:
    """Weighted mean of the indicators' scores, a conservative SE (weighted mean of SEs), and who took part."""
    used = [
        (indicator.id, indicator.weight, found.score, found.score_se)
        for indicator in indicators
        if (found := scores[indicator.id]).score is not None and not found.withheld
    ]
    if not used:
        return None, None, ()
    total = math.fsum(weight for _, weight, _, _ in used)
    value = math.fsum(weight * score for _, weight, score, _ in used) / total
    weighted_ses = [weight * se for _, weight, _, se in used if se is not None]
    se = math.fsum(weighted_ses) / total if len(weighted_ses) == len(used) else None
    return value, se, tuple(indicator_id for indicator_id, _, _, _ in used)


def _descendants(catalog: Catalog, recommendation_id: str) -> list[str]:
    found: list[str] = []
    pending = [recommendation_id]
    while pending:
        for child in catalog.children(pending.pop()):
            if child.id not in found and child.id != recommendation_id:
                found.append(child.id)
                pending.append(child.id)
    return found


def _recommendation_score(
    catalog: Catalog,
    recommendation: Recommendation,
    scores: dict[str, IndicatorScore],
    unit_indicator_scores: dict[str, list[float | None]],
    view: _ReturnsView | None,
    bands: Sequence[Band],
) -> RecommendationScore:
    own = catalog.indicators_for(recommendation.id)
    value, se, used = _weighted(own, scores)
    children = tuple(child.id for child in catalog.children(recommendation.id))
    with_children = None
    if children:
        family = {recommendation.id, *_descendants(catalog, recommendation.id)}
        everything = [i for i in catalog.indicators if family.intersection(i.measures)]
        with_children = _weighted(everything, scores)[0]
    unit_scores: dict[str, float] = {}
    weighted = [(i.weight, unit_indicator_scores[i.id]) for i in own if i.id in unit_indicator_scores]
    if view is not None and weighted:
        for j, position in enumerate(view.positions):
            total = weight_sum = 0.0
            for weight, per_unit in weighted:
                unit_value = per_unit[j]
                if unit_value is not None:
                    total += weight * unit_value
                    weight_sum += weight
            if weight_sum:
                unit_scores[view.unit_ids[position]] = total / weight_sum
    band, band_label = _band_of(value, bands)
    return RecommendationScore(
        id=recommendation.id,
        title=recommendation.title,
        kind=recommendation.kind,
        level=recommendation.level,
        theme=recommendation.theme,
        parent=recommendation.parent,
        children=children,
        indicators=used,
        score=value,
        score_se=se,
        band=band,
        band_label=band_label,
        score_with_children=with_children,
        unit_scores=dict(sorted(unit_scores.items())),
    )


def _group_score(
    group_id: str,
    label: str,
    members: Sequence[Recommendation],
    catalog: Catalog,
    scores: dict[str, IndicatorScore],
    bands: Sequence[Band],
) -> GroupScore:
    ids = {r.id for r in members}
    indicators = [i for i in catalog.indicators if ids.intersection(i.measures)]
    value, se, used = _weighted(indicators, scores)
    band, band_label = _band_of(value, bands)
    return GroupScore(
        id=group_id,
        label=label,
        recommendations=tuple(r.id for r in members),
        indicators=used,
        score=value,
        score_se=se,
        band=band,
        band_label=band_label,
    )


# -- milestones and numbers ---------------------------------------------------------------------------


def _milestone_status(
    catalog: Catalog, evidence: Evidence, indicator: MilestoneIndicator, period: str
) -> MilestoneStatus:
    """The latest evidenced status up to the period (carried forward), and every status before it."""
    scale = catalog.scale(indicator.statuses)
    records = sorted(
        (m for m in evidence.milestones if m.indicator == indicator.id and m.period <= period),
        key=lambda m: (m.period, m.date is not None, m.date),
    )
    history = []
    for record in records:
        option_id = scale.resolve(record.status) or record.status
        label = scale.option(option_id).label if option_id in scale.option_ids else record.status
        history.append(
            MilestoneEntry(
                period=record.period,
                status=option_id,
                status_label=label,
                date=record.date,
                source=record.source,
                note=record.note,
                location=str(record.location),
            )
        )
    latest = history[-1] if history else None
    value = None
    if latest is not None and latest.status in scale.option_ids:
        option = scale.option(latest.status)
        value = option.score if option.role is OptionRole.SUBSTANTIVE else None
    return MilestoneStatus(
        indicator=indicator.id,
        label=indicator.text,
        measures=indicator.measures,
        due=indicator.due,
        status=latest.status if latest else None,
        status_label=latest.status_label if latest else None,
        status_period=latest.period if latest else None,
        score=value,
        history=tuple(history),
    )


def _period_year(period: str) -> int | None:
    """A period's year for rates: its first year ("2016-17" is 2016), as Open SDG reads reference periods."""
    found = _YEAR.search(period)
    return int(found.group()) if found else None


def _numeric_progress(values: Sequence[ValueRecord], indicator: NumericIndicator, period: str) -> NumericProgress:
    observed = sorted((v for v in values if v.indicator == indicator.id and v.period <= period), key=lambda v: v.period)
    history = tuple(NumericValue(period=v.period, value=v.value, source=v.source, note=v.note) for v in observed)
    baseline = (
        NumericValue(period=indicator.baseline.period, value=indicator.baseline.value, source=None, note=None)
        if indicator.baseline is not None
        else (history[0] if len(history) > 1 else None)
    )
    latest = history[-1] if history else None
    target = indicator.target
    share = None
    if baseline is not None and latest is not None and target is not None and target.value != baseline.value:
        share = (latest.value - baseline.value) / (target.value - baseline.value)
    assessed = _assess(indicator, baseline, latest)
    return NumericProgress(
        indicator=indicator.id,
        label=indicator.text,
        unit=indicator.unit,
        direction=indicator.direction,
        measures=indicator.measures,
        baseline=baseline,
        latest=latest,
        target_value=target.value if target else None,
        target_date=target.date if target else None,
        share_of_way=share,
        method=assessed.method,
        observed_rate=assessed.observed,
        required_rate=assessed.required,
        ratio=assessed.ratio,
        status=assessed.status,
        on_course=_ON_COURSE.get(assessed.status),
        history=history,
    )


_ON_COURSE = {
    ProgressStatus.TARGET_MET: True,
    ProgressStatus.ON_TRACK: True,
    ProgressStatus.ACCELERATION_NEEDED: False,
    ProgressStatus.LIMITED_PROGRESS: False,
    ProgressStatus.DETERIORATION: False,
    ProgressStatus.TARGET_MISSED: False,
}


@dataclass(frozen=True)
class _Assessment:
    status: ProgressStatus
    method: Literal["growth rate", "linear"] | None = None
    observed: float | None = None
    required: float | None = None
    ratio: float | None = None


def _assess(indicator: NumericIndicator, baseline: NumericValue | None, latest: NumericValue | None) -> _Assessment:
    """Observed annual rate against the rate the target needs (compound growth; linear when a value is ≤ 0)."""
    target = indicator.target
    if target is None or latest is None:
        return _Assessment(ProgressStatus.UNABLE_TO_ASSESS)
    sign = 1 if indicator.direction is Direction.INCREASE else -1
    if sign * (latest.value - target.value) >= 0:
        return _Assessment(ProgressStatus.TARGET_MET)
    start = _period_year(baseline.period) if baseline else None
    now = _period_year(latest.period)
    if baseline is None or start is None or now is None:
        return _Assessment(ProgressStatus.UNABLE_TO_ASSESS)
    if now > target.date.year:
        return _Assessment(ProgressStatus.TARGET_MISSED)
    if now <= start or target.date.year <= start:
        return _Assessment(ProgressStatus.UNABLE_TO_ASSESS)
    method: Literal["growth rate", "linear"]
    if min(baseline.value, latest.value, target.value) > 0:
        method = "growth rate"
        observed = (latest.value / baseline.value) ** (1 / (now - start)) - 1
        required = (target.value / baseline.value) ** (1 / (target.date.year - start)) - 1
    else:
        method = "linear"
        observed = (latest.value - baseline.value) / (now - start)
        required = (target.value - baseline.value) / (target.date.year - start)
    if sign * required <= 0:  # the baseline already met the target and the value has fallen back since
        return _Assessment(ProgressStatus.DETERIORATION, method, observed, required)
    ratio = observed / required
    if ratio >= ON_TRACK_RATIO:
        status = ProgressStatus.ON_TRACK
    elif ratio >= SOME_PROGRESS_RATIO:
        status = ProgressStatus.ACCELERATION_NEEDED
    elif ratio >= 0:
        status = ProgressStatus.LIMITED_PROGRESS
    else:
        status = ProgressStatus.DETERIORATION
    return _Assessment(status, method, observed, required, ratio)


def _progress_score(progress: NumericProgress) -> float | None:
    """A number's score for roll-ups: its share of the way to the target, kept within 0 to 1."""
    if progress.status is ProgressStatus.TARGET_MET:
        return 1.0
    if progress.share_of_way is None:
        return None
    return min(1.0, max(0.0, progress.share_of_way))


# -- comparison ---------------------------------------------------------------------------------------


def newcombe_difference(count_a: int, base_a: int, count_b: int, base_b: int) -> tuple[float, float]:
    """95% interval for p_a − p_b of two independent shares: Newcombe's hybrid score method (1998, method 10)."""
    p_a, p_b = count_a / base_a, count_b / base_b
    low_a, high_a = wilson_interval(count_a, base_a)
    low_b, high_b = wilson_interval(count_b, base_b)
    difference = p_a - p_b
    low = difference - math.sqrt((p_a - low_a) ** 2 + (high_b - p_b) ** 2)
    high = difference + math.sqrt((high_a - p_a) ** 2 + (p_b - low_b) ** 2)
    return max(-1.0, low), min(1.0, high)


def newcombe_paired_difference(both: int, only_a: int, only_b: int, neither: int) -> tuple[float, float]:
    """95% interval for p_a − p_b measured on the same units (Newcombe 1998b, method 10, with its φ correction).

    ``only_a`` counts units with the answer in a but not in b; ``only_b`` the reverse.
    """
    n = both + only_a + only_b + neither
    p_a, p_b = (both + only_a) / n, (both + only_b) / n
    low_a, high_a = wilson_interval(both + only_a, n)
    low_b, high_b = wilson_interval(both + only_b, n)
    margins = (both + only_a) * (only_b + neither) * (both + only_b) * (only_a + neither)
    cross = both * neither - only_a * only_b
    corrected = cross - n / 2 if cross > n / 2 else (cross if cross < 0 else 0)
    phi = corrected / math.sqrt(margins) if margins else 0.0
    difference = p_a - p_b
    d_low_a, d_high_b = p_a - low_a, high_b - p_b
    d_low_b, d_high_a = p_b - low_b, high_a - p_a
    low = difference - math.sqrt(max(0.0, d_low_a**2 - 2 * phi * d_low_a * d_high_b + d_high_b**2))
    high = difference + math.sqrt(max(0.0, d_low_b**2 - 2 * phi * d_low_b * d_high_a + d_high_a**2))
    return max(-1.0, low), min(1.0, high)


class _Pairing:
    """Units that responded in both periods, lined up so their answers can be compared pair by pair."""

    def __init__(self, before: _ReturnsView, after: _ReturnsView, unit_ids: Sequence[str]) -> None:
        before_at = {unit_id: i for i, unit_id in enumerate(before.unit_ids)}
        after_at = {unit_id: i for i, unit_id in enumerate(after.unit_ids)}
        self.before, self.after = before, after
        self.before_positions = [before_at[unit_id] for unit_id in unit_ids]
        self.after_positions = [after_at[unit_id] for unit_id in unit_ids]

    def pairs(self, question_id: str) -> Counter[tuple[int, int]]:
        """How many units gave each (earlier option, later option) pair, among units answering both times."""
        before = bytes(map(self.before.effective(question_id).__getitem__, self.before_positions))
        after = bytes(map(self.after.effective(question_id).__getitem__, self.after_positions))
        counted = Counter(zip(before, after, strict=True))
        return Counter({pair: n for pair, n in counted.items() if NO_ANSWER not in pair})


def _score_change(before: float, after: float, se: float | None) -> ScoreChange:
    change = after - before
    interval = Interval(low=change - Z95 * se, high=change + Z95 * se) if se is not None else None
    return ScoreChange(
        before=before,
        after=after,
        change=change,
        se=se,
        interval=interval,
        distinguishable=interval.excludes_zero() if interval is not None else False,
    )


def _trend(before_present: bool, after_present: bool, after_withheld: bool, change: ScoreChange | None) -> Trend:
    if after_withheld:
        return Trend.WITHDRAWN
    if not after_present:
        return Trend.WITHDRAWN if before_present else Trend.NO_DATA
    if not before_present:
        return Trend.NEW
    if change is None or not change.distinguishable:
        return Trend.NO_CLEAR_CHANGE
    return Trend.IMPROVED if change.change > 0 else Trend.WORSENED


def _has_figures(distribution: Distribution) -> bool:
    return not distribution.withheld and bool(distribution.base)


def _question_change(
    question: Question, before: Distribution, after: Distribution, pairing: _Pairing | None
) -> QuestionChange:
    both = _has_figures(before) and _has_figures(after)
    shares: list[ShareChange] = []
    change = None
    before_base, after_base = before.base, after.base
    if both and pairing is not None:
        pairs = pairing.pairs(question.id)
        n = sum(pairs.values())
        before_base = after_base = n
        if n:
            for index, option in enumerate(question.scale.options):
                kept = pairs[(index, index)]
                gained = sum(c for (_, a), c in pairs.items() if a == index) - kept
                lost = sum(c for (b, _), c in pairs.items() if b == index) - kept
                low, high = newcombe_paired_difference(kept, gained, lost, n - kept - gained - lost)
                shares.append(_share_change(option, (kept + lost) / n, (kept + gained) / n, low, high))
        change = _paired_score_change(question.scale.options, pairs)
    elif both:
        for option, then, now in zip(question.scale.options, before.options, after.options, strict=True):
            if then.count is None or now.count is None or before.base is None or after.base is None:
                continue
            low, high = newcombe_difference(now.count, after.base, then.count, before.base)
            shares.append(
                _share_change(option, then.count / before.base, now.count / after.base, low, high),
            )
        if before.score is not None and after.score is not None:
            se = (
                math.hypot(before.score_se, after.score_se)
                if before.score_se is not None and after.score_se is not None
                else None
            )
            change = _score_change(before.score, after.score, se)
    return QuestionChange(
        id=question.id,
        label=question.label,
        indicator=question.indicator.id,
        before_base=before_base,
        after_base=after_base,
        shares=tuple(shares),
        score=change,
        trend=_trend(_has_figures(before), _has_figures(after), after.withheld, change),
    )


def _share_change(option: Option, before: float, after: float, low: float, high: float) -> ShareChange:
    interval = Interval(low=100 * low, high=100 * high)
    return ShareChange(
        option=option.id,
        label=option.label,
        before=100 * before,
        after=100 * after,
        change=100 * (after - before),
        interval=interval,
        distinguishable=interval.excludes_zero(),
    )


def _paired_score_change(options: Sequence[Option], pairs: Counter[tuple[int, int]]) -> ScoreChange | None:
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
    return _score_change(before, after, se)


def _combined_change(parts: Sequence[tuple[float, ScoreChange]]) -> ScoreChange | None:
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
    return _score_change(before, after, se)


def _compare(catalog: Catalog, before: Results, after: Results, pairing: _Pairing | None) -> Comparison:
    """Changes per question, indicator and recommendation; every change is after − before."""
    questions = {
        then.id: _question_change(catalog.questions[then.id], then, now, pairing)
        for then, now in zip(before.indicators, after.indicators, strict=True)
    }
    earlier_scores = {found.id: found for found in before.indicator_scores}
    later_scores = {found.id: found for found in after.indicator_scores}
    indicators: dict[str, IndicatorChange] = {}
    for indicator in catalog.indicators:
        then, now = earlier_scores[indicator.id], later_scores[indicator.id]
        change: ScoreChange | None
        if isinstance(indicator, ScaleIndicator):
            parts = [c.score for c in questions.values() if c.indicator == indicator.id and c.score is not None]
            change = _combined_change([(1.0, part) for part in parts])
        elif then.score is not None and now.score is not None:
            change = _score_change(then.score, now.score, 0.0)
        else:
            change = None
        indicators[indicator.id] = IndicatorChange(
            id=indicator.id,
            label=indicator.text,
            kind=indicator.kind,
            score=change,
            trend=_trend(then.score is not None, now.score is not None, now.withheld, change),
        )
    recommendations = []
    for recommendation, was, is_now in zip(
        catalog.recommendations, before.recommendations, after.recommendations, strict=True
    ):
        own = catalog.indicators_for(recommendation.id)
        moved = [(i.weight, indicators[i.id]) for i in own]
        change = _combined_change([(weight, c.score) for weight, c in moved if c.score is not None])
        by_trend: dict[Trend, list[str]] = {}
        for _, c in moved:
            by_trend.setdefault(c.trend, []).append(c.id)
        recommendations.append(
            RecommendationChange(
                id=recommendation.id,
                title=recommendation.title,
                score=change,
                trend=_trend(was.score is not None, is_now.score is not None, False, change),
                improved=tuple(by_trend.get(Trend.IMPROVED, ())),
                worsened=tuple(by_trend.get(Trend.WORSENED, ())),
                new=tuple(by_trend.get(Trend.NEW, ())),
                withdrawn=tuple(by_trend.get(Trend.WITHDRAWN, ())),
            )
        )
    return Comparison(
        period=after.period,
        baseline=before.period,
        baseline_source=before.source,
        both_years_only=pairing is not None,
        units_in_both=len(pairing.after_positions) if pairing is not None else None,
        questions=tuple(questions.values()),
        indicators=tuple(indicators.values()),
        recommendations=tuple(recommendations),
    )


# -- small helpers ------------------------------------------------------------------------------------


def _units(count: int) -> str:
    return f"{count} unit{'s' if count != 1 else ''}"


def _percent_text(share: Fraction) -> str:
    return f"{round_half_up(100 * share)}%"
