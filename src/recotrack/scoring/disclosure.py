"""Statistical disclosure control of tables published below national level: which cells to suppress.

A table here is a grid of counts: one row per group (a region, a partnership...), one column per
figure (each answer's count, and the base). Its column totals are national figures, which are
published whatever the policy; when ``row_relation`` is set, each row's cells are also tied to each
other (the answers' counts add up to the base), so a row's published cells are a total too.

:func:`protect` decides, for each cell, whether it is published and which rule suppressed it:

``primary``
    the count itself is too small (below the policy's threshold, or a zero when zeros count);
``secondary-row`` / ``secondary-column``
    its row or column had exactly one suppressed cell, which its total would give away: the next
    smallest cell of that row or column is suppressed too (zeros last, when zeros are published:
    a published zero would still give the other cell away);
``secondary-linked``
    a suppressed cell could still be worked out by chaining rows and columns together (it is a
    *bridge* between two groups of suppressed cells): one more cell is suppressed to close a cycle.

The rules repeat until nothing changes. The result is that no suppressed cell can be worked out
exactly from the published cells and totals by adding and subtracting rows and columns (a property
the tests check). :func:`published` then rounds what is published, as the policy says.
"""

from __future__ import annotations

from collections.abc import Sequence

from recotrack.model import Disclosure

__all__ = ["PRIMARY", "SECONDARY_COLUMN", "SECONDARY_LINKED", "SECONDARY_ROW", "protect", "published"]

PRIMARY = "primary"
SECONDARY_ROW = "secondary-row"
SECONDARY_COLUMN = "secondary-column"
SECONDARY_LINKED = "secondary-linked"

Cell = tuple[int, int]


def protect(
    values: Sequence[Sequence[int]], policy: Disclosure, *, row_relation: bool = True
) -> list[list[str | None]]:
    """The rule that suppressed each cell of ``values`` (None: published), after primary and secondary suppression."""
    rows = len(values)
    columns = len(values[0]) if rows else 0
    rules: list[list[str | None]] = [
        [PRIMARY if policy.primary(values[r][c]) else None for c in range(columns)] for r in range(rows)
    ]
    if not policy.secondary or not any(rule for row in rules for rule in row):
        return rules

    def candidate(cells: Sequence[Cell]) -> Cell | None:
        """The cell to suppress next among ``cells``: the smallest published one, non-zero first unless zeros count."""
        free = [cell for cell in cells if rules[cell[0]][cell[1]] is None]
        if not free:
            return None
        return min(
            free, key=lambda cell: (values[cell[0]][cell[1]] == 0 and not policy.zeros, values[cell[0]][cell[1]], cell)
        )

    changed = True
    while changed:
        changed = False
        lines: list[tuple[list[Cell], str]] = []
        if row_relation:
            lines += [([(r, c) for c in range(columns)], SECONDARY_ROW) for r in range(rows)]
        lines += [([(r, c) for r in range(rows)], SECONDARY_COLUMN) for c in range(columns)]
        for cells, rule in lines:
            if sum(1 for r, c in cells if rules[r][c] is not None) == 1:
                chosen = candidate(cells)
                if chosen is not None:
                    rules[chosen[0]][chosen[1]] = rule
                    changed = True
        if changed or not row_relation:
            continue
        bridge = _bridge(rules)
        if bridge is not None:
            across = _across(rules, bridge, rows, columns)
            chosen = candidate(across) or candidate([(bridge[0], c) for c in range(columns)])
            if chosen is not None:
                rules[chosen[0]][chosen[1]] = SECONDARY_LINKED
                changed = True
    return rules


def published(value: int, rule: str | None, policy: Disclosure) -> int | None:
    """A cell as published: None when suppressed, else rounded as the policy says."""
    return None if rule is not None else policy.rounded(value)


# -- the graph of suppressed cells: rows and columns are nodes, each suppressed cell an edge ----------


def _edges(rules: Sequence[Sequence[str | None]]) -> list[Cell]:
    return [(r, c) for r, row in enumerate(rules) for c, rule in enumerate(row) if rule is not None]


def _component(edges: Sequence[Cell], start: tuple[str, int], without: Cell | None) -> set[tuple[str, int]]:
    """The nodes reachable from ``start`` (``("row", r)`` or ``("column", c)``) over ``edges`` less ``without``."""
    adjacent: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for edge in edges:
        if edge == without:
            continue
        a, b = ("row", edge[0]), ("column", edge[1])
        adjacent.setdefault(a, []).append(b)
        adjacent.setdefault(b, []).append(a)
    seen = {start}
    pending = [start]
    while pending:
        for node in adjacent.get(pending.pop(), []):
            if node not in seen:
                seen.add(node)
                pending.append(node)
    return seen


def _bridge(rules: Sequence[Sequence[str | None]]) -> Cell | None:
    """A suppressed cell whose removal disconnects its row from its column (then totals give it away)."""
    edges = _edges(rules)
    for edge in edges:
        if ("column", edge[1]) not in _component(edges, ("row", edge[0]), edge):
            return edge
    return None


def _across(rules: Sequence[Sequence[str | None]], bridge: Cell, rows: int, columns: int) -> list[Cell]:
    """Published cells that would join the two sides of ``bridge`` again, closing a cycle through it."""
    edges = _edges(rules)
    one = _component(edges, ("row", bridge[0]), bridge)
    other = _component(edges, ("column", bridge[1]), bridge)
    return [
        (r, c)
        for r in range(rows)
        for c in range(columns)
        if rules[r][c] is None
        and ((("row", r) in one and ("column", c) in other) or (("row", r) in other and ("column", c) in one))
    ]
