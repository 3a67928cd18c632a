"""recotrack: track whether a review's recommendations are being implemented, year after year.

The obvious entry point is :func:`load`::

    import recotrack
    tracker = recotrack.load("examples/cqc-cypmh")
    for rec in tracker.catalog.recommendations:
        print(rec.id, rec.title)
"""

from recotrack.errors import Problem, Severity, TrackerError
from recotrack.loading import Tracker, load, read_tracker, validate
from recotrack.model import (
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

__version__ = "0.1.0"

__all__ = [
    "Catalog",
    "Condition",
    "Direction",
    "Document",
    "GridItem",
    "Invitation",
    "Level",
    "MilestoneIndicator",
    "NumericIndicator",
    "Option",
    "OptionRole",
    "OtherEntries",
    "Problem",
    "Question",
    "Recommendation",
    "RecommendationKind",
    "Review",
    "Scale",
    "ScaleIndicator",
    "Severity",
    "SourceRef",
    "Theme",
    "Tracker",
    "TrackerError",
    "Unit",
    "UnitKind",
    "Units",
    "__version__",
    "load",
    "read_tracker",
    "slugify",
    "validate",
]
