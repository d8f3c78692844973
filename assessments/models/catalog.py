"""How units are assessed: assessment years, the "three thirds" weights, the indicator catalog."""

from collections.abc import Sequence
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Unit


class Level(models.TextChoices):
    """The four levels: graded-level indicators and unit grades (好/较好/一般/较差)."""

    GOOD = "good", _("Good (好)")
    FAIR = "fair", _("Fairly good (较好)")
    AVERAGE = "average", _("Average (一般)")
    POOR = "poor", _("Poor (较差)")


# Typed as a read-only Sequence, whose index() also takes the plain str a CharField holds.
LEVEL_ORDER: Sequence[Level] = [Level.GOOD, Level.FAIR, Level.AVERAGE, Level.POOR]


class AssessmentYear(models.Model):
    """One county's assessment year, with its per-year settings."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Published")

    county = models.ForeignKey(
        Unit,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="assessment_years",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    bonus_cap = models.DecimalField(
        _("bonus cap (points)"), max_digits=6, decimal_places=2, default=Decimal("3")
    )
    grade_good_min = models.DecimalField(
        _("minimum total for 好"), max_digits=6, decimal_places=2, default=Decimal("90")
    )
    grade_fair_min = models.DecimalField(
        _("minimum total for 较好"), max_digits=6, decimal_places=2, default=Decimal("80")
    )
    grade_average_min = models.DecimalField(
        _("minimum total for 一般"), max_digits=6, decimal_places=2, default=Decimal("70")
    )
    report_deadline_day = models.PositiveSmallIntegerField(
        _("monthly report deadline (day of month)"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    warning_catch_up_days = models.PositiveSmallIntegerField(
        _("days a warned unit has to catch up"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("remind liaisons this many days before the deadline"),
        default=3,
        validators=[MaxValueValidator(27)],
    )
    # Graded levels: the fraction of an indicator's points each level earns.
    factor_good = models.DecimalField(
        _("factor for 好"), max_digits=4, decimal_places=3, default=Decimal("1.0")
    )
    factor_fair = models.DecimalField(
        _("factor for 较好"), max_digits=4, decimal_places=3, default=Decimal("0.8")
    )
    factor_average = models.DecimalField(
        _("factor for 一般"), max_digits=4, decimal_places=3, default=Decimal("0.6")
    )
    factor_poor = models.DecimalField(
        _("factor for 较差"), max_digits=4, decimal_places=3, default=Decimal("0.4")
    )
    # Progress status: actual / plan at or above green_min is green, at or above amber_min amber.
    green_min = models.DecimalField(
        _("green from (actual / plan)"), max_digits=4, decimal_places=3, default=Decimal("0.95")
    )
    amber_min = models.DecimalField(
        _("amber from (actual / plan)"), max_digits=4, decimal_places=3, default=Decimal("0.80")
    )

    class Meta:
        verbose_name = _("assessment year")
        verbose_name_plural = _("assessment years")
        ordering = ["-year", "county__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year"],
                name="assessments_year_one_per_county",
                violation_error_message=_(
                    "This county already has an assessment year for that year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(grade_good_min__gte=F("grade_fair_min"))
                & Q(grade_fair_min__gte=F("grade_average_min")),
                name="assessments_year_grade_bands_ordered",
                violation_error_message=_(
                    "The grade bands must be in order: good ≥ fairly good ≥ average."
                ),
            ),
            models.CheckConstraint(
                condition=Q(bonus_cap__gte=0),
                name="assessments_year_bonus_cap_not_negative",
                violation_error_message=_("The bonus cap cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(factor_good__lte=1)
                & Q(factor_good__gte=F("factor_fair"))
                & Q(factor_fair__gte=F("factor_average"))
                & Q(factor_average__gte=F("factor_poor"))
                & Q(factor_poor__gte=0),
                name="assessments_year_level_factors_ordered",
                violation_error_message=_(
                    "The level factors must be in order: 1 ≥ good ≥ fairly good ≥ average ≥ poor "
                    "≥ 0."
                ),
            ),
            models.CheckConstraint(
                condition=Q(green_min__gte=F("amber_min")) & Q(amber_min__gte=0),
                name="assessments_year_status_thresholds_ordered",
                violation_error_message=_(
                    "The green threshold must be at least the amber threshold, and the amber "
                    "threshold at least 0."
                ),
            ),
        ]

    def __str__(self):
        return self.title or _("%(county)s %(year)s assessment") % {
            "county": self.county.name,
            "year": self.year,
        }

    def factor(self, level: str) -> Decimal:
        """The fraction of points a graded level earns this year."""
        return getattr(self, f"factor_{level}")

    def grade_for(self, total: Decimal) -> str:
        """The unit grade the score bands give a total."""
        if total >= self.grade_good_min:
            return Level.GOOD
        if total >= self.grade_fair_min:
            return Level.FAIR
        if total >= self.grade_average_min:
            return Level.AVERAGE
        return Level.POOR

    @property
    def is_editable(self) -> bool:
        """The catalog and weights may change only before the year is closed."""
        return self.status in (self.Status.DRAFT, self.Status.IN_PROGRESS)


class Category(models.TextChoices):
    """The "three thirds", plus bonus indicators that sit outside them."""

    PARTY = "party", _("Party building")
    INDUSTRY = "industry", _("Leading industry")
    TASKS = "tasks", _("Departmental tasks and social management")
    BONUS = "bonus", _("Bonus")


THREE_THIRDS = (Category.PARTY, Category.INDUSTRY, Category.TASKS)


class CategoryWeights(models.Model):
    """Weights of the three thirds for one unit kind in one year; they add up to exactly 100."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="weights",
    )
    unit_kind = models.CharField(_("unit kind"), max_length=16, choices=Unit.Kind.choices)
    # Whole percentages: exact on every database, and how offices set them (30 / 40 / 30).
    party = models.PositiveSmallIntegerField(_("party building (%)"))
    industry = models.PositiveSmallIntegerField(_("leading industry (%)"))
    tasks = models.PositiveSmallIntegerField(_("departmental tasks (%)"))

    class Meta:
        verbose_name = _("category weights")
        verbose_name_plural = _("category weights")
        ordering = ["year", "unit_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit_kind"],
                name="assessments_categoryweights_one_per_kind",
                violation_error_message=_(
                    "Weights for this unit kind are already set for the year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(party=100 - F("industry") - F("tasks")),
                name="assessments_categoryweights_sum_100",
                violation_error_message=_("The three weights must add up to exactly 100."),
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.get_unit_kind_display()}"

    def weight_of(self, category: str) -> int:
        return getattr(self, category)

    @property
    def total(self) -> int:
        return self.party + self.industry + self.tasks


