"""Every rule evidence must follow, whatever format it came in: readers parse, these rules check.

A rule looks at one thing (a unit id, an answer, a published tally, a period…) and says what is
wrong with it as a :class:`~recotrack.errors.Finding`: the message, what was found and what was
expected, and, for rules about a part of an entry, the field path inside it. Where the thing was
read (file, line, column) is the caller's business. So YAML returns, tidy CSV and wide CSV are held
to the same rules in the same words, and other code (scoring) can use the same arithmetic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from recotrack._rounding import round_half_up
from recotrack._wording import declared_id, one_of, one_of_options
from recotrack.errors import Finding, Severity
from recotrack.evidence.files import LifecycleEntry, TallyEntry
from recotrack.evidence.model import Location, ReturnInfo
from recotrack.model import (
    Catalog,
    MilestoneIndicator,
    NumericIndicator,
    Question,
    ScaleIndicator,
    Units,
    normalise_label,
)
from recotrack.periods import period_problem

# -- arithmetic shared with scoring -----------------------------------------------------------------


def printed_percentage(count: int, base: int) -> int:
    """The whole percentage a publisher prints for ``count`` of ``base``: exact, rounded half up.

    Published figures are checked against this (the evidence warns, scoring flags ``printed-differs``),
    so both must compute it the same way. ``base`` must be positive.
    """
    return round_half_up(Fraction(100 * count, base))


# -- rules that need nothing but the value ------------------------------------------------------


def invalid_period(period: str) -> Finding | None:
    """The period rule of :mod:`recotrack.periods`, as evidence reports it."""
    problem = period_problem(period)
    if problem is None:
        return None
    return Finding((), problem[0], repr(period), problem[1])


def spaced_id(written: str) -> Finding:
    """A question id written with spaces around it: ids are compared exactly as written, so it is not read."""
    return Finding(
        (),
        "a question id with spaces around it; ids are compared exactly as written, so it is not read",
        repr(written),
        repr(written.strip()),
    )


def submitted_date(text: str) -> dt.date | Finding:
    """A return's submission date as written in CSV; a warning when it is not a date (the return is kept)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return Finding(
            (), "not a date; the return is read without it", repr(text), "a date written YYYY-MM-DD", Severity.WARNING
        )


def winning_return(returns: Sequence[ReturnInfo]) -> ReturnInfo | None:
    """Which of several returns of one unit for one period counts; None when none can be told to.

    The latest ``submitted`` date wins, whatever the format or the order the returns are read in.
    Among returns with the same latest date, or when none is dated, the one marked ``supersedes``
    wins if exactly one is; otherwise none does (an error: they cannot be told apart). Returns
    without a date never win over dated ones (:func:`competing_returns` makes each an error).
    """
    if len(returns) == 1:
        return returns[0]
    dated = [r for r in returns if r.submitted is not None]
    top = list(returns)
    if dated:
        latest = max(r.submitted for r in dated if r.submitted is not None)
        top = [r for r in dated if r.submitted == latest]
    if len(top) == 1:
        return top[0]
    marked = [r for r in top if r.supersedes]
    return marked[0] if len(marked) == 1 else None


