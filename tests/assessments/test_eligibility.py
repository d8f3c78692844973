"""Eligibility rules over several years: the flags they raise, their explanations, versions of
the rules, the recompute and its hook on the lock; the rules page and the selection list."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import (
    CadreResult,
    EligibilityFlag,
    EligibilityRules,
    GradingPolicy,
    UnitResult,
)
from assessments.services import grading
from assessments.services.eligibility import flags_recompute, rules_create, rules_in_force
from cadres.models import Role, Unit
from tests.factories import CadreFactory, YearFactory, make_user

pytestmark = pytest.mark.django_db

ON = dt.date(2016, 3, 1)
Kind = EligibilityFlag.Kind


@pytest.fixture(autouse=True)
def _english(settings):
    """Reasons are built in the site's language: pin it so the texts below are exact."""
    settings.LANGUAGE_CODE = "en"


def lock_year(county, year, cadres=None, units=None, *, stage="locked"):
    """A year of ``county`` with its grades locked (on 20 January of the next year)."""
    record = YearFactory(county=county, year=year, status="closed")
    GradingPolicy.objects.create(
        year=record,
        stage=stage,
        locked_at=dt.datetime(year + 1, 1, 20, 10, tzinfo=dt.UTC) if stage == "locked" else None,
    )
    for cadre, grade in (cadres or {}).items():
        CadreResult.objects.create(
            year=record,
            cadre=cadre,
            unit=cadre.unit,
            quota_group=f"unit:{cadre.unit_id}",
            composite=80,
            rank=1,
            proposed_grade=grade,
            grade=grade,
        )
    for unit, level in (units or {}).items():
        UnitResult.objects.create(
            year=record, unit=unit, total=72, proposed_grade=level, grade=level
        )
    return record


def open_flags(cadre):
    return {f.kind: f for f in EligibilityFlag.objects.filter(cadre=cadre, valid_until=None)}


def principal(unit, **kwargs):
    return CadreFactory(
        unit=unit, is_leading=True, is_principal=True, post_kind="principal", **kwargs
    )


# --- The rules at their boundaries -------------------------------------------------------------


def test_three_years_of_excellent_raise_priority_merit_and_training(xx):
    for year in (2013, 2014, 2015):
        lock_year(xx.county, year, {xx.cadre: "excellent", xx.other_cadre: "competent"})
    counts = flags_recompute(county=xx.county, on=ON)
    flags = open_flags(xx.cadre)
    assert set(flags) == {Kind.PRIORITY, Kind.MERIT, Kind.TRAINING}
    assert flags[Kind.PRIORITY].reason == (
        "Priority for promotion: 2013–2015 优秀 3 years running (rules v1)"
    )
    assert flags[Kind.PRIORITY].years == [2013, 2014, 2015]
    assert flags[Kind.MERIT].reason == (
        "Third-class merit proposed: 2013–2015 优秀 3 years running (rules v1)"
    )
    assert flags[Kind.TRAINING].reason == ("Key training target: 2015 Excellent (优秀) (rules v1)")
    assert flags[Kind.PRIORITY].valid_from == ON
    assert open_flags(xx.other_cadre) == {}
    assert counts == {
        "priority": 1,
        "merit": 1,
        "not_promotable": 0,
        "adjustment": 0,
        "training": 1,
    }


def test_two_years_of_excellent_are_not_enough(xx):
    lock_year(xx.county, 2013, {xx.cadre: "competent"})
    lock_year(xx.county, 2014, {xx.cadre: "excellent"})
    lock_year(xx.county, 2015, {xx.cadre: "excellent"})
    flags_recompute(county=xx.county, on=ON)
    assert set(open_flags(xx.cadre)) == {Kind.TRAINING}


def test_the_run_must_end_with_the_latest_locked_year(xx):
    for year in (2012, 2013, 2014):
        lock_year(xx.county, year, {xx.cadre: "excellent"})
    lock_year(xx.county, 2015, {xx.cadre: "competent"})
    flags_recompute(county=xx.county, on=ON)
    assert open_flags(xx.cadre) == {}


