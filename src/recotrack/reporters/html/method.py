"""The method section: how the figures are worked out, described from the method the results carry."""

from __future__ import annotations

from recotrack import display
from recotrack.method import exact
from recotrack.reporters.html._base import Report

__all__ = ["method"]


def method(report: Report) -> dict[str, object]:
    bands = tuple(report.bands.values())
    flags = report.results.method.flags
    progress = report.results.method.progress_thresholds
    return {
        "bands": bands,
        "dont_know": display.share(exact(flags.dont_know)),
        "not_applicable": display.share(exact(flags.not_applicable)),
        "low_response": display.share(exact(flags.low_response_rate)),
        "min_base": flags.min_base,
        "on_track": f"{progress.on_track:g}",
        "some_progress": f"{progress.some_progress:g}",
        "version": report.results.method.version,
        "rollups": tuple((r.level, r.method) for r in report.results.method.rollups),
        "score_example": _score_example(report),
        "disclosure": display.disclosure(report.results.method.disclosure),
        "disclosure_active": report.results.method.disclosure.active,
    }


def _score_example(report: Report) -> str:
    """'Yes, always 1, Yes, sometimes 0.5, No, never 0': the first scale with several scores, from the results."""
    for distribution in report.results.distributions:
        scored = [o for o in distribution.options if o.score is not None]
        if len(scored) >= 2:
            return ", ".join(f"{o.label} {o.score:g}" for o in scored)
    return ""
