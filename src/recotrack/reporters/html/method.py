"""The method section: how the figures are worked out, with the thresholds the scoring uses.

This is the one module of the HTML reporter that reads thresholds from :mod:`recotrack.scoring`;
other sections take them from here.
"""

from __future__ import annotations

from recotrack.reporters.html._base import Report
from recotrack.reporters.html._format import fmt_share
from recotrack.scoring import (
    DONT_KNOW_FLAG_SHARE,
    LOW_RESPONSE_RATE,
    NOT_APPLICABLE_FLAG_SHARE,
    ON_TRACK_RATIO,
    SOME_PROGRESS_RATIO,
)

__all__ = ["LOW_RESPONSE_RATE", "method"]


def method(report: Report) -> dict[str, object]:
    bands = tuple(report.bands.values())
    return {
        "bands": bands,
        "dont_know": fmt_share(DONT_KNOW_FLAG_SHARE),
        "not_applicable": fmt_share(NOT_APPLICABLE_FLAG_SHARE),
        "low_response": fmt_share(LOW_RESPONSE_RATE),
        "on_track": f"{ON_TRACK_RATIO:g}",
        "some_progress": f"{SOME_PROGRESS_RATIO:g}",
    }
