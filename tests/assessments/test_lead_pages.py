"""The lead department's scorer (牵头部门评分员): an account tied to a department that sees exactly
the indicators its department leads (every year), the units assessed on them and their progress
and evidence, and enters deduction entries; the office enters and withdraws them too."""

from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import DeductionEntry
from cadres.models import Account, Role, Unit
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    petitions_bureau = UnitFactory(
        code="XX-XF", name="隰县信访局", kind=Unit.Kind.DEPARTMENT, parent=xx.committee
    )
    petitions = IndicatorFactory(
        year=year,
        code="T1",
        name="信访稳定",
        category="tasks",
        method="deduction",
        lead_department=petitions_bureau,
        unit_kinds=["township"],
    )
    other = IndicatorFactory(year=year, code="I1", category="industry", method="ratio")
    towns = [xx.township] + [
        UnitFactory(code=f"XX-T{n}", name=f"镇{n}", kind=Unit.Kind.TOWNSHIP, parent=xx.county)
        for n in (2, 3)
    ]
    led = [services.target_assign(indicator=petitions, unit=t) for t in towns]
    other_target = services.target_assign(indicator=other, unit=xx.township, target_value=D(10))
    reports = {}
    for target in (led[0], other_target):
        reports[target.pk] = services.progress_submit(
            target=target,
            month=1,
            narrative="进展",
            actual_value=D(1),
            files=[SimpleUploadedFile("单.pdf", b"%PDF-1.4 e", "application/pdf")],
            by=xx.liaison,
        )
    lead = make_user(Role.LEAD, petitions_bureau, username="xf01")
    return {
        "year": year,
        "lead": lead,
        "petitions": petitions,
        "other": other,
        "led": led,
        "other_target": other_target,
        "reports": reports,
    }


def test_the_lead_lands_on_the_indicators_its_department_leads(client, world):
    client.force_login(world["lead"])
    home = client.get(reverse("home"), follow=True)
    page = home.content.decode()
    assert "信访稳定" in page
    assert world["other"].name not in page


def test_the_lead_sees_every_unit_on_its_indicator_with_progress(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["lead"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("assessments:lead_indicator", args=[world["petitions"].pk]))
    assert page.status_code == 200
    assert [t.unit.name for t in page.context["targets"]][1:] == ["镇2", "镇3"]


def test_the_lead_opens_progress_and_evidence_of_its_targets_only(client, world):
    client.force_login(world["lead"])
    mine = world["reports"][world["led"][0].pk]
    theirs = world["reports"][world["other_target"].pk]
    assert client.get(reverse("assessments:report_detail", args=[mine.pk])).status_code == 200
    evidence = mine.evidence.get()
    assert client.get(reverse("assessments:evidence", args=[evidence.pk])).status_code == 200
    assert client.get(reverse("assessments:report_detail", args=[theirs.pk])).status_code == 404
    other = world["other"]
    assert client.get(reverse("assessments:lead_indicator", args=[other.pk])).status_code == 404
    target = world["other_target"]
    assert client.get(reverse("assessments:target_deductions", args=[target.pk])).status_code == 404


def test_the_lead_sees_no_cadre_no_unit_page_and_no_grading(client, world, xx):
    client.force_login(world["lead"])
    assert client.get(reverse("cadres:cadre_detail", args=[xx.cadre.pk])).status_code == 403
    assert client.get(reverse("cadres:unit_detail", args=[xx.township.pk])).status_code == 403
    assert client.get(reverse("cadres:cadre_list")).status_code == 403
    year = world["year"]
    assert client.get(reverse("assessments:rankings", args=[year.pk])).status_code == 403


def test_the_lead_enters_a_deduction_and_the_office_withdraws_it(client, world, xx):
    today = timezone.localdate()
    services.window_open(year=world["year"], opens_on=today, closes_on=today, by=xx.office)
    target = world["led"][1]
    url = reverse("assessments:target_deductions", args=[target.pk])
    client.force_login(world["lead"])
    data = {"occurred_on": "2015-04-02", "points": "2", "reason": "越级上访", "source": "交办单"}
    assert client.post(url, data).status_code == 302
    entry = DeductionEntry.objects.get()
    assert entry.entered_by == world["lead"] and entry.points == 2
    assert entry.sheet.indicator == target.indicator  # on the sheet: counts once accepted
    client.force_login(xx.office)
    withdraw = reverse("assessments:deduction_withdraw", args=[entry.pk])
    client.post(withdraw, {"reason": ""})
    entry.refresh_from_db()
    assert not entry.is_withdrawn  # no reason, no withdrawal
    client.post(withdraw, {"reason": "重复录入"})
    entry.refresh_from_db()
    assert entry.withdrawn_by == xx.office
    page = client.get(url).content.decode()
    assert "重复录入" in page


def test_a_bad_deduction_is_refused_in_words_and_nothing_is_written(client, world, xx):
    client.force_login(xx.office)
    url = reverse("assessments:target_deductions", args=[world["led"][0].pk])
    bad = {"occurred_on": "2015-04-02", "points": "0", "reason": "越级上访"}
    response = client.post(url, bad)
    assert response.status_code == 200
    assert response.context["form"].errors["points"]
    assert not DeductionEntry.objects.exists()


def test_the_office_creates_a_lead_scorer_for_a_department_only(client, world, xx):
    client.force_login(xx.office)
    url = reverse("cadres:account_create")
    data = {"username": "ny01", "role": Role.LEAD, "unit": xx.department.pk}
    assert client.post(url, data).status_code == 200
    assert Account.objects.get(user__username="ny01").role == Role.LEAD
    town = {"username": "ny02", "role": Role.LEAD, "unit": xx.township.pk}
    response = client.post(url, town)
    assert not Account.objects.filter(user__username="ny02").exists()
    assert response.context["form"].errors


def test_the_lead_sees_its_indicators_of_every_year(client, world):
    older = YearFactory(county=world["year"].county, year=2014, status="published")
    IndicatorFactory(
        year=older, code="T1", name="信访稳定2014", lead_department=world["lead"].account.unit
    )
    client.force_login(world["lead"])
    page = client.get(reverse("assessments:lead_home")).content.decode()
    assert "信访稳定2014" in page
    assert page.index("2015") < page.index("2014")


def test_without_an_open_window_the_lead_cannot_enter_a_deduction(client, world):
    client.force_login(world["lead"])
    url = reverse("assessments:target_deductions", args=[world["led"][0].pk])
    data = {"occurred_on": "2015-04-02", "points": "2", "reason": "越级上访"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not DeductionEntry.objects.exists()
