"""Annual cadre results: a composite of 德 / 廉 / 绩 / unit with weights per year, a proposed
grade within the 优秀 quota, rules that cap a grade (each explained), the office's overrides with
reasons, public notice, one review request per cadre, the lock, and recorded corrections."""

from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, Unit

from .catalog import AssessmentYear, Level


class Grade(models.TextChoices):
    """Annual grades of cadres, best first."""

    EXCELLENT = "excellent", _("Excellent (优秀)")
    COMPETENT = "competent", _("Competent (称职)")
    BASIC = "basic", _("Basically competent (基本称职)")
    INCOMPETENT = "incompetent", _("Incompetent (不称职)")


# Typed as a read-only Sequence, whose index() also takes the plain str a CharField holds.
GRADE_ORDER: Sequence[Grade] = [Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT]


class GradingPolicy(models.Model):
    """The year's grading settings and where the year's grading stands."""

    class QuotaGroup(models.TextChoices):
        UNIT = "unit", _("Each unit")
        UNIT_KIND = "unit_kind", _("All cadres of one unit kind in the county")

    class Stage(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        NOTICE = "notice", _("On public notice")
        LOCKED = "locked", _("Locked")

    # Stages in which the grades are public: on notice, then locked.
    PUBLISHED = (Stage.NOTICE, Stage.LOCKED)

    year = models.OneToOneField(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="grading",
    )
    weight_moral = models.PositiveSmallIntegerField(_("weight of 德 (%)"), default=30)
    weight_integrity = models.PositiveSmallIntegerField(_("weight of 廉 (%)"), default=20)
    weight_performance = models.PositiveSmallIntegerField(_("weight of 绩 (%)"), default=30)
    weight_unit = models.PositiveSmallIntegerField(_("weight of the unit's score (%)"), default=20)
    excellent_min = models.DecimalField(
        _("lowest composite for 优秀"), max_digits=6, decimal_places=2, default=Decimal("85")
    )
    competent_min = models.DecimalField(
        _("lowest composite for 称职"), max_digits=6, decimal_places=2, default=Decimal("60")
    )
    basic_min = models.DecimalField(
        _("lowest composite for 基本称职"), max_digits=6, decimal_places=2, default=Decimal("50")
    )
    excellent_share = models.PositiveSmallIntegerField(
        _("优秀 share (%)"), default=20, validators=[MaxValueValidator(100)]
    )
    excellent_share_good_unit = models.PositiveSmallIntegerField(
        _("优秀 share for a unit graded 好 (%)"), default=25, validators=[MaxValueValidator(100)]
    )
    quota_group = models.CharField(
        _("quota group"), max_length=16, choices=QuotaGroup.choices, default=QuotaGroup.UNIT
    )
    integrity_deduction = models.PositiveSmallIntegerField(
        _("廉 points lost per verified violation"),
        default=40,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    notice_days = models.PositiveSmallIntegerField(_("days of public notice"), default=5)
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.PROPOSED
    )
    notice_from = models.DateField(_("notice from"), null=True, blank=True)
    review_until = models.DateField(_("review requests until"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("grading policy")
        verbose_name_plural = _("grading policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    weight_moral=100
                    - F("weight_integrity")
                    - F("weight_performance")
                    - F("weight_unit")
                ),
                name="assessments_gradingpolicy_weights_sum_100",
                violation_error_message=_("The four weights must add up to exactly 100."),
            ),
            models.CheckConstraint(
                condition=Q(excellent_min__gte=F("competent_min"))
                & Q(competent_min__gte=F("basic_min")),
                name="assessments_gradingpolicy_bands_ordered",
                violation_error_message=_(
                    "The grade thresholds must be in order: excellent ≥ competent ≥ basically "
                    "competent."
                ),
            ),
            models.CheckConstraint(
                condition=Q(excellent_share_good_unit__gte=F("excellent_share")),
                name="assessments_gradingpolicy_good_unit_share_not_lower",
                violation_error_message=_(
                    "The share of excellent for a unit graded good cannot be lower than the "
                    "usual share."
                ),
            ),
        ]

    def __str__(self):
        return str(self.year)

    def share_for(self, unit_grade: str | None) -> int:
        return self.excellent_share_good_unit if unit_grade == Level.GOOD else self.excellent_share


def group_label(key: str, unit_names: dict[int, str]) -> str:
    """A quota group's key ("unit:<id>" or "kind:<unit kind>") in words: the unit's name (from
    ``unit_names``, id -> name), or "all <unit kind>s" for a group of one unit kind."""
    by, _sep, value = key.partition(":")
    if by == "unit" and value.isdigit() and int(value) in unit_names:
        return unit_names[int(value)]
    if by == "kind" and value in Unit.Kind.values:
        return _("all of %(kind)s") % {"kind": Unit.Kind(value).label}
    return key


class GradingPolicyVersion(models.Model):
    """One version of a year's grading policy: the settings as they were saved, who saved them
    and when. Version 1 is the first policy of the year; each change adds the next."""

    policy = models.ForeignKey(
        GradingPolicy,
        verbose_name=_("grading policy"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    values = models.JSONField(_("settings"))
    changed_at = models.DateTimeField(_("saved at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("what changed and why"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("grading policy version")
        verbose_name_plural = _("grading policy versions")
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "number"],
                name="assessments_gradingpolicyversion_one_number",
                violation_error_message=_("Each version of a grading policy has its own number."),
            ),
        ]

    def __str__(self):
        return f"{self.policy} v{self.number}"


class ResultBase(models.Model):
    """What a cadre's and a unit's annual result share: a proposed grade, the grade, and the
    office's reason when they differ. ``subject`` is whom the result is about."""

    override_reason = models.TextField(_("reason for the office's decision"), blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(grade=F("proposed_grade")) | ~Q(override_reason=""),
                name="%(app_label)s_%(class)s_override_has_reason",
                violation_error_message=_("Give a reason for a grade other than the proposed one."),
            ),
        ]

    def __str__(self):
        return f"{self.year.year} {self.subject.name} {self.get_grade_display()}"


class ReviewOutcome(models.TextChoices):
    """Where a review request stands (``ReviewRequest.Outcome``, for both kinds)."""

    PENDING = "pending", _("Awaiting an answer")
    UPHELD = "upheld", _("Grade upheld")
    CHANGED = "changed", _("Grade changed")


class ReviewRequestBase(models.Model):
    """One request, filed during notice by whom the grade concerns, to review it; answered by
    the office (grade upheld or changed)."""

    Outcome = ReviewOutcome

    reasons = models.TextField(_("reasons"))
    filed_at = models.DateTimeField(_("filed at"))
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["filed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=ReviewOutcome.PENDING)
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="%(app_label)s_%(class)s_answered_has_answer",
                violation_error_message=_(
                    "An answered review request needs the answer and when it was given."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.result}: {self.get_outcome_display()}"


class GradeChangeBase(models.Model):
    """Every change to a grade: who, when, why, before and after."""

    class Kind(models.TextChoices):
        OVERRIDE = "override", _("Office decision before notice")
        REVIEW = "review", _("After a review request")
        CORRECTION = "correction", _("Correction after the lock")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["result", "changed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="%(app_label)s_%(class)s_has_reason",
                violation_error_message=_("A grade change needs a reason."),
            ),
        ]

    def __str__(self):
        return f"{self.result.subject}: {self.before} → {self.after}"


class CadreResult(ResultBase):
    """One cadre's annual result: the parts, the composite, the grade and its explanation."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="cadre_results",
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="results"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit (at assessment)"), on_delete=models.PROTECT, related_name="+"
    )
    quota_group = models.CharField(_("quota group"), max_length=64)
    moral = models.DecimalField(_("德"), max_digits=9, decimal_places=4, null=True, blank=True)
    integrity = models.DecimalField(_("廉"), max_digits=9, decimal_places=4, null=True, blank=True)
    performance = models.DecimalField(
        _("绩"), max_digits=9, decimal_places=4, null=True, blank=True
    )
    unit_score = models.DecimalField(
        _("unit's score"), max_digits=9, decimal_places=4, null=True, blank=True
    )
    # Both empty while the composite is incomplete (no 德 result; a leading cadre without the
    # unit's score): such a cadre is not ranked, and the others are ranked among themselves.
    composite = models.DecimalField(
        _("composite"), max_digits=9, decimal_places=4, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("rank in quota group"), null=True, blank=True)
    proposed_grade = models.CharField(_("proposed grade"), max_length=16, choices=Grade.choices)
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)
    caps = models.JSONField(_("rules applied"), default=list, blank=True)

    class Meta(ResultBase.Meta):
        verbose_name = _("annual result")
        verbose_name_plural = _("annual results")
        ordering = ["year", "quota_group", F("rank").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "cadre"],
                name="assessments_cadreresult_one_per_year",
                violation_error_message=_("This cadre already has a result for the year."),
            ),
            *ResultBase.Meta.constraints,
        ]

    @property
    def subject(self) -> Cadre:
        return self.cadre

    @property
    def group_label(self) -> str:
        """The quota group in words: the unit's name, or the unit kind's (reads ``unit``)."""
        return group_label(self.quota_group, {self.unit_id: self.unit.name})


class ReviewRequest(ReviewRequestBase):
    """A cadre's one request for review of their grade, filed during the notice period."""

    result = models.OneToOneField(
        CadreResult,
        verbose_name=_("annual result"),
        on_delete=models.CASCADE,
        related_name="review",
    )

    class Meta(ReviewRequestBase.Meta):
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")


class GradeChange(GradeChangeBase):
    """Every change to a cadre's grade: who, when, why, before and after."""

    result = models.ForeignKey(
        CadreResult,
        verbose_name=_("annual result"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    before = models.CharField(_("before"), max_length=16, choices=Grade.choices)
    after = models.CharField(_("after"), max_length=16, choices=Grade.choices)

    class Meta(GradeChangeBase.Meta):
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")


class UnitResult(ResultBase):
    """A unit's annual grade: the scoring engine's proposal frozen for notice, the office's
    decision, and the grade that locks with the cadres' grades."""

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="unit_results",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="annual_results"
    )
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=6)
    veto_failed = models.BooleanField(_("veto failed"), default=False)
    proposed_grade = models.CharField(_("proposed grade"), max_length=16, choices=Level.choices)
    grade = models.CharField(_("grade"), max_length=16, choices=Level.choices)

    class Meta(ResultBase.Meta):
        verbose_name = _("unit annual result")
        verbose_name_plural = _("unit annual results")
        ordering = ["year", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit"],
                name="assessments_unitresult_one_per_year",
                violation_error_message=_("This unit already has a result for the year."),
            ),
            *ResultBase.Meta.constraints,
        ]

    @property
    def subject(self) -> Unit:
        return self.unit


class UnitReviewRequest(ReviewRequestBase):
    """A unit's one request, filed by its liaison during notice, to review its grade."""

    result = models.OneToOneField(
        UnitResult,
        verbose_name=_("unit annual result"),
        on_delete=models.CASCADE,
        related_name="review",
    )

    class Meta(ReviewRequestBase.Meta):
        verbose_name = _("unit review request")
        verbose_name_plural = _("unit review requests")


class UnitGradeChange(GradeChangeBase):
    """Every change to a unit's grade: who, when, why, before and after."""

    result = models.ForeignKey(
        UnitResult,
        verbose_name=_("unit annual result"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    before = models.CharField(_("before"), max_length=16, choices=Level.choices)
    after = models.CharField(_("after"), max_length=16, choices=Level.choices)

    class Meta(GradeChangeBase.Meta):
        verbose_name = _("unit grade change")
        verbose_name_plural = _("unit grade changes")
