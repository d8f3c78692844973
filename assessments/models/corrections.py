"""Mistakes are mended, not hidden: every correction or withdrawal of an input behind a score
(inspection, finding, bonus award, decision, mid-term review, responsibility letter)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Unit

from .catalog import AssessmentYear


class InputChange(models.Model):
    """One correction or withdrawal by the office: who, when, why, what it was (``before``)
    and what it became (``after``, empty for a withdrawal). The values are kept as they were
    shown then ({field name: text}), so the record outlives a withdrawn object."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("Inspection")
        FINDING = "finding", _("Finding")
        BONUS = "bonus", _("Bonus award")
        DECISION = "decision", _("Decision")
        MIDTERM = "midterm", _("Mid-term review")
        LETTER = "letter", _("Responsibility letter")

    class Action(models.TextChoices):
        CORRECTED = "corrected", _("Corrected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="input_changes",
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("units concerned"), related_name="input_changes"
    )
    kind = models.CharField(_("kind of input"), max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("input number"))
    label = models.CharField(_("input"), max_length=200)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict, blank=True)
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("correction of an input")
        verbose_name_plural = _("corrections of inputs")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["kind", "object_id"], name="assessments_inputchange_obj")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="assessments_inputchange_has_reason",
                violation_error_message=_("Give the reason for the correction."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.label}: {self.get_action_display()}"
