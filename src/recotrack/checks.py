"""Checks that span a whole catalog or unit list: references, duplicates and cycles.

Each check returns :class:`Finding` objects that point at a field path inside the catalog
(``("indicators", 12, "scale")``); the loader turns those paths into file, line and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence

from recotrack._wording import one_of
from recotrack.errors import FieldPath, Finding
from recotrack.model import (
    Catalog,
    Condition,
    Indicator,
    MilestoneIndicator,
    OptionRole,
    Question,
    Scale,
    ScaleIndicator,
    Units,
    normalise_label,
)


def unique_ids(section: str, first_used: str) -> str:
    """What a duplicate id should be, saying where the id was first used."""
    return f"ids unique in {section} (first used at {first_used})"


def _duplicates(section: str, ids: Sequence[str]) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for index, value in enumerate(ids):
        if value in first:
            yield Finding(
                (section, index, "id"),
                f"duplicate id {value!r}",
                expected=unique_ids(section, f"{section}[{first[value]}]"),
                first_at=(section, first[value]),
            )
        else:
            first[value] = index


def _find_cycle(edges: dict[str, str | None]) -> list[list[str]]:
    """Cycles in a graph where each node has at most one outgoing edge."""
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in edges:
        trail: list[str] = []
        node: str | None = start
        while node is not None and node not in done and node not in trail:
            trail.append(node)
            node = edges.get(node)
        if node is not None and node in trail:
            cycles.append(trail[trail.index(node) :])
        done.update(trail)
    return cycles


def check_catalog(catalog: Catalog) -> list[Finding]:
    """Every cross-reference problem in ``catalog``, in file order."""
    found: list[Finding] = []
    found += _duplicates("levels", [x.id for x in catalog.levels])
    found += _duplicates("themes", [x.id for x in catalog.themes])
    found += _duplicates("recommendations", [x.id for x in catalog.recommendations])
    found += _duplicates("scales", [x.id for x in catalog.scales])
    found += _duplicates("indicators", [x.id for x in catalog.indicators])
    found += _duplicates("bands", [x.id for x in catalog.bands])

    found += _duplicates_nested(("periods",), [p.id for p in catalog.periods])
    found += _period_order(catalog)
    paths = [source.path for source in catalog.evidence]
    found += [
        Finding(("evidence", i, "path"), "this path is in the evidence manifest twice", repr(p), "each path once")
        for i, p in _repeats(paths)
    ]

    documents = [d.id for d in catalog.review.documents]
    found += _duplicates_nested(("review", "documents"), documents)
    levels = [x.id for x in catalog.levels]
    themes = [x.id for x in catalog.themes]
    recommendations = {x.id: x for x in catalog.recommendations}
    scales = {x.id: x for x in catalog.scales}
    indicators = {x.id: x for x in catalog.indicators}

    def check_source(path: FieldPath, document: str | None) -> None:
        if document is not None and document not in documents:
            found.append(
                Finding(
                    (*path, "source", "document"),
                    "unknown source document",
                    repr(document),
                    one_of(documents, document),
                )
            )

    for index, rec in enumerate(catalog.recommendations):
        path: FieldPath = ("recommendations", index)
        if rec.level not in levels:
            found.append(Finding((*path, "level"), "unknown level", repr(rec.level), one_of(levels, rec.level)))
        for i, level in enumerate(rec.levels):
            if level not in levels and level != rec.level:
                found.append(Finding((*path, "levels", i), "unknown level", repr(level), one_of(levels, level)))
        found += [
            Finding((*path, "levels", i), "a level given twice", repr(level), "each level once")
            for i, level in _repeats(rec.levels)
        ]
        if rec.theme is not None and rec.theme not in themes:
            found.append(Finding((*path, "theme"), "unknown theme", repr(rec.theme), one_of(themes, rec.theme)))
        if rec.parent is not None and rec.parent not in recommendations:
            found.append(
                Finding(
                    (*path, "parent"),
                    "unknown parent recommendation",
                    repr(rec.parent),
                    one_of(recommendations, rec.parent),
                )
            )
        check_source(path, rec.source.document if rec.source else None)
    index_of = {rec.id: i for i, rec in enumerate(catalog.recommendations)}
    for cycle in _find_cycle({r.id: r.parent for r in catalog.recommendations}):
        found.append(
            Finding(
                ("recommendations", index_of[cycle[0]], "parent"),
                "recommendations are each other's parents: " + " → ".join([*cycle, cycle[0]]),
                expected="a tree of recommendations",
            )
        )

    for index, scale in enumerate(catalog.scales):
        path = ("scales", index)
        found += [
            Finding((*path, "options", i, "id"), "duplicate option id", repr(o), "option ids unique in a scale")
            for i, o in _repeats([o.id for o in scale.options])
        ]
        labels = [normalise_label(o.label) for o in scale.options]
        ids = {normalise_label(o.id): o.id for o in scale.options}
        for i, option in enumerate(scale.options):
            if labels.index(labels[i]) != i:
                found.append(
                    Finding(
                        (*path, "options", i, "label"),
                        "two options of this scale have the same label",
                        repr(option.label),
                        "labels that tell the options apart",
                    )
                )
            elif labels[i] in ids and ids[labels[i]] != option.id:
                found.append(
                    Finding(
                        (*path, "options", i, "label"),
                        "this label is another option's id",
                        repr(option.label),
                        "labels that cannot be mistaken for other options",
                    )
                )
            if option.role is OptionRole.SUBSTANTIVE and option.score is None:
                found.append(
                    Finding(
                        (*path, "options", i, "score"),
                        "a substantive option needs a score",
                        "no score",
                        "a number from 0 to 1",
                    )
                )
            if option.role is not OptionRole.SUBSTANTIVE and option.score is not None:
                found.append(
                    Finding(
                        (*path, "options", i, "score"),
                        f"a {option.role.value} option is outside the score and takes no score",
                        repr(option.score),
                        "no score",
                    )
                )

    questions = catalog.questions
    for index, indicator in enumerate(catalog.indicators):
        path = ("indicators", index)
        for i, measured in enumerate(indicator.measures):
            if measured not in recommendations:
                found.append(
                    Finding(
                        (*path, "measures", i),
                        "unknown recommendation",
                        repr(measured),
                        one_of(recommendations, measured),
                    )
                )
        check_source(path, indicator.source.document if indicator.source else None)
        if isinstance(indicator, MilestoneIndicator) and indicator.statuses not in scales:
            found.append(
                Finding(
                    (*path, "statuses"), "unknown scale", repr(indicator.statuses), one_of(scales, indicator.statuses)
                )
            )
        if not isinstance(indicator, ScaleIndicator):
            continue
        if indicator.scale not in scales:
            found.append(
                Finding((*path, "scale"), "unknown scale", repr(indicator.scale), one_of(scales, indicator.scale))
            )
        slugs: dict[str, int] = {}
        for i, item in enumerate(indicator.items):
            if not item.slug:
                found.append(
                    Finding(
                        (*path, "items", i),
                        "grid item label has no letters or digits to make an id",
                        repr(item.label),
                        "a label such as 'NHS commissioners'",
                    )
                )
            elif item.slug in slugs:
                found.append(
                    Finding(
                        (*path, "items", i),
                        f"grid item id {indicator.id}/{item.slug} collides with item {slugs[item.slug]}",
                        repr(item.label),
                        "labels that give different ids",
                    )
                )
            else:
                slugs[item.slug] = i
        conditions: list[tuple[FieldPath, Condition]] = []
        if indicator.applies_when is not None:
            conditions.append(((*path, "applies_when"), indicator.applies_when))
        conditions += [
            ((*path, "items", i, "applies_when"), item.applies_when)
            for i, item in enumerate(indicator.items)
            if item.applies_when is not None
        ]
        for where, condition in conditions:
            found += _check_condition(where, condition, questions, indicators)
    for index, scale in enumerate(catalog.scales):
        for i, option_id in enumerate(scale.benchmark):
            if option_id not in scale.option_ids:
                found.append(
                    Finding(
                        ("scales", index, "benchmark", i),
                        "not an option of this scale",
                        repr(option_id),
                        one_of(scale.option_ids, option_id),
                    )
                )
    depends = {question.id: [c.indicator for c in question.conditions] for question in questions.values()}
    for cycle in _find_cycles(depends):
        index = next(i for i, x in enumerate(catalog.indicators) if x.id == questions[cycle[0]].indicator.id)
        found.append(
            Finding(
                ("indicators", index, "applies_when", "indicator"),
                "conditions form a cycle: " + " → ".join([*cycle, cycle[0]]),
                expected="conditions that end at an unconditional question",
            )
        )
    found += _check_crosswalk(catalog)
    found += _check_lifecycle(catalog)
    return found


def _check_crosswalk(catalog: Catalog) -> list[Finding]:
    """Each pair names questions asked in the periods named, once, with a recode that covers every old option."""
    found: list[Finding] = []
    questions = catalog.questions
    seen: dict[tuple[str, str], int] = {}
    targets: dict[str, int] = {}
    for index, entry in enumerate(catalog.crosswalk):
        path: FieldPath = ("crosswalk", index)
        ends = []
        for field, ref in (("from", entry.source), ("to", entry.target)):
            question = questions.get(ref.question)
            if question is None:
                found.append(
                    Finding((*path, field), "unknown question", repr(ref.question), one_of(questions, ref.question))
                )
            elif not question.indicator.asked_in(ref.period):
                asked = ", ".join(question.indicator.periods)
                found.append(
                    Finding(
                        (*path, field),
                        f"question {ref.question} was not asked in {ref.period}",
                        repr(str(ref)),
                        f"a period it was asked in ({asked})",
                    )
                )
            ends.append(question)
        if entry.source.period == entry.target.period:
            found.append(
                Finding((*path, "to"), "a crosswalk pair must join two periods", repr(entry.to), "another period")
            )
        key = (entry.from_, entry.to)
        if key in seen:
            found.append(
                Finding(
                    path, "this pair is given twice", f"{entry.from_} → {entry.to}", f"once (first at [{seen[key]}])"
                )
            )
            continue
        seen[key] = index
        if entry.to in targets:
            found.append(
                Finding(
                    (*path, "to"),
                    f"question {entry.to} is mapped twice (also from crosswalk[{targets[entry.to]}])",
                    repr(entry.to),
                    "one earlier question per later question (a split is two entries with the same `from`)",
                )
            )
        targets.setdefault(entry.to, index)
        old, new = ends
        if old is not None and new is not None:
            found += _check_recode(path, entry.comparable, entry.recode, old.scale, new.scale)
    return found


def _check_recode(path: FieldPath, comparable: str, recode: dict[str, str], old: Scale, new: Scale) -> list[Finding]:
    found: list[Finding] = []
    if comparable == "yes" and old.option_ids != new.option_ids:
        found.append(
            Finding(
                (*path, "comparable"),
                f"the two questions are on different scales ({old.id}, {new.id})",
                "'yes'",
                "'after-recode' with a `recode` from old options to new, or 'no'",
            )
        )
    if comparable != "after-recode":
        if recode:
            found.append(Finding((*path, "recode"), f"a recode on a pair marked {comparable!r}", None, "no recode"))
        return found
    for old_id, new_id in recode.items():
        if old_id not in old.option_ids:
            found.append(
                Finding(
                    (*path, "recode", old_id),
                    f"not an option of {old.id}",
                    repr(old_id),
                    one_of(old.option_ids, old_id),
                )
            )
        if new_id not in new.option_ids:
            found.append(
                Finding(
                    (*path, "recode", old_id),
                    f"not an option of {new.id}",
                    repr(new_id),
                    one_of(new.option_ids, new_id),
                )
            )
    missing = [o for o in old.option_ids if o not in recode]
    if missing:
        found.append(
            Finding(
                (*path, "recode"),
                f"the recode leaves out {', '.join(missing)}",
                None,
                f"every option of {old.id} mapped onto an option of {new.id}",
            )
        )
    return found


def _check_lifecycle(catalog: Catalog) -> list[Finding]:
    scales = [s.id for s in catalog.scales]
    found = []
    for field in ("responses", "implementation"):
        chosen = getattr(catalog.lifecycle, field)
        if chosen is not None and chosen not in scales:
            found.append(Finding(("lifecycle", field), "unknown scale", repr(chosen), one_of(scales, chosen)))
    for index, indicator in enumerate(catalog.indicators):
        if isinstance(indicator, MilestoneIndicator) and indicator.statuses in scales:
            options = catalog.scale(indicator.statuses).option_ids
            for i, status in enumerate(indicator.done):
                if status not in options:
                    found.append(
                        Finding(("indicators", index, "done", i), "not a status", repr(status), one_of(options, status))
                    )
    return found


def _check_condition(
    where: FieldPath,
    condition: Condition,
    questions: Mapping[str, Question],
    indicators: Mapping[str, Indicator],
) -> list[Finding]:
    """What is wrong with one condition (``applies_when``) of a question or of a grid item."""
    target = questions.get(condition.indicator)
    named = indicators.get(condition.indicator)
    if target is None and named is None:
        return [
            Finding(
                (*where, "indicator"),
                "condition names an unknown indicator",
                repr(condition.indicator),
                one_of(questions, condition.indicator),
            )
        ]
    if target is None and isinstance(named, ScaleIndicator) and named.items:
        return [
            Finding(
                (*where, "indicator"),
                "condition names a whole grid",
                repr(condition.indicator),
                f"one of its items, such as '{named.id}/{named.items[0].slug}'",
            )
        ]
    if target is None and isinstance(named, ScaleIndicator):
        return []  # a scale question whose scale is wrong: reported there
    if target is None:
        return [
            Finding(
                (*where, "indicator"),
                "condition must name a question answered on a scale",
                repr(condition.indicator),
                "a scale question or grid item, not a milestone or number",
            )
        ]
    return [
        Finding(
            (*where, "in", i),
            f"not an option of {condition.indicator}'s scale {target.scale.id!r}",
            repr(answer),
            one_of(target.scale.option_ids, answer),
        )
        for i, answer in enumerate(condition.in_)
        if target.scale.resolve(answer) is None
    ]


def _find_cycles(edges: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Cycles in a graph where a node may have several outgoing edges (each cycle once, from its first node)."""
    cycles: list[list[str]] = []
    seen_cycles: set[frozenset[str]] = set()
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            cycle = trail[trail.index(node) :]
            if frozenset(cycle) not in seen_cycles:
                seen_cycles.add(frozenset(cycle))
                cycles.append(cycle)
            return
        if node in done:
            return
        trail.append(node)
        for target in edges.get(node, ()):
            visit(target, trail)
        trail.pop()
        done.add(node)

    for start in edges:
        visit(start, [])
    return cycles