def test_a_year_not_locked_breaks_the_run(xx):
    lock_year(xx.county, 2012, {xx.cadre: "excellent"})
    lock_year(xx.county, 2013, {xx.cadre: "excellent"})
    lock_year(xx.county, 2014, {xx.cadre: "excellent"}, stage="notice")
    lock_year(xx.county, 2015, {xx.cadre: "excellent"})
    flags_recompute(county=xx.county, on=ON)
    assert set(open_flags(xx.cadre)) == {Kind.TRAINING}


def test_a_missing_year_breaks_the_run(xx):
    for year in (2012, 2013, 2015):
        lock_year(xx.county, year, {xx.cadre: "excellent"})
    flags_recompute(county=xx.county, on=ON)
    assert set(open_flags(xx.cadre)) == {Kind.TRAINING}


def test_a_year_without_a_result_for_the_cadre_breaks_their_run(xx):
    lock_year(xx.county, 2013, {xx.cadre: "excellent"})
    lock_year(xx.county, 2014, {xx.other_cadre: "competent"})
    lock_year(xx.county, 2015, {xx.cadre: "excellent"})
    flags_recompute(county=xx.county, on=ON)
    assert set(open_flags(xx.cadre)) == {Kind.TRAINING}


def test_a_year_locked_after_the_date_does_not_count_in_its_own_year(xx):
    for year in (2013, 2014, 2015):
        lock_year(xx.county, year, {xx.cadre: "excellent"})
    flags_recompute(county=xx.county, on=dt.date(2015, 12, 31))  # 2015 locks in January 2016
    flags = open_flags(xx.cadre)  # 2012 is not locked: no run; the latest counted year is 2014
    assert set(flags) == {Kind.TRAINING}
    assert flags[Kind.TRAINING].years == [2014]
    flags_recompute(county=xx.county, on=dt.date(2016, 1, 20))
    assert Kind.PRIORITY in open_flags(xx.cadre)


def test_a_cadre_who_moved_keeps_their_history(xx):
    lock_year(xx.county, 2013, {xx.cadre: "excellent"})
    lock_year(xx.county, 2014, {xx.cadre: "excellent"})
    xx.cadre.unit = xx.department
    xx.cadre.save()
    lock_year(xx.county, 2015, {xx.cadre: "excellent"})
    assert set(CadreResult.objects.filter(cadre=xx.cadre).values_list("unit", flat=True)) == {
        xx.township.pk,
        xx.department.pk,
    }
    flags_recompute(county=xx.county, on=ON)
    assert Kind.PRIORITY in open_flags(xx.cadre)


def test_a_low_grade_in_the_last_three_years_bars_promotion(xx):
    third = CadreFactory(unit=xx.township)
    fourth = CadreFactory(unit=xx.township)
    lock_year(xx.county, 2012, {third: "incompetent"})
    lock_year(xx.county, 2013, {xx.cadre: "basic", third: "competent", fourth: "competent"})
    lock_year(xx.county, 2014, {xx.cadre: "competent", third: "competent"})
    lock_year(xx.county, 2015, {xx.cadre: "incompetent", xx.other_cadre: "competent"})
    flags_recompute(county=xx.county, on=ON)
    flag = open_flags(xx.cadre)[Kind.NOT_PROMOTABLE]
    assert flag.reason == (
        "Not promotable: 2013 Basically competent (基本称职), 2015 Incompetent (不称职) (rules v1)"
    )
    assert flag.years == [2013, 2015]
    assert open_flags(xx.other_cadre) == {}  # 称职 is better than the threshold
    assert open_flags(third) == {}  # 2012 is outside the last three years
    assert open_flags(fourth) == {}


