"""Training assignments (培养): the key-training pool, secondments out (外派) and village stays
as first secretary (下派 第一书记), each a dated record on the cadre."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .organization import Cadre

__all__ = ["TrainingAssignment"]


class TrainingAssignment(models.Model):
    """One dated training assignment of a cadre. An open one (no end date) is current."""

    class Kind(models.TextChoices):
        KEY_TRAINING = "key_training", _("Key training target (重点培养对象)")
        SECONDMENT = "secondment", _("Secondment out (外派)")
        FIRST_SECRETARY = "first_secretary", _("Village first secretary (下派第一书记)")
        COURSE = "course", _("Training course")

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="trainings"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    place = models.CharField(_("where"), max_length=120, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("training assignment")
        verbose_name_plural = _("training assignments")
        ordering = ["cadre", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="cadres_trainingassignment_ends_after_start",
                violation_error_message=_("A training assignment cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(kind="key_training") | Q(kind="course") | ~Q(place=""),
                name="cadres_trainingassignment_away_has_place",
                violation_error_message=_("A secondment or a stay in a village needs a place."),
            ),
            models.UniqueConstraint(
                fields=["cadre"],
                condition=Q(kind="key_training", ended_on__isnull=True),
                name="cadres_trainingassignment_one_open_pool_entry",
                violation_error_message=_("This cadre is already in the key training pool."),
            ),
        ]

    def __str__(self):
        return f"{self.cadre.name} {self.get_kind_display()} {self.started_on}"
