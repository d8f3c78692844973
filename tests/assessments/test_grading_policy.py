"""The grading-policy page per year: the settings beside the rules' explanation, versioned,
editable by office staff until the year's grades are published, read by leaders."""

import pytest
from django.urls import reverse

from assessments.models import GradingPolicy, GradingPolicyVersion
from assessments.services import grading
from tests.factories import YearFactory

pytestmark = pytest.mark.django_db

SETTINGS = {
    "weight_moral": 30,
    "weight_integrity": 20,
    "weight_performance": 30,
    "weight_unit": 20,
    "excellent_min": "85",
    "competent_min": "60",
    "basic_min": "50",
    "excellent_share": 20,
    "excellent_share_good_unit": 25,
    "quota_group": "unit",
    "integrity_deduction": 40,
    "notice_days": 5,
}


@pytest.fixture
def year(xx):
    return YearFactory(county=xx.county, year=2015, status="closed")


def _url(year):
    return reverse("assessments:grading_policy", args=[year.pk])


def test_the_page_shows_the_defaults_and_explains_the_rules(client, xx, year, in_english):
    client.force_login(xx.leader)
    page = client.get(_url(year)).content.decode()
    for text in ("德 30%, 廉 20%, 绩 30%", "floor(20% × the number assessed)", "25%", "5 days"):
        assert text in page, text
    assert '<form method="post">' not in page  # a leader reads


def test_office_saves_a_new_version_with_who_and_why(client, xx, year):
    client.force_login(xx.office)
    response = client.post(
        _url(year), {**SETTINGS, "weight_moral": 35, "weight_unit": 15, "note": "加大德的权重"}
    )
    assert response.status_code == 302
    policy = GradingPolicy.objects.get(year=year)
    assert (policy.weight_moral, policy.weight_unit) == (35, 15)
    client.post(_url(year), {**SETTINGS, "notice_days": 7, "note": "公示7天"})
    versions = list(GradingPolicyVersion.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].values["weight_moral"] == 35
    assert versions[1].values["notice_days"] == 7
    assert versions[1].changed_by == xx.office
    assert versions[1].note == "公示7天"
    page = client.get(_url(year)).content.decode()
    assert "公示7天" in page and "加大德的权重" in page


def test_saving_the_same_settings_again_adds_no_version(client, xx, year):
    client.force_login(xx.office)
    client.post(_url(year), SETTINGS)
    client.post(_url(year), SETTINGS)
    assert GradingPolicyVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weight_moral": 40}, "weight_moral"),
        ({"competent_min": "90"}, "competent_min"),
        ({"excellent_share_good_unit": 10}, "excellent_share_good_unit"),
        ({"notice_days": "五"}, "notice_days"),
        ({"quota_group": "bogus"}, "quota_group"),
    ],
)
def test_bad_settings_are_refused_in_words_and_change_nothing(client, xx, year, change, field):
    client.force_login(xx.office)
    response = client.post(_url(year), {**SETTINGS, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert "assessments_" not in str(errors)  # no constraint name reaches the office
    assert not GradingPolicy.objects.filter(year=year).exists()


def test_the_policy_is_fixed_once_the_grades_are_published(client, xx, year, in_english):
    grading.policy_set(year=year)
    grading.results_propose(year=year)
    grading.results_publish(year=year)
    client.force_login(xx.office)
    page = client.get(_url(year)).content.decode()
    assert "the policy is fixed" in page
    assert client.post(_url(year), {**SETTINGS, "notice_days": 9}).status_code == 403
    assert GradingPolicy.objects.get(year=year).notice_days == 5


def test_a_leader_cannot_save_and_another_county_gets_404(client, xx, pq, year):
    client.force_login(xx.leader)
    assert client.post(_url(year), SETTINGS).status_code == 403
    client.force_login(pq.office)
    assert client.get(_url(year)).status_code == 404
    assert not GradingPolicy.objects.exists()


def test_the_page_takes_the_same_queries_for_one_version_and_for_five(
    client, xx, year, django_assert_max_num_queries
):
    client.force_login(xx.office)
    client.post(_url(year), SETTINGS)
    with django_assert_max_num_queries(7):
        client.get(_url(year))
    for days in range(6, 10):
        client.post(_url(year), {**SETTINGS, "notice_days": days})
    with django_assert_max_num_queries(7):
        client.get(_url(year))
