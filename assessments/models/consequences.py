"""Consequences recorded for cadres (结果运用): commendations, admonishments, notices,
rectifications with a deadline, organizational adjustments."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre

from .catalog import AssessmentYear
from .eligibility import EligibilityFlag
from .grading import CadreResult


class Consequence(models.Model):
    """What followed a cadre's result: a commendation, a merit, an admonishment talk, a
    county-wide notice, a rectification with a deadline tracked to closure, or an
    organizational adjustment."""

    class Kind(models.TextChoices):
        COMMENDATION = "commendation", _("Commendation (嘉奖)")
        MERIT = "merit", _("Third-class merit (三等功)")
        ADMONISHMENT = "admonishment", _("Admonishment talk (诫勉谈话)")
        NOTICE = "notice", _("County-wide notice (全县通报)")
        RECTIFICATION = "rectification", _("Rectification with a deadline (限期整改)")
        ADJUSTMENT = "adjustment", _("Organizational adjustment (组织调整)")

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="consequences"
    )
    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.PROTECT,
        related_name="consequences",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    decided_on = models.DateField(_("date"))
    summary = models.TextField(_("content"))
    document_no = models.CharField(_("document number"), max_length=60, blank=True)
    talked_by = models.CharField(_("talk given by"), max_length=100, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("how it was closed"), blank=True)
    result = models.ForeignKey(
        CadreResult,
        verbose_name=_("annual result"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consequences",
    )
    flag = models.ForeignKey(
        EligibilityFlag,
        verbose_name=_("eligibility flag"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consequences",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consequence")
        verbose_name_plural = _("consequences")
        ordering = ["cadre", "-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="rectification") | Q(deadline__isnull=False),
                name="assessments_consequence_rectification_has_deadline",
                violation_error_message=_("A rectification needs a deadline."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=F("decided_on")),
                name="assessments_consequence_deadline_after_decision",
                violation_error_message=_("The deadline cannot be before the decision."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | (Q(kind="rectification") & ~Q(closing_note="")),
                name="assessments_consequence_only_rectification_closes",
                violation_error_message=_(
                    "Only a rectification is closed, and its closing needs a record."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="admonishment") | ~Q(talked_by=""),
                name="assessments_consequence_talk_names_who",
                violation_error_message=_("An admonishment talk must name who held it."),
            ),
        ]

    def __str__(self):
        return f"{self.cadre.name} {self.get_kind_display()} {self.decided_on}"
