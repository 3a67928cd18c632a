"""The recommendation catalog and the reporting units, as typed, immutable pydantic models.

These models describe *what is tracked*. They validate one object at a time; checks that span the
whole catalog (unknown references, duplicates, cycles) live in :mod:`recotrack.checks` so that
every problem can be reported together, with the line it came from. One module per part:
:mod:`~recotrack.model.review` (the review and its recommendations), :mod:`~recotrack.model.periods`
(declared periods and the evidence manifest), :mod:`~recotrack.model.scales`
(answer scales and bands), :mod:`~recotrack.model.indicators`, :mod:`~recotrack.model.settings`
(the method's settings), :mod:`~recotrack.model.crosswalk` (questions across periods),
:mod:`~recotrack.model.lifecycle` (responses and implementation), :mod:`~recotrack.model.disclosure`
(the disclosure policy), :mod:`~recotrack.model.catalog` and :mod:`~recotrack.model.units`.
"""

from __future__ import annotations

from recotrack.model._base import (
    Id,
    IdList,
    Model,
    Period,
    QuestionId,
    Text,
    normalise_label,
    reject_control_characters,
    slugify,
)
from recotrack.model.catalog import Catalog
from recotrack.model.crosswalk import Comparable, CrosswalkEntry, QuestionRef
from recotrack.model.disclosure import PRESETS, Disclosure, DisclosurePreset
from recotrack.model.indicators import (
    Condition,
    Direction,
    GridItem,
    Indicator,
    MilestoneIndicator,
    Numeric,
    NumericIndicator,
    OtherEntries,
    Question,
    ScaleIndicator,
    Section,
    Target,
)
from recotrack.model.lifecycle import DEFAULT_IMPLEMENTATION, DEFAULT_RESPONSES, LifecycleSettings
from recotrack.model.periods import EvidenceSource, PeriodDeclaration
from recotrack.model.review import Document, Level, Recommendation, RecommendationKind, Review, SourceRef, Theme
from recotrack.model.scales import DEFAULT_BANDS, Band, Option, OptionRole, Polarity, Scale, band_of, decimal_reading
from recotrack.model.settings import (
    DEFAULT_PROGRESS,
    DEFAULT_ROLLUP,
    FlagThresholds,
    MethodSettings,
    ProgressThresholds,
)
from recotrack.model.units import Invitation, Unit, UnitKind, Units

__all__ = [
    "DEFAULT_BANDS",
    "DEFAULT_IMPLEMENTATION",
    "DEFAULT_PROGRESS",
    "DEFAULT_RESPONSES",
    "DEFAULT_ROLLUP",
    "PRESETS",
    "Band",
    "Catalog",
    "Comparable",
    "Condition",
    "CrosswalkEntry",
    "Direction",
    "Disclosure",
    "DisclosurePreset",
    "Document",
    "EvidenceSource",
    "FlagThresholds",
    "GridItem",
    "Id",
    "IdList",
    "Indicator",
    "Invitation",
    "Level",
    "LifecycleSettings",
    "MethodSettings",
    "MilestoneIndicator",
    "Model",
    "Numeric",
    "NumericIndicator",
    "Option",
    "OptionRole",
    "OtherEntries",
    "Period",
    "PeriodDeclaration",
    "Polarity",
    "ProgressThresholds",
    "Question",
    "QuestionId",
    "QuestionRef",
    "Recommendation",
    "RecommendationKind",
    "Review",
    "Scale",
    "ScaleIndicator",
    "Section",
    "SourceRef",
    "Target",
    "Text",
    "Theme",
    "Unit",
    "UnitKind",
    "Units",
    "band_of",
    "decimal_reading",
    "normalise_label",
    "reject_control_characters",
    "slugify",
]