def test_a_unit_graded_low_three_years_running_flags_its_principal(xx):
    head = principal(xx.township)
    deputy = CadreFactory(unit=xx.township, is_leading=True, post_kind="deputy")
    dept_head = principal(xx.department)
    lock_year(xx.county, 2013, units={xx.township: "average", xx.department: "average"})
    lock_year(xx.county, 2014, units={xx.township: "poor", xx.department: "fair"})
    lock_year(xx.county, 2015, units={xx.township: "average", xx.department: "average"})
    flags_recompute(county=xx.county, on=ON)
    flag = open_flags(head)[Kind.ADJUSTMENT]
    assert flag.unit == xx.township
    assert flag.years == [2013, 2014, 2015]
    assert flag.reason == (
        f"Organizational adjustment: {xx.township.name} 2013–2015 Average (一般) or lower "
        "3 years running (rules v1)"
    )
    assert open_flags(deputy) == {}  # only the principal leader
    assert open_flags(dept_head) == {}  # 较好 in 2014 breaks the run


def test_two_low_years_do_not_flag_the_principal(xx):
    head = principal(xx.township)
    lock_year(xx.county, 2013, units={xx.township: "fair"})
    lock_year(xx.county, 2014, units={xx.township: "poor"})
    lock_year(xx.county, 2015, units={xx.township: "average"})
    flags_recompute(county=xx.county, on=ON)
    assert open_flags(head) == {}


def test_a_renamed_unit_is_the_same_unit(xx):
    head = principal(xx.township)
    lock_year(xx.county, 2013, units={xx.township: "average"})
    lock_year(xx.county, 2014, units={xx.township: "average"})
    Unit.objects.filter(pk=xx.township.pk).update(name="隰县龙泉新镇")
    lock_year(xx.county, 2015, units={xx.township: "average"})
    flags_recompute(county=xx.county, on=ON)
    flag = open_flags(head)[Kind.ADJUSTMENT]
    assert flag.reason.startswith("Organizational adjustment: 隰县龙泉新镇 2013–2015")


def test_another_countys_results_and_cadres_are_left_alone(xx, pq):
    for year in (2013, 2014, 2015):
        lock_year(pq.county, year, {pq.cadre: "excellent"})
    flags_recompute(county=xx.county, on=ON)
    assert not EligibilityFlag.objects.exists()
    flags_recompute(county=pq.county, on=ON)
    assert Kind.PRIORITY in open_flags(pq.cadre)
    assert not EligibilityFlag.objects.filter(cadre__unit__path__startswith=xx.county.path)


# --- Versions of the rules ---------------------------------------------------------------------


def test_a_county_always_has_rules(xx):
    rules = rules_in_force(xx.county, ON)
    assert (rules.version, rules.effective_from, rules.priority_years) == (
        1,
        dt.date(2000, 1, 1),
        3,
    )
    assert rules_in_force(xx.county, ON) == rules
    assert EligibilityRules.objects.count() == 1


def test_a_new_version_changes_the_flags_and_the_reason_names_it(xx):
    lock_year(xx.county, 2013, {xx.cadre: "competent"})
    lock_year(xx.county, 2014, {xx.cadre: "excellent"})
    lock_year(xx.county, 2015, {xx.cadre: "excellent", xx.other_cadre: "basic"})
    flags_recompute(county=xx.county, on=ON)
    first_training = open_flags(xx.cadre)[Kind.TRAINING]
    v2 = rules_create(
        county=xx.county,
        by=xx.office,
        effective_from=dt.date(2016, 4, 1),
        note="优先提拔改为连续两年优秀",
        priority_years=2,
        not_promotable_grade="incompetent",
        today=dt.date(2016, 3, 1),  # not in force yet: the flags wait for a recompute
    )
    assert (v2.version, v2.merit_years, v2.created_by) == (2, 3, xx.office)
    assert open_flags(xx.cadre)[Kind.TRAINING] == first_training
    assert rules_in_force(xx.county, dt.date(2016, 3, 31)).version == 1
    assert rules_in_force(xx.county, dt.date(2016, 4, 1)) == v2
    flags_recompute(county=xx.county, on=dt.date(2016, 4, 1))
    flags = open_flags(xx.cadre)
    assert set(flags) == {Kind.PRIORITY, Kind.TRAINING}
    assert flags[Kind.PRIORITY].reason == (
        "Priority for promotion: 2014–2015 优秀 2 years running (rules v2)"
    )
    assert flags[Kind.PRIORITY].rules == v2
    assert flags[Kind.TRAINING].reason.endswith("(rules v2)")
    first_training.refresh_from_db()
    assert first_training.valid_until == dt.date(2016, 4, 1)
    assert open_flags(xx.other_cadre) == {}  # 基本称职 no longer bars promotion under v2


