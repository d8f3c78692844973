"""The monthly bulletin (月度通报) of target progress."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .catalog import AssessmentYear


class Bulletin(models.Model):
    """One bulletin per year and month. A draft is rebuilt on demand; a published bulletin keeps
    the snapshot it was published with and never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="bulletins",
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    foreword = models.TextField(_("foreword"), blank=True)
    content = models.JSONField(_("content"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to="bulletins/", blank=True)
    built_at = models.DateTimeField(_("built at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the month-end schedule published it."),
    )

    class Meta:
        verbose_name = _("monthly bulletin")
        verbose_name_plural = _("monthly bulletins")
        ordering = ["-year__year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"],
                name="assessments_bulletin_one_per_month",
                violation_error_message=_("A bulletin for this month already exists."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="assessments_bulletin_month_range",
                violation_error_message=_("Months run from 1 to 12."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="assessments_bulletin_published_has_date",
                violation_error_message=_("A published bulletin needs its publication time."),
            ),
        ]

    def __str__(self):
        return _("%(county)s bulletin, %(year)s-%(month)02d") % {
            "county": self.year.county.name,
            "year": self.year.year,
            "month": self.month,
        }
