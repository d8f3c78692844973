"""Each leadership team's analysis report (班子分析研判报告), read with its archive."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.models import Unit

from .catalog import AssessmentYear


class TeamAnalysis(models.Model):
    """A leadership team's analysis report (班子分析研判报告) for one year."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="team_analyses"
    )
    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="team_analyses",
    )
    written_on = models.DateField(_("date"))
    strengths = models.TextField(_("strengths"))
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    conclusion = models.TextField(_("conclusion and suggestions"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("team analysis report")
        verbose_name_plural = _("team analysis reports")
        ordering = ["unit", "-year__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="assessments_teamanalysis_one_per_year",
                violation_error_message=_(
                    "This leadership team already has an analysis report for the year."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.unit.name} {self.year.year}"