def test_a_version_already_in_force_recomputes_the_flags_at_once(xx):
    lock_year(xx.county, 2014, {xx.cadre: "excellent"})
    lock_year(xx.county, 2015, {xx.cadre: "excellent"})
    flags_recompute(county=xx.county, on=ON)
    assert Kind.PRIORITY not in open_flags(xx.cadre)
    today = dt.date(2016, 5, 1)
    v2 = rules_create(
        county=xx.county,
        by=xx.office,
        effective_from=dt.date(2016, 4, 1),
        note="优先提拔改为连续两年优秀",
        priority_years=2,
        today=today,
    )
    flag = open_flags(xx.cadre)[Kind.PRIORITY]
    assert (flag.rules, flag.valid_from) == (v2, today)


def test_refusals_change_nothing(xx):
    rules_in_force(xx.county, ON)
    day = dt.date(2016, 1, 1)
    cases = [
        ({"effective_from": day, "note": " ", "priority_years": 2}, "note"),
        (
            {"effective_from": dt.date(2000, 1, 1), "note": "x", "priority_years": 2},
            "effective_from",
        ),
        ({"effective_from": None, "note": "x", "priority_years": 2}, "effective_from"),
        ({"effective_from": day, "note": "x", "priority_years": 0}, "priority_years"),
        ({"effective_from": day, "note": "x", "adjustment_years": 11}, "adjustment_years"),
        ({"effective_from": day, "note": "x", "training_grade": "best"}, "training_grade"),
        ({"effective_from": day, "note": "x"}, "same as version 1"),
        ({"effective_from": day, "note": "x", "quota": 3}, "quota"),
    ]
    for kwargs, where in cases:
        with pytest.raises(ValidationError) as error:
            rules_create(county=xx.county, by=xx.office, **kwargs)
        if hasattr(error.value, "error_dict"):
            assert set(error.value.error_dict) == {where}, (kwargs, error.value)
        else:
            assert where in " ".join(error.value.messages), (kwargs, error.value)
    with pytest.raises(ValidationError, match="per county"):
        rules_create(
            county=xx.township,
            by=xx.office,
            effective_from=dt.date(2016, 1, 1),
            note="x",
            priority_years=2,
        )
    assert EligibilityRules.objects.count() == 1


# --- The recompute -----------------------------------------------------------------------------


def test_every_flag_explains_itself_and_names_its_rules(xx):
    head = principal(xx.township)
    for year in (2013, 2014, 2015):
        lock_year(
            xx.county,
            year,
            {xx.cadre: "excellent", xx.other_cadre: "basic", head: "excellent"},
            units={xx.township: "poor"},
        )
    flags_recompute(county=xx.county, on=ON)
    flags = list(EligibilityFlag.objects.all())
    assert {f.kind for f in flags} == set(Kind.values)
    for flag in flags:
        assert "(rules v1)" in flag.reason
        assert str(flag.years[-1]) in flag.reason


def test_recompute_is_idempotent_and_follows_a_change(xx):
    for year in (2013, 2014, 2015):
        lock_year(xx.county, year, {xx.cadre: "excellent"})
    flags_recompute(county=xx.county, on=ON)
    before = list(EligibilityFlag.objects.order_by("pk").values())
    flags_recompute(county=xx.county, on=dt.date(2016, 5, 1))
    assert list(EligibilityFlag.objects.order_by("pk").values()) == before
    CadreResult.objects.filter(cadre=xx.cadre, year__year=2015).update(
        grade="basic", proposed_grade="basic"
    )
    flags_recompute(county=xx.county, on=dt.date(2016, 6, 1))
    closed = EligibilityFlag.objects.filter(valid_until=dt.date(2016, 6, 1))
    assert {f.kind for f in closed} == {Kind.PRIORITY, Kind.MERIT, Kind.TRAINING}
    flags = open_flags(xx.cadre)
    assert set(flags) == {Kind.NOT_PROMOTABLE}
    assert flags[Kind.NOT_PROMOTABLE].valid_from == dt.date(2016, 6, 1)


