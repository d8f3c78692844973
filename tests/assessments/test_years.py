"""Several years open at once: the year each role's pages open on, the year switcher kept in the
address, the confirmation before a year's status changes, and reporting on an older open year."""

import datetime as dt
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentYear, GradingPolicy, ProgressReport, UnitScore
from assessments.selectors.catalog import default_year, pick_default_year
from cadres.models import Role
from tests.factories import IndicatorFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEC_2015 = dt.datetime(2015, 12, 10, 9, tzinfo=SHANGHAI)
FEB_2016 = dt.datetime(2016, 2, 10, 9, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def december_2015():
    with time_machine.travel(DEC_2015, tick=False):
        yield


def _year(county, year, status):
    obj = YearFactory(county=county.county, year=year, status=status)
    for kind in ("committee", "township", "department"):
        WeightsFactory(year=obj, unit_kind=kind)
    return obj


@pytest.fixture
def years(xx):
    """2014 closed, 2015 being reported, 2016 started in December 2015."""
    return {
        2014: _year(xx, 2014, "closed"),
        2015: _year(xx, 2015, "in_progress"),
        2016: _year(xx, 2016, "in_progress"),
    }


def _target(year, unit):
    indicator = IndicatorFactory(
        year=year, code="I1", category="industry", method="ratio", unit_kinds=[unit.kind]
    )
    return services.target_assign(indicator=indicator, unit=unit, target_value=D(1200))


# ---- the default year per role ----------------------------------------------------------------


def test_in_december_everyone_opens_the_year_being_reported_not_the_new_one(xx, years):
    today = dt.date(2015, 12, 10)
    for user in (xx.liaison, xx.office, xx.leader):
        assert default_year(user, today=today) == years[2015], user


def test_from_january_the_liaison_opens_the_new_year(xx, years):
    assert default_year(xx.liaison, today=dt.date(2016, 1, 4)) == years[2016]


def test_staff_stay_on_a_begun_year_until_it_is_locked_then_move_on(xx, years):
    years[2016].status = AssessmentYear.Status.DRAFT
    years[2016].save()
    # A draft year has not begun: staff stay on 2015 even in February.
    assert default_year(xx.office, today=dt.date(2016, 2, 1)) == years[2015]
    years[2016].status = AssessmentYear.Status.IN_PROGRESS
    years[2016].save()
    assert default_year(xx.office, today=dt.date(2016, 2, 1)) == years[2016]
    GradingPolicy.objects.create(year=years[2016], stage=GradingPolicy.Stage.LOCKED)
    assert default_year(xx.office, today=dt.date(2016, 2, 1)) == years[2015]


def test_a_liaison_has_no_year_when_none_is_open_and_staff_fall_back_to_the_latest(xx):
    draft = _year(xx, 2016, "draft")
    assert pick_default_year([draft], role=Role.LIAISON, today=dt.date(2016, 3, 1)) is None
    assert pick_default_year([draft], role=Role.OFFICE, today=dt.date(2016, 3, 1)) == draft
    assert pick_default_year([], role=Role.OFFICE, today=dt.date(2016, 3, 1)) is None


# ---- the liaison's home and the switcher ------------------------------------------------------


def test_liaison_home_opens_2015_in_december_and_switches_by_the_address(client, xx, years):
    _target(years[2015], xx.township)
    client.force_login(xx.liaison)
    home = reverse("assessments:my_unit")
    response = client.get(home)
    assert response.context["year"] == years[2015]
    html = response.content.decode()
    assert f'href="{home}?year={years[2016].pk}"' in html
    assert f'href="{home}?year={years[2014].pk}"' in html
    assert client.get(f"{home}?year={years[2016].pk}").context["year"] == years[2016]


def test_a_year_of_another_county_or_a_malformed_one_is_404(client, xx, pq, years):
    other = _year(pq, 2015, "in_progress")
    client.force_login(xx.liaison)
    home = reverse("assessments:my_unit")
    assert client.get(f"{home}?year={other.pk}").status_code == 404
    assert client.get(f"{home}?year=abc").status_code == 404


def test_a_liaison_is_not_offered_a_draft_year(client, xx, years):
    draft = _year(xx, 2017, "draft")
    client.force_login(xx.liaison)
    html = client.get(reverse("assessments:my_unit")).content.decode()
    assert f"?year={draft.pk}" not in html


def test_the_switcher_keeps_the_page_and_its_filters_and_swaps_the_year(client, xx, years):
    client.force_login(xx.office)
    url = reverse("assessments:progress_overview", args=[years[2015].pk])
    html = client.get(f"{url}?kind=township&page=2").content.decode()
    other = reverse("assessments:progress_overview", args=[years[2016].pk])
    assert f'href="{other}?kind=township"' in html


def test_the_leaders_dashboard_opens_on_2015_in_december(client, xx, years):
    client.force_login(xx.leader)
    response = client.get(reverse("assessments:dashboard"))
    assert response.context["year"] == years[2015]
    assert f"?year={years[2016].pk}" in response.content.decode()


def test_a_liaison_reports_december_2015_while_2016_is_started(client, xx, years):
    target = _target(years[2015], xx.township)
    client.force_login(xx.liaison)
    url = reverse("assessments:report_submit", args=[target.pk])
    response = client.post(
        f"{url}?month=12",
        {"month": 12, "actual_value": "1100", "narrative": "全年任务基本完成"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('assessments:my_unit')}?year={years[2015].pk}"
    assert ProgressReport.objects.get(target=target, month=12).status == "submitted"


# ---- starting and ending a year asks first ----------------------------------------------------


def test_starting_a_year_asks_first_and_says_what_changes_for_whom(client, xx, in_english):
    _year(xx, 2015, "in_progress")
    new = _year(xx, 2016, "draft")
    client.force_login(xx.office)
    catalog = client.get(reverse("assessments:catalog", args=[new.pk])).content.decode()
    confirm = reverse("assessments:year_status_confirm", args=[new.pk])
    assert f'href="{confirm}?status=in_progress"' in catalog
    response = client.get(confirm, {"status": "in_progress"})
    text = response.content.decode()
    assert "Start the year 2016?" in text
    assert "from January 2016" in text
    assert "Until then their home stays on" in text
    new.refresh_from_db()
    assert new.status == AssessmentYear.Status.DRAFT  # looking changes nothing
    client.post(reverse("assessments:year_status", args=[new.pk]), {"status": "in_progress"})
    new.refresh_from_db()
    assert new.status == AssessmentYear.Status.IN_PROGRESS


def test_closing_a_year_says_liaisons_can_no_longer_report(client, xx, years, in_english):
    client.force_login(xx.office)
    confirm = reverse("assessments:year_status_confirm", args=[years[2015].pk])
    text = client.get(confirm, {"status": "closed"}).content.decode()
    assert "can no longer report progress for 2015" in text


def test_a_change_the_year_cannot_make_is_404_on_the_confirmation(client, xx, years):
    client.force_login(xx.office)
    confirm = reverse("assessments:year_status_confirm", args=[years[2015].pk])
    assert client.get(confirm, {"status": "published"}).status_code == 404
    assert client.get(confirm, {"status": "nonsense"}).status_code == 404
    assert client.get(confirm).status_code == 404


YEAR_PAGES = [
    "assessments:target_list",
    "assessments:progress_overview",
    "assessments:warning_list",
    "assessments:bulletin_list",
    "assessments:rankings",
    "assessments:results",
    "assessments:moral_home",
    "assessments:catalog",
]


@pytest.mark.parametrize("name", YEAR_PAGES)
def test_every_year_page_switches_to_the_same_page_of_another_year(client, xx, years, name):
    client.force_login(xx.office)
    response = client.get(reverse(name, args=[years[2015].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for other in (2014, 2016):
        assert f'href="{reverse(name, args=[years[other].pk])}"' in html, other


def test_a_scorecard_switches_to_the_rankings_of_another_year(client, xx, years):
    score = UnitScore.objects.create(
        pk=years[2015].pk,  # a pk like the year's must not be taken for the year
        year=years[2015],
        unit=xx.township,
        unit_kind=xx.township.kind,
        party=D(30),
        industry=D(40),
        tasks=D(20),
        bonus=D(0),
        total=D(90),
        rank=1,
        proposed_grade="good",
        computed_at=DEC_2015,
    )
    client.force_login(xx.office)
    url = reverse("assessments:scorecard", args=[score.year_id, score.unit.code])
    html = client.get(url).content.decode()
    assert f'href="{reverse("assessments:rankings", args=[years[2016].pk])}"' in html
