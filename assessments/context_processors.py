"""The assessment choices the templates compare against, by name
(``{% if year.status == YearStatus.DRAFT %}``), so that no template spells a choice's value.
Emails, rendered without a request, get what they compare in their own context."""

from .models import (
    AssessmentYear,
    Bulletin,
    Category,
    EarlyWarning,
    EligibilityFlag,
    Grade,
    GradingPolicy,
    Indicator,
    Judgement,
    MoralLevel,
    MoralRound,
    OutboxMessage,
    ProgressReport,
    Rectification,
    ReviewRequest,
)
from .selectors.progress import Color

CHOICES = {
    "BulletinStatus": Bulletin.Status,
    "Category": Category,
    "Color": Color,
    "FlagKind": EligibilityFlag.Kind,
    "Grade": Grade,
    "Judgement": Judgement,
    "Method": Indicator.Method,
    "MoralLevel": MoralLevel,
    "Outcome": ReviewRequest.Outcome,
    "OutboxStatus": OutboxMessage.Status,
    "RectificationStatus": Rectification.Status,
    "ReportStatus": ProgressReport.Status,
    "RoundStatus": MoralRound.Status,
    "Stage": GradingPolicy.Stage,
    "WarningKind": EarlyWarning.Kind,
    "WarningStatus": EarlyWarning.Status,
    "YearStatus": AssessmentYear.Status,
}


def choices(request):
    return CHOICES
