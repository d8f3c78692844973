"""Mistakes are mended, not hidden: the office corrects or withdraws inspections, findings,
bonus awards, decisions, mid-term reviews and letters with a reason until the year's results
are published; each change is recorded, shows on the scorecard and recomputes the scores."""

import contextlib
import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from assessments import services
from assessments.models import (
    BonusAward,
    Decision,
    Finding,
    GradingPolicy,
    InputChange,
    Inspection,
    MidtermReview,
    Rectification,
    ResponsibilityLetter,
    UnitScore,
)
from cadres.models import Unit
from tests.conftest import build_county
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, bonus_cap=D(3), status="in_progress")
    WeightsFactory(year=year, unit_kind="township", party=30, industry=40, tasks=30)
    return year


@pytest.fixture
def inputs(xx, year):
    """A township with a manual indicator (decided 8 of 10), a mid-term indicator (review 80),
    a bonus of 1.5, an inspection that deducted 2 and opened a rectification item, and a
    letter; scored."""
    town, office = xx.township, xx.office
    manual = IndicatorFactory(year=year, code="M1", category="tasks", method="manual")
    levels = IndicatorFactory(year=year, code="L1", category="industry", method="levels")
    mid = IndicatorFactory(year=year, code="Z1", category="party", method="midterm")
    bonus = IndicatorFactory(
        year=year, code="B1", category="bonus", method="bonus", max_points=D(3)
    )
    target = services.target_assign(indicator=manual, unit=town)
    services.target_assign(indicator=levels, unit=town)
    services.target_assign(indicator=mid, unit=town)
    decision = services.decision_set(target=target, points=D(8), reason="评定", by=office)
    review = services.midterm_set(
        year=year, unit=town, score=D(80), reviewed_on=dt.date(2015, 7, 1)
    )
    award = services.bonus_award(
        year=year,
        unit=town,
        indicator=bonus,
        points=D("1.5"),
        reason="省级表彰",
        awarded_on=dt.date(2015, 5, 1),
        by=office,
    )
    inspection = services.inspection_create(
        year=year,
        kind="spot",
        title="随机抽查",
        held_on=dt.date(2015, 6, 1),
        inspectors="督导办",
        units=[town, xx.department],
        by=office,
    )
    finding = services.finding_add(
        inspection=inspection,
        unit=town,
        indicator=manual,
        points=D(-2),
        description="台账不全",
        rectify="补齐台账",
        rectify_by=dt.date(2015, 7, 1),
    )
    letter = services.letter_create(
        year=year,
        title="党建目标责任书",
        issuer=xx.county,
        issuer_signatory="县委书记",
        unit=town,
        unit_signatory="镇党委书记",
        signed_on=dt.date(2015, 2, 10),
    )
    services.scores_compute(year=year)
    # Scored just above: forget the recompute the inputs asked for (a test's transaction never
    # commits), so that a test's own correction asks again and its callback can be run.
    transaction.get_connection().run_on_commit.clear()
    return {
        "manual": manual,
        "levels": levels,
        "target": target,
        "decision": decision,
        "review": review,
        "award": award,
        "inspection": inspection,
        "finding": finding,
        "letter": letter,
    }


@contextlib.contextmanager
def committed(capture):
    """As if the block were a request of its own: its on-commit callbacks (the recompute) run
    at its end, and are then forgotten, so the next block asks again."""
    with capture(execute=True):
        yield
    transaction.get_connection().run_on_commit.clear()


def _score(xx):
    return UnitScore.objects.get(unit=xx.township)


def _tasks(xx):
    return _score(xx).tasks


# ---- services ----------------------------------------------------------------------------------


def test_correcting_a_finding_records_it_and_recomputes_the_score(
    xx, year, inputs, django_capture_on_commit_callbacks
):
    assert _tasks(xx) == D(18)  # 30 × (8 − 2) / 10
    finding = inputs["finding"]
    with django_capture_on_commit_callbacks(execute=True):
        change = services.finding_correct(
            finding=finding,
            why="扣分录错，应为1分",
            by=xx.office,
            unit=xx.township,
            indicator=inputs["manual"],
            points=D(-1),
            description="台账不全",
        )
    assert _tasks(xx) == D(21)  # 30 × (8 − 1) / 10
    assert change.action == InputChange.Action.CORRECTED
    assert change.changed_by == xx.office and change.reason == "扣分录错，应为1分"
    assert change.before["points"] == "-2.00" and change.after["points"] == "-1.00"
    assert list(change.units.all()) == [xx.township]


