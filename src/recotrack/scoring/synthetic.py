"""Which invented evidence a report's figures rest on, so that every reporter can say so.

A report for a period draws on every period up to it: its questionnaire is that period's, but
milestones, numbers and lifecycles carry statements forward from earlier years, and a comparison or
a history reaches back further. So every period up to the report's own is looked at, and each one
whose evidence is synthetic (declared so in the catalog's ``periods:``, or with files the manifest or
their returns mark so) is named, with those files.
"""

from __future__ import annotations

from collections.abc import Sequence

from recotrack.evidence import Evidence
from recotrack.model import Catalog
from recotrack.results import Synthetic, SyntheticPeriod

__all__ = ["synthetic_of"]


def synthetic_of(catalog: Catalog, evidence: Evidence, periods: Sequence[str], period: str) -> Synthetic | None:
    """The synthetic evidence of ``period`` and every period before it (``periods`` in time order); None when none."""
    declared = {p.id for p in catalog.periods if p.synthetic}
    having = set(evidence.all_periods())
    reach = periods[: periods.index(period) + 1] if period in periods else [period]
    found = tuple(
        SyntheticPeriod(period=p, declared=p in declared, files=evidence.synthetic.get(p, ()))
        for p in reach
        if p in having and (p in declared or evidence.synthetic.get(p))
    )
    return Synthetic(periods=found) if found else None
