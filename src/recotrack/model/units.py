"""Reporting units: who sends evidence, in which hierarchy, and who was invited each period."""

from __future__ import annotations

from functools import cached_property

from recotrack.model._base import Id, Model, Period, Text

__all__ = ["Invitation", "Unit", "UnitKind", "Units"]


class UnitKind(Model):
    id: Id
    label: Text


class Unit(Model):
    """Who sends evidence: a board, a region, a national body."""

    id: Id
    name: Text
    kind: Id
    parent: Id | None = None


class Invitation(Model):
    """The units invited to report for a period: every unit of a kind, or a list."""

    period: Period
    kind: Id | None = None
    units: tuple[Id, ...] = ()


class Units(Model):
    """The reporting units and, per period, who was invited to report."""

    kinds: tuple[UnitKind, ...] = ()
    units: tuple[Unit, ...] = ()
    invited: tuple[Invitation, ...] = ()

    @cached_property
    def by_id(self) -> dict[str, Unit]:
        return {unit.id: unit for unit in self.units}

    def invited_in(self, period: str) -> tuple[str, ...]:
        """Ids of the units invited to report for ``period`` (empty when none declared)."""
        chosen: dict[str, None] = {}
        for invitation in self.invited:
            if invitation.period != period:
                continue
            if invitation.kind is not None:
                chosen.update((u.id, None) for u in self.units if u.kind == invitation.kind)
            chosen.update((unit_id, None) for unit_id in invitation.units)
        return tuple(chosen)