class Indicator(models.Model):
    """A node of a year's indicator catalog. Leaves are scored; a node with children groups them."""

    class Method(models.TextChoices):
        RATIO = "ratio", _("Completion ratio")
        LEVELS = "levels", _("Graded levels")
        DEDUCTION = "deduction", _("Deduction")
        BONUS = "bonus", _("Bonus")
        MANUAL = "manual", _("Manual")
        MIDTERM = "midterm", _("Mid-term review")

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent indicator"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("indicator code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    method = models.CharField(_("scoring method"), max_length=16, choices=Method.choices)
    unit_kinds = models.JSONField(
        _("applicable unit kinds"),
        default=list,
        help_text=_("The kinds of unit this indicator is assessed for."),
    )
    lead_department = models.ForeignKey(
        Unit,
        verbose_name=_("lead assessing department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_indicators",
    )
    is_veto = models.BooleanField(
        _("one-vote veto"),
        default=False,
        help_text=_("A failure caps the unit's grade at 一般 whatever its points."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["year", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "code"],
                name="assessments_indicator_code_unique",
                violation_error_message=_(
                    "An indicator with this code already exists in the year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(max_points__gt=0),
                name="assessments_indicator_max_points_positive",
                violation_error_message=_("The maximum points must be more than 0."),
            ),
            models.CheckConstraint(
                condition=(Q(method="bonus") & Q(category="bonus"))
                | (~Q(method="bonus") & ~Q(category="bonus")),
                name="assessments_indicator_bonus_iff_bonus_category",
                violation_error_message=_(
                    "Bonus indicators, and only they, sit in the bonus category."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(method="midterm") | Q(category="party"),
                name="assessments_indicator_midterm_in_party",
                violation_error_message=_("The mid-term review is a party-building indicator."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def applies_to(self, kind: str) -> bool:
        return kind in self.unit_kinds