def _repeats(values: Sequence[str]) -> Iterator[tuple[int, str]]:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            yield index, value
        seen.add(value)


def _duplicates_nested(prefix: FieldPath, ids: Sequence[str]) -> Iterator[Finding]:
    for index, value in _repeats(ids):
        yield Finding((*prefix, index, "id"), f"duplicate id {value!r}", expected="ids unique in this list")


def _period_order(catalog: Catalog) -> Iterator[Finding]:
    """Declaration order is time order: ends that go back in time contradict it."""
    last: tuple[str, dt.date] | None = None
    for index, period in enumerate(catalog.periods):
        end = period.end
        if end is None:
            continue
        if last is not None and end <= last[1]:
            yield Finding(
                ("periods", index, "ends" if period.ends else "id"),
                f"period {period.id!r} ends on {end}, not after {last[0]!r}, declared before it",
                expected="periods declared in time order, each ending after the one before",
            )
        last = (period.id, end)


def check_invitations(units: Units, periods: Sequence[str]) -> list[Finding]:
    """Invitations for periods the catalog does not declare (``periods`` are the declared ones)."""
    found = []
    for index, invitation in enumerate(units.invited):
        if invitation.period not in periods:
            found.append(
                Finding(
                    ("invited", index, "period"),
                    "an invitation for a period the catalog does not declare",
                    repr(invitation.period),
                    one_of(periods, invitation.period) + " (the catalog's `periods:`)",
                )
            )
    return found


