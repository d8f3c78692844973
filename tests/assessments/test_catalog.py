"""Assessment years, the three-thirds weights and the indicator catalog."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentYear, Category, CategoryWeights, Indicator
from cadres.models import Unit
from tests.factories import IndicatorFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(xx):
    return YearFactory(county=xx.county, year=2015)


def test_database_refuses_weights_that_do_not_add_up_to_100(year):
    with pytest.raises(IntegrityError), transaction.atomic():
        CategoryWeights.objects.create(
            year=year, unit_kind=Unit.Kind.TOWNSHIP, party=30, industry=40, tasks=29
        )
    CategoryWeights.objects.create(
        year=year, unit_kind=Unit.Kind.TOWNSHIP, party=30, industry=40, tasks=30
    )


def test_weights_service_refuses_a_bad_sum_and_keeps_the_old_weights(year):
    services.weights_set(year=year, unit_kind="township", party=15, industry=50, tasks=35)
    with pytest.raises(ValidationError, match="100"):
        services.weights_set(year=year, unit_kind="township", party=30, industry=50, tasks=35)
    weights = CategoryWeights.objects.get(year=year, unit_kind="township")
    assert (weights.party, weights.industry, weights.tasks) == (15, 50, 35)


def test_weights_form_shows_a_friendly_error_and_saves_nothing(client, xx, year):
    client.force_login(xx.office)
    data = {}
    for kind in ("committee", "township", "department"):
        data |= {f"{kind}-party": 30, f"{kind}-industry": 40, f"{kind}-tasks": 30}
    data["township-tasks"] = 20
    response = client.post(reverse("assessments:weights_edit", args=[year.pk]), data)
    assert response.status_code == 200
    assert "90" in response.content.decode()  # "add up to 90; they must add up to exactly 100"
    assert not CategoryWeights.objects.filter(year=year).exists()
    data["township-tasks"] = 30
    response = client.post(reverse("assessments:weights_edit", args=[year.pk]), data)
    assert response.status_code == 302
    assert CategoryWeights.objects.filter(year=year).count() == 3


def test_weights_change_between_years(xx):
    y2014 = YearFactory(county=xx.county, year=2014)
    y2015 = YearFactory(county=xx.county, year=2015)
    services.weights_set(year=y2014, unit_kind="township", party=15, industry=50, tasks=35)
    services.weights_set(year=y2015, unit_kind="township", party=30, industry=40, tasks=30)
    assert y2014.weights.get().party == 15
    assert y2015.weights.get().party == 30


def test_a_year_starts_only_with_weights_for_every_assessed_kind(year):
    services.weights_set(year=year, unit_kind="township", party=30, industry=40, tasks=30)
    with pytest.raises(ValidationError, match="权重"):
        services.year_set_status(year=year, status=AssessmentYear.Status.IN_PROGRESS)
    for kind in ("committee", "department"):
        services.weights_set(year=year, unit_kind=kind, party=30, industry=40, tasks=30)
    services.year_set_status(year=year, status=AssessmentYear.Status.IN_PROGRESS)
    year.refresh_from_db()
    assert year.status == AssessmentYear.Status.IN_PROGRESS


def test_status_cannot_skip_steps_and_a_closed_catalog_is_frozen(year):
    with pytest.raises(ValidationError):
        services.year_set_status(year=year, status=AssessmentYear.Status.PUBLISHED)
    year.status = AssessmentYear.Status.CLOSED
    year.save()
    with pytest.raises(ValidationError):
        services.indicator_create(
            year=year,
            category="party",
            code="P9",
            name="x",
            max_points=5,
            method="levels",
            unit_kinds=["township"],
        )
    assert not year.indicators.exists()


def test_one_year_per_county(xx):
    YearFactory(county=xx.county, year=2015)
    with pytest.raises(ValidationError):
        services.year_create(county=xx.county, year=2015)


def test_a_year_belongs_to_a_county(xx):
    with pytest.raises(ValidationError):
        services.year_create(county=xx.township, year=2016)


def test_indicator_rules(year, xx):
    ok = {
        "year": year,
        "code": "P1",
        "name": "基层组织建设",
        "max_points": 10,
        "category": "party",
        "method": "levels",
        "unit_kinds": ["township"],
    }
    services.indicator_create(**ok)
    refusals = [
        {"code": "P1"},  # duplicate code in the year
        {"code": "P2", "max_points": 0},
        {"code": "P3", "method": "bonus"},  # bonus outside the bonus category
        {"code": "P4", "category": "industry", "method": "midterm"},
        {"code": "P5", "unit_kinds": []},
        {"code": "P6", "unit_kinds": ["planet"]},
        {"code": "P7", "lead_department": xx.township},
    ]
    for change in refusals:
        with pytest.raises(ValidationError):
            services.indicator_create(**(ok | change))
    assert list(year.indicators.values_list("code", flat=True)) == ["P1"]


def test_an_indicator_cannot_sit_under_its_own_child(year):
    parent = IndicatorFactory(year=year, code="I1", category="industry")
    child = IndicatorFactory(year=year, code="I1.1", category="industry", parent=parent)
    with pytest.raises(ValidationError):
        services.indicator_update(indicator=parent, parent=child)
    with pytest.raises(ValidationError):
        services.indicator_create(
            year=year,
            code="P1",
            name="x",
            max_points=5,
            category="party",
            method="levels",
            unit_kinds=["township"],
            parent=parent,
        )


def test_copy_last_years_catalog_in_one_action(xx):
    old = YearFactory(county=xx.county, year=2014)
    WeightsFactory(year=old, unit_kind="township", party=15, industry=50, tasks=35)
    group = IndicatorFactory(year=old, code="I1", category="industry", name="玉露香梨")
    IndicatorFactory(year=old, code="I1.1", category="industry", parent=group, method="ratio")
    IndicatorFactory(year=old, code="B1", category="bonus", method="bonus", max_points=2)
    new = YearFactory(county=xx.county, year=2015)
    assert services.year_copy_catalog(source=old, target=new) == 3
    copy = new.indicators.get(code="I1.1")
    assert copy.parent.code == "I1"
    assert copy.parent.year == new
    assert copy.method == "ratio"
    assert new.weights.get().party == 15
    assert old.indicators.count() == 3  # the source is untouched
    with pytest.raises(ValidationError):
        services.year_copy_catalog(source=old, target=new)  # not empty any more
    assert new.indicators.count() == 3


def test_copy_refuses_another_countys_catalog(xx, pq):
    other = YearFactory(county=pq.county, year=2014)
    IndicatorFactory(year=other)
    new = YearFactory(county=xx.county, year=2015)
    with pytest.raises(ValidationError):
        services.year_copy_catalog(source=other, target=new)
    assert not new.indicators.exists()


def test_catalog_page_shows_tree_weights_and_points_per_kind(client, xx, year):
    WeightsFactory(year=year, unit_kind="township", party=30, industry=40, tasks=30)
    group = IndicatorFactory(year=year, code="I1", category="industry", name="玉露香梨产业")
    IndicatorFactory(
        year=year,
        code="I1.1",
        category="industry",
        parent=group,
        name="扩规模",
        max_points=20,
        unit_kinds=["township"],
    )
    IndicatorFactory(
        year=year,
        code="I1.2",
        category="industry",
        parent=group,
        name="抓营销",
        max_points=15,
        unit_kinds=["township"],
    )
    client.force_login(xx.leader)
    response = client.get(reverse("assessments:catalog", args=[year.pk]))
    page = response.content.decode()
    assert "扩规模" in page
    assert "抓营销" in page
    assert "30%" in page
    industry = next(c for c in response.context["catalog"].categories if c.code == "industry")
    assert industry.points_by_kind["township"] == 35
    assert industry.points_by_kind["department"] == 0
    assert [n.indicator.code for n in industry.flat()] == ["I1", "I1.1", "I1.2"]


def test_office_adds_an_indicator_through_the_page(client, xx, year):
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:indicator_create", args=[year.pk]),
        {
            "category": "tasks",
            "code": "T5",
            "name": "安全生产",
            "max_points": "15",
            "method": "deduction",
            "unit_kinds": ["township", "department"],
            "is_veto": "on",
            "sort_order": "5",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(year=year, code="T5")
    assert indicator.is_veto
    assert indicator.category == Category.TASKS
