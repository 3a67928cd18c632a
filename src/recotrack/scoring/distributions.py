"""A distribution per question: counts, shares, score, and the flags on them, from returns or tallies alike.

:func:`distribution` is the one place every derived figure of a question is worked out from its
counts, whichever evidence the counts came from.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from recotrack import display
from recotrack.evidence.model import Tally
from recotrack.evidence.rules import printed_at, printed_decimals
from recotrack.method import Method, exact
from recotrack.model import DEFAULT_BANDS, Band, Option, OptionRole, Question
from recotrack.results import Distribution, Flag, FlagCode, OptionCount, Share

__all__ = ["Counted", "Ident", "counted_from_tally", "differences_from_published", "distribution", "merge"]


@dataclass(frozen=True)
class Counted:
    """What a distribution is built from, whether counted from returns or read from published tallies."""

    counts: tuple[int | None, ...] | None
    """Per option in scale order; None when the period has no figures for the question."""
    base: int | None
    item_non_response: int | None = None
    not_applicable_by_condition: int | None = None
    answered_when_not_applicable: int | None = None
    asked: int | None = None
    """Responding units the question is asked of (its audience)."""
    invited: int | None = None
    """Invited units the question is asked of."""


@dataclass(frozen=True)
class Ident:
    """What names a question in its distribution."""

    id: str
    label: str
    indicator: str
    item: str | None
    section: str | None
    scale: str
    scored: bool = True
    asked_of: tuple[str, ...] = ()
    dont_know_means: str | None = None

    @classmethod
    def of(cls, question: Question) -> Ident:
        return cls(
            id=question.id,
            label=question.label,
            indicator=question.indicator.id,
            item=question.item.label if question.item else None,
            section=question.indicator.section,
            scale=question.scale.id,
            scored=question.scored,
            asked_of=question.audience,
            dont_know_means=question.scale.dont_know_means,
        )


def distribution(
    ident: Ident,
    options: Sequence[Option],
    counted: Counted,
    withdrawn_reason: str | None,
    source_flags: Sequence[Flag],
    method: Method,
) -> Distribution:
    """Every derived figure of a distribution, from its counts: the single place they are worked out."""
    if withdrawn_reason is not None:
        counted = Counted(None, None)
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
                score_printed=display.score(option.score, method.bands),
                count=count,
                percent=shown.percent if shown else None,
                printed=shown.printed if shown else None,
                interval=shown.interval if shown else None,
            )
        )
    dont_know = _role_share(options, counts, denominator, OptionRole.DONT_KNOW)
    not_applicable = _role_share(options, counts, denominator, OptionRole.NOT_APPLICABLE)
    mean, se, scored = mean_score(options, counts) if ident.scored else (None, None, None)
    flags = [*source_flags, *_answer_flags(ident, counted, dont_know, not_applicable, method)]
    band = method.band(mean)
    response = Share.of(counted.asked, counted.invited) if counted.invited and counted.asked is not None else None
    return Distribution(
        id=ident.id,
        label=ident.label,
        indicator=ident.indicator,
        item=ident.item,
        section=ident.section,
        scale=ident.scale,
        withdrawn=withdrawn_reason is not None,
        withdrawn_reason=withdrawn_reason,
        base=counted.base,
        options=tuple(option_counts),
        item_non_response=counted.item_non_response,
        not_applicable_by_condition=counted.not_applicable_by_condition,
        answered_when_not_applicable=counted.answered_when_not_applicable,
        score=mean,
        score_printed=display.score(mean, method.bands),
        score_se=se,
        scored_base=scored,
        band=band.id if band else None,
        band_label=band.label if band else None,
        dont_know=dont_know,
        not_applicable=not_applicable,
        flags=tuple(flags),
        scored=ident.scored,
        asked_of=ident.asked_of,
        asked=counted.asked,
        invited=counted.invited,
        response=response,
    )


def _answer_flags(
    ident: Ident, counted: Counted, dont_know: Share | None, not_applicable: Share | None, method: Method
) -> list[Flag]:
    """Flags on how a question was answered; share flags only from the method's minimum base."""
    flags: list[Flag] = []
    thresholds = method.flags
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
    if (counted.base or 0) < thresholds.min_base:
        return flags
    if dont_know is not None and dont_know.exact >= exact(thresholds.dont_know):
        meaning = f": {ident.dont_know_means}" if ident.dont_know_means else ""
        flags.append(
            Flag(
                code=FlagCode.HIGH_DONT_KNOW,
                message=f"{dont_know.printed}% answered 'don't know' (flagged from "
                f"{display.share(exact(thresholds.dont_know))}){meaning}",
            )
        )
    if ident.scored and not_applicable is not None and not_applicable.exact >= exact(thresholds.not_applicable):
        flags.append(
            Flag(
                code=FlagCode.HIGH_NOT_APPLICABLE,
                message=f"{not_applicable.printed}% answered 'not applicable' to a question that applied to them "
                f"(flagged from {display.share(exact(thresholds.not_applicable))})",
            )
        )
    return flags


