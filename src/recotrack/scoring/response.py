"""Who was asked and who answered: the response summary of a period, and the flag on a low response."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from recotrack import display
from recotrack.evidence.model import PublishedTallies
from recotrack.method import Method, exact
from recotrack.model import Disclosure, Units
from recotrack.results import Flag, FlagCode, RegionResponse, ResponseGroup, ResponseSummary, Share
from recotrack.scoring.disclosure import protect, published
from recotrack.scoring.hierarchy import Hierarchy

__all__ = ["period_flags", "response_groups", "response_summary"]


def response_summary(
    units: Units,
    period: str,
    responding: frozenset[str] | None,
    published: PublishedTallies | None,
    *,
    both_years: bool = False,
    disclosure: Disclosure | None = None,
    hierarchy: Hierarchy | None = None,
) -> ResponseSummary:
    """The response of a period: from the units that sent returns, or else from the published respondents.

    With per-unit returns, the response is also given by each kind of unit above the invited units
    (``hierarchy``, made from ``units`` when not given), through the catalog's ``disclosure`` policy.
    """
    invited = units.invited_in(period)
    responded: int | None = None
    if responding is not None:
        responded = len(responding)
    elif published is not None:
        responded = published.respondents
    responded_invited = len(responding & frozenset(invited)) if responding is not None and invited else responded
    rate = Share.of(responded_invited, len(invited)) if invited and responded_invited is not None else None
    groups: tuple[ResponseGroup, ...] = ()
    if responding is not None and invited:
        groups = response_groups(hierarchy or Hierarchy(units), invited, responding, disclosure or Disclosure())
    return ResponseSummary(
        invited=len(invited) if invited else None,
        responded=responded,
        responded_invited=responded_invited,
        percent=rate.percent if rate else None,
        printed=rate.printed if rate else None,
        regions=groups[0].rows if groups else (),
        statement=_coverage_statement(responded, len(invited), rate, both_years),
        groups=groups,
    )


def response_groups(
    hierarchy: Hierarchy, invited: Sequence[str], responding: frozenset[str], disclosure: Disclosure
) -> tuple[ResponseGroup, ...]:
    """Invited and responding units by each kind above them; the responding counts through the policy.

    Each table has one column, the responding units, whose total (the national count) is published:
    a lone suppressed count is therefore protected by a second one in the same table.
    """
    found = []
    for kind in hierarchy.parent_kinds(invited):
        rows = hierarchy.groups(invited, kind)
        answered = [sum(1 for unit_id in row.members if unit_id in responding) for row in rows]
        rules = protect([[count] for count in answered], disclosure, row_relation=False)
        table = []
        for row, count, (rule,) in zip(rows, answered, rules, strict=True):
            shown = published(count, rule, disclosure)
            share = Share.of(shown, len(row.members)) if shown is not None and row.members else None
            table.append(
                RegionResponse(
                    id=row.id,
                    name=row.name,
                    invited=len(row.members),
                    responded=shown,
                    percent=share.percent if share else None,
                    printed=share.printed if share else None,
                    kind=kind,
                    suppressed=rule,
                )
            )
        found.append(ResponseGroup(kind=kind, kind_label=hierarchy.kind_label(kind), rows=tuple(table)))
    return tuple(found)


def period_flags(response: ResponseSummary, method: Method) -> tuple[Flag, ...]:
    threshold = exact(method.flags.low_response_rate)
    if not response.invited or response.responded_invited is None:
        return ()
    if Fraction(response.responded_invited, response.invited) >= threshold:
        return ()
    return (
        Flag(
            code=FlagCode.LOW_RESPONSE_RATE,
            message=f"{response.printed}% of the {response.invited} invited units responded "
            f"(below {display.share(threshold)}): the figures may not represent those that did not",
        ),
    )


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
