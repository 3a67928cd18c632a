"""Checks that span a whole catalog or unit list: references, duplicates and cycles.

Each check returns :class:`Finding` objects that point at a field path inside the catalog
(``("indicators", 12, "scale")``); the loader turns those paths into file, line and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from recotrack._wording import one_of
from recotrack.errors import FieldPath, Finding
from recotrack.model import (
    Catalog,
    MilestoneIndicator,
    OptionRole,
    ScaleIndicator,
    Units,
    normalise_label,
)


def _duplicates(section: str, ids: Sequence[str]) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for index, value in enumerate(ids):
        if value in first:
            yield Finding(
                (section, index, "id"),
                f"duplicate id {value!r}",
                expected=f"ids unique in {section} (first used at {section}[{first[value]}])",
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

    conditions: dict[str, str | None] = {}
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
        condition = indicator.applies_when
        if condition is None:
            continue
        conditions[indicator.id] = condition.indicator
        target = questions.get(condition.indicator)
        named = indicators.get(condition.indicator)
        if target is None and named is None:
            found.append(
                Finding(
                    (*path, "applies_when", "indicator"),
                    "condition names an unknown indicator",
                    repr(condition.indicator),
                    one_of(questions, condition.indicator),
                )
            )
        elif target is None and isinstance(named, ScaleIndicator) and named.items:
            found.append(
                Finding(
                    (*path, "applies_when", "indicator"),
                    "condition names a whole grid",
                    repr(condition.indicator),
                    f"one of its items, such as '{named.id}/{named.items[0].slug}'",
                )
            )
        elif target is None and not isinstance(named, ScaleIndicator):
            found.append(
                Finding(
                    (*path, "applies_when", "indicator"),
                    "condition must name a question answered on a scale",
                    repr(condition.indicator),
                    "a scale question or grid item, not a milestone or number",
                )
            )
        elif target is not None:
            for i, answer in enumerate(condition.in_):
                if target.scale.resolve(answer) is None:
                    found.append(
                        Finding(
                            (*path, "applies_when", "in", i),
                            f"not an option of {condition.indicator}'s scale {target.scale.id!r}",
                            repr(answer),
                            one_of(target.scale.option_ids, answer),
                        )
                    )
    for cycle in _find_cycle({k: v.split("/")[0] for k, v in conditions.items() if v}):
        index = next(i for i, x in enumerate(catalog.indicators) if x.id == cycle[0])
        found.append(
            Finding(
                ("indicators", index, "applies_when", "indicator"),
                "conditions form a cycle: " + " → ".join([*cycle, cycle[0]]),
                expected="conditions that end at an unconditional question",
            )
        )
    return found


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
