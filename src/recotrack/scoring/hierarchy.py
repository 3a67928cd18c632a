"""The units' hierarchy, whatever its kinds are called: who is above whom, and how units group.

``parent`` chains may use any kind names (regions and boards, partnerships and local areas...). A
table *by* a kind K has one row per unit of kind K; a unit belongs to the row of its nearest ancestor
of kind K, or to its own row when it is of kind K itself. The kinds a set of units is grouped by are
the kinds of their ancestors (strictly above them) that are actually present, in the order the units
file declares its kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from recotrack.model import Unit, Units

__all__ = ["Group", "Hierarchy"]


@dataclass(frozen=True)
class Group:
    """One row of a table by a kind: a unit of that kind (None: the units under none) and its members."""

    id: str | None
    name: str
    members: tuple[str, ...]


class Hierarchy:
    """Ancestors, kinds and groupings of a tracker's units, worked out once."""

    def __init__(self, units: Units) -> None:
        self.units = units
        self.by_id = units.by_id
        self._labels = {kind.id: kind.label for kind in units.kinds}
        declared = [kind.id for kind in units.kinds]
        self._kind_order = {kind: i for i, kind in enumerate([*declared, *(u.kind for u in units.units)])}
        self._ancestors: dict[str, tuple[Unit, ...]] = {}
        self._groups: dict[tuple[str, str], str | None] = {}
        self._groups_by_kind: dict[str, dict[str, str | None]] = {}
        self._kinds_above: dict[str, frozenset[str]] | None = None

    def kind_label(self, kind: str) -> str:
        """The kind's label as the units file gives it (its id when it declares none)."""
        return self._labels.get(kind, kind)

    def ancestors(self, unit_id: str) -> tuple[Unit, ...]:
        """The units above ``unit_id``, nearest first (a loop in the parents ends the chain)."""
        found = self._ancestors.get(unit_id)
        if found is not None:
            return found
        chain: list[Unit] = []
        seen = {unit_id}
        current = self.by_id.get(unit_id)
        while current is not None and current.parent is not None and current.parent not in seen:
            seen.add(current.parent)
            current = self.by_id.get(current.parent)
            if current is not None:
                chain.append(current)
        self._ancestors[unit_id] = tuple(chain)
        return self._ancestors[unit_id]

    def parent(self, unit_id: str) -> Unit | None:
        found = self.ancestors(unit_id)
        return found[0] if found else None

    def group_of(self, unit_id: str, kind: str) -> str | None:
        """The row ``unit_id`` belongs to in a table by ``kind``: itself, or its nearest ancestor of that kind."""
        key = (unit_id, kind)
        if key not in self._groups:
            unit = self.by_id.get(unit_id)
            if unit is not None and unit.kind == kind:
                self._groups[key] = unit.id
            else:
                self._groups[key] = next((a.id for a in self.ancestors(unit_id) if a.kind == kind), None)
        return self._groups[key]

    def parent_kinds(self, unit_ids: Iterable[str]) -> tuple[str, ...]:
        """The kinds of the units above any of ``unit_ids``, in the units file's order of kinds."""
        if self._kinds_above is None:  # per unit, worked out once: tables ask for tens of thousands of units
            self._kinds_above = {u.id: frozenset(a.kind for a in self.ancestors(u.id)) for u in self.units.units}
        above, none = self._kinds_above, frozenset[str]()
        kinds = frozenset[str]().union(*{above.get(unit_id, none) for unit_id in unit_ids})
        return tuple(sorted(kinds, key=lambda kind: self._kind_order.get(kind, len(self._kind_order))))

    def groups(self, unit_ids: Sequence[str], kind: str, shown: Iterable[str] = ()) -> tuple[Group, ...]:
        """The rows of a table of ``unit_ids`` by ``kind``, in the units file's order, then the units under none.

        A row is there for each group with members, and for the group of each unit in ``shown`` (with
        no members when none of ``unit_ids`` is in it: a region none of whose boards answered).
        """
        group_of = self._groups_by_kind.get(kind)
        if group_of is None:  # every unit's row, worked out once per kind
            group_of = self._groups_by_kind[kind] = {u.id: self.group_of(u.id, kind) for u in self.units.units}
        members: dict[str | None, list[str]] = {}
        for unit_id in unit_ids:
            members.setdefault(group_of.get(unit_id), []).append(unit_id)
        wanted = set(members) | {group_of.get(unit_id) for unit_id in shown}
        rows = [
            Group(unit.id, unit.name, tuple(members.get(unit.id, ())))
            for unit in self.units.units
            if unit.kind == kind and unit.id in wanted
        ]
        if None in wanted:
            rows.append(Group(None, f"No {self.kind_label(kind).lower()}", tuple(members.get(None, ()))))
        return tuple(rows)
