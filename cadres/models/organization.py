"""Who is assessed: the unit tree, cadres with their dated posts, and accounts with roles."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PATH_STEP = 4  # each tree level adds four digits to Unit.path
PRINCIPAL_IS_LEADING = _("A principal leader is also a leading cadre.")


class Unit(models.Model):
    """A node of the organization tree: a city, a county, a committee, a township, a department...

    ``path`` is a materialized path ("0001.0003.") so a subtree is one ``startswith`` filter.
    It is set by the services that create or move units, never by ``save()``.
    """

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        COMMITTEE = "committee", _("Party (work) committee")
        TOWNSHIP = "township", _("Township")
        DEPARTMENT = "department", _("County department")
        GRASSROOTS = "grassroots", _("Grassroots party organization")

    code = models.CharField(_("unit code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(_("tree path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    head_email = models.EmailField(_("head's email"), blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(dissolved_on__gte=models.F("established_on")),
                name="cadres_unit_dissolved_after_established",
                violation_error_message=_("A unit cannot be dissolved before it was established."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="cadres_unit_not_own_parent",
                violation_error_message=_("A unit cannot be its own parent."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_assessed_kind(self) -> bool:
        return self.kind in ASSESSED_KINDS


ASSESSED_KINDS = (Unit.Kind.COMMITTEE, Unit.Kind.TOWNSHIP, Unit.Kind.DEPARTMENT)


class Rank(models.TextChoices):
    """Official ranks (职级) of cadres, highest first."""

    DIVISION_DEPUTY = "div_deputy", _("Deputy division level")
    SECTION_CHIEF = "sec_chief", _("Section chief level")
    SECTION_DEPUTY = "sec_deputy", _("Deputy section level")
    PRINCIPAL_STAFF_1 = "staff_1", _("First-class principal staff member")
    PRINCIPAL_STAFF_2 = "staff_2", _("Second-class principal staff member")
    PRINCIPAL_STAFF_3 = "staff_3", _("Third-class principal staff member")
    PRINCIPAL_STAFF_4 = "staff_4", _("Fourth-class principal staff member")
    STAFF_1 = "clerk_1", _("First-class staff member")
    STAFF_2 = "clerk_2", _("Second-class staff member")
    CLERK = "clerk", _("Clerk")


class PostKind(models.TextChoices):
    """Kind of post; moral-assessment item weights depend on it."""

    PRINCIPAL = "principal", _("Principal leader")
    DEPUTY = "deputy", _("Leadership team member")
    MIDDLE = "middle", _("Mid-level cadre")
    STAFF = "staff", _("Ordinary cadre")


class Cadre(models.Model):
    """An assessed person. The current post is kept on the row for fast lists; ``posts`` is
    the dated history, so a cadre who moves keeps one record."""

    class Gender(models.TextChoices):
        MALE = "m", _("Male")
        FEMALE = "f", _("Female")

    number = models.CharField(_("cadre number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    party_member = models.BooleanField(_("party member"), default=True)
    education = models.CharField(_("education"), max_length=40, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cadres"
    )
    title = models.CharField(_("post"), max_length=100)
    rank = models.CharField(_("rank"), max_length=16, choices=Rank.choices)
    post_kind = models.CharField(_("post kind"), max_length=16, choices=PostKind.choices)
    is_leading = models.BooleanField(_("leading cadre"), default=False)
    is_principal = models.BooleanField(_("principal leader (number one)"), default=False)
    is_active = models.BooleanField(_("in service"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadre",
    )

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["unit__path", "-is_principal", "-is_leading", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_principal=False) | Q(is_leading=True),
                name="cadres_cadre_principal_is_leading",
                violation_error_message=PRINCIPAL_IS_LEADING,
            ),
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.name}（{self.number}）"


class Post(models.Model):
    """One dated post of a cadre. The open post (no end date) is the current one."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="posts"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="posts"
    )
    title = models.CharField(_("post"), max_length=100)
    rank = models.CharField(_("rank"), max_length=16, choices=Rank.choices)
    post_kind = models.CharField(_("post kind"), max_length=16, choices=PostKind.choices)
    is_leading = models.BooleanField(_("leading cadre"), default=False)
    is_principal = models.BooleanField(_("principal leader (number one)"), default=False)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("post history")
        ordering = ["cadre", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre"],
                condition=Q(ended_on__isnull=True),
                name="cadres_post_one_open_per_cadre",
                violation_error_message=_("This cadre already holds a post that has not ended."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="cadres_post_ends_after_start",
                violation_error_message=_("A post cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.title}"
