"""Assessment models, one module per part of the year."""

from .archive import TeamAnalysis
from .bulletins import Bulletin
from .catalog import (
    LEVEL_ORDER,
    THREE_THIRDS,
    AssessmentYear,
    Category,
    CategoryWeights,
    Indicator,
    Level,
)
from .consequences import Consequence
from .corrections import InputChange
from .eligibility import EligibilityFlag, EligibilityRules
from .grading import (
    GRADE_ORDER,
    CadreResult,
    Grade,
    GradeChange,
    GradingPolicy,
    GradingPolicyVersion,
    ReviewRequest,
    UnitGradeChange,
    UnitResult,
    UnitReviewRequest,
)
from .inspections import Finding, Inspection, Rectification
from .jobs import Job
from .leads import DeductionEntry, ScoringSheet, ScoringWindow, SheetEvent, SheetRow
from .moral import (
    Ballot,
    BallotAnswer,
    BallotCode,
    Judgement,
    MoralDimension,
    MoralItem,
    MoralItemWeight,
    MoralLevel,
    MoralResult,
    MoralRound,
    MoralTemplate,
    RaterGroup,
)
from .outbox import OutboxMessage
from .progress import Evidence, ProgressReport
from .quarterly import (
    QUARTERS,
    PersonalSummary,
    QuarterGradeChange,
    QuarterRecord,
    QuarterReview,
    QuarterSettings,
)
from .schedules import ScheduleChange
from .scoring import IndicatorScore, RecomputeRequest, UnitScore
from .targets import (
    BonusAward,
    Decision,
    MidtermReview,
    Milestone,
    ResponsibilityLetter,
    Target,
)
from .warnings import EarlyWarning, WarningItem

__all__ = [
    "InputChange",
    "QUARTERS",
    "PersonalSummary",
    "QuarterGradeChange",
    "QuarterRecord",
    "QuarterReview",
    "QuarterSettings",
    "ScheduleChange",
    "Consequence",
    "EligibilityFlag",
    "EligibilityRules",
    "TeamAnalysis",
    "UnitGradeChange",
    "UnitResult",
    "UnitReviewRequest",
    "GRADE_ORDER",
    "CadreResult",
    "Grade",
    "GradeChange",
    "GradingPolicy",
    "GradingPolicyVersion",
    "ReviewRequest",
    "Ballot",
    "BallotAnswer",
    "BallotCode",
    "Judgement",
    "MoralDimension",
    "MoralItem",
    "MoralItemWeight",
    "MoralLevel",
    "MoralResult",
    "MoralRound",
    "MoralTemplate",
    "RaterGroup",
    "LEVEL_ORDER",
    "THREE_THIRDS",
    "AssessmentYear",
    "BonusAward",
    "Bulletin",
    "Category",
    "CategoryWeights",
    "Decision",
    "DeductionEntry",
    "ScoringSheet",
    "ScoringWindow",
    "SheetEvent",
    "SheetRow",
    "EarlyWarning",
    "WarningItem",
    "Evidence",
    "Finding",
    "Indicator",
    "IndicatorScore",
    "RecomputeRequest",
    "Inspection",
    "Job",
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
