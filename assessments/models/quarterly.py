"""Quarterly daily assessment (季度平时考核): each quarter a cadre writes a work record, their
superior grades it 好/较好/一般/较差, the share of 好 is capped per unit; and the cadre's personal
summary (个人总结) for the registration form."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, Unit

from .catalog import AssessmentYear, Level

QUARTERS = (1, 2, 3, 4)


class QuarterSettings(models.Model):
    """A year's settings of the quarterly assessment."""

    class PrincipalGrader(models.TextChoices):
        OFFICE = "office", _("The assessment office")
        LEADER = "leader", _("County leaders")

    class Rules(models.TextChoices):
        V2019 = (
            "2019",
            _("2019: a 较差 quarter or two 一般 rule out 优秀; 好 throughout ranks first"),
        )

    year = models.OneToOneField(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="quarter_settings",
    )
    window_days = models.PositiveSmallIntegerField(
        _("days after the quarter's end to write the record"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    good_share = models.DecimalField(
        _("largest share of 好 per unit (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("40"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    principal_graded_by = models.CharField(
        _("who grades principal leaders"),
        max_length=16,
        choices=PrincipalGrader.choices,
        default=PrincipalGrader.OFFICE,
    )
    record_max_chars = models.PositiveSmallIntegerField(
        _("longest record (characters per part)"),
        default=1500,
        validators=[MinValueValidator(100), MaxValueValidator(10000)],
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind cadres this many days before a record is due"),
        default=3,
        validators=[MaxValueValidator(30)],
    )
    rules = models.CharField(
        _("rules into the annual grade"),
        max_length=8,
        choices=Rules.choices,
        default=Rules.V2019,
    )
    summary_from = models.DateField(_("personal summaries open on"), null=True, blank=True)
    summary_until = models.DateField(_("personal summaries close on"), null=True, blank=True)

    class Meta:
        verbose_name = _("quarterly assessment settings")
        verbose_name_plural = _("quarterly assessment settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(good_share__gte=0) & Q(good_share__lte=100),
                name="assessments_quartersettings_share_in_range",
                violation_error_message=_("The share of 好 runs from 0 to 100 per cent."),
            ),
            models.CheckConstraint(
                condition=Q(summary_from__isnull=True)
                | Q(summary_until__isnull=True)
                | Q(summary_until__gte=models.F("summary_from")),
                name="assessments_quartersettings_summary_window_ordered",
                violation_error_message=_(
                    "The personal summary window must end on or after the day it starts."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.year} {_('quarterly assessment')}"


def attachment_path(instance, filename):
    """Stored under an unguessable name; the original name is kept on the row."""
    return f"quarters/{instance.year_id}/{uuid.uuid4().hex}"


class QuarterRecord(models.Model):
    """A cadre's work record of one quarter, and its grade once the superior gives it."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="quarter_records",
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="quarter_records"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="quarter_records"
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    work_done = models.TextField(_("work done"))
    key_tasks = models.TextField(_("key and urgent tasks taken on"), blank=True)
    problems_plans = models.TextField(_("problems and plans"), blank=True)
    attachment = models.FileField(_("attachment"), upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    attachment_type = models.CharField(_("file type"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("written at"))
    late = models.BooleanField(_("written after the deadline"), default=False)
    grade = models.CharField(_("quarter grade"), max_length=16, choices=Level.choices, blank=True)
    comment = models.TextField(_("grader's comment"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("graded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("grade confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("quarterly record")
        verbose_name_plural = _("quarterly records")
        ordering = ["year", "quarter", "unit__path", "cadre__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "cadre", "quarter"],
                name="assessments_quarterrecord_one_per_quarter",
                violation_error_message=_("A cadre writes one record per quarter."),
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                name="assessments_quarterrecord_quarter_in_range",
                violation_error_message=_("A quarter is 1, 2, 3 or 4."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | ~Q(grade=""),
                name="assessments_quarterrecord_confirmed_is_graded",
                violation_error_message=_("Only a graded record can be confirmed."),
            ),
        ]
        indexes = [models.Index(fields=["year", "unit", "quarter"])]

    def __str__(self):
        return f"{self.cadre} {self.year.year}Q{self.quarter}"


class QuarterGradeChange(models.Model):
    """Every grade given or changed on a quarter: who, when, why, before and after."""

    record = models.ForeignKey(
        QuarterRecord, verbose_name=_("quarterly record"), on_delete=models.CASCADE,
        related_name="changes",
    )  # fmt: skip
    before = models.CharField(_("before"), max_length=16, blank=True)
    after = models.CharField(_("after"), max_length=16)
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quarter grade change")
        verbose_name_plural = _("quarter grade changes")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.record}: {self.before or '-'} → {self.after}"

    @property
    def before_label(self) -> str:
        return str(Level(self.before).label) if self.before else ""

    @property
    def after_label(self) -> str:
        return str(Level(self.after).label)


class QuarterReview(models.Model):
    """A cadre's one request for a review of a confirmed quarter grade, and its answer."""

    record = models.OneToOneField(
        QuarterRecord, verbose_name=_("quarterly record"), on_delete=models.CASCADE,
        related_name="review",
    )  # fmt: skip
    reasons = models.TextField(_("reasons"))
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("quarter review request")
        verbose_name_plural = _("quarter review requests")
        ordering = ["-filed_at"]

    def __str__(self):
        return f"{self.record} {_('review')}"


class PersonalSummary(models.Model):
    """The cadre's personal summary (个人总结) of a year, printed on the registration form."""

    year = models.ForeignKey(
        AssessmentYear, verbose_name=_("assessment year"), on_delete=models.CASCADE,
        related_name="personal_summaries",
    )  # fmt: skip
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE,
        related_name="personal_summaries",
    )  # fmt: skip
    text = models.TextField(_("personal summary"))
    written_at = models.DateTimeField(_("written at"), auto_now=True)

    class Meta:
        verbose_name = _("personal summary")
        verbose_name_plural = _("personal summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "cadre"],
                name="assessments_personalsummary_one_per_year",
                violation_error_message=_("A cadre writes one personal summary per year."),
            ),
        ]

    def __str__(self):
        return f"{self.cadre} {self.year.year}"
