"""Who was asked and who answered: the response summary of a period, and the flag on a low response."""

from __future__ import annotations

from fractions import Fraction

from recotrack import display
from recotrack.evidence.model import PublishedTallies
from recotrack.method import Method, exact
from recotrack.model import Units
from recotrack.results import Flag, FlagCode, RegionResponse, ResponseSummary, Share

__all__ = ["REGION_KIND", "period_flags", "response_summary"]

REGION_KIND = "region"
"""The unit kind whose units are the regions of the response-rate breakdown."""


def response_summary(
    units: Units,
    period: str,
    responding: frozenset[str] | None,
    published: PublishedTallies | None,
    *,
    both_years: bool = False,
) -> ResponseSummary:
    """The response of a period: from the units that sent returns, or else from the published respondents."""
    invited = units.invited_in(period)
    responded: int | None = None
    if responding is not None:
        responded = len(responding)
    elif published is not None:
        responded = published.respondents
    responded_invited = len(responding & frozenset(invited)) if responding is not None and invited else responded
    rate = Share.of(responded_invited, len(invited)) if invited and responded_invited is not None else None
    regions: list[RegionResponse] = []
    if responding is not None and invited:
        by_region: dict[str | None, list[str]] = {}
        for unit_id in invited:
            by_region.setdefault(_region_of(units, unit_id), []).append(unit_id)
        region_order = [u.id for u in units.units if u.kind == REGION_KIND]
        for region in sorted(
            by_region, key=lambda r: region_order.index(r) if r in region_order else len(region_order)
        ):
            members = by_region[region]
            answered = sum(1 for unit_id in members if unit_id in responding)
            share = Share.of(answered, len(members))
            regions.append(
                RegionResponse(
                    id=region,
                    name=units.by_id[region].name if region is not None else "No region",
                    invited=len(members),
                    responded=answered,
                    percent=share.percent,
                    printed=share.printed,
                )
            )
    return ResponseSummary(
        invited=len(invited) if invited else None,
        responded=responded,
        responded_invited=responded_invited,
        percent=rate.percent if rate else None,
        printed=rate.printed if rate else None,
        regions=tuple(regions),
        statement=_coverage_statement(responded, len(invited), rate, both_years),
    )


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


def _region_of(units: Units, unit_id: str) -> str | None:
    """The nearest ancestor of kind region (the unit itself if it is one)."""
    seen: set[str] = set()
    current = units.by_id.get(unit_id)
    while current is not None and current.id not in seen:
        if current.kind == REGION_KIND:
            return current.id
        seen.add(current.id)
        current = units.by_id.get(current.parent) if current.parent else None
    return None


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
