"""The four checks (四查): inspections, their findings, and rectification items."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, Unit

from .catalog import AssessmentYear, Indicator


class Inspection(models.Model):
    class Kind(models.TextChoices):
        CENTRALIZED = "centralized", _("Centralized inspection")
        SPECIAL = "special", _("Special inspection of key tasks")
        SPOT = "spot", _("Random spot check")
        INTERVIEW = "interview", _("Interview survey")

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="inspections",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    inspectors = models.CharField(_("inspectors"), max_length=200)
    units = models.ManyToManyField(
        Unit, verbose_name=_("units checked"), related_name="inspections"
    )
    cadres = models.ManyToManyField(
        Cadre, verbose_name=_("cadres checked"), related_name="inspections", blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class Finding(models.Model):
    """What an inspection found at one unit; it may add or deduct points on one of the unit's
    indicators, fail a veto indicator, and open a rectification item."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="findings"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="findings"
    )
    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("cadre concerned"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    points = models.DecimalField(
        _("points (+ added, − deducted)"), max_digits=6, decimal_places=2, default=0
    )
    vetoes = models.BooleanField(
        _("fails the one-vote veto"),
        default=False,
        help_text=_("A serious failure (e.g. a major accident) on a veto indicator."),
    )
    description = models.TextField(_("finding"))

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspection", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__isnull=False) | (Q(points=0) & Q(vetoes=False)),
                name="assessments_finding_points_need_indicator",
                violation_error_message=_(
                    "A finding that deducts or adds points, or triggers a veto, needs its "
                    "indicator."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.unit}: {self.description[:30]}"


class Rectification(models.Model):
    """Something a unit must put right by a deadline, tracked to closure."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Rectified")

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="rectifications",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="rectifications"
    )
    finding = models.OneToOneField(
        Finding,
        verbose_name=_("finding"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rectification",
    )
    description = models.TextField(_("what to rectify"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing record"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["status", "deadline"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (Q(status="closed") & Q(closed_on__isnull=False) & ~Q(closing_note="")),
                name="assessments_rectification_closed_has_record",
                violation_error_message=_(
                    "A closed rectification item needs its closing date and record; an open one "
                    "has no closing date."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.unit}: {self.description[:30]}"
