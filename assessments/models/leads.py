"""Lead assessing departments (牵头考核部门): deduction entries (扣分记录), records of their own
that a deduction indicator subtracts, entered by the lead department or the office."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .targets import Target


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
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="assessments_deductionentry_has_reason"
            ),
            models.CheckConstraint(
                condition=(Q(withdrawn_at__isnull=True) & Q(withdrawal_reason=""))
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="assessments_deductionentry_withdrawal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.target} −{self.points} {self.occurred_on}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
