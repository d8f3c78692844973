"""Computed unit scores. Kept up to date by the scoring service from their inputs (a row is
updated in place when its values change); each row keeps the breakdown that explains it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.models import Unit

from .catalog import AssessmentYear, Indicator, Level
from .targets import Target


class UnitScore(models.Model):
    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="unit_scores",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="scores"
    )
    unit_kind = models.CharField(_("unit kind"), max_length=16, choices=Unit.Kind.choices)
    party = models.DecimalField(_("party building"), max_digits=12, decimal_places=6)
    industry = models.DecimalField(_("leading industry"), max_digits=12, decimal_places=6)
    tasks = models.DecimalField(_("departmental tasks"), max_digits=12, decimal_places=6)
    bonus = models.DecimalField(_("bonus"), max_digits=12, decimal_places=6)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=6)
    rank = models.PositiveIntegerField(_("rank within kind"))
    veto_failed = models.BooleanField(_("veto failed"), default=False)
    proposed_grade = models.CharField(_("proposed grade"), max_length=16, choices=Level.choices)
    computed_at = models.DateTimeField(_("computed at"))  # when its values last changed
    # A fingerprint of the year's settings the score was computed with (weights, bands,
    # factors, bonus cap, indicators): a recompute of some units only is a whole year's when
    # the settings changed since.
    basis = models.CharField(_("settings fingerprint"), max_length=16, blank=True, default="")

    class Meta:
        verbose_name = _("unit score")
        verbose_name_plural = _("unit scores")
        ordering = ["year", "unit_kind", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit"],
                name="assessments_unitscore_one_per_unit",
                violation_error_message=_("This unit already has a score for the year."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.total:.2f}"


class IndicatorScore(models.Model):
    """Points of one unit on one indicator, with what produced them (``breakdown``)."""

    unit_score = models.ForeignKey(
        UnitScore, verbose_name=_("unit score"), on_delete=models.CASCADE, related_name="items"
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("target"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    max_points = models.DecimalField(_("maximum points"), max_digits=8, decimal_places=2)
    base_points = models.DecimalField(_("points by method"), max_digits=12, decimal_places=6)
    adjustment = models.DecimalField(_("inspection adjustment"), max_digits=12, decimal_places=6)
    points = models.DecimalField(_("points"), max_digits=12, decimal_places=6)
    breakdown = models.JSONField(_("breakdown"), default=dict)

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        ordering = ["unit_score", "indicator__sort_order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_score", "indicator"],
                name="assessments_indicatorscore_unique",
                violation_error_message=_("This score already has points for that indicator."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.points:.2f}"


class RecomputeRequest(models.Model):
    """A year's scores were asked to be recomputed (written with the change that asks). The
    recompute deletes the requests it saw; the periodic sweep queues a recompute for any left
    behind (e.g. by a broker outage), so a requested recompute is never lost.

    ``unit_ids``: the units whose inputs changed (their scores are recomputed, then the year is
    re-ranked); null for a change that may touch every unit (the whole year is recomputed)."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="recompute_requests",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    unit_ids = models.JSONField(_("units"), null=True, blank=True, default=None)

    class Meta:
        verbose_name = _("score recompute request")
        verbose_name_plural = _("score recompute requests")
        ordering = ["requested_at"]
        indexes = [models.Index(fields=["requested_at"])]

    def __str__(self):
        return f"{self.year_id} @ {self.requested_at:%Y-%m-%d %H:%M}"
