"""Early warnings (预警通报): a unit whose targets lag or go unreported gets a notice with a
deadline to catch up, followed until closed."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Unit

from .catalog import AssessmentYear
from .targets import Target


class EarlyWarning(models.Model):
    """A notice to a unit whose target lags or whose report is missing; followed until closed."""

    class Kind(models.TextChoices):
        LAG = "lag", _("Lags behind plan")
        MISSING = "missing", _("Report missing")

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ESCALATED = "escalated", _("Escalated")
        CLOSED = "closed", _("Closed")

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="warnings",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="warnings"
    )
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="warnings"
    )
    month = models.PositiveSmallIntegerField(
        _("period (month)"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    plan = models.DecimalField(
        _("plan to date"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    actual = models.DecimalField(
        _("actual to date"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    ratio = models.DecimalField(
        _("actual / plan"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    issued_on = models.DateField(_("issued on"))
    catch_up_by = models.DateField(_("catch up by"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ISSUED
    )
    catch_up_plan = models.TextField(_("catch-up plan"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing record"), blank=True)

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-issued_on", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "month"], name="assessments_warning_one_per_target_and_period"
            ),
            models.CheckConstraint(
                condition=Q(catch_up_by__gte=models.F("issued_on")),
                name="assessments_warning_deadline_after_issue",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(closing_note="")),
                name="assessments_warning_closed_has_record",
            ),
            models.CheckConstraint(
                condition=~Q(status="acknowledged") | ~Q(catch_up_plan=""),
                name="assessments_warning_acknowledged_has_plan",
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.target.indicator.name} · {self.month}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED
