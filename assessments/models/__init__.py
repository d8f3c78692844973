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
from .schedules import ScheduleChange
from .scoring import IndicatorScore, UnitScore
from .targets import (
    BonusAward,
    Decision,
    MidtermReview,
    Milestone,
    ResponsibilityLetter,
    Target,
)
from .warnings import EarlyWarning

__all__ = [
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
