"""Changes to the periodic schedules (the jobs themselves live in django-celery-beat)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduleChange(models.Model):
    """Every change to a periodic schedule: who, when, before and after."""

    name = models.CharField(_("schedule"), max_length=200)
    before = models.CharField(_("before"), max_length=200)
    after = models.CharField(_("after"), max_length=200)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("schedule change")
        verbose_name_plural = _("schedule changes")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.name}: {self.before} → {self.after}"