def test_withdrawing_a_finding_removes_its_points_and_its_open_rectification(
    xx, year, inputs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change = services.finding_withdraw(finding=inputs["finding"], why="重复录入", by=xx.office)
    assert not Finding.objects.exists()
    assert not Rectification.objects.exists()
    assert _tasks(xx) == D(24)
    assert change.action == InputChange.Action.WITHDRAWN
    assert change.before["description"] == "台账不全" and change.after == {}


def test_withdrawing_an_inspection_withdraws_and_records_each_finding(xx, year, inputs):
    services.inspection_withdraw(inspection=inputs["inspection"], why="录错年度", by=xx.office)
    assert not Inspection.objects.exists() and not Finding.objects.exists()
    kinds = sorted(InputChange.objects.values_list("kind", "action"))
    assert kinds == [("finding", "withdrawn"), ("inspection", "withdrawn")]
    inspection_change = InputChange.objects.get(kind="inspection")
    assert set(inspection_change.units.all()) == {xx.township, xx.department}
    assert "龙泉镇" in inspection_change.before["units"]


def test_an_inspection_keeps_the_units_that_have_its_findings(xx, year, inputs):
    inspection = inputs["inspection"]
    with pytest.raises(ValidationError) as error:
        services.inspection_correct(
            inspection=inspection,
            why="少选一个单位",
            by=xx.office,
            units=[xx.department],
            kind="spot",
            title="随机抽查",
            held_on=dt.date(2015, 6, 1),
            inspectors="督导办",
            summary="",
        )
    assert "龙泉镇" in str(error.value)
    assert set(inspection.units.all()) == {xx.township, xx.department}
    assert not InputChange.objects.exists()


def test_correcting_an_inspection_records_the_units_before_and_after(xx, year, inputs):
    change = services.inspection_correct(
        inspection=inputs["inspection"],
        why="财政局未被检查",
        by=xx.office,
        units=[xx.township],
        kind="centralized",
        title="集中督查",
        held_on=dt.date(2015, 6, 2),
        inspectors="督导办",
        summary="",
    )
    assert change.before["kind"] == "随机抽查" and change.after["kind"] == "集中督查"
    assert change.after["held_on"] == "2015年6月2日"
    assert "财政局" in change.before["units"] and "财政局" not in change.after["units"]
    assert set(change.units.all()) == {xx.township, xx.department}


def test_bonus_decision_and_midterm_corrections_each_recompute(
    xx, year, inputs, django_capture_on_commit_callbacks
):
    with committed(django_capture_on_commit_callbacks):
        services.bonus_correct(
            award=inputs["award"],
            why="市级表彰，非省级",
            by=xx.office,
            unit=xx.township,
            indicator=inputs["award"].indicator,
            points=D("0.5"),
            reason="市级表彰",
            awarded_on=dt.date(2015, 5, 1),
        )
    assert _score(xx).bonus == D("0.5")
    with committed(django_capture_on_commit_callbacks):
        services.decision_correct(
            decision=inputs["decision"],
            why="复核后改为6分",
            by=xx.office,
            reason="复核",
            points=D(6),
        )
    assert _tasks(xx) == D(12)  # 30 × (6 − 2) / 10
    with committed(django_capture_on_commit_callbacks):
        services.midterm_correct(
            review=inputs["review"],
            why="成绩登记错误",
            by=xx.office,
            score=D(90),
            reviewed_on=dt.date(2015, 7, 1),
            note="",
        )
    assert _score(xx).party == D(27)  # 30 × 90 / 100
    assert InputChange.objects.count() == 3


def test_bonus_decision_midterm_and_letter_withdrawals(
    xx, year, inputs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.bonus_withdraw(award=inputs["award"], why="不属加分", by=xx.office)
        services.decision_withdraw(decision=inputs["decision"], why="待重评", by=xx.office)
        services.midterm_withdraw(review=inputs["review"], why="尚未考核", by=xx.office)
        services.letter_withdraw(letter=inputs["letter"], why="重复", by=xx.office)
    assert not BonusAward.objects.exists() and not Decision.objects.exists()
    assert not MidtermReview.objects.exists() and not ResponsibilityLetter.objects.exists()
    score = _score(xx)
    assert (score.bonus, score.party, score.tasks) == (D(0), D(0), D(0))
    assert InputChange.objects.filter(action="withdrawn").count() == 4


def test_a_letter_correction_is_recorded(xx, year, inputs):
    letter = inputs["letter"]
    change = services.letter_correct(
        letter=letter,
        why="签订日期录错",
        by=xx.office,
        title=letter.title,
        issuer=xx.county,
        issuer_signatory="县委书记",
        unit=xx.township,
        unit_signatory="镇党委书记",
        signed_on=dt.date(2015, 3, 1),
    )
    assert (change.before["signed_on"], change.after["signed_on"]) == (
        "2015年2月10日",
        "2015年3月1日",
    )


def test_deciding_again_is_a_recorded_correction(xx, year, inputs):
    services.decision_set(target=inputs["target"], points=D(9), reason="复评", by=xx.office)
    change = InputChange.objects.get()
    assert (change.kind, change.before["points"], change.after["points"]) == (
        "decision",
        "8.00",
        "9.00",
    )
    # The same decision again changes nothing and records nothing.
    services.decision_set(target=inputs["target"], points=D(9), reason="复评", by=xx.office)
    assert InputChange.objects.count() == 1


def test_a_correction_needs_a_reason_and_a_change(xx, year, inputs):
    finding = inputs["finding"]
    data = {
        "unit": xx.township,
        "indicator": inputs["manual"],
        "points": D(-1),
        "description": "台账不全",
    }
    with pytest.raises(ValidationError) as error:
        services.finding_correct(finding=finding, why="  ", by=xx.office, **data)
    assert "why" in error.value.error_dict
    with pytest.raises(ValidationError, match="Nothing was changed|没有"):
        services.finding_correct(
            finding=finding, why="无", by=xx.office, **{**data, "points": D(-2)}
        )
    finding.refresh_from_db()
    assert finding.points == D(-2) and not InputChange.objects.exists()


@pytest.mark.parametrize("how", ["year published", "grades on notice"])
def test_after_publication_corrections_are_refused_with_a_clear_message(xx, year, inputs, how):
    if how == "year published":
        year.status = "published"
        year.save()
    else:
        GradingPolicy.objects.create(year=year, stage=GradingPolicy.Stage.NOTICE)
    with pytest.raises(ValidationError, match="2015"):
        services.finding_withdraw(finding=inputs["finding"], why="重复", by=xx.office)
    with pytest.raises(ValidationError, match="2015"):
        services.bonus_correct(
            award=inputs["award"], why="改", by=xx.office, points=D(1), reason="x"
        )
    assert Finding.objects.exists() and BonusAward.objects.get().points == D("1.5")
    assert not InputChange.objects.exists()


# ---- pages -------------------------------------------------------------------------------------


def test_office_corrects_a_finding_on_its_page_and_the_scorecard_shows_it(
    client, xx, year, inputs, django_capture_on_commit_callbacks
):
    finding = inputs["finding"]
    client.force_login(xx.office)
    url = reverse("assessments:finding_correct", args=[finding.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["points"] == D(-2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "unit": xx.township.pk,
                "indicator": inputs["manual"].pk,
                "points": "-1",
                "description": "台账不全",
                "why": "扣分录错",
            },
        )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/inspections/{finding.inspection_id}/#findings")
    score = _score(xx)
    card = client.get(reverse("assessments:scorecard", args=[score.year_id, score.unit.code]))
    assert "扣分录错" in card.content.decode()
    assert [line.after for line in card.context["changes"][0].lines] == ["-1.00"]


def test_a_correction_without_a_reason_re_renders_and_changes_nothing(client, xx, year, inputs):
    award = inputs["award"]
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:bonus_correct", args=[award.pk]),
        {
            "unit": xx.township.pk,
            "indicator": award.indicator_id,
            "points": "1",
            "reason": "x",
            "awarded_on": "2015-05-01",
        },
    )
    assert response.status_code == 200 and "why" in response.context["form"].errors
    assert BonusAward.objects.get().points == D("1.5")


def test_office_withdraws_a_bonus_after_confirming(client, xx, year, inputs):
    award = inputs["award"]
    client.force_login(xx.office)
    url = reverse("assessments:bonus_withdraw", args=[award.pk])
    page = client.get(url).content.decode()
    assert "data-confirm" in page and "省级表彰" in page
    response = client.post(url, {"why": "不属加分"})
    assert response["Location"] == reverse("assessments:bonus_list", args=[year.pk])
    assert not BonusAward.objects.exists()
    log = client.get(reverse("assessments:change_list", args=[year.pk])).content.decode()
    assert "不属加分" in log and "省级表彰" in log


def test_after_publication_the_page_says_so_and_offers_no_form(client, xx, year, inputs):
    year.status = "published"
    year.save()
    client.force_login(xx.office)
    response = client.get(reverse("assessments:midterm_correct", args=[inputs["review"].pk]))
    assert response.context["published"]
    assert "<form" not in response.content.decode().split('id="corrections"')[0].split("<main")[-1]


def test_only_the_office_of_the_county_corrects(client, xx, year, inputs, city):
    pq = build_county(city, "PQ", "蒲县")
    url = reverse("assessments:finding_correct", args=[inputs["finding"].pk])
    client.force_login(xx.leader)
    assert client.get(url).status_code == 403
    client.force_login(xx.liaison)
    assert client.get(url).status_code == 403
    client.force_login(pq.office)
    assert client.get(url).status_code == 404


def test_object_pages_link_to_their_corrections(client, xx, year, inputs):
    client.force_login(xx.office)
    detail = client.get(reverse("assessments:inspection_detail", args=[inputs["inspection"].pk]))
    html = detail.content.decode()
    assert reverse("assessments:inspection_withdraw", args=[inputs["inspection"].pk]) in html
    assert reverse("assessments:finding_correct", args=[inputs["finding"].pk]) in html
    target = client.get(reverse("assessments:target_detail", args=[inputs["target"].pk]))
    assert reverse("assessments:decision_correct", args=[inputs["decision"].pk]) in (
        target.content.decode()
    )
    bonus = client.get(reverse("assessments:bonus_list", args=[year.pk])).content.decode()
    assert reverse("assessments:bonus_correct", args=[inputs["award"].pk]) in bonus
    letters = client.get(reverse("assessments:letter_list", args=[year.pk])).content.decode()
    assert reverse("assessments:letter_withdraw", args=[inputs["letter"].pk]) in letters
    client.force_login(xx.leader)
    bonus = client.get(reverse("assessments:bonus_list", args=[year.pk])).content.decode()
    assert reverse("assessments:bonus_correct", args=[inputs["award"].pk]) not in bonus


def test_the_scorecard_history_costs_the_same_queries_for_many_changes(
    client, xx, year, inputs, django_assert_max_num_queries
):
    for i in range(5):
        services.finding_correct(
            finding=Finding.objects.get(),
            why=f"第{i}次更正",
            by=xx.office,
            unit=xx.township,
            indicator=inputs["manual"],
            points=D(-i - 3),
            description="台账不全",
        )
    services.scores_compute(year=year)
    client.force_login(xx.office)
    url = reverse("assessments:scorecard", args=[_score(xx).year_id, _score(xx).unit.code])
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert len(response.context["changes"]) == 5


def test_a_unit_in_another_kind_still_shows_its_own_history_only(xx, year, inputs):
    other = UnitFactory(code="XX-T9", kind=Unit.Kind.TOWNSHIP, parent=xx.county)
    services.finding_withdraw(finding=inputs["finding"], why="重复", by=xx.office)
    from assessments.selectors.corrections import unit_changes

    assert len(unit_changes(year, xx.township)) == 1
    assert unit_changes(year, other) == []


def test_a_midterm_score_out_of_range_is_refused_in_words(xx, year, inputs):
    with pytest.raises(ValidationError) as error:
        services.midterm_correct(
            review=inputs["review"], why="改", by=xx.office, score=D(101), reviewed_on=None
        )
    assert list(error.value.message_dict) == ["score"]
    assert "assessments_" not in str(error.value)  # in words, never the constraint's name


def test_an_inspections_record_names_it_with_a_chinese_date(xx, year, inputs):
    change = services.inspection_withdraw(inspection=inputs["inspection"], why="重复", by=xx.office)
    assert change.label == "2015年6月1日 随机抽查"