def check_units(units: Units) -> list[Finding]:
    """Every cross-reference problem in a unit list."""
    found: list[Finding] = []
    found += _duplicates("kinds", [k.id for k in units.kinds])
    found += _duplicates("units", [u.id for u in units.units])
    kinds = [k.id for k in units.kinds]
    ids = units.by_id
    for index, unit in enumerate(units.units):
        if kinds and unit.kind not in kinds:
            found.append(
                Finding(("units", index, "kind"), "unknown unit kind", repr(unit.kind), one_of(kinds, unit.kind))
            )
        if unit.parent is not None and unit.parent not in ids:
            found.append(
                Finding(("units", index, "parent"), "unknown parent unit", repr(unit.parent), one_of(ids, unit.parent))
            )
    index_of = {u.id: i for i, u in enumerate(units.units)}
    for cycle in _find_cycle({u.id: u.parent for u in units.units}):
        found.append(
            Finding(
                ("units", index_of[cycle[0]], "parent"),
                "units are each other's parents: " + " → ".join([*cycle, cycle[0]]),
                expected="a tree of units",
            )
        )
    for index, invitation in enumerate(units.invited):
        path: FieldPath = ("invited", index)
        if invitation.kind is None and not invitation.units:
            found.append(Finding(path, "an invitation names no units", expected="`kind:` or a list of `units:`"))
        if invitation.kind is not None and kinds and invitation.kind not in kinds:
            found.append(
                Finding((*path, "kind"), "unknown unit kind", repr(invitation.kind), one_of(kinds, invitation.kind))
            )
        for i, unit_id in enumerate(invitation.units):
            if unit_id not in ids:
                found.append(Finding((*path, "units", i), "unknown unit", repr(unit_id), one_of(ids, unit_id)))
    return found


