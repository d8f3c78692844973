"""Early warnings (预警通报): one notice per unit and check run lists every lagging or unreported
target of that unit, with how far behind and a deadline to catch up; the notice is answered and
closed as one, and followed until closed."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Unit

from .catalog import AssessmentYear
from .targets import Target


class EarlyWarning(models.Model):
    """The notice a unit gets from one check run: its lagging and unreported targets (``items``),
    one catch-up date, one answer and one closing record."""

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
    month = models.PositiveSmallIntegerField(
        _("period (month)"), validators=[MinValueValidator(1), MaxValueValidator(12)]
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

    # Set by the check run on the notices it issues or escalates: their items, for the emails.
    lagging: list["WarningItem"]

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-issued_on", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "issued_on"],
                name="assessments_warning_one_per_unit_and_run",
                violation_error_message=_("This unit already has a warning from this day's check."),
            ),
            models.CheckConstraint(
                condition=Q(catch_up_by__gte=models.F("issued_on")),
                name="assessments_warning_deadline_after_issue",
                violation_error_message=_("The catch-up date cannot be before the issue date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(closing_note="")),
                name="assessments_warning_closed_has_record",
                violation_error_message=_("Record why the warning is closed."),
            ),
            models.CheckConstraint(
                condition=~Q(status="acknowledged") | ~Q(catch_up_plan=""),
                name="assessments_warning_acknowledged_has_plan",
                violation_error_message=_("Describe how the unit will catch up."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.year.year}-{self.month} · {self.issued_on}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class WarningItem(models.Model):
    """One lagging or unreported target on a unit's notice: how far behind it is at the month."""

    warning = models.ForeignKey(
        EarlyWarning,
        verbose_name=_("early warning"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="warning_items"
    )
    month = models.PositiveSmallIntegerField(
        _("period (month)"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EarlyWarning.Kind.choices)
    plan = models.DecimalField(
        _("plan to date"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    actual = models.DecimalField(
        _("actual to date"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    ratio = models.DecimalField(
        _("actual / plan"), max_digits=8, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("warned target")
        verbose_name_plural = _("warned targets")
        ordering = ["warning", "target__indicator__code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "month"],
                name="assessments_warningitem_one_per_target_and_period",
                violation_error_message=_("This target was already warned for this month."),
            ),
        ]

    def __str__(self):
        return f"{self.warning} · {self.target}"

    @property
    def behind(self):
        """How far the actual is below plan (in the target's measure), or None."""
        if self.plan is None:
            return None
        return max(self.plan - (self.actual or 0), 0)
