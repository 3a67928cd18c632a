"""recotrack: track whether a review's recommendations are being implemented, year after year.

The obvious entry point is :func:`load`::

    import recotrack
    tracker = recotrack.load("examples/cqc-cypmh")
    for rec in tracker.catalog.recommendations:
        print(rec.id, rec.title)
    results = recotrack.score(tracker, period="2020", compare="2019")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recotrack._rounding import round_half_up
    from recotrack.errors import Problem, Severity, TrackerError
    from recotrack.hookspecs import hookimpl
    from recotrack.loading import Tracker, load, read_tracker, validate
    from recotrack.model import (
        DEFAULT_BANDS,
        Band,
        Catalog,
        Condition,
        Direction,
        Document,
        GridItem,
        Invitation,
        Level,
        MilestoneIndicator,
        NumericIndicator,
        Option,
        OptionRole,
        OtherEntries,
        Question,
        Recommendation,
        RecommendationKind,
        Review,
        Scale,
        ScaleIndicator,
        SourceRef,
        Theme,
        Unit,
        UnitKind,
        Units,
        slugify,
    )
    from recotrack.results import (
        Comparison,
        Distribution,
        Flag,
        FlagCode,
        GroupScore,
        IndicatorChange,
        IndicatorScore,
        Interval,
        MilestoneEntry,
        MilestoneStatus,
        NumericProgress,
        NumericValue,
        OptionCount,
        OtherEntryCount,
        ProgressStatus,
        QuestionChange,
        RecommendationChange,
        RecommendationScore,
        RegionResponse,
        ResponseSummary,
        Results,
        ScoreChange,
        Share,
        ShareChange,
        Trend,
        wilson_interval,
    )
    from recotrack.scoring import merge, score

__version__ = "0.1.0"

# Public names load on first use (PEP 562), so that `recotrack --help` does not import pydantic models.
_WHERE = {
    "Band": "recotrack.model",
    "Catalog": "recotrack.model",
    "Comparison": "recotrack.results",
    "Condition": "recotrack.model",
    "DEFAULT_BANDS": "recotrack.model",
    "Direction": "recotrack.model",
    "Distribution": "recotrack.results",
    "Document": "recotrack.model",
    "Flag": "recotrack.results",
    "FlagCode": "recotrack.results",
    "GridItem": "recotrack.model",
    "GroupScore": "recotrack.results",
    "IndicatorChange": "recotrack.results",
    "IndicatorScore": "recotrack.results",
    "Interval": "recotrack.results",
    "Invitation": "recotrack.model",
    "Level": "recotrack.model",
    "MilestoneEntry": "recotrack.results",
    "MilestoneIndicator": "recotrack.model",
    "MilestoneStatus": "recotrack.results",
    "NumericIndicator": "recotrack.model",
    "NumericProgress": "recotrack.results",
    "NumericValue": "recotrack.results",
    "Option": "recotrack.model",
    "OptionCount": "recotrack.results",
    "OptionRole": "recotrack.model",
    "OtherEntries": "recotrack.model",
    "OtherEntryCount": "recotrack.results",
    "Problem": "recotrack.errors",
    "ProgressStatus": "recotrack.results",
    "Question": "recotrack.model",
    "QuestionChange": "recotrack.results",
    "Recommendation": "recotrack.model",
    "RecommendationChange": "recotrack.results",
    "RecommendationKind": "recotrack.model",
    "RecommendationScore": "recotrack.results",
    "RegionResponse": "recotrack.results",
    "ResponseSummary": "recotrack.results",
    "Results": "recotrack.results",
    "Review": "recotrack.model",
    "Scale": "recotrack.model",
    "ScaleIndicator": "recotrack.model",
    "ScoreChange": "recotrack.results",
    "Severity": "recotrack.errors",
    "Share": "recotrack.results",
    "ShareChange": "recotrack.results",
    "SourceRef": "recotrack.model",
    "Theme": "recotrack.model",
    "Tracker": "recotrack.loading",
    "TrackerError": "recotrack.errors",
    "Trend": "recotrack.results",
    "Unit": "recotrack.model",
    "UnitKind": "recotrack.model",
    "Units": "recotrack.model",
    "hookimpl": "recotrack.hookspecs",
    "load": "recotrack.loading",
    "merge": "recotrack.scoring",
    "read_tracker": "recotrack.loading",
    "round_half_up": "recotrack._rounding",
    "score": "recotrack.scoring",
    "slugify": "recotrack.model",
    "validate": "recotrack.loading",
    "wilson_interval": "recotrack.results",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'recotrack' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*__all__, "__version__"})


__all__ = [
    "DEFAULT_BANDS",
    "Band",
    "Catalog",
    "Comparison",
    "Condition",
    "Direction",
    "Distribution",
    "Document",
    "Flag",
    "FlagCode",
    "GridItem",
    "GroupScore",
    "IndicatorChange",
    "IndicatorScore",
    "Interval",
    "Invitation",
    "Level",
    "MilestoneEntry",
    "MilestoneIndicator",
    "MilestoneStatus",
    "NumericIndicator",
    "NumericProgress",
    "NumericValue",
    "Option",
    "OptionCount",
    "OptionRole",
    "OtherEntries",
    "OtherEntryCount",
    "Problem",
    "ProgressStatus",
    "Question",
    "QuestionChange",
    "Recommendation",
    "RecommendationChange",
    "RecommendationKind",
    "RecommendationScore",
    "RegionResponse",
    "ResponseSummary",
    "Results",
    "Review",
    "Scale",
    "ScaleIndicator",
    "ScoreChange",
    "Severity",
    "Share",
    "ShareChange",
    "SourceRef",
    "Theme",
    "Tracker",
    "TrackerError",
    "Trend",
    "Unit",
    "UnitKind",
    "Units",
    "__version__",
    "hookimpl",
    "load",
    "merge",
    "read_tracker",
    "round_half_up",
    "score",
    "slugify",
    "validate",
    "wilson_interval",
]