def check_audiences(catalog: Catalog, units: Units) -> list[Finding]:
    """Audiences (``asked_of``) must name unit kinds: those declared, else those the units have."""
    kinds = [k.id for k in units.kinds] or list(dict.fromkeys(u.kind for u in units.units))
    found: list[Finding] = []
    for index, indicator in enumerate(catalog.indicators):
        for i, kind in enumerate(indicator.asked_of):
            if kind not in kinds:
                expected = one_of(kinds, kind) if kinds else "a unit kind declared under `kinds:` in units.yaml"
                found.append(Finding(("indicators", index, "asked_of", i), "unknown unit kind", repr(kind), expected))
    titles = {indicator.section for indicator in catalog.indicators}
    for index, section in enumerate(catalog.sections):
        for i, kind in enumerate(section.asked_of):
            if kind not in kinds:
                expected = one_of(kinds, kind) if kinds else "a unit kind declared under `kinds:` in units.yaml"
                found.append(Finding(("sections", index, "asked_of", i), "unknown unit kind", repr(kind), expected))
        if section.title not in titles:
            found.append(
                Finding(
                    ("sections", index, "title"),
                    "no indicator is in this section",
                    repr(section.title),
                    "the `section:` title of some indicators, exactly as they give it",
                )
            )
    return found
