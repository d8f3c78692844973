"""Using the results (结果运用): recording consequences and closing rectifications, the year's
results-use page (what is due, what is recorded) and the rectification tracker."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    CadreResult,
    Consequence,
    EligibilityFlag,
    EligibilityRules,
    GradingPolicy,
)
from assessments.selectors.consequences import results_use
from assessments.services.consequences import consequence_record, rectification_close
from cadres.models import PostKind
from tests.factories import CadreFactory, YearFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

DAY = dt.date(2016, 1, 20)


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="closed")
    GradingPolicy.objects.create(year=year, stage=GradingPolicy.Stage.NOTICE)
    return year


def result(year, cadre, grade, rank, *, group="township"):
    return CadreResult.objects.create(
        year=year,
        cadre=cadre,
        unit=cadre.unit,
        quota_group=group,
        composite=90 - rank,
        rank=rank,
        proposed_grade=grade,
        grade=grade,
    )


def record(xx, year, kind="commendation", **kwargs):
    data = {"cadre": xx.cadre, "year": year, "kind": kind, "by": xx.office}
    data.update(decided_on=DAY, summary="2015年度考核优秀，予以嘉奖。")
    data.update(kwargs)
    return consequence_record(**data)


def leader(unit, name, *, principal=False):
    return CadreFactory(
        unit=unit,
        name=name,
        title="镇长" if principal else "副镇长",
        post_kind=PostKind.PRINCIPAL if principal else PostKind.DEPUTY,
        is_leading=True,
        is_principal=principal,
    )


def flag(cadre, kind, years, county):
    rules = EligibilityRules.objects.get_or_create(
        county=county, version=1, defaults={"effective_from": dt.date(2014, 1, 1)}
    )[0]
    return EligibilityFlag.objects.create(
        cadre=cadre,
        kind=kind,
        rules=rules,
        years=years,
        reason=f"{kind}：{years}",
        valid_from=dt.date(2016, 1, 10),
    )


# --- The services ------------------------------------------------------------------------------


def test_a_commendation_is_recorded_and_linked_to_the_years_result(xx, year):
    mine = result(year, xx.cadre, "excellent", 1)
    c = record(xx, year, document_no="隰组发〔2016〕3号")
    assert (c.kind, c.result, c.recorded_by, c.document_no) == (
        "commendation",
        mine,
        xx.office,
        "隰组发〔2016〕3号",
    )


def test_nothing_follows_from_grades_that_are_not_published(xx, year):
    GradingPolicy.objects.filter(year=year).update(stage=GradingPolicy.Stage.PROPOSED)
    with pytest.raises(ValidationError, match="not published"):
        record(xx, year)
    assert not Consequence.objects.exists()


def test_a_locked_year_takes_consequences(xx, year):
    GradingPolicy.objects.filter(year=year).update(stage=GradingPolicy.Stage.LOCKED)
    assert record(xx, year).pk


def test_a_cadre_of_another_county_is_refused(xx, pq, year):
    with pytest.raises(ValidationError, match="not assessed"):
        record(xx, year, cadre=pq.cadre)
    assert not Consequence.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "rectification"}, "deadline"),
        ({"kind": "rectification", "deadline": DAY - dt.timedelta(days=1)}, "deadline"),
        ({"kind": "notice", "deadline": DAY + dt.timedelta(days=30)}, "deadline"),
        ({"kind": "admonishment"}, "talked_by"),
        ({"summary": "  "}, "summary"),
        ({"decided_on": dt.date(2014, 12, 31)}, "decided_on"),
        ({"decided_on": timezone.localdate() + dt.timedelta(days=1)}, "decided_on"),
        ({"kind": "praise"}, "kind"),
    ],
    ids=[
        "rectification-without-deadline",
        "deadline-before-decision",
        "deadline-on-a-notice",
        "talk-without-who",
        "empty-summary",
        "before-the-year",
        "in-the-future",
        "unknown-kind",
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_written(xx, year, kwargs, field):
    with pytest.raises(ValidationError) as error:
        record(xx, year, **kwargs)
    assert field in error.value.message_dict
    assert not Consequence.objects.exists()


def test_a_result_of_another_cadre_is_refused(xx, year):
    other = result(year, xx.other_cadre, "competent", 2)
    with pytest.raises(ValidationError) as error:
        record(xx, year, result=other)
    assert "result" in error.value.message_dict


def test_a_flag_must_be_the_cadres_open_flag_of_the_matching_kind(xx, year):
    merit = flag(xx.cadre, "merit", [2013, 2014, 2015], xx.county)
    others = flag(xx.other_cadre, "merit", [2013, 2014, 2015], xx.county)
    with pytest.raises(ValidationError, match="not the cadre"):
        record(xx, year, kind="merit", flag=others)
    with pytest.raises(ValidationError, match="does not lead"):
        record(xx, year, kind="adjustment", flag=merit)
    EligibilityFlag.objects.filter(pk=merit.pk).update(valid_until=dt.date(2016, 2, 1))
    merit.refresh_from_db()
    with pytest.raises(ValidationError, match="no longer open"):
        record(xx, year, kind="merit", flag=merit)
    assert not Consequence.objects.exists()


def test_the_same_kind_twice_for_a_cadre_and_year_is_refused(xx, year):
    record(xx, year)
    with pytest.raises(ValidationError, match="already recorded"):
        record(xx, year)
    assert Consequence.objects.count() == 1


def test_a_second_rectification_waits_until_the_first_is_closed(xx, year):
    deadline = DAY + dt.timedelta(days=90)
    first = record(xx, year, kind="rectification", deadline=deadline)
    with pytest.raises(ValidationError, match="open rectification"):
        record(xx, year, kind="rectification", deadline=deadline)
    rectification_close(
        consequence=first,
        closed_on=DAY + dt.timedelta(days=60),
        closing_note="已整改",
        by=xx.office,
    )
    assert record(xx, year, kind="rectification", deadline=deadline).pk != first.pk


def test_a_rectification_closes_once_and_not_before_it_was_decided(xx, year):
    item = record(xx, year, kind="rectification", deadline=DAY + dt.timedelta(days=90))
    with pytest.raises(ValidationError) as error:
        rectification_close(
            consequence=item, closed_on=DAY - dt.timedelta(days=1), closing_note="x", by=xx.office
        )
    assert "closed_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        rectification_close(consequence=item, closed_on=DAY, closing_note=" ", by=xx.office)
    assert "closing_note" in error.value.message_dict
    item.refresh_from_db()
    assert item.closed_on is None
    rectification_close(consequence=item, closed_on=DAY, closing_note="已整改到位", by=xx.office)
    with pytest.raises(ValidationError, match="already closed"):
        rectification_close(
            consequence=item,
            closed_on=DAY + dt.timedelta(days=5),
            closing_note="再次",
            by=xx.office,
        )
    item.refresh_from_db()
    assert (item.closed_on, item.closing_note) == (DAY, "已整改到位")


def test_only_a_rectification_is_closed(xx, year):
    item = record(xx, year)
    with pytest.raises(ValidationError, match="Only a rectification"):
        rectification_close(consequence=item, closed_on=DAY, closing_note="x", by=xx.office)


# --- The results-use page ----------------------------------------------------------------------


def test_the_page_lists_what_is_due_and_records_it(client, xx, year):
    boss = leader(xx.township, "王镇长", principal=True)
    deputy = leader(xx.township, "赵副镇长")
    result(year, xx.cadre, "excellent", 1)
    result(year, xx.other_cadre, "competent", 2)
    result(year, boss, "competent", 3)
    result(year, deputy, "basic", 4)
    merit = flag(xx.cadre, "merit", [2013, 2014, 2015], xx.county)
    adjust = flag(boss, "adjustment", [2013, 2014, 2015], xx.county)
    flag(xx.other_cadre, "merit", [2012, 2013, 2014], xx.county)  # completed by another year
    client.force_login(xx.office)
    url = reverse("assessments:results_use", args=[year.pk])
    use = client.get(url).context["use"]
    assert [r.cadre for r in use.commendations] == [xx.cadre]
    assert use.merits == [merit]
    assert [b.result.cadre for b in use.bottom] == [deputy]
    assert use.bottom[0].missing == ["admonishment", "notice", "rectification"]
    assert use.adjustments == [adjust]
    assert use.due_count == 6

    record_url = reverse("assessments:consequence_create", args=[year.pk])
    response = client.post(
        record_url,
        {
            "cadre": deputy.pk,
            "kind": "admonishment",
            "decided_on": "2016-01-20",
            "summary": "2015年度考核基本称职，诫勉谈话。",
            "talked_by": "县委组织部部长",
        },
    )
    assert response.status_code == 302
    client.post(
        record_url,
        {
            "cadre": xx.cadre.pk,
            "kind": "merit",
            "flag": merit.pk,
            "decided_on": "2016-01-20",
            "summary": "记三等功",
        },
    )
    use = client.get(url).context["use"]
    assert use.bottom[0].missing == ["notice", "rectification"]
    assert use.merits == []
    assert Consequence.objects.get(kind="merit").flag == merit
    page = client.get(url).content.decode()
    assert "县委组织部部长" in page
    assert "记三等功" in page


def test_a_refused_record_says_why_and_writes_nothing(client, xx, year):
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:consequence_create", args=[year.pk]),
        {"cadre": xx.cadre.pk, "kind": "rectification", "decided_on": "2016-01-20", "summary": "x"},
        follow=True,
    )
    assert "A rectification needs a deadline." in response.content.decode()
    assert not Consequence.objects.exists()


def test_last_leading_cadre_of_a_county_wide_group_is_due_not_so_in_per_unit_groups(xx, year):
    first = leader(xx.township, "甲")
    last = leader(xx.department, "乙")
    result(year, first, "competent", 1, group="leaders")
    result(year, last, "competent", 2, group="leaders")
    assert results_use(year).bottom == []
    GradingPolicy.objects.filter(year=year).update(quota_group="unit_kind")
    assert [b.result.cadre for b in results_use(year).bottom] == [last]


def test_unpublished_year_shows_nothing_due(client, xx, year):
    GradingPolicy.objects.filter(year=year).update(stage=GradingPolicy.Stage.PROPOSED)
    result(year, xx.cadre, "excellent", 1)
    client.force_login(xx.office)
    response = client.get(reverse("assessments:results_use", args=[year.pk]))
    assert response.context["use"].commendations == []
    assert "not published yet" in response.content.decode()


def test_a_leader_reads_but_cannot_record_or_close(client, xx, year):
    item = record(xx, year, kind="rectification", deadline=DAY + dt.timedelta(days=90))
    client.force_login(xx.leader)
    assert client.get(reverse("assessments:results_use", args=[year.pk])).status_code == 200
    response = client.post(
        reverse("assessments:consequence_create", args=[year.pk]),
        {"cadre": xx.cadre.pk, "kind": "notice", "decided_on": "2016-01-20", "summary": "x"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("assessments:consequence_close", args=[item.pk]),
        {"closed_on": "2016-02-01", "closing_note": "x"},
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.closed_on is None
    assert Consequence.objects.count() == 1


def test_another_countys_office_gets_404(client, xx, pq, year):
    item = record(xx, year, kind="rectification", deadline=DAY + dt.timedelta(days=90))
    client.force_login(pq.office)
    assert client.get(reverse("assessments:results_use", args=[year.pk])).status_code == 404
    response = client.get(reverse("assessments:consequence_rectifications", args=[year.pk]))
    assert response.status_code == 404
    response = client.post(
        reverse("assessments:consequence_close", args=[item.pk]),
        {"closed_on": "2016-02-01", "closing_note": "x"},
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.closed_on is None


def test_an_office_cannot_record_for_a_cadre_of_another_county(client, xx, pq, year):
    client.force_login(xx.office)
    client.post(
        reverse("assessments:consequence_create", args=[year.pk]),
        {"cadre": pq.cadre.pk, "kind": "notice", "decided_on": "2016-01-20", "summary": "x"},
    )
    assert not Consequence.objects.exists()


def _county_of(n, xx, year):
    """n leading cadres graded 基本称职 with two measures recorded, plus n commendations due."""
    for i in range(n):
        boss = leader(xx.township, f"领导{i}")
        result(year, boss, "basic", 10 + i)
        record(xx, year, cadre=boss, kind="admonishment", talked_by="部长")
        record(xx, year, cadre=boss, kind="rectification", deadline=DAY + dt.timedelta(days=i))
        result(year, CadreFactory(unit=xx.township), "excellent", 100 + i)
        flag(boss, "adjustment", [2015], xx.county)


@pytest.mark.parametrize("n", [3, 30])
def test_results_use_page_uses_the_same_queries_for_3_and_30_rows(
    client, xx, year, n, django_assert_num_queries
):
    _county_of(n, xx, year)
    client.force_login(xx.office)
    url = reverse("assessments:results_use", args=[year.pk])
    client.get(url)
    with django_assert_num_queries(9):  # 9: with the year switcher
        response = client.get(url)
    use = response.context["use"]
    assert (len(use.bottom), len(use.commendations), len(use.adjustments)) == (n, n, n)


# --- The rectification tracker -----------------------------------------------------------------


def test_the_tracker_shows_days_left_overdue_and_closed_and_filters(client, xx, year):
    today = timezone.localdate()
    soon = record(xx, year, kind="rectification", deadline=today + dt.timedelta(days=5))
    late = record(
        xx, year, cadre=xx.other_cadre, kind="rectification", deadline=today - dt.timedelta(days=3)
    )
    boss = leader(xx.township, "王镇长")
    done = record(xx, year, cadre=boss, kind="rectification", deadline=today)
    rectification_close(consequence=done, closed_on=DAY, closing_note="已整改", by=xx.office)
    client.force_login(xx.office)
    url = reverse("assessments:consequence_rectifications", args=[year.pk])
    response = client.get(url)
    assert [c.pk for c in response.context["page"]] == [late.pk, soon.pk, done.pk]
    assert response.context["counts"] == {"open": 2, "overdue": 1, "closed": 1}
    page = response.content.decode()
    assert "5 days left" in page
    assert "3 days overdue" in page
    assert 'class="table-danger"' in page
    for status, expected in [("open", [late, soon]), ("overdue", [late]), ("closed", [done])]:
        rows = client.get(url, {"status": status}).context["page"]
        assert [c.pk for c in rows] == [c.pk for c in expected], status


def test_the_office_closes_a_rectification_from_the_tracker(client, xx, year):
    item = record(xx, year, kind="rectification", deadline=DAY + dt.timedelta(days=90))
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:consequence_close", args=[item.pk]),
        {"closed_on": "2016-03-01", "closing_note": "已整改到位", "year": year.pk},
    )
    assert response["Location"] == reverse("assessments:consequence_rectifications", args=[year.pk])
    item.refresh_from_db()
    assert (item.closed_on, item.closing_note) == (dt.date(2016, 3, 1), "已整改到位")


@pytest.mark.parametrize("n", [3, 30])
def test_tracker_uses_the_same_queries_for_3_and_30_rows(
    client, xx, year, n, django_assert_num_queries
):
    for i in range(n):
        cadre = CadreFactory(unit=xx.township)
        record(xx, year, cadre=cadre, kind="rectification", deadline=DAY + dt.timedelta(days=i))
    client.force_login(xx.office)
    url = reverse("assessments:consequence_rectifications", args=[year.pk])
    client.get(url)
    with django_assert_num_queries(8):  # 8: with the year switcher
        response = client.get(url)
    assert len(response.context["page"]) == n


@pytest.mark.parametrize("back", ["²", "١", "1e3", "-1", None])
def test_an_odd_year_to_return_to_falls_back_to_the_consequences_year(client, xx, year, back):
    """str.isdigit() is true for "²" and "١" too: neither may reach reverse() as a pk."""
    item = record(xx, year, kind="rectification", deadline=DAY + dt.timedelta(days=90))
    client.force_login(xx.office)
    data = {"closed_on": "2016-03-01", "closing_note": "已整改到位"}
    if back is not None:
        data["year"] = back
    response = client.post(reverse("assessments:consequence_close", args=[item.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:consequence_rectifications", args=[year.pk])