def competing_returns(
    returns: Sequence[ReturnInfo], winner: ReturnInfo | None
) -> list[tuple[ReturnInfo, Finding, str | None]]:
    """What to say about each of several returns of one unit and period, and why one is left out (None: by design).

    Every return but the winner is left out of figures: a later or marked correction replaces it (a
    warning, said once at the winner), while a return without a date among dated ones, or returns
    that cannot be told apart, are errors.
    """
    ordered = sorted(returns, key=lambda r: (r.location.file, r.location.line))
    unit, period = ordered[0].unit, ordered[0].period
    said = f"for unit {unit!r} in period {period!r}"
    dated = any(r.submitted is not None for r in returns)
    found: list[tuple[ReturnInfo, Finding, str | None]] = []
    replaced: list[ReturnInfo] = []
    tied = [] if winner is not None else _tied(returns)
    for info in ordered:
        if info is winner:
            continue
        others = ", ".join(str(r.location) for r in ordered if r is not info)
        if dated and info.submitted is None:
            found.append(
                (
                    info,
                    Finding(
                        (),
                        f"this return {said} has no `submitted` date, but others do ({others}): which is the "
                        "latest cannot be told, so it is not read",
                        expected="a `submitted` date on every return of a unit and period (the latest one counts)",
                    ),
                    "undated-return",
                )
            )
        elif any(info is t for t in tied):
            when = f"all submitted on {info.submitted}" if info.submitted else "none dated"
            found.append(
                (
                    info,
                    Finding(
                        (),
                        f"returns {said} that cannot be told apart ({when}; also at {others}): none of them is read",
                        expected="one return per unit and period; for a correction, a later `submitted` date, "
                        "or `supersedes: true` on exactly one",
                    ),
                    "conflicting-returns",
                )
            )
        else:
            replaced.append(info)
    if winner is not None and replaced:
        why = f" (submitted {winner.submitted}, the latest)" if winner.submitted is not None and dated else ""
        listed = ", ".join(str(r.location) for r in replaced)
        ones = "the one at" if len(replaced) == 1 else "the ones at"
        which = "which is" if len(replaced) == 1 else "which are"
        message = f"this return {said}{why} supersedes {ones} {listed}, {which} left out of figures"
        found.append((winner, Finding((), message, severity=Severity.WARNING), None))
    elif replaced:
        listed = ", ".join(str(r.location) for r in replaced)
        message = f"the return{'s' if len(replaced) > 1 else ''} {said} at {listed} are superseded by later ones "
        message += "that cannot be told apart; left out of figures"
        found.append((replaced[0], Finding((), message, severity=Severity.WARNING), None))
    return found


def _tied(returns: Sequence[ReturnInfo]) -> list[ReturnInfo]:
    """The returns that share the winning place, when none wins."""
    dated = [r for r in returns if r.submitted is not None]
    if not dated:
        return list(returns)
    latest = max(r.submitted for r in dated if r.submitted is not None)
    return [r for r in dated if r.submitted == latest]


def not_invited(unit: str, period: str) -> Finding:
    return Finding(
        (),
        f"unit {unit!r} was not invited to report for period {period!r}",
        expected="units listed under `invited` in units.yaml for this period",
        severity=Severity.WARNING,
    )


def second_answer(question: str, raw: str, first_line: int) -> Finding:
    return Finding(
        (),
        f"a second answer to {question} in the same return; only the first (line {first_line}) is kept",
        repr(raw),
        "one answer per question",
    )


def unknown_option(question: Question, raw: str) -> Finding:
    """An answer that names no option of the question's scale, with the nearest option suggested."""
    return Finding(
        (),
        f"not an answer on the scale of {question.id} ({question.scale.id})",
        repr(raw),
        one_of_options(raw, question.scale.options),
    )


def withdrawn_answers(count: int, indicator_id: str, period: str, reason: str | None) -> Finding:
    return Finding(
        (),
        f"{count} answer{'s' if count != 1 else ''} to withdrawn question {indicator_id} in period "
        f"{period!r} kept in the data and left out of figures ({reason})",
        severity=Severity.WARNING,
    )


def tallies_twice(period: str, first: Location) -> Finding:
    return Finding(
        ("period",),
        f"published tallies for period {period!r} are given twice",
        expected=f"one `tallies:` per period (first at {first})",
    )


