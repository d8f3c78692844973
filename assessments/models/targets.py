"""The baton: targets assigned to units, monthly progress with evidence, responsibility letters,
the mid-term review, decisions on graded and manual indicators, and bonus awards."""

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
                fields=["indicator", "unit"],
                name="assessments_target_one_per_unit",
                violation_error_message=_("This unit already has a target on that indicator."),
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gt=0),
                name="assessments_target_value_positive",
                violation_error_message=_("The target value must be more than 0."),
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
                fields=["target", "month"],
                name="assessments_milestone_one_per_month",
                violation_error_message=_("This target already has a milestone for that month."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="assessments_milestone_month_range",
                violation_error_message=_("Months run from 1 to 12."),
            ),
            models.CheckConstraint(
                condition=Q(planned_value__gte=0),
                name="assessments_milestone_value_not_negative",
                violation_error_message=_("A planned value cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.target} · {self.month}"


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
                fields=["year", "unit"],
                name="assessments_letter_one_per_unit",
                violation_error_message=_(
                    "This unit already has a responsibility letter for the year."
                ),
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
                fields=["year", "unit"],
                name="assessments_midterm_one_per_unit",
                violation_error_message=_("This unit already has a mid-term review for the year."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100),
                name="assessments_midterm_score_range",
                violation_error_message=_("The review score must be between 0 and 100."),
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
                violation_error_message=_("Choose either a level or points (0 or more), not both."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="assessments_decision_has_reason",
                violation_error_message=_("A decision needs a reason."),
            ),
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
                condition=Q(points__gt=0),
                name="assessments_bonus_points_positive",
                violation_error_message=_("Bonus points must be more than 0."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} +{self.points} {self.reason}"