def _units(count: int) -> str:
    return f"{count} unit{'s' if count != 1 else ''}"


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


def mean_score(
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
    reason = (a.withdrawn_reason or b.withdrawn_reason) if a.withdrawn or b.withdrawn else None
    ident = Ident(a.id, a.label, a.indicator, a.item, a.section, a.scale, a.scored, a.asked_of)
    options = [Option(id=o.id, label=o.label, score=o.score, role=o.role) for o in a.options]
    counts = tuple(_add(x.count, y.count) for x, y in zip(a.options, b.options, strict=True))
    counted = Counted(
        counts=counts,
        base=_add(a.base, b.base),
        item_non_response=_add(a.item_non_response, b.item_non_response),
        not_applicable_by_condition=_add(a.not_applicable_by_condition, b.not_applicable_by_condition),
        answered_when_not_applicable=_add(a.answered_when_not_applicable, b.answered_when_not_applicable),
        asked=_add(a.asked, b.asked),
        invited=a.invited if a.invited == b.invited else None,  # the same period's invited population
    )
    method = Method(bands=tuple(sorted(bands, key=lambda band: band.min_score)))
    return distribution(ident, options, counted, reason, (), method)


def _add(x: int | None, y: int | None) -> int | None:
    return None if x is None or y is None else x + y


def counted_from_tally(question: Question, tally: Tally | None, flags: list[Flag]) -> Counted:
    """Counts as published; one missing option count is the base less the others (the base is who answered)."""
    if tally is None or tally.withheld:
        return Counted(None, None)
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
    for option_id in tally.derived:
        if base and option_id in question.scale.option_ids:
            option = question.scale.option(option_id)
            flags.append(
                Flag(
                    code=FlagCode.COUNT_FROM_PERCENT,
                    message=f"'{option.label}' has no published count; its count {by_option.get(option_id)} is "
                    f"derived from the printed {tally.printed.get(option_id)}% of the base {base}",
                )
            )
    if base:
        printed = {question.scale.resolve(key) or key: value for key, value in tally.printed.items()}
        for option, count in zip(question.scale.options, counts, strict=True):
            if count is None or option.id not in printed:
                continue
            decimals = printed_decimals(printed[option.id])
            computed = printed_at(count, base, decimals)
            if computed != Fraction(Decimal(repr(float(printed[option.id])))):
                flags.append(
                    Flag(
                        code=FlagCode.PRINTED_DIFFERS,
                        message=f"'{option.label}' is printed as {printed[option.id]}% but {count} of {base} "
                        f"is {float(computed):.{decimals}f}%",
                    )
                )
    return Counted(tuple(counts), base)


def differences_from_published(question: Question, counted: Counted, tally: Tally) -> list[Flag]:
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