def printed_decimals(value: float) -> int:
    """How many decimals a percentage was printed with: 0 for ``24``, 1 for ``24.6`` (or ``24.0``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return 0
    exponent = Decimal(repr(float(value))).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def printed_at(count: int, base: int, decimals: int) -> Fraction:
    """The percentage a publisher prints for ``count`` of ``base`` at ``decimals`` decimals, rounded half up."""
    scale = 10**decimals
    return Fraction(round_half_up(Fraction(100 * count * scale, base)), scale)


def counts_for_printed(value: float, base: int) -> range:
    """Every count whose share of ``base`` prints as ``value`` (at the decimals it was printed with)."""
    decimals = printed_decimals(value)
    scale = 10**decimals
    shown = Fraction(Decimal(repr(float(value)))) * scale  # a whole number of tenths (or units)
    # round_half_up(100·c·scale/base) == shown  ⇔  (2·shown − 1)·base ≤ 200·c·scale < (2·shown + 1)·base
    low = max(0, -(-((2 * shown - 1) * base) // (200 * scale)))
    high = min(base, -(-((2 * shown + 1) * base) // (200 * scale)) - 1)
    return range(int(low), int(high) + 1)


def check_tally(question: Question, tally: TallyEntry) -> tuple[dict[str, int], dict[str, float], list[Finding]]:
    """A published tally's counts and printed percentages by option id, and what is wrong with it.

    Findings point inside the tally (``("counts", "Yes")``, ``("base",)``…). Options that are not
    on the scale, and negative counts, are left out of what is returned. An option printed with a
    percentage but no count gets the count derived from the base, when exactly one count prints as
    that percentage (rounded half up at the decimals it was printed with); a warning says so, and
    an error when no count or several do. Percentages may be printed with one decimal.
    """
    found: list[Finding] = []
    counts: dict[str, int] = {}
    printed: dict[str, float] = {}
    for target, source, name in ((counts, tally.counts, "counts"), (printed, tally.printed, "printed")):
        for option, number in source.items():
            option_id = question.scale.resolve(option)
            if option_id is None:
                found.append(
                    Finding(
                        (name, option),
                        f"not an option of {question.id}'s scale",
                        repr(option),
                        "one of " + ", ".join(question.scale.option_ids),
                    )
                )
            elif number < 0:
                found.append(Finding((name, option), "a count cannot be negative", str(number)))
            elif name == "printed" and printed_decimals(number) > 1:
                found.append(
                    Finding(
                        (name, option),
                        "a percentage printed with more than one decimal",
                        repr(number),
                        "at most one decimal, as printed",
                    )
                )
            else:
                target[option_id] = number  # type: ignore[assignment]
    if tally.base:
        for option_id, shown in printed.items():
            if option_id in counts:
                continue
            candidates = counts_for_printed(shown, tally.base)
            if len(candidates) == 1:
                counts[option_id] = candidates[0]
                found.append(
                    Finding(
                        ("printed", option_id),
                        f"no count is published for {option_id!r}: {candidates[0]} is derived from the printed "
                        f"{_percent(shown)} of the base {tally.base} (the only count that rounds to it)",
                        severity=Severity.WARNING,
                    )
                )
            else:
                what = (
                    f"counts {candidates[0]} to {candidates[-1]} all round to it"
                    if candidates
                    else "no count rounds to it"
                )
                found.append(
                    Finding(
                        ("printed", option_id),
                        f"no count is published for {option_id!r}, and none can be derived from the printed "
                        f"{_percent(shown)} of the base {tally.base}: {what}",
                        expected="the count as published (`counts:`)",
                    )
                )
    total = sum(counts.values())
    if tally.base is not None and total > tally.base:
        found.append(
            Finding(
                ("base",),
                f"the counts add up to {total}, more than the base",
                str(tally.base),
                f"a base of at least {total}",
            )
        )
    elif tally.base is not None and len(counts) == len(question.scale.options) and total != tally.base:
        found.append(
            Finding(
                ("base",), f"the counts of every option add up to {total}, not the base", str(tally.base), str(total)
            )
        )
    elif tally.base and printed:
        for option_id, shown in printed.items():
            count = counts.get(option_id, 0)
            exact = printed_at(count, tally.base, printed_decimals(shown))
            if Fraction(Decimal(repr(float(shown)))) != exact:
                found.append(
                    Finding(
                        ("printed", option_id),
                        f"printed percentage differs from {count}/{tally.base} rounded half up",
                        _percent(shown),
                        _percent(exact, printed_decimals(shown)),
                        Severity.WARNING,
                    )
                )
    if tally.withheld and not question.indicator.withdrawn:
        found.append(
            Finding(
                (),
                f"figures for {question.id} are marked withheld, but the catalog does not mark the question withdrawn",
                expected="`withdrawn:` with the reason in the catalog",
                severity=Severity.WARNING,
            )
        )
    return counts, printed, found


def derived_counts(question: Question, tally: TallyEntry, counts: Mapping[str, int]) -> tuple[str, ...]:
    """The options of ``counts`` (from :func:`check_tally`) whose count was derived, not published."""
    published = {question.scale.resolve(option) for option in tally.counts}
    return tuple(option for option in counts if option not in published)


def _percent(value: float | Fraction, decimals: int | None = None) -> str:
    if isinstance(value, Fraction):
        places = decimals or 0
        return f"{float(value):.{places}f}%"
    return f"{value:g}%" if isinstance(value, int) else f"{value}%"


# -- rules that need the catalog or the units -----------------------------------------------------


class CatalogRules:
    """The rules that look evidence up in the catalog and the units (with what they learn cached: rows repeat)."""

    def __init__(self, catalog: Catalog, unit_ids: tuple[str, ...], units: Units | None = None) -> None:
        self.catalog = catalog
        self.unit_ids = unit_ids
        self.units = units if units is not None else Units()
        self.questions = catalog.questions
        self._indicators = {indicator.id: indicator for indicator in reversed(catalog.indicators)}
        """Id → the first indicator of that id (ids are unique in a valid catalog)."""
        self._unanswerable: dict[str, Finding] = {}
        self._recommendations = {r.id for r in catalog.recommendations}
        self._unknown_units: dict[str, Finding] = {}

    def unknown_unit(self, unit: str) -> Finding:
        """An unknown unit id, with the nearest declared one (worked out once per id: floods stay linear)."""
        finding = self._unknown_units.get(unit)
        if finding is None:
            if not self.unit_ids:
                finding = Finding(
                    (), "unknown unit: the tracker declares no units", repr(unit), "units listed in units.yaml"
                )
            else:
                finding = Finding((), "unknown unit", repr(unit), declared_id(unit, self.unit_ids))
            if len(self._unknown_units) < 100_000 and len(unit) <= 200:
                self._unknown_units[unit] = finding
        return finding

    def outside_audience(self, question: str, unit: str, audience: tuple[str, ...]) -> Finding:
        """An answer from a unit whose kind the question is not asked of (``asked_of``): not read."""
        found = self.units.by_id.get(unit)
        kind = found.kind if found is not None else "?"
        labels = {k.id: k.label for k in self.units.kinds}
        asked = " or ".join(f"{labels.get(k, k)} ({k})" for k in audience)
        return Finding(
            (),
            f"{question} is asked only of {asked}; unit {unit!r} is a {labels.get(kind, kind)} ({kind}), "
            "so its answer is not read",
            expected=f"answers to {question} only from units of kind {', '.join(audience)}, or the kind added to "
            "its `asked_of` in the catalog",
        )

    def unit_of_kind(self, unit: str, audience: tuple[str, ...], indicator_id: str) -> Finding | None:
        """What is wrong with evidence of ``indicator_id`` for ``unit`` (``unit:`` of a value or milestone)."""
        found = self.units.by_id.get(unit)
        if found is None:
            return Finding(("unit",), *self._unknown_unit_parts(unit))
        if audience and found.kind not in audience:
            labels = {k.id: k.label for k in self.units.kinds}
            return Finding(
                ("unit",),
                f"{indicator_id} is measured only for {' or '.join(labels.get(k, k) for k in audience)} units; "
                f"{unit!r} is a {labels.get(found.kind, found.kind)}",
                repr(unit),
                f"a unit of kind {', '.join(audience)}",
            )
        return None

    def _unknown_unit_parts(self, unit: str) -> tuple[str, str, str]:
        finding = self.unknown_unit(unit)
        return finding.message, finding.found or repr(unit), finding.expected or ""

    def unanswerable(self, question: str) -> Finding:
        """Why ``question`` cannot be answered (a grid, a milestone, a number, or unknown), and what to write."""
        finding = self._unanswerable.get(question)
        if finding is None:
            indicator = self._indicators.get(question)
            if isinstance(indicator, ScaleIndicator) and indicator.items:
                message = f"{question} is a grid: answer each of its items"
                expected = f"an item id such as '{question}/{indicator.items[0].slug}'"
            elif isinstance(indicator, MilestoneIndicator):
                message = f"{question} is a milestone, not a question"
                expected = "its status under `milestones:` in a YAML evidence file"
            elif isinstance(indicator, NumericIndicator):
                message = f"{question} is a numeric indicator, not a question"
                expected = "its value under `values:` in a YAML evidence file"
            else:
                message, expected = "unknown question", declared_id(question, self.questions)
            finding = Finding((), message, repr(question), expected)
            if len(self._unanswerable) < 100_000 and len(question) <= 200:
                self._unanswerable[question] = finding
        return finding

    def unread_column(self, title: str) -> Finding:
        """A wide CSV column whose header names no question (nor a printed text mapped to one)."""
        reason = self.unanswerable(title)
        return Finding(
            (),
            f"column not read: {reason.message}",
            reason.found,
            f"{reason.expected} (or map the printed question text with `column_map:`)",
        )

    def text_entry(self, question: str, *, comment: bool) -> Finding | None:
        """What is wrong with attaching a free-text 'other' entry or comment to ``question``, if anything."""
        indicator = self._indicators.get(question)
        if indicator is None and question not in self.questions:
            return Finding((), "unknown question", repr(question), declared_id(question, self.questions))
        if not comment and not (isinstance(indicator, ScaleIndicator) and indicator.other is not None):
            return self.no_other_entries(question)
        return None

    def no_other_entries(self, question: str) -> Finding:
        return Finding(
            (),
            f"question {question} takes no free-text 'other' entries",
            repr(question),
            "a question whose catalog entry has `other:`",
        )

    def takes_other_entries(self, question: str) -> bool:
        return getattr(self._indicators.get(question), "other", None) is not None

    def milestone_status(self, indicator_id: str, status: str) -> str | Finding:
        """The status id that ``status`` names on the milestone's scale, or what is wrong."""
        indicator = self._indicators.get(indicator_id)
        if not isinstance(indicator, MilestoneIndicator):
            milestones = [i.id for i in self.catalog.indicators if isinstance(i, MilestoneIndicator)]
            return Finding(
                ("indicator",),
                "not a milestone indicator",
                repr(indicator_id),
                "one of " + ", ".join(milestones) if milestones else "a milestone declared in the catalog",
            )
        statuses = self.catalog.scale(indicator.statuses)
        found = statuses.resolve(status)
        if found is None:
            return Finding(
                ("status",),
                f"not a status of {indicator.id} ({statuses.id})",
                repr(status),
                "one of " + ", ".join(statuses.option_ids),
            )
        return found

    def not_asked(self, question: Question, period: str) -> Finding | None:
        """An answer to a question of another questionnaire: the periods name the questions they asked."""
        if question.indicator.asked_in(period):
            return None
        return Finding(
            (),
            f"question {question.id} was not asked in {period}",
            repr(question.id),
            f"a question of the {period} questionnaire ({question.id} was asked in "
            f"{', '.join(question.indicator.periods)})",
        )

    def lifecycle_statement(self, entry: LifecycleEntry) -> list[Finding]:
        """What is wrong with a lifecycle statement: an unknown subject, or a word outside its vocabulary."""
        found: list[Finding] = []
        if entry.recommendation is not None and entry.recommendation not in self._recommendations:
            found.append(
                Finding(
                    ("recommendation",),
                    "unknown recommendation",
                    repr(entry.recommendation),
                    declared_id(entry.recommendation, self._recommendations),
                )
            )
        if entry.indicator is not None and not isinstance(self._indicators.get(entry.indicator), MilestoneIndicator):
            milestones = [i.id for i in self.catalog.indicators if isinstance(i, MilestoneIndicator)]
            found.append(
                Finding(("indicator",), "not a milestone indicator", repr(entry.indicator), one_of(milestones))
            )
        if entry.superseded_by is not None and entry.superseded_by not in self._recommendations:
            found.append(
                Finding(
                    ("superseded_by",),
                    "unknown recommendation",
                    repr(entry.superseded_by),
                    declared_id(entry.superseded_by, self._recommendations),
                )
            )
        for field, scale, word in (
            ("response", self.catalog.response_scale, entry.response),
            ("implementation", self.catalog.implementation_scale, entry.implementation),
        ):
            if word is not None and scale.resolve(word) is None:
                found.append(
                    Finding((field,), f"not a {field} of {scale.id}", repr(word), one_of_options(word, scale.options))
                )
        return found

    def numeric_indicator(self, indicator_id: str) -> Finding | None:
        if isinstance(self._indicators.get(indicator_id), NumericIndicator):
            return None
        return Finding(
            ("indicator",), "not a numeric indicator", repr(indicator_id), "a numeric indicator declared in the catalog"
        )

    def column_map_entry(self, mapped: Mapping[str, str], header: str, question: Any) -> Finding | None:
        """What is wrong with mapping the column ``header`` to ``question``, given those ``mapped`` so far."""
        if not isinstance(question, str) or question not in self.questions:
            return Finding(
                (header,), "column mapped to an unknown question", repr(question), "a question or grid-item id"
            )
        key = normalise_label(header)
        if mapped.get(key, question) != question:
            return Finding(
                (header,), "this column header is already mapped to another question", repr(question), repr(mapped[key])
            )
        return None


def not_a_column_map() -> Finding:
    return Finding((), "`column_map` must map column headers to question ids", expected="a mapping")
