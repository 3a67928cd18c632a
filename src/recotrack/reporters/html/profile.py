"""A unit's profile page (``--unit ID``) and the index of every profile (``--units all``).

The profile shows the unit's own answers, scores and milestones next to its parent's and the
national figures, where it stands among all units (rank, quintile and a spine chart per indicator)
and how its parent's shares compare with national at 95% and 99.8%. It shares the report's CSS,
palette and provenance, and like the report it needs no script and makes no request.
"""

from __future__ import annotations

from dataclasses import dataclass

from recotrack import display
from recotrack.display import DASH
from recotrack.reporters.html import charts
from recotrack.reporters.html._base import BandView, Report
from recotrack.reporters.html.provenance import provenance
from recotrack.results import BenchmarkComparison, ProfileShare, UnitProfile

__all__ = ["IndexRow", "comparison_text", "index_view", "profile_view"]

COMPARISONS: dict[str, tuple[str, str]] = {
    "better": ("Better", "good"),
    "worse": ("Worse", "bad"),
    "similar": ("Similar", "none"),
    "higher": ("Higher", "none"),
    "lower": ("Lower", "none"),
    "not compared": ("Not compared", "none"),
}
"""Each comparison's word and its status colour (a word is always there: colour is never the only signal)."""


@dataclass(frozen=True)
class ComparisonView:
    word: str
    css: str


def comparison_text(value: BenchmarkComparison) -> ComparisonView:
    word, css = COMPARISONS[value]
    return ComparisonView(word, css)


def share_text(share: ProfileShare | None) -> str:
    """'14 of 15 (93%)', 'suppressed', or a dash."""
    if share is None:
        return DASH
    if share.count is None or share.base is None:
        return "suppressed" if share.suppressed else DASH
    return f"{share.count} of {share.base} ({display.percent(share.printed)})"


@dataclass(frozen=True)
class RecommendationRow:
    id: str
    title: str
    unit: str
    band: BandView | None
    parent: str
    national: str
    rank: str


@dataclass(frozen=True)
class BenchmarkRow:
    id: str
    label: str
    unit: str
    parent: str
    national: str
    rank: str
    quintile: str
    spine: charts.SpineChart | None
    share: str
    parent_share: str
    parent_vs: ComparisonView
    parent_vs_998: ComparisonView
    own_vs: ComparisonView | None
    note: str


@dataclass(frozen=True)
class AnswerRow:
    id: str
    label: str
    answer: str
    status: str
    location: str
    parent: str
    national: str
    share: str
    parent_vs: ComparisonView
    parent_vs_998: ComparisonView


@dataclass(frozen=True)
class OwnRow:
    label: str
    status: str
    detail: str
    national: str


@dataclass(frozen=True)
class IndexRow:
    id: str
    name: str
    href: str
    kind: str
    parent: str
    responded: str


