"""Assessment models, one module per part of the year."""

from .bulletins import Bulletin, EarlyWarning, OutboxMessage
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
    "Bulletin",
    "Category",
    "CategoryWeights",
    "Decision",
    "EarlyWarning",
    "Evidence",
    "Finding",
    "Indicator",
    "IndicatorScore",
    "Inspection",
    "Level",
    "Milestone",
    "OutboxMessage",
    "MidtermReview",
    "ProgressReport",
    "Rectification",
    "ResponsibilityLetter",
    "Target",
    "UnitScore",
]
