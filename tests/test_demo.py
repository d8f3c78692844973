"""The demo county loader: ``manage.py load_demo``.

The county is loaded once for the module (inside a transaction rolled back at the end), and each
test runs in a savepoint inside it.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings

from assessments.models import AssessmentYear, CategoryWeights, Indicator
from cadres.models import ASSESSED_KINDS, Account, Cadre, Post, Role, Unit
from kaohe.demo import data
from kaohe.demo.loader import load_demo, plan_county

pytestmark = pytest.mark.django_db

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def first_run(django_db_setup, django_db_blocker):
    """Load the demo county once for the module; roll it back afterwards."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        with transaction.atomic():
            counts = load_demo()
            yield counts
            transaction.set_rollback(True)


def table_counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "cadres": Cadre.objects.count(),
        "posts": Post.objects.count(),
        "users": get_user_model().objects.count(),
        "accounts": Account.objects.count(),
        "years": AssessmentYear.objects.count(),
        "weights": CategoryWeights.objects.count(),
        "indicators": Indicator.objects.count(),
    }


def county_units():
    county = Unit.objects.get(code="XX")
    return Unit.objects.filter(path__startswith=county.path).exclude(pk=county.pk)


def test_first_run_creates_what_it_reports(first_run):
    tables = table_counts()
    assert first_run["units"] == tables["units"]
    assert first_run["cadres"] == tables["cadres"]
    assert tables["posts"] == tables["cadres"] + first_run["moves"]
    assert first_run["moves"] == data.MOVES
    assert first_run["accounts"] == tables["accounts"] == tables["users"] == len(data.ACCOUNTS)
    assert first_run["years"] == tables["years"] == 2
    assert first_run["weights"] == tables["weights"] == 6
    assert first_run["indicators"] == tables["indicators"]


def test_loading_twice_leaves_one_copy(first_run, django_assert_max_num_queries):
    before = table_counts()
    with django_assert_max_num_queries(10):  # existence is checked in bulk, not row by row
        second_run = load_demo()
    assert set(second_run.values()) == {0}
    assert table_counts() == before


def test_the_county_is_the_same_every_time(first_run):
    assert plan_county() == plan_county()
    planned = [(c.number, c.name, c.post.unit, c.post.title) for c in plan_county().cadres]
    loaded = list(
        Cadre.objects.order_by("number").values_list("number", "name", "unit__code", "title")
    )
    assert loaded == planned