def test_an_inactive_cadres_flags_close(xx):
    for year in (2013, 2014, 2015):
        lock_year(xx.county, year, {xx.cadre: "excellent"})
    flags_recompute(county=xx.county, on=ON)
    xx.cadre.is_active = False
    xx.cadre.save()
    flags_recompute(county=xx.county, on=dt.date(2016, 7, 1))
    assert open_flags(xx.cadre) == {}
    assert EligibilityFlag.objects.filter(cadre=xx.cadre).count() == 3


def test_recompute_queries_do_not_grow_with_cadres(xx):
    rules_in_force(xx.county, ON)
    counts = []
    for n in (3, 30):
        while CadreFactory._meta.model.objects.filter(unit=xx.township).count() < n:
            CadreFactory(unit=xx.township)
        cadres = list(CadreFactory._meta.model.objects.filter(unit=xx.township))
        CadreResult.objects.all().delete()
        GradingPolicy.objects.all().delete()
        from assessments.models import AssessmentYear

        AssessmentYear.objects.all().delete()
        for year in (2013, 2014, 2015):
            lock_year(xx.county, year, dict.fromkeys(cadres, "excellent"))
        EligibilityFlag.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            flags_recompute(county=xx.county, on=ON)
        counts.append(len(ctx.captured_queries))
        assert EligibilityFlag.objects.count() == 3 * n
    assert counts[0] == counts[1], counts


# --- The hook on the lock and on corrections ---------------------------------------------------


def test_locking_and_correcting_recompute_the_flags(xx):
    lock_year(xx.county, 2013, {xx.cadre: "excellent"})
    lock_year(xx.county, 2014, {xx.cadre: "excellent"})
    year = YearFactory(county=xx.county, year=2015, status="closed")
    grading.policy_set(year=year)
    grading.results_propose(year=year)
    policy = grading.results_publish(year=year, today=dt.date(2016, 1, 5))
    CadreResult.objects.filter(year=year, cadre=xx.cadre).update(
        grade="excellent", proposed_grade="excellent", caps=[]
    )
    assert not EligibilityFlag.objects.exists()
    day = policy.review_until + dt.timedelta(days=1)
    grading.results_lock(year=year, today=day)
    flag = open_flags(xx.cadre)[Kind.PRIORITY]
    assert flag.valid_from == day
    result = CadreResult.objects.get(year=year, cadre=xx.cadre)
    grading.result_correct(result=result, grade="basic", reason="纪委通报后更正", by=xx.office)
    flags = open_flags(xx.cadre)
    assert set(flags) == {Kind.NOT_PROMOTABLE}
    assert flags[Kind.NOT_PROMOTABLE].valid_from == timezone.localdate()


# --- Pages -------------------------------------------------------------------------------------


def _flagged(xx, cadres):
    """Three locked years with ``cadres`` 优秀 each year, and their flags raised."""
    for year in (2013, 2014, 2015):
        lock_year(xx.county, year, dict.fromkeys(cadres, "excellent"))
    flags_recompute(county=xx.county, on=ON)


