"""recotrack: track whether a review's recommendations are being implemented, year after year.

The obvious entry point is :func:`load`::

    import recotrack
    tracker = recotrack.load("examples/cqc-cypmh")
    for rec in tracker.catalog.recommendations:
        print(rec.id, rec.title)
    results = recotrack.score(tracker, period="2020", compare="2019")
    recotrack.explain(tracker, "2019", "1.1", "always").units   # the units behind a figure
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recotrack._rounding import (
        round_half_up,
    )
    from recotrack.drilldown import (
        Explanation,
        UnitAnswer,
        explain,
    )
    from recotrack.errors import (
        InvalidEvidenceError,
        OutputError,
        PeriodError,
        Problem,
        RecotrackError,
        SettingError,
        Severity,
        TrackerError,
    )
    from recotrack.hookspecs import (
        hookimpl,
    )
    from recotrack.limits import (
        LimitError,
        Limits,
    )
    from recotrack.loading import (
        Tracker,
        load,
        read_tracker,
        validate,
    )
    from recotrack.method import (
        LevelRollup,
        Method,
    )
    from recotrack.model import (
        DEFAULT_BANDS,
        Band,
        Catalog,
        Condition,
        Direction,
        Document,
        EvidenceSource,
        FlagThresholds,
        GridItem,
        Invitation,
        Level,
        MethodSettings,
        MilestoneIndicator,
        NumericIndicator,
        Option,
        OptionRole,
        OtherEntries,
        PeriodDeclaration,
        ProgressThresholds,
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
        band_of,
        slugify,
    )
    from recotrack.pipeline import (
        Report,
        ReporterError,
        report,
    )
    from recotrack.results import (
        Basis,
        Comparison,
        Distribution,
        Excluded,
        ExcludedFile,
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
    )
    from recotrack.scoring import (
        score,
    )
    from recotrack.scoring.distributions import (
        merge,
    )
    from recotrack.statistics import (
        wilson_interval,
    )

__version__ = "0.1.0"

# Public names load on first use (PEP 562), so that `recotrack --help` does not import pydantic models.
_WHERE = {
    "Band": "recotrack.model",
    "Basis": "recotrack.results",
    "Catalog": "recotrack.model",
    "Comparison": "recotrack.results",
    "Condition": "recotrack.model",
    "DEFAULT_BANDS": "recotrack.model",
    "Direction": "recotrack.model",
    "Distribution": "recotrack.results",
    "Document": "recotrack.model",
    "Explanation": "recotrack.drilldown",
    "EvidenceSource": "recotrack.model",
    "Excluded": "recotrack.results",
    "ExcludedFile": "recotrack.results",
    "Flag": "recotrack.results",
    "FlagCode": "recotrack.results",
    "FlagThresholds": "recotrack.model",
    "GridItem": "recotrack.model",
    "GroupScore": "recotrack.results",
    "IndicatorChange": "recotrack.results",
    "IndicatorScore": "recotrack.results",
    "Interval": "recotrack.results",
    "InvalidEvidenceError": "recotrack.errors",
    "Invitation": "recotrack.model",
    "Level": "recotrack.model",
    "LevelRollup": "recotrack.method",
    "LimitError": "recotrack.limits",
    "Limits": "recotrack.limits",
    "Method": "recotrack.method",
    "MethodSettings": "recotrack.model",
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
    "OutputError": "recotrack.errors",
    "PeriodDeclaration": "recotrack.model",
    "PeriodError": "recotrack.errors",
    "Problem": "recotrack.errors",
    "ProgressStatus": "recotrack.results",
    "ProgressThresholds": "recotrack.model",
    "Question": "recotrack.model",
    "QuestionChange": "recotrack.results",
    "Recommendation": "recotrack.model",
    "RecommendationChange": "recotrack.results",
    "RecommendationKind": "recotrack.model",
    "RecommendationScore": "recotrack.results",
    "RecotrackError": "recotrack.errors",
    "RegionResponse": "recotrack.results",
    "Report": "recotrack.pipeline",
    "ReporterError": "recotrack.pipeline",
    "ResponseSummary": "recotrack.results",
    "Results": "recotrack.results",
    "Review": "recotrack.model",
    "Scale": "recotrack.model",
    "ScaleIndicator": "recotrack.model",
    "ScoreChange": "recotrack.results",
    "SettingError": "recotrack.errors",
    "Severity": "recotrack.errors",
    "Share": "recotrack.results",
    "ShareChange": "recotrack.results",
    "SourceRef": "recotrack.model",
    "Theme": "recotrack.model",
    "Tracker": "recotrack.loading",
    "TrackerError": "recotrack.errors",
    "Trend": "recotrack.results",
    "Unit": "recotrack.model",
    "UnitAnswer": "recotrack.drilldown",
    "UnitKind": "recotrack.model",
    "Units": "recotrack.model",
    "band_of": "recotrack.model",
    "explain": "recotrack.drilldown",
    "hookimpl": "recotrack.hookspecs",
    "load": "recotrack.loading",
    "merge": "recotrack.scoring.distributions",
    "read_tracker": "recotrack.loading",
    "report": "recotrack.pipeline",
    "round_half_up": "recotrack._rounding",
    "score": "recotrack.scoring",
    "slugify": "recotrack.model",
    "validate": "recotrack.loading",
    "wilson_interval": "recotrack.statistics",
}
"""Every public name and the module that defines it. ``__all__`` and the ``TYPE_CHECKING`` imports above
repeat it for static tools; tests/test_api.py fails when they differ."""


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
    "Basis",
    "Catalog",
    "Comparison",
    "Condition",
    "Direction",
    "Distribution",
    "Document",
    "EvidenceSource",
    "Excluded",
    "ExcludedFile",
    "Explanation",
    "Flag",
    "FlagCode",
    "FlagThresholds",
    "GridItem",
    "GroupScore",
    "IndicatorChange",
    "IndicatorScore",
    "Interval",
    "InvalidEvidenceError",
    "Invitation",
    "Level",
    "LevelRollup",
    "LimitError",
    "Limits",
    "Method",
    "MethodSettings",
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
    "OutputError",
    "PeriodDeclaration",
    "PeriodError",
    "Problem",
    "ProgressStatus",
    "ProgressThresholds",
    "Question",
    "QuestionChange",
    "Recommendation",
    "RecommendationChange",
    "RecommendationKind",
    "RecommendationScore",
    "RecotrackError",
    "RegionResponse",
    "Report",
    "ReporterError",
    "ResponseSummary",
    "Results",
    "Review",
    "Scale",
    "ScaleIndicator",
    "ScoreChange",
    "SettingError",
    "Severity",
    "Share",
    "ShareChange",
    "SourceRef",
    "Theme",
    "Tracker",
    "TrackerError",
    "Trend",
    "Unit",
    "UnitAnswer",
    "UnitKind",
    "Units",
    "__version__",
    "band_of",
    "explain",
    "hookimpl",
    "load",
    "merge",
    "read_tracker",
    "report",
    "round_half_up",
    "score",
    "slugify",
    "validate",
    "wilson_interval",
]
