"""The tracker's reporting periods, declared in time order, and the manifest of its evidence files.

Two catalog sections:

* ``periods:`` — every period the tracker reports on, **in time order** (declaration order is time
  order: scoring and comparisons never sort period names as strings). Each is a plain string
  (``"2019"``) or ``{id, label, ends, synthetic}``.
* ``evidence:`` — what is known about evidence files or folders, by path relative to the tracker's
  root: the ``period`` of files whose returns do not name one (a wide CSV without a ``period``
  column, YAML returns without ``period:``), and whether they are ``synthetic`` (invented data).
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

from pydantic import Field, field_validator, model_validator

from recotrack.model._base import Model, Period, Text
from recotrack.periods import year_end

__all__ = ["EvidenceSource", "PeriodDeclaration"]


class PeriodDeclaration(Model):
    """A reporting period: its id as evidence names it, and optionally how reports call it and when it ends."""

    id: Period
    label: Text | None = None
    """How reports name the period (``"2019/20 financial year"``); the id when not given."""
    ends: dt.date | None = None
    """The last day of the period; when not given, 31 December for a four-digit year (``"2019"``), else unknown."""
    synthetic: bool = False
    """True when the period's evidence is invented (a demonstration year), so that reports can say so."""

    @model_validator(mode="before")
    @classmethod
    def _plain_string(cls, value: object) -> object:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return {"id": value}
        return value

    @property
    def end(self) -> dt.date | None:
        """``ends``, else 31 December of a four-digit year id, else None."""
        return self.ends if self.ends is not None else year_end(self.id)


class EvidenceSource(Model):
    """What the catalog's ``evidence:`` manifest says about an evidence file or folder."""

    path: str = Field(min_length=1, max_length=1000)
    """A file or folder, relative to the tracker's root (``evidence/2020-returns.csv``, ``evidence/2019``)."""
    period: Period | None = None
    """The period of the returns under ``path`` that do not name their own."""
    synthetic: bool | None = None
    """True when the files under ``path`` hold invented data."""

    @field_validator("path")
    @classmethod
    def _relative_inside(cls, value: str) -> str:
        path = PurePosixPath(value.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts:
            raise ValueError("the path must be relative to the tracker's root and stay inside it (no '..')")
        return path.as_posix()
