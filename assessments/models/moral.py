"""Quantified moral assessment (量化考德): a template per year of the five dimensions, their
items weighted per post kind, four levels with scores, weighted rater groups, and rounds of
anonymous ballots.

Anonymity: a ballot code only records that it was used. A ballot records its round, the cadre
rated and the rater group — no code, no time, no account — so nothing links a code holder to
the answers beyond the group.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, PostKind, Unit

from .catalog import AssessmentYear


class MoralLevel(models.TextChoices):
    GOOD = "good", _("Good (好)")
    FAIR = "fair", _("Fairly good (较好)")
    FAIRLY_POOR = "fairly_poor", _("Fairly poor (较差)")
    POOR = "poor", _("Poor (差)")


class Judgement(models.TextChoices):
    """A ballot's overall judgement of the cadre."""

    EXCELLENT = "excellent", _("Excellent (优秀)")
    COMPETENT = "competent", _("Competent (称职)")
    BASIC = "basic", _("Basically competent (基本称职)")
    INCOMPETENT = "incompetent", _("Incompetent (不称职)")


class RaterGroup(models.TextChoices):
    SUPERIORS = "superiors", _("Superiors")
    PEERS = "peers", _("Peers")
    SUBORDINATES = "subordinates", _("Subordinates")
    PUBLIC = "public", _("The public served")


class MoralTemplate(models.Model):
    """A year's moral-assessment settings: level scores, rater-group weights (adding up to
    100) and the ballot threshold rule."""

    year = models.OneToOneField(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="moral_template",
    )
    score_good = models.PositiveSmallIntegerField(_("score for 好"), default=100)
    score_fair = models.PositiveSmallIntegerField(_("score for 较好"), default=80)
    score_fairly_poor = models.PositiveSmallIntegerField(_("score for 较差"), default=60)
    score_poor = models.PositiveSmallIntegerField(_("score for 差"), default=40)
    weight_superiors = models.PositiveSmallIntegerField(_("weight of superiors (%)"), default=30)
    weight_peers = models.PositiveSmallIntegerField(_("weight of peers (%)"), default=30)
    weight_subordinates = models.PositiveSmallIntegerField(
        _("weight of subordinates (%)"), default=20
    )
    weight_public = models.PositiveSmallIntegerField(_("weight of the public (%)"), default=20)
    incompetent_share = models.DecimalField(
        _("share of 不称职 judgements that rules out 称职 or better"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.333"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("More than this share of valid ballots judging 不称职 caps the grade."),
    )

    class Meta:
        verbose_name = _("moral-assessment template")
        verbose_name_plural = _("moral-assessment templates")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    weight_superiors=100
                    - F("weight_peers")
                    - F("weight_subordinates")
                    - F("weight_public")
                ),
                name="assessments_moraltemplate_group_weights_sum_100",
                violation_error_message=_("The rater-group weights must add up to exactly 100."),
            ),
            models.CheckConstraint(
                condition=Q(score_good__gte=F("score_fair"))
                & Q(score_fair__gte=F("score_fairly_poor"))
                & Q(score_fairly_poor__gte=F("score_poor"))
                & Q(score_good__lte=100),
                name="assessments_moraltemplate_level_scores_ordered",
                violation_error_message=_(
                    "The level scores must be in order: 100 ≥ good ≥ fairly good ≥ fairly poor ≥ "
                    "poor."
                ),
            ),
        ]

    def __str__(self):
        return str(self.year)

    def level_score(self, level: str) -> int:
        return getattr(self, f"score_{level}")

    def group_weight(self, group: str) -> int:
        return getattr(self, f"weight_{group}")


