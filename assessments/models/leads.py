"""Lead assessing departments (牵头考核部门): deduction entries (扣分记录), records of their own
that a deduction indicator subtracts, entered by the lead department or the office; the year's
scoring window (评分期) and each led indicator's sheet, filled by the lead department, submitted,
accepted or returned by the office."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .catalog import AssessmentYear, Indicator, Level
from .targets import Target


class ScoringWindow(models.Model):
    """The year-end scoring window (评分期): the dates during which lead departments fill in and
    submit their sheets."""

    year = models.OneToOneField(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="scoring_window",
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"))

    class Meta:
        verbose_name = _("scoring window")
        verbose_name_plural = _("scoring windows")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="assessments_scoringwindow_closes_after_opening",
                violation_error_message=_(
                    "The scoring window must close on or after the day it opens."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.opens_on}–{self.closes_on}"

    def is_open(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class ScoringSheet(models.Model):
    """One led indicator's sheet for every unit assessed on it: its rows (levels or manual
    points) and its deduction entries count only once the office accepts it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    indicator = models.OneToOneField(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="sheet"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    updated_at = models.DateTimeField(_("updated at"))
    return_reason = models.TextField(_("reason for returning"), blank=True)

    class Meta:
        verbose_name = _("scoring sheet")
        verbose_name_plural = _("scoring sheets")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="assessments_scoringsheet_returned_with_reason",
                violation_error_message=_("A returned sheet needs the reason it was returned."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        """Whether the lead department may still change it (a draft or a returned sheet)."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class SheetEvent(models.Model):
    """Each step of a sheet's life: submitted, accepted, returned (with the reason), reminded,
    reopened after acceptance (with the reason)."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")
        REMINDED = "reminded", _("Reminded")
        REOPENED = "reopened", _("Reopened after acceptance")

    sheet = models.ForeignKey(
        ScoringSheet,
        verbose_name=_("scoring sheet"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("sheet event")
        verbose_name_plural = _("sheet events")
        ordering = ["sheet", "at", "pk"]

    def __str__(self):
        return f"{self.sheet} {self.get_action_display()}"


class SheetRow(models.Model):
    """A unit's row of a sheet on a graded-level or manual indicator: the level or the points,
    with the reason; written to the target's decision when the office accepts the sheet."""

    sheet = models.ForeignKey(
        ScoringSheet, verbose_name=_("scoring sheet"), on_delete=models.CASCADE, related_name="rows"
    )
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="sheet_rows"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reason"))
    attachment = models.FileField(_("attachment"), upload_to="sheets/%Y/", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        verbose_name = _("sheet row")
        verbose_name_plural = _("sheet rows")
        ordering = ["sheet", "target__unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "target"],
                name="assessments_sheetrow_unique",
                violation_error_message=_("A sheet has one row per unit."),
            ),
            models.CheckConstraint(
                condition=(~Q(level="") & Q(points__isnull=True))
                | (Q(level="") & Q(points__gte=0)),
                name="assessments_sheetrow_level_or_points",
                violation_error_message=_(
                    "A sheet row gives either a level or points (0 or more), not both."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="assessments_sheetrow_has_reason",
                violation_error_message=_("Each row of a sheet needs a reason."),
            ),
        ]

    def __str__(self):
        return f"{self.target}: {self.get_level_display() or self.points}"


class DeductionEntry(models.Model):
    """One deduction on a unit's target of a deduction indicator: e.g. a petition case escalated
    (date, points, reason, source). Marked ``vetoes`` on a veto indicator, it is the event that
    fails the one-vote veto. Withdrawn with a reason, it stays on record and counts no more."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="deductions"
    )
    occurred_on = models.DateField(_("date of the case"))
    points = models.DecimalField(_("points deducted"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("reason for the deduction"))
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("e.g. the referral letter or case no.")
    )
    vetoes = models.BooleanField(
        _("triggers the one-vote veto"),
        default=False,
        help_text=_("A serious failure (e.g. a major accident) on a veto indicator."),
    )
    attachment = models.FileField(_("attachment"), upload_to="deductions/%Y/", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"))
    sheet = models.ForeignKey(
        ScoringSheet,
        verbose_name=_("scoring sheet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
        help_text=_("Entered on a lead department's sheet: counts once the sheet is accepted."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        verbose_name = _("deduction entry")
        verbose_name_plural = _("deduction entries")
        ordering = ["target", "occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0) | (Q(points=0) & Q(vetoes=True)),
                name="assessments_deductionentry_points_positive",
                violation_error_message=_("A deduction entry takes off more than 0 points."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="assessments_deductionentry_has_reason",
                violation_error_message=_("A deduction entry needs its reason."),
            ),
            models.CheckConstraint(
                condition=(Q(withdrawn_at__isnull=True) & Q(withdrawal_reason=""))
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="assessments_deductionentry_withdrawal_has_reason",
                violation_error_message=_("Withdrawing a deduction entry needs a reason."),
            ),
        ]

    def __str__(self):
        return f"{self.target} −{self.points} {self.occurred_on}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
