"""The baton: targets assigned to units, monthly progress with evidence, responsibility letters,
the mid-term review, decisions on graded and manual indicators, and bonus awards."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Unit

from .catalog import AssessmentYear, Indicator, Level


class Target(models.Model):
    """A catalog indicator assigned to a unit, with its target value and deadline."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="targets"
    )
    target_value = models.DecimalField(
        _("target value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Required for completion-ratio indicators."),
    )
    measure = models.CharField(
        _("measure"), max_length=20, blank=True, help_text=_("e.g. 亩, 吨, 个")
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    lead_department = models.ForeignKey(
        Unit,
        verbose_name=_("lead assessing department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_targets",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["unit__path", "indicator__sort_order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit"], name="assessments_target_one_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gt=0),
                name="assessments_target_value_positive",
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.indicator.name}"


class Milestone(models.Model):
    """The cumulative value planned by the end of a month."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="milestones"
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    planned_value = models.DecimalField(_("planned (cumulative)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["target", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "month"], name="assessments_milestone_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="assessments_milestone_month_range",
            ),
            models.CheckConstraint(
                condition=Q(planned_value__gte=0), name="assessments_milestone_value_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.target} · {self.month}"


class ProgressReport(models.Model):
    """A unit's report on one target for one month: the cumulative actual, a narrative, evidence."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="reports"
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    actual_value = models.DecimalField(
        _("actual (cumulative)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    narrative = models.TextField(_("progress narrative"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    is_late = models.BooleanField(_("late"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_reports",
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["target", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "month"], name="assessments_report_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="assessments_report_month_range"
            ),
            models.CheckConstraint(
                condition=Q(actual_value__isnull=True) | Q(actual_value__gte=0),
                name="assessments_report_actual_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="assessments_report_returned_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.target} · {self.month}"


def evidence_path(instance, filename):
    """Stored under an unguessable name; the original name is kept on the row."""
    return f"evidence/{instance.report.target.year_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file supporting a progress report. Served only through a view that checks scope."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("progress report"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["report", "uploaded_at"]

    def __str__(self):
        return self.original_name


class ResponsibilityLetter(models.Model):
    """A party-building responsibility letter (党建目标责任书) signed down the tree."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="letters",
    )
    title = models.CharField(_("title"), max_length=200)
    issuer = models.ForeignKey(
        Unit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+"
    )
    issuer_signatory = models.CharField(_("signed for the issuer by"), max_length=50)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    unit_signatory = models.CharField(_("signed for the unit by"), max_length=50)
    signed_on = models.DateField(_("signed on"))
    file = models.FileField(_("scanned letter"), upload_to="letters/%Y/", blank=True)
    targets = models.ManyToManyField(
        Target, verbose_name=_("targets"), related_name="letters", blank=True
    )

    class Meta:
        verbose_name = _("responsibility letter")
        verbose_name_plural = _("responsibility letters")
        ordering = ["year", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit"], name="assessments_letter_one_per_unit"
            ),
        ]

    def __str__(self):
        return self.title


class MidtermReview(models.Model):
    """The mid-year 联述联评联考 score (0–100) of a unit; counts into mid-term-review indicators."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="midterm_reviews",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="midterm_reviews"
    )
    score = models.DecimalField(_("review score"), max_digits=5, decimal_places=2)
    reviewed_on = models.DateField(_("reviewed on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("mid-term review")
        verbose_name_plural = _("mid-term reviews")
        ordering = ["year", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit"], name="assessments_midterm_one_per_unit"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100),
                name="assessments_midterm_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.score}"


class Decision(models.Model):
    """The reviewer's level (graded-level indicators) or points (manual indicators) on a target,
    always with a written reason."""

    target = models.OneToOneField(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="decision"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reason"))
    decided_at = models.DateTimeField(_("decided at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=(~Q(level="") & Q(points__isnull=True))
                | (Q(level="") & Q(points__gte=0)),
                name="assessments_decision_level_or_points",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="assessments_decision_has_reason"),
        ]

    def __str__(self):
        return f"{self.target}: {self.get_level_display() or self.points}"


class BonusAward(models.Model):
    """Extra points on a bonus indicator for an honour; totals are capped per year."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="bonus_awards",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="bonus_awards"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("bonus indicator"),
        on_delete=models.CASCADE,
        related_name="awards",
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    reason = models.CharField(_("honour or reason"), max_length=200)
    awarded_on = models.DateField(_("awarded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bonus award")
        verbose_name_plural = _("bonus awards")
        ordering = ["year", "unit__path", "awarded_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0), name="assessments_bonus_points_positive"
            ),
        ]

    def __str__(self):
        return f"{self.unit} +{self.points} {self.reason}"
