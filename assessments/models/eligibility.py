"""Using the results (结果运用): eligibility rules over several years and the flags they raise.

Rules are versioned per county: a change is a new version with the date it takes effect, so every
flag names the version that raised it. The numbers are fields, never constants in code.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, Unit

from .catalog import Level
from .grading import Grade

YEARS = [MinValueValidator(1), MaxValueValidator(10)]


class EligibilityRules(models.Model):
    """One version of a county's rules that turn several years of results into flags."""

    county = models.ForeignKey(
        Unit, verbose_name=_("county"), on_delete=models.PROTECT, related_name="eligibility_rules"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    effective_from = models.DateField(_("in force from"))
    priority_years = models.PositiveSmallIntegerField(
        _("consecutive 优秀 years for promotion priority"), default=3, validators=YEARS
    )
    merit_years = models.PositiveSmallIntegerField(
        _("consecutive 优秀 years for a third-class merit proposal"), default=3, validators=YEARS
    )
    not_promotable_years = models.PositiveSmallIntegerField(
        _("years looked back for a low grade"), default=3, validators=YEARS
    )
    not_promotable_grade = models.CharField(
        _("this grade or lower bars promotion"),
        max_length=16,
        choices=Grade.choices,
        default=Grade.BASIC,
    )
    adjustment_years = models.PositiveSmallIntegerField(
        _("consecutive years of a low unit grade for adjustment"), default=3, validators=YEARS
    )
    adjustment_level = models.CharField(
        _("this unit grade or lower counts toward adjustment"),
        max_length=16,
        choices=Level.choices,
        default=Level.AVERAGE,
    )
    training_grade = models.CharField(
        _("this grade makes a key training target"),
        max_length=16,
        choices=Grade.choices,
        default=Grade.EXCELLENT,
    )
    note = models.TextField(_("what changed and why"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("eligibility rules")
        verbose_name_plural = _("eligibility rules")
        ordering = ["county", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "version"],
                name="assessments_eligibilityrules_one_version",
                violation_error_message=_("This county already has rules with that version."),
            ),
            models.UniqueConstraint(
                fields=["county", "effective_from"],
                name="assessments_eligibilityrules_one_per_date",
                violation_error_message=_(
                    "This county already has rules taking effect on that date."
                ),
            ),
        ]

    def __str__(self):
        return _("Rules v%(version)s from %(date)s") % {
            "version": self.version,
            "date": self.effective_from,
        }


class EligibilityFlag(models.Model):
    """A flag on a cadre raised by a rule, valid from one date until the next recompute that no
    longer raises it. ``reason`` is the explanation shown wherever the flag appears, e.g.
    "不得提拔：2014年度 基本称职"; ``years`` are the years that triggered it."""

    class Kind(models.TextChoices):
        PRIORITY = "priority", _("Priority for promotion")
        MERIT = "merit", _("Third-class merit proposed")
        NOT_PROMOTABLE = "not_promotable", _("Not promotable")
        ADJUSTMENT = "adjustment", _("Organizational adjustment")
        TRAINING = "training", _("Key training target")

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="flags"
    )
    kind = models.CharField(_("flag"), max_length=16, choices=Kind.choices)
    rules = models.ForeignKey(
        EligibilityRules,
        verbose_name=_("rules version"),
        on_delete=models.PROTECT,
        related_name="flags",
    )
    years = models.JSONField(_("years that triggered it"), default=list)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit whose grades triggered it"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("eligibility flag")
        verbose_name_plural = _("eligibility flags")
        ordering = ["cadre", "kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "kind"],
                condition=Q(valid_until__isnull=True),
                name="assessments_eligibilityflag_one_open_per_kind",
                violation_error_message=_("This cadre already has an open flag of this kind."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="assessments_eligibilityflag_has_reason",
                violation_error_message=_("A flag needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="assessments_eligibilityflag_ends_after_start",
                violation_error_message=_("A flag cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.cadre.name}: {self.reason}"