def profile_view(report: Report, profile: UnitProfile, index: str | None) -> dict[str, object]:
    """What the profile template receives: plain strings, numbers and chart geometry."""
    results = report.results
    review = report.context.review
    parent = profile.parent_name or ""
    benchmarks = []
    for b in profile.benchmarks:
        spine = None
        if b.spine is not None:
            spine = charts.spine_chart(
                report.ids("spine"),
                b.spine,
                _spine_title(
                    b.label, b.spine.worst, b.spine.q25, b.spine.national, b.spine.q75, b.spine.best, b.unit_value
                ),
            )
        benchmarks.append(
            BenchmarkRow(
                id=b.indicator,
                label=charts.truncate(b.label, 140),
                unit=(b.unit_printed or DASH) + (" (its units)" if b.from_units_below else ""),
                parent=b.parent_printed or DASH,
                national=b.national_printed or DASH,
                rank=_rank(b.rank, b.of, b.tied),
                quintile=f"{b.quintile} ({b.quintile_label})" if b.quintile is not None else DASH,
                spine=spine,
                share=b.share_label or "",
                parent_share=share_text(b.parent_share),
                parent_vs=comparison_text(b.parent_comparison),
                parent_vs_998=comparison_text(b.parent_comparison_998),
                own_vs=comparison_text(b.comparison) if b.unit_share is not None else None,
                note=b.note or "",
            )
        )
    answers = tuple(
        AnswerRow(
            id=a.question.partition("/")[0],  # a grid item by its grid's number: readers know no slugs
            label=charts.truncate(a.label, 160),
            answer=a.answer_label or "",
            status="" if a.status == "answered" else a.status.capitalize(),
            location=a.location or "",
            parent=share_text(a.parent_share),
            national=share_text(a.national_share),
            share=a.share_label or "",
            parent_vs=comparison_text(a.parent_comparison),
            parent_vs_998=comparison_text(a.parent_comparison_998),
        )
        for a in profile.answers
    )
    recommendations = tuple(
        RecommendationRow(
            id=r.id,
            title=r.title,
            unit=(r.unit_printed or DASH) + (" (its units)" if r.from_units_below else ""),
            band=report.band(r.band),
            parent=r.parent_printed or DASH,
            national=r.national_printed or DASH,
            rank=f"{r.rank} of {r.of}" if r.rank is not None and r.of is not None else DASH,
        )
        for r in profile.recommendations
        if r.unit_score is not None or r.national is not None
    )
    milestones = tuple(
        OwnRow(
            label=m.label,
            status=m.unit.status_label if m.unit else DASH,
            detail=f"as evidenced in {m.unit.status_period}" if m.unit else "",
            national=m.national_status or m.national_printed or DASH,
        )
        for m in profile.milestones
        if m.unit is not None
    )
    numbers = tuple(
        OwnRow(
            label=n.label,
            status=n.unit.status.value.capitalize() if n.unit else DASH,
            detail=(
                f"{n.unit.baseline.value_printed if n.unit.baseline else DASH} → "
                f"{n.unit.latest.value_printed if n.unit.latest else DASH}"
                + (f", {n.unit.share_of_way_printed} of the way" if n.unit.share_of_way_printed else "")
            )
            if n.unit
            else "",
            national=n.national_share_printed or DASH,
        )
        for n in profile.numbers
        if n.unit is not None
    )
    quintiles = [b.quintile for b in profile.benchmarks if b.quintile is not None]
    where = f"{profile.kind_label}"
    if profile.parent_name:
        where += f" in {profile.parent_name} ({(profile.parent_kind_label or '').lower()})"
    return {
        "unit": profile,
        "where": where,
        "parent": parent,
        "parent_kind": (profile.parent_kind_label or "").lower(),
        "review": {"title": review.title, "publisher": review.publisher},
        "period": results.period,
        "responded": (
            f"Yes ({profile.return_location})"
            if profile.responded and profile.return_location
            else "Yes"
            if profile.responded
            else "No return"
        ),
        "best_fifth": sum(1 for q in quintiles if q == 1),
        "worst_fifth": sum(1 for q in quintiles if q == 5),
        "ranked": len(quintiles),
        "recommendations": recommendations,
        "benchmarks": tuple(benchmarks),
        "answers": answers,
        "milestones": milestones,
        "numbers": numbers,
        "notes": profile.notes,
        "index": index,
        "method": {
            "z": f"{results.method.z:.2f}",
            "z_high": f"{results.method.z_high:.2f}",
            "disclosure": display.disclosure(results.method.disclosure),
            "disclosure_active": results.method.disclosure.active,
        },
        "provenance": provenance(report),
        "bands": tuple(report.bands.values()),
    }


def _rank(rank: int | None, of: int | None, tied: int | None) -> str:
    """'7 of 64', or '7= of 64' when other units share the rank."""
    if rank is None or of is None:
        return DASH
    return f"{rank}{'=' if tied else ''} of {of}"


def _spine_title(
    label: str, worst: float, q25: float, national: float | None, q75: float, best: float, unit: float | None
) -> str:
    def score(value: float | None) -> str:
        return display.score(value) or DASH

    return (
        f"{charts.truncate(label, 80)}: worst {score(worst)}, 25th percentile {score(q25)}, "
        f"national {score(national)}, 75th percentile {score(q75)}, best {score(best)}; this unit {score(unit)}"
    )


def index_view(rows: list[IndexRow], title: str, period: str, kinds: dict[str, str]) -> dict[str, object]:
    """The index page: every profile, grouped by parent."""
    groups: dict[str, list[IndexRow]] = {}
    for row in rows:
        groups.setdefault(row.parent or "", []).append(row)
    return {
        "title": title,
        "period": period,
        "groups": tuple((name, tuple(members)) for name, members in groups.items()),
        "count": len(rows),
        "responded": sum(1 for row in rows if row.responded == "Yes"),
        "kinds": kinds,
    }