def test_county_has_the_units_of_xi_county(first_run):
    county = Unit.objects.get(code="XX")
    assert county.kind == Unit.Kind.COUNTY
    assert county.parent.code == "LF" and county.parent.kind == Unit.Kind.CITY
    kinds = dict(
        county_units().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    assert kinds[Unit.Kind.COMMITTEE] >= 20
    assert kinds[Unit.Kind.TOWNSHIP] >= 8
    assert kinds[Unit.Kind.DEPARTMENT] >= 40
    assert kinds[Unit.Kind.GRASSROOTS] >= 1
    townships = set(county.children.filter(kind=Unit.Kind.TOWNSHIP).values_list("name", flat=True))
    assert townships == {
        "龙泉镇",
        "午城镇",
        "黄土镇",
        "阳头升乡",
        "寨子乡",
        "城南乡",
        "下李乡",
        "陡坡乡",
    }
    committees = county.children.filter(kind=Unit.Kind.COMMITTEE)
    assert committees.count() == committees.values("name").distinct().count() >= 20
    assert not Unit.objects.filter(kind=Unit.Kind.DEPARTMENT).exclude(
        parent__kind=Unit.Kind.COMMITTEE
    )
    assert not Unit.objects.filter(kind=Unit.Kind.GRASSROOTS).exclude(
        parent__kind=Unit.Kind.TOWNSHIP
    )
    pears = Unit.objects.get(code="XX-D09")
    assert (pears.name, pears.head_email) == ("县果业发展中心", "head.xx-d09@example.gov.cn")
    assert pears.parent.name == "县果业工委"


def test_county_has_over_500_cadres_with_plausible_records(first_run):
    cadres = Cadre.objects.filter(unit__in=county_units())
    assert cadres.count() >= 500
    assert Cadre.objects.filter(number__regex=r"^XX\d{4}$").count() == Cadre.objects.count()
    assert not cadres.filter(Q(name="") | Q(education="") | Q(birth_date__isnull=True))
    assert not cadres.filter(birth_date__year__lt=1965)
    assert not cadres.filter(birth_date__year__gt=1998)
    duplicates = cadres.values("unit", "name").annotate(n=Count("pk")).filter(n__gt=1)
    assert not duplicates
    assert not Post.objects.filter(started_on__year__lt=2008)
    moved = Cadre.objects.annotate(n=Count("posts")).filter(n__gt=1)
    assert moved.count() == data.MOVES
    for cadre in moved:
        old, new = sorted(cadre.posts.all(), key=lambda p: p.started_on)
        assert old.unit_id != new.unit_id and new.unit_id == cadre.unit_id
        assert old.ended_on is not None and new.started_on.year == 2014


def test_every_assessed_unit_has_exactly_one_principal_leader(first_run):
    units = Unit.objects.filter(kind__in=ASSESSED_KINDS).annotate(
        principals=Count("cadres", filter=Q(cadres__is_principal=True), distinct=True),
        deputies=Count("cadres", filter=Q(cadres__post_kind="deputy"), distinct=True),
        open_principal_posts=Count(
            "posts",
            filter=Q(posts__is_principal=True, posts__ended_on__isnull=True),
            distinct=True,
        ),
    )
    assert len(units) >= 68
    for unit in units:
        assert unit.principals == 1, unit
        assert unit.open_principal_posts == 1, unit
        assert 2 <= unit.deputies <= 4, unit
    principal = Cadre.objects.get(unit__code="XX-T01", is_principal=True)
    assert principal.title == "党委书记" and principal.is_leading
    assert principal.rank == "sec_chief" and principal.post_kind == "principal"


def test_weights_raise_party_building_from_15_to_30_in_2015(first_run):
    y2014 = AssessmentYear.objects.get(county__code="XX", year=2014)
    y2015 = AssessmentYear.objects.get(county__code="XX", year=2015)
    assert y2014.status == AssessmentYear.Status.CLOSED
    assert y2015.status == AssessmentYear.Status.IN_PROGRESS
    for year in (y2014, y2015):
        weights = list(year.weights.all())
        assert {w.unit_kind for w in weights} == set(ASSESSED_KINDS)
        assert all(w.total == 100 for w in weights)
    assert all(w.party == 15 for w in y2014.weights.all())
    assert y2015.weights.get(unit_kind="township").party == 30
    assert y2015.weights.get(unit_kind="department").party == 30


def test_2015_catalog_follows_the_three_thirds(first_run):
    y2015 = AssessmentYear.objects.get(county__code="XX", year=2015)
    y2014 = AssessmentYear.objects.get(county__code="XX", year=2014)
    assert y2014.indicators.exists()
    assert y2014.indicators.count() < y2015.indicators.count()
    indicators = {i.code: i for i in y2015.indicators.select_related("lead_department")}
    assert {i.category for i in indicators.values()} == {"party", "industry", "tasks", "bonus"}
    assert {i.method for i in indicators.values()} == {
        "ratio", "levels", "deduction", "manual", "midterm", "bonus"
    }  # fmt: skip
    pears = indicators["I1"]
    assert [c.code for c in pears.children.order_by("code")] == ["I1.1", "I1.2", "I1.3", "I1.4"]
    assert pears.max_points == sum(c.max_points for c in pears.children.all())
    assert pears.unit_kinds == ["township"]
    assert indicators["I1.1"].lead_department.name == "县果业发展中心"
    assert indicators["I3"].unit_kinds == ["department"]
    assert indicators["I3"].lead_department.name == "县发展和改革局"
    assert indicators["P4"].method == "midterm"
    assert indicators["T4"].lead_department.name == "县信访局"
    safety = indicators["T5"]
    assert safety.is_veto and safety.lead_department.name == "县应急管理局"
    assert indicators["B1"].category == "bonus" and indicators["B1"].method == "bonus"
    # Every assessed kind has indicators in each of the three thirds.
    leaves = [i for i in indicators.values() if not i.children.exists()]
    for kind in ASSESSED_KINDS:
        for category in ("party", "industry", "tasks"):
            points = sum(
                i.max_points for i in leaves if i.category == category and kind in i.unit_kinds
            )
            assert 20 <= points <= 50, (kind, category, points)


def test_demo_logins_exist_with_their_roles(first_run):
    expected = {
        "office": (Role.OFFICE, "隰县"),
        "leader": (Role.LEADER, "隰县"),
        "liaison": (Role.LIAISON, "龙泉镇"),
        "cadre": (Role.CADRE, "龙泉镇"),
        "cityoffice": (Role.OFFICE, "临汾市"),
    }
    for username, (role, scope) in expected.items():
        account = Account.objects.select_related("user", "unit").get(user__username=username)
        assert (account.role, account.unit.name) == (role, scope)
        assert account.user.groups.filter(name=role).exists()
        assert account.user.first_name
        assert account.user.check_password(data.PASSWORD)
    cadre = Cadre.objects.get(user__username="cadre")
    assert cadre.unit.name == "龙泉镇" and cadre.is_principal


def test_command_prints_counts_and_the_demo_logins(first_run):
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "kaohe-demo" in text
    for username, *_rest in data.ACCOUNTS:
        assert username in text
    assert "龙泉镇" in text and "临汾市" in text
