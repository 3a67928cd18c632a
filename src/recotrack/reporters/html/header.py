"""The page's header, who responded, and the at-a-glance cards."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from recotrack import display
from recotrack.method import exact
from recotrack.reporters.html._base import TRENDS, BandView, Report, TrendView, trend_view

_SOURCES = {"returns": "per-unit returns", "tallies": "published tallies"}


def source_text(source: str | None) -> str:
    return _SOURCES.get(source or "", "no questionnaire evidence")


@dataclass(frozen=True)
class RegionRow:
    name: str
    invited: str
    responded: str
    rate: str
    below: bool


@dataclass(frozen=True)
class ResponseTable:
    """The response by one kind of unit (by region, by partnership...)."""

    kind: str
    label: str
    """The kind's label in lower case, for captions: 'region'."""
    plural: str
    """The label in the plural, for the table's total: 'regions'."""
    rows: tuple[RegionRow, ...]
    suppressed: bool
    """Whether the disclosure policy withheld any count."""


@dataclass(frozen=True)
class CountCard:
    label: str
    value: int
    band: BandView | None


def header(report: Report) -> dict[str, object]:
    results = report.results
    review = report.context.review
    comparison = results.comparison
    published = review.published
    return {
        "title": review.title,
        "publisher": review.publisher,
        "published": display.date(published) if isinstance(published, dt.date) else str(published),
        "period": results.period,
        "baseline": comparison.baseline if comparison else None,
        "source": source_text(results.basis),
        "baseline_source": source_text(comparison.baseline_basis) if comparison else "",
    }


def response(report: Report) -> dict[str, object]:
    response = report.results.response
    low_response = exact(report.results.method.flags.low_response_rate)
    tables = tuple(
        ResponseTable(
            kind=group.kind,
            label=group.kind_label.lower(),
            plural=display.plural(group.kind_label.lower()),
            rows=tuple(
                RegionRow(
                    name=region.name,
                    invited=str(region.invited),
                    responded=str(region.responded) if region.responded is not None else "suppressed",
                    rate=display.percent(region.printed),
                    below=region.responded is not None
                    and region.invited > 0
                    and Fraction(region.responded, region.invited) < low_response,
                )
                for region in group.rows
            ),
            suppressed=any(region.suppressed for region in group.rows),
        )
        for group in response.tables()
    )
    return {
        "invited": response.invited,
        "responded": response.responded,
        "responded_invited": response.responded_invited,
        "rate": display.percent(response.printed),
        "statement": response.statement,
        "tables": tables,
        "from_tallies": report.results.basis == "tallies",
        "low_response": "half" if low_response == Fraction(1, 2) else display.share(low_response),
        "uninvited": (
            response.responded - response.responded_invited
            if response.responded is not None and response.responded_invited is not None
            else 0
        ),
    }


def glance(report: Report) -> dict[str, object]:
    results = report.results
    by_band = Counter(r.band for r in results.recommendations)
    cards = [CountCard(view.label, by_band.get(band_id, 0), view) for band_id, view in reversed(report.bands.items())]
    unscored = sum(1 for r in results.recommendations if r.band is None)
    if unscored:
        cards.append(CountCard("No figures yet", unscored, None))
    trends: list[tuple[TrendView, int]] = []
    if results.comparison:
        counted = Counter(r.trend for r in results.comparison.recommendations)
        trends = [(trend_view(t), counted[t]) for t in TRENDS if counted.get(t)]
    return {"cards": tuple(cards), "total": len(results.recommendations), "trends": tuple(trends)}
