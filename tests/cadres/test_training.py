"""Training (培养): the key-training pool, secondments out and village first secretaries, as the
office records them and a leader reads them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.models import EligibilityFlag, EligibilityRules
from cadres.models import TrainingAssignment
from cadres.services.training import training_assign, training_end
from tests.factories import CadreFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

START = dt.date(2016, 3, 1)


def assign(xx, kind="secondment", **kwargs):
    data = {"cadre": xx.cadre, "kind": kind, "started_on": START, "by": xx.office}
    if kind in ("secondment", "first_secretary"):
        data["place"] = "陕西省洛川县"
    data.update(kwargs)
    return training_assign(**data)


def training_flag(cadre, county):
    rules = EligibilityRules.objects.get_or_create(
        county=county, version=1, defaults={"effective_from": dt.date(2014, 1, 1)}
    )[0]
    return EligibilityFlag.objects.create(
        cadre=cadre,
        kind="training",
        rules=rules,
        years=[2015],
        reason="重点培养对象：2015年度 优秀",
        valid_from=dt.date(2016, 1, 10),
    )


# --- The services ------------------------------------------------------------------------------


def test_a_first_secretary_stay_is_recorded_with_its_village(xx):
    a = assign(xx, "first_secretary", place="龙泉镇东村", purpose="驻村帮扶")
    assert (a.kind, a.place, a.started_on, a.ended_on, a.recorded_by) == (
        "first_secretary",
        "龙泉镇东村",
        START,
        None,
        xx.office,
    )


@pytest.mark.parametrize("kind", ["secondment", "first_secretary"])
def test_going_away_without_a_place_is_refused(xx, kind):
    with pytest.raises(ValidationError) as error:
        assign(xx, kind, place="  ")
    assert "place" in error.value.message_dict
    assert not TrainingAssignment.objects.exists()


def test_a_course_and_the_pool_need_no_place(xx):
    assert assign(xx, "course", purpose="果树管理培训班").place == ""
    assert assign(xx, "key_training").place == ""


def test_an_end_before_the_start_is_refused(xx):
    with pytest.raises(ValidationError) as error:
        assign(xx, "course", ended_on=START - dt.timedelta(days=1))
    assert "ended_on" in error.value.message_dict
    assert not TrainingAssignment.objects.exists()


def test_two_open_pool_entries_are_refused(xx):
    assign(xx, "key_training")
    with pytest.raises(ValidationError, match="already in the key-training pool"):
        assign(xx, "key_training", started_on=START + dt.timedelta(days=10))
    assert TrainingAssignment.objects.count() == 1


def test_a_cadre_back_in_the_pool_after_leaving_it(xx):
    first = assign(xx, "key_training")
    training_end(assignment=first, ended_on=START + dt.timedelta(days=100), by=xx.office)
    assert assign(xx, "key_training", started_on=START + dt.timedelta(days=200)).pk


def test_overlapping_stays_away_are_refused(xx):
    assign(xx, "first_secretary", place="东村", ended_on=dt.date(2017, 2, 28))
    with pytest.raises(ValidationError, match="away then already"):
        assign(xx, "secondment", started_on=dt.date(2016, 9, 1))
    assert assign(xx, "secondment", started_on=dt.date(2017, 3, 1)).pk
    assert TrainingAssignment.objects.count() == 2


def test_a_cadre_out_of_service_gets_no_new_assignment(xx):
    type(xx.cadre).objects.filter(pk=xx.cadre.pk).update(is_active=False)
    with pytest.raises(ValidationError) as error:
        assign(xx, "course")
    assert "cadre" in error.value.message_dict


def test_an_assignment_ends_once_not_before_its_start_nor_in_the_future(xx):
    a = assign(xx)
    with pytest.raises(ValidationError) as error:
        training_end(assignment=a, ended_on=START - dt.timedelta(days=1), by=xx.office)
    assert "ended_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        training_end(
            assignment=a, ended_on=timezone.localdate() + dt.timedelta(days=1), by=xx.office
        )
    assert "ended_on" in error.value.message_dict
    a.refresh_from_db()
    assert a.ended_on is None
    training_end(assignment=a, ended_on=dt.date(2016, 9, 1), by=xx.office)
    with pytest.raises(ValidationError, match="already ended"):
        training_end(assignment=a, ended_on=dt.date(2016, 10, 1), by=xx.office)
    a.refresh_from_db()
    assert a.ended_on == dt.date(2016, 9, 1)


# --- The pages ---------------------------------------------------------------------------------


def test_pool_lists_members_and_candidates_and_the_office_adds_one(client, xx):
    assign(xx, "key_training")
    flag = training_flag(xx.other_cadre, xx.county)
    training_flag(xx.cadre, xx.county)  # already in the pool: not a candidate
    client.force_login(xx.office)
    url = reverse("assessments:training_pool")
    response = client.get(url)
    assert [a.cadre for a in response.context["pool"]] == [xx.cadre]
    assert list(response.context["candidates"]) == [flag]
    response = client.post(reverse("assessments:training_pool_add", args=[xx.other_cadre.pk]))
    assert response["Location"] == url
    entry = TrainingAssignment.objects.get(cadre=xx.other_cadre)
    assert (entry.kind, entry.ended_on, entry.purpose) == ("key_training", None, flag.reason)
    response = client.get(url)
    assert list(response.context["candidates"]) == []


def test_the_office_adds_a_secondment_from_the_form_and_a_refusal_shows_on_it(client, xx):
    client.force_login(xx.office)
    url = reverse("cadres:training_create")
    form = client.get(url, {"cadre": xx.cadre.pk}).context["form"]
    assert form.initial["cadre"] == xx.cadre.pk
    data = {"cadre": xx.cadre.pk, "kind": "secondment", "started_on": "2016-03-01"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "place" in response.context["form"].errors
    assert not TrainingAssignment.objects.exists()
    response = client.post(url, {**data, "place": "陕西省洛川县", "purpose": "学习果园管理"})
    assert response["Location"] == reverse("cadres:training_list")
    assert TrainingAssignment.objects.get().place == "陕西省洛川县"


def test_list_filters_by_kind_and_by_date_on(client, xx):
    village = assign(xx, "first_secretary", place="东村", ended_on=dt.date(2016, 12, 31))
    away = assign(xx, started_on=dt.date(2017, 3, 1), cadre=xx.other_cadre)
    assign(xx, "key_training")  # the pool is not listed here
    client.force_login(xx.leader)
    url = reverse("cadres:training_list")
    assert {a.pk for a in client.get(url).context["page"]} == {village.pk, away.pk}
    rows = client.get(url, {"kind": "first_secretary"}).context["page"]
    assert [a.pk for a in rows] == [village.pk]
    rows = client.get(url, {"on": "2016-06-01"}).context["page"]
    assert [a.pk for a in rows] == [village.pk]
    rows = client.get(url, {"status": "past"}).context["page"]
    assert [a.pk for a in rows] == [village.pk]
    rows = client.get(url, {"status": "current"}).context["page"]
    assert [a.pk for a in rows] == [away.pk]


def test_the_office_ends_an_assignment_and_goes_back_to_the_filtered_page(client, xx):
    a = assign(xx)
    client.force_login(xx.office)
    back = reverse("cadres:training_list") + "?kind=secondment"
    response = client.post(
        reverse("cadres:training_end", args=[a.pk]), {"ended_on": "2016-09-01", "next": back}
    )
    assert response["Location"] == back
    a.refresh_from_db()
    assert a.ended_on == dt.date(2016, 9, 1)


def test_a_leader_reads_but_cannot_write(client, xx):
    a = assign(xx)
    training_flag(xx.other_cadre, xx.county)
    client.force_login(xx.leader)
    assert client.get(reverse("assessments:training_pool")).status_code == 200
    assert client.get(reverse("cadres:training_create")).status_code == 403
    url = reverse("assessments:training_pool_add", args=[xx.other_cadre.pk])
    assert client.post(url).status_code == 403
    url = reverse("cadres:training_end", args=[a.pk])
    assert client.post(url, {"ended_on": "2016-09-01"}).status_code == 403
    a.refresh_from_db()
    assert a.ended_on is None
    assert TrainingAssignment.objects.count() == 1


@pytest.mark.parametrize("role", ["liaison", "cadre_user"])
def test_liaisons_and_cadres_are_refused(client, xx, role):
    client.force_login(getattr(xx, role))
    assert client.get(reverse("assessments:training_pool")).status_code == 403
    assert client.get(reverse("cadres:training_list")).status_code == 403


def test_another_countys_office_gets_404(client, xx, pq):
    a = assign(xx)
    client.force_login(pq.office)
    assert (
        client.post(
            reverse("cadres:training_end", args=[a.pk]), {"ended_on": "2016-09-01"}
        ).status_code
        == 404
    )
    url = reverse("assessments:training_pool_add", args=[xx.other_cadre.pk])
    assert client.post(url).status_code == 404
    response = client.get(reverse("cadres:training_create"), {"cadre": xx.cadre.pk})
    assert response.status_code == 404
    assert client.get(reverse("cadres:training_list")).context["page"].paginator.count == 0
    a.refresh_from_db()
    assert a.ended_on is None
    assert TrainingAssignment.objects.count() == 1


def test_the_form_offers_only_cadres_in_scope(client, xx, pq):
    client.force_login(pq.office)
    url = reverse("cadres:training_create")
    data = {"cadre": xx.cadre.pk, "kind": "course", "started_on": "2016-03-01"}
    response = client.post(url, data)
    assert "cadre" in response.context["form"].errors
    assert not TrainingAssignment.objects.exists()


@pytest.mark.parametrize("n", [3, 30])
def test_pages_use_the_same_queries_for_3_and_30_rows(client, xx, n, django_assert_num_queries):
    for i in range(n):
        cadre = CadreFactory(unit=xx.township)
        assign(xx, "key_training", cadre=cadre)
        assign(xx, "first_secretary", cadre=cadre, place=f"村{i}")
        training_flag(CadreFactory(unit=xx.township), xx.county)
    client.force_login(xx.office)
    pool, listing = reverse("assessments:training_pool"), reverse("cadres:training_list")
    client.get(pool)
    with django_assert_num_queries(5):
        response = client.get(pool)
    assert (len(response.context["pool"]), len(response.context["candidates"])) == (n, n)
    with django_assert_num_queries(5):
        response = client.get(listing)
    assert len(response.context["page"]) == n
