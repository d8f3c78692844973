"""The close-range identification ledger (近距离识别干部台账)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .organization import Cadre


class LedgerNote(models.Model):
    """An entry of the close-range identification ledger (近距离识别干部台账): how a cadre
    behaved at a key moment, on an urgent, hard, dangerous or heavy task, or day to day.
    Its points (−10 to +10) count into the cadre's 绩 for the year."""

    class Kind(models.TextChoices):
        KEY_MOMENT = "key_moment", _("Conduct at a key moment")
        HARD_TASK = "hard_task", _("Urgent, hard, dangerous or heavy task")
        DAILY = "daily", _("Everyday conduct")
        PERSONAL_GAIN = "personal_gain", _("Attitude to personal gain")

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="ledger_notes"
    )
    noted_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    note = models.TextField(_("what was observed"))
    points = models.SmallIntegerField(_("points (−10 to +10)"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ledger note")
        verbose_name_plural = _("close-range identification ledger")
        ordering = ["cadre", "-noted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gte=-10) & Q(points__lte=10),
                name="cadres_ledgernote_points_range",
                violation_error_message=_("Points must be between -10 and 10."),
            ),
        ]

    def __str__(self):
        return f"{self.cadre.name} {self.noted_on} {self.get_kind_display()}"