def test_office_creates_a_version_and_recomputes_from_the_rules_page(client, xx):
    _flagged(xx, [xx.cadre])
    client.force_login(xx.office)
    url = reverse("assessments:eligibility_rules", args=[xx.county.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["in_force"].version == 1
    assert page.context["form"].initial["priority_years"] == 3
    response = client.post(
        url,
        {
            "effective_from": "2016-04-01",
            "priority_years": 2,
            "merit_years": 3,
            "not_promotable_years": 3,
            "not_promotable_grade": "basic",
            "adjustment_years": 3,
            "adjustment_level": "average",
            "training_grade": "excellent",
            "note": "优先提拔改为连续两年优秀",
        },
    )
    assert response.status_code == 302
    v2 = EligibilityRules.objects.get(county=xx.county, version=2)
    assert (v2.priority_years, v2.created_by) == (2, xx.office)
    client.post(reverse("assessments:eligibility_recompute", args=[xx.county.pk]))
    flag = open_flags(xx.cadre)[Kind.PRIORITY]
    assert (flag.rules, flag.valid_from) == (v2, timezone.localdate())
    assert flag.reason == "Priority for promotion: 2014–2015 优秀 2 years running (rules v2)"
    assert [v.version for v in client.get(url).context["versions"]] == [2, 1]


def test_a_refused_version_shows_the_error_on_the_form(client, xx):
    rules_in_force(xx.county, ON)
    client.force_login(xx.office)
    url = reverse("assessments:eligibility_rules", args=[xx.county.pk])
    data = {
        "effective_from": "2016-04-01",
        "priority_years": 3,
        "merit_years": 3,
        "not_promotable_years": 3,
        "not_promotable_grade": "basic",
        "adjustment_years": 3,
        "adjustment_level": "average",
        "training_grade": "excellent",
        "note": "没有变化",
    }
    page = client.post(url, data)
    assert page.status_code == 200
    assert "same as version 1" in " ".join(page.context["form"].non_field_errors())
    assert EligibilityRules.objects.count() == 1


def test_a_leader_reads_the_rules_but_cannot_change_them(client, xx):
    client.force_login(xx.leader)
    url = reverse("assessments:eligibility_rules", args=[xx.county.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Create the version" not in page.content.decode()
    assert client.post(url, {"note": "x", "priority_years": 2}).status_code == 403
    recompute = reverse("assessments:eligibility_recompute", args=[xx.county.pk])
    assert client.post(recompute).status_code == 403
    assert EligibilityRules.objects.count() == 1  # the defaults, from the first read


def test_rules_of_a_county_out_of_scope_are_404(client, xx, pq):
    client.force_login(pq.office)
    assert (
        client.get(reverse("assessments:eligibility_rules", args=[xx.county.pk])).status_code == 404
    )
    assert (
        client.post(reverse("assessments:eligibility_recompute", args=[xx.county.pk])).status_code
        == 404
    )
    client.force_login(xx.office)  # a unit that is not a county
    assert (
        client.get(reverse("assessments:eligibility_rules", args=[xx.township.pk])).status_code
        == 404
    )


def test_the_selection_list_shows_flags_with_their_reasons_and_filters(client, xx, pq):
    head = principal(xx.department, name="王五")
    for year in (2013, 2014, 2015):
        lock_year(
            xx.county,
            year,
            {xx.cadre: "excellent", xx.other_cadre: "basic"},
            units={xx.department: "poor"},
        )
    flags_recompute(county=xx.county, on=ON)
    for year in (2013, 2014, 2015):
        lock_year(pq.county, year, {pq.cadre: "excellent"})
    flags_recompute(county=pq.county, on=ON)
    client.force_login(xx.leader)
    url = reverse("assessments:selection")

    def names(**params):
        page = client.get(url, params)
        assert page.status_code == 200
        return [c.name for c in page.context["page"]]

    assert names() == [head.name, xx.cadre.name, xx.other_cadre.name]  # not Pu County's
    page = client.get(url).content.decode()
    assert "Priority for promotion: 2013–2015 优秀 3 years running (rules v1)" in page
    assert "Not promotable: 2013 Basically competent (基本称职)" in page
    assert f"Organizational adjustment: {xx.department.name}" in page
    assert names(kind="priority") == [xx.cadre.name]
    assert names(kind="adjustment") == [head.name]
    assert names(unit_kind="department") == [head.name]
    assert names(unit=xx.township.pk) == [xx.cadre.name, xx.other_cadre.name]
    assert names(q="李四") == [xx.other_cadre.name]
    assert names(q=xx.cadre.number) == [xx.cadre.name]
    assert names(on="2016-02-29") == []  # before the flags were raised
    assert names(on="2016-03-01", kind="merit") == [xx.cadre.name]
    assert names(on="not a date", kind="merit") == [xx.cadre.name]  # a bad date: today
    xx.cadre.results.filter(year__year=2015).update(grade="competent", proposed_grade="competent")
    flags_recompute(county=xx.county, on=dt.date(2016, 9, 1))
    assert names(kind="priority", on="2016-08-31") == [xx.cadre.name]  # history stays readable
    assert names(kind="priority") == []


def test_liaison_and_cadre_cannot_open_the_selection_list(client, xx):
    for user in (xx.liaison, xx.cadre_user):
        client.force_login(user)
        assert client.get(reverse("assessments:selection")).status_code == 403
        assert client.get(reverse("assessments:selection_export")).status_code == 403


def test_the_selection_list_uses_the_same_queries_for_3_and_30_rows(
    client, xx, django_assert_num_queries
):
    years = [lock_year(xx.county, year) for year in (2013, 2014, 2015)]
    client.force_login(xx.office)
    url = reverse("assessments:selection")
    for n in (3, 30):
        while CadreResult.objects.filter(year=years[-1]).count() < n:
            cadre = CadreFactory(unit=xx.township)
            for year in years:
                CadreResult.objects.create(
                    year=year,
                    cadre=cadre,
                    unit=cadre.unit,
                    quota_group="g",
                    composite=90,
                    rank=1,
                    proposed_grade="excellent",
                    grade="excellent",
                )
        flags_recompute(county=xx.county, on=ON)
        with django_assert_num_queries(8):  # 7, and the confirmed quarter grades
            page = client.get(url)
        assert len(page.context["page"]) == n
        assert all(len(c.flags_on) == 3 for c in page.context["page"])


def test_the_export_holds_the_filtered_list(client, xx):
    _flagged(xx, [xx.cadre, xx.other_cadre])
    client.force_login(xx.office)
    response = client.get(reverse("assessments:selection_export"), {"kind": "priority"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.getvalue())).active
    assert sheet["A1"].value == "Selection reference list"
    assert "Priority for promotion" in sheet["A2"].value
    assert [c.value for c in sheet[3]] == [
        "No.",
        "Full name",
        "Cadre number",
        "Unit",
        "Post",
        "Flags",
        "Reasons",
    ]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [r[:4] for r in rows] == [
        [1, xx.cadre.name, xx.cadre.number, xx.township.name],
        [2, xx.other_cadre.name, xx.other_cadre.number, xx.township.name],
    ]
    assert rows[0][5] == "Priority for promotion\nThird-class merit proposed\nKey training target"
    assert rows[0][6].splitlines() == [
        "Priority for promotion: 2013–2015 优秀 3 years running (rules v1)",
        "Third-class merit proposed: 2013–2015 优秀 3 years running (rules v1)",
        "Key training target: 2015 Excellent (优秀) (rules v1)",
    ]
    empty = client.get(reverse("assessments:selection_export"), {"kind": "adjustment"})
    assert load_workbook(BytesIO(empty.getvalue())).active.max_row == 3


def test_the_unit_filter_offers_two_levels_below_the_user_and_still_takes_a_deeper_unit(
    client, xx, pq, city
):
    head = principal(xx.department, name="王五")
    for year in (2013, 2014, 2015):
        lock_year(xx.county, year, {xx.cadre: "excellent"}, units={xx.department: "poor"})
    flags_recompute(county=xx.county, on=ON)
    client.force_login(make_user(Role.OFFICE, city, username="city-office"))
    url = reverse("assessments:selection")
    page = client.get(url)
    offered = {pk for pk, _label in page.context["form"].fields["unit"].choices if pk}
    assert {xx.county.pk, pq.county.pk, xx.township.pk, xx.committee.pk} <= offered
    assert xx.department.pk not in offered  # three levels below the city: not loaded
    deeper = client.get(url, {"unit": xx.department.pk})
    assert [c.name for c in deeper.context["page"]] == [head.name]
    county = client.get(url, {"unit": xx.county.pk})
    assert {c.name for c in county.context["page"]} == {head.name, xx.cadre.name}
    client.force_login(xx.office)
    other = client.get(url, {"unit": pq.township.pk})  # out of scope: the filter is dropped
    assert pq.township.pk not in {pk for pk, _ in other.context["form"].fields["unit"].choices}
    assert other.context["unit"] is None
