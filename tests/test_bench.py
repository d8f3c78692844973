"""The scale generator of ``make bench``: three demo counties in two cities under a province.

The demo county is loaded once for the module and copied twice (two counties to a city, so the
province branch is taken: a root above the demo city, and a second city). The checks: every
copy is the demo county again (same units, cadres, targets, reports and scores, under codes of
its own), the tree and every constraint hold, and the bench's measured steps run on it and
agree with their hand-written SQL.
"""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.test import Client, override_settings
from django.urls import reverse

from assessments.models import AssessmentYear, EarlyWarning, ProgressReport, Target, UnitScore
from assessments.services import scoring
from assessments.services.warnings import warnings_check
from cadres.models import Account, Cadre, Unit
from kaohe.demo import baselines, data
from kaohe.demo.loader import load_demo
from kaohe.demo.scale import PROVINCE, ROOT_OFFICE, root_office_username, scale_up

pytestmark = pytest.mark.django_db

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
COUNTIES = 3


def _all_counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in ("cadres", "assessments", "auth")
    }


@pytest.fixture(scope="module")
def scaled(django_db_setup, django_db_blocker):
    """(counts before, counts after) of the demo county scaled to three; rolled back after."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        with transaction.atomic():
            load_demo()
            before = _all_counts()
            after = scale_up(COUNTIES, per_city=2)
            yield before, after
            transaction.set_rollback(True)


def _counties() -> list[Unit]:
    return list(Unit.objects.filter(kind=Unit.Kind.COUNTY).order_by("path"))


def _fingerprint(county: Unit) -> tuple:
    """What a county holds, without its codes and ids."""
    units = Unit.objects.filter(path__startswith=county.path)
    reports = ProgressReport.objects.filter(target__unit__path__startswith=county.path)
    scores = UnitScore.objects.filter(unit__path__startswith=county.path)
    return (
        sorted((u.path[len(county.path) :], u.name if u != county else "", u.kind) for u in units),
        sorted(
            Cadre.objects.filter(unit__path__startswith=county.path).values_list(
                "name", "title", "rank", "birth_date"
            )
        ),
        Target.objects.filter(unit__path__startswith=county.path).count(),
        sorted(reports.values_list("status").annotate(n=Count("id"), s=Sum("actual_value"))),
        sorted(scores.values_list("year__year", "unit__name", "total")),
    )


def test_every_table_of_the_county_triples(scaled):
    before, after = scaled
    by_label = {m._meta.db_table: m._meta.label for m in apps.get_models(True)}
    after = {by_label[table]: n for table, n in after.items()}
    outside = {  # rows that are not the county's: the city, the root, the logins above
        "cadres.Unit": 1 + 2,  # the city before; the province root and a second city after
        "auth.User": 1 + 1,  # cityoffice before; provinceoffice after
        "cadres.Account": 1 + 1,
        "auth.User_groups": 1 + 1,
    }
    for label, n in before.items():
        if label in ("auth.Permission", "auth.Group", "auth.Group_permissions"):
            assert after.get(label, n) == n
            continue
        extra = outside.get(label, 0)
        county_rows = n - (1 if extra else 0)
        assert after[label] == COUNTIES * county_rows + extra, label
    assert after["cadres.Cadre"] == COUNTIES * 577
    assert after["assessments.ProgressReport"] == COUNTIES * before["assessments.ProgressReport"]


def test_each_copy_is_the_demo_county_under_codes_of_its_own(scaled):
    counties = _counties()
    assert [c.code for c in counties] == ["XX", "XX001", "XX002"]
    assert [c.name for c in counties] == [data.COUNTY[1], f"{data.COUNTY[1]}2", "隰县3"]
    original = _fingerprint(counties[0])
    for copy in counties[1:]:
        assert _fingerprint(copy) == original
    codes = Unit.objects.filter(path__startswith=counties[2].path).values_list("code", flat=True)
    assert all(code.startswith("XX002") for code in codes)
    assert get_user_model().objects.filter(username="office_002").exists()
    assert Account.objects.get(user__username="office_002").unit == counties[2]


def test_the_tree_holds(scaled):
    root = Unit.objects.get(parent=None)
    assert (root.code, root.name, root.path, root.depth) == (*PROVINCE, "0001.", 0)
    cities = list(Unit.objects.filter(parent=root).order_by("path"))
    assert [c.code for c in cities] == [data.CITY[0], f"{data.CITY[0]}02"]
    counties = _counties()
    assert [c.parent_id for c in counties] == [cities[0].pk, cities[0].pk, cities[1].pk]
    units = {u.pk: u for u in Unit.objects.all()}
    for unit in units.values():
        if unit.parent_id is None:
            continue
        parent = units[unit.parent_id]
        assert unit.path.startswith(parent.path), unit.code
        assert len(unit.path) == len(parent.path) + 5, unit.code
        assert unit.depth == parent.depth + 1, unit.code
    # Foreign keys (deferred on PostgreSQL, checked at commit) and check constraints, now.
    connection.check_constraints()
    assert root_office_username() == ROOT_OFFICE
    assert Account.objects.get(user__username=ROOT_OFFICE).unit == root


def test_new_rows_get_ids_after_the_copies(scaled):
    county = _counties()[2]
    unit = Unit.objects.create(
        code="XX002-NEW", name="新单位", kind=Unit.Kind.DEPARTMENT, parent=county,
        path=county.path + "9999.", depth=county.depth + 1,
    )  # fmt: skip
    assert unit.pk > max(Unit.objects.exclude(pk=unit.pk).values_list("pk", flat=True))


def test_bench_steps_agree_with_their_sql(scaled):
    years = list(AssessmentYear.objects.filter(status=AssessmentYear.Status.IN_PROGRESS))
    assert len(years) == COUNTIES
    expected = baselines.score_totals([y.pk for y in years])
    got = {}
    with transaction.atomic():
        for year in years:
            got |= {(s.year_id, s.unit_id): s.total for s in scoring.scores_compute(year=year)}
        transaction.set_rollback(True)
    assert got.keys() == expected.keys()
    assert all(abs(got[k] - expected[k]) < Decimal("0.0001") for k in got)
    assert Counter(year for year, _unit in got) == {y.pk: 78 for y in years}

    on = dt.date(data.PROGRESS_YEAR, 11, 26)
    candidates = baselines.warning_candidates(on)
    with transaction.atomic():
        run = warnings_check(on=on)
        transaction.set_rollback(True)
    assert {i.target_id for w in run.issued for i in w.lagging} == candidates
    assert len(candidates) == Target.objects.filter(year__in=years).count()

    # The writes by hand: the same notices (one per unit) and the same figures on each item.
    with transaction.atomic():
        written = baselines.warning_writes(on)
        notices = EarlyWarning.objects.filter(issued_on=on).count()
        transaction.set_rollback(True)
    assert notices == len(run.issued)
    items = {i.target_id: i for w in run.issued for i in w.lagging}
    assert written.keys() == items.keys()
    for target_id, (kind, plan, actual, ratio) in written.items():
        item = items[target_id]
        assert kind == item.kind
        assert _near(plan, item.plan, "0.01") and _near(actual, item.actual, "0.01")
        assert _near(ratio, item.ratio, "0.0001")
    assert {kind for kind, *_figures in written.values()} == {"missing"}


def _near(stored, exact, within: str) -> bool:
    """Whether a figure the SQL stored matches the service's (both None, or within)."""
    if stored is None or exact is None:
        return stored is None and exact is None
    return abs(Decimal(str(stored)) - exact) <= Decimal(within)


def test_the_root_office_sees_every_county(scaled):
    client = Client(SERVER_NAME="localhost")
    client.force_login(get_user_model().objects.get(username=ROOT_OFFICE))
    response = client.get(reverse("cadres:unit_list"))
    assert response.status_code == 200  # the tree's top levels: the province and its cities
    assert "临汾市2" in response.content.decode()
    county = Unit.objects.get(name="隰县3")
    assert county.parent.name == "临汾市2"
    children = client.get(reverse("cadres:unit_children", args=[county.parent_id]))
    assert children.status_code == 200 and "隰县3" in children.content.decode()
