"""Recommendations by level: each level's score and its recommendations in tree order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from recotrack import display
from recotrack.display import DASH
from recotrack.reporters.html import charts
from recotrack.reporters.html._base import BandView, FlagTag, Report, TrendView, flag_name, trend_view
from recotrack.results import RecommendationScore


@dataclass(frozen=True)
class RecommendationRow:
    id: str
    title: str
    depth: int
    commitment: bool
    score: str
    meter: charts.Meter | None
    band: BandView | None
    with_children: str
    trend: TrendView | None
    change: str
    basis: str
    lifecycle: tuple[str, ...]
    """The response, the implementation ratings and the target, one statement each."""
    flags: tuple[FlagTag, ...]


@dataclass(frozen=True)
class LevelView:
    id: str
    label: str
    score: str
    band: BandView | None
    meter: charts.Meter | None
    count: int
    """Recommendations that count in the level's score."""
    commitments: int
    """The reviewing body's own commitments at this level: shown with the level, not in its score."""
    rows: tuple[RecommendationRow, ...]


def levels(report: Report) -> tuple[LevelView, ...]:
    """Each level with every recommendation and commitment made at it, in the catalog's order.

    A level's ``recommendations`` in the results are those in its score, which leaves commitments
    out; the rows come from all recommendations by their ``level``, so commitments show (tagged).
    """
    views = []
    for level in report.results.levels:
        members = [r for r in report.results.recommendations if level.id in (r.levels or (r.level,))]
        listed = set(level.recommendations)
        placed = {m.id for m in members}
        members += [
            report.recommendations[r] for r in level.recommendations if r not in placed and r in report.recommendations
        ]
        rows = tuple(_rows(report, members))
        views.append(
            LevelView(
                id=level.id,
                label=level.label,
                score=level.score_printed or DASH,
                band=report.band(level.band),
                meter=report.meter(level.score, level.score_printed, level.band, f"{level.label} level"),
                count=sum(1 for m in members if m.id in listed),
                commitments=sum(1 for m in members if m.kind == "commitment" and m.id not in listed),
                rows=rows,
            )
        )
    return tuple(views)


def _rows(report: Report, members: list[RecommendationScore]) -> Iterator[RecommendationRow]:
    """Members in tree order: each recommendation followed by its children, indented."""
    ids = {r.id for r in members}
    placed: set[str] = set()

    def walk(rec: RecommendationScore, depth: int) -> Iterator[RecommendationRow]:
        if rec.id in placed:
            return
        placed.add(rec.id)
        yield _row(report, rec, depth)
        for child in rec.children:
            if child in ids:
                yield from walk(report.recommendations[child], depth + 1)

    for rec in members:
        if rec.parent is None or rec.parent not in ids:
            yield from walk(rec, 0)
    for rec in members:  # anything a cycle or an odd parent left out
        yield from walk(rec, 0)


def _row(report: Report, rec: RecommendationScore, depth: int) -> RecommendationRow:
    change = report.recommendation_changes.get(rec.id)
    change_text, interval = report.score_change(change.score_change if change else None)
    count = len(rec.indicators)
    basis = f"{count} indicator{'s' if count != 1 else ''}" if count else "none yet"
    with_children = ""
    if rec.children and rec.score_with_children is not None:
        with_children = f"{rec.score_with_children_printed} with {_id_range(rec.children)}"
    return RecommendationRow(
        id=rec.id,
        title=rec.title,
        depth=min(depth, 3),
        commitment=rec.kind == "commitment",
        score=rec.score_printed or DASH,
        meter=report.meter(rec.score, rec.score_printed, rec.band, rec.id),
        band=report.band(rec.band),
        with_children=with_children,
        trend=trend_view(change.trend) if change else None,
        change=f"{change_text} ({interval})" if change_text and interval else change_text,
        basis=basis,
        lifecycle=display.lifecycle(rec.lifecycle),
        flags=tuple(FlagTag(flag_name(f.code), f.message) for f in rec.flag_details),
    )


def _id_range(ids: Sequence[str]) -> str:
    if len(ids) == 1:
        return ids[0]
    if len(ids) == 2:
        return f"{ids[0]} and {ids[1]}"
    return f"{ids[0]}–{ids[-1]}"
