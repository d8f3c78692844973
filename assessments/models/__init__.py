"""Assessment models, one module per part of the year."""

from .catalog import (
    LEVEL_ORDER,
    THREE_THIRDS,
    AssessmentYear,
    Category,
    CategoryWeights,
    Indicator,
    Level,
)
from .inspections import Finding, Inspection, Rectification
from .scores import IndicatorScore, UnitScore
from .targets import (
    BonusAward,
    Decision,
    Evidence,
    MidtermReview,
    Milestone,
    ProgressReport,
    ResponsibilityLetter,
    Target,
)

__all__ = [
    "LEVEL_ORDER",
    "THREE_THIRDS",
    "AssessmentYear",
    "BonusAward",
    "Category",
    "CategoryWeights",
    "Decision",
    "Evidence",
    "Finding",
    "Indicator",
    "IndicatorScore",
    "Inspection",
    "Level",
    "Milestone",
    "MidtermReview",
    "ProgressReport",
    "Rectification",
    "ResponsibilityLetter",
    "Target",
    "UnitScore",
]