class MoralDimension(models.Model):
    template = models.ForeignKey(
        MoralTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="dimensions",
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=50)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("moral dimension")
        verbose_name_plural = _("moral dimensions")
        ordering = ["template", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "code"],
                name="assessments_moraldimension_code_unique",
                violation_error_message=_(
                    "A dimension with this code already exists in the template."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class MoralItem(models.Model):
    dimension = models.ForeignKey(
        MoralDimension,
        verbose_name=_("dimension"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("item"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("moral item")
        verbose_name_plural = _("moral items")
        ordering = ["dimension__sort_order", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "code"],
                name="assessments_moralitem_code_unique",
                violation_error_message=_(
                    "An item with this code already exists in the dimension."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class MoralItemWeight(models.Model):
    """An item's weight for one post kind (e.g. more weight on urgent, hard, dangerous and
    heavy tasks for principal leaders)."""

    item = models.ForeignKey(
        MoralItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="weights"
    )
    post_kind = models.CharField(_("post kind"), max_length=16, choices=PostKind.choices)
    weight = models.PositiveSmallIntegerField(_("weight"))

    class Meta:
        verbose_name = _("item weight")
        verbose_name_plural = _("item weights")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "post_kind"],
                name="assessments_moralitemweight_one_per_kind",
                violation_error_message=_("This item already has a weight for that post kind."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="assessments_moralitemweight_positive",
                violation_error_message=_("A weight must be more than 0."),
            ),
        ]

    def __str__(self):
        return f"{self.item} · {self.get_post_kind_display()} · {self.weight}"


class MoralRound(models.Model):
    """A round of ballots (e.g. quarterly or annual) for the cadres of some units."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for ballots")
        CLOSED = "closed", _("Closed")

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="moral_rounds",
    )
    name = models.CharField(_("name"), max_length=100)
    units = models.ManyToManyField(Unit, verbose_name=_("units"), related_name="moral_rounds")
    leading_only = models.BooleanField(_("leading cadres only"), default=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        verbose_name = _("moral-assessment round")
        verbose_name_plural = _("moral-assessment rounds")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="assessments_moralround_closes_after_opening",
                violation_error_message=_("A round cannot close before it opens."),
            ),
        ]

    def __str__(self):
        return self.name


class BallotCode(models.Model):
    """A one-time code for one rater of one group at one unit. It knows only whether it
    was used; it is never linked to the ballots it produced."""

    round = models.ForeignKey(
        MoralRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="codes"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    group = models.CharField(_("rater group"), max_length=16, choices=RaterGroup.choices)
    code = models.CharField(_("code"), max_length=16, unique=True)
    used = models.BooleanField(_("used"), default=False)

    class Meta:
        verbose_name = _("ballot code")
        verbose_name_plural = _("ballot codes")
        ordering = ["round", "unit__path", "group", "pk"]

    def __str__(self):
        return self.code


class Ballot(models.Model):
    """One rater's judgement of one cadre: the group is all that is kept about the rater."""

    round = models.ForeignKey(
        MoralRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="ballots"
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre rated"), on_delete=models.CASCADE, related_name="ballots"
    )
    group = models.CharField(_("rater group"), max_length=16, choices=RaterGroup.choices)
    judgement = models.CharField(_("overall judgement"), max_length=16, choices=Judgement.choices)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["round", "cadre"]

    def __str__(self):
        return f"{self.round} · {self.cadre} · {self.get_group_display()}"


class BallotAnswer(models.Model):
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        MoralItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=16, choices=MoralLevel.choices)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "item"],
                name="assessments_ballotanswer_one_per_item",
                violation_error_message=_("This ballot already answers that item."),
            ),
        ]

    def __str__(self):
        return f"{self.item}: {self.get_level_display()}"


class MoralResult(models.Model):
    """A cadre's moral score in a closed round, with its parts (computed at closing)."""

    round = models.ForeignKey(
        MoralRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="results"
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="moral_results"
    )
    score = models.DecimalField(_("moral score"), max_digits=9, decimal_places=4, null=True)
    by_group = models.JSONField(_("by rater group"), default=dict)
    by_dimension = models.JSONField(_("by dimension"), default=dict)
    ballots = models.PositiveIntegerField(_("valid ballots"))
    judgements = models.JSONField(_("overall judgements"), default=dict)
    threshold_breached = models.BooleanField(_("too many 不称职 judgements"), default=False)

    class Meta:
        verbose_name = _("moral result")
        verbose_name_plural = _("moral results")
        ordering = ["round", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "cadre"],
                name="assessments_moralresult_one_per_cadre",
                violation_error_message=_("This cadre already has a result in the round."),
            ),
        ]

    def __str__(self):
        return f"{self.cadre} {self.score}"
