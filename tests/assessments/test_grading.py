"""Annual cadre grades: composite, bands, capping rules, quota, override, notice, review, lock
and corrections."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from assessments.models import (
    CadreResult,
    GradeChange,
    GradingPolicy,
    MoralResult,
    MoralRound,
    ReviewRequest,
    UnitScore,
)
from assessments.services import grading
from tests.factories import CadreFactory, YearFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2016, 1, 10)


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="closed")
    grading.policy_set(year=year)
    return year


def _moral(year, scores: dict, breached=()):
    """A closed round giving each cadre its moral score."""
    round_ = MoralRound.objects.create(
        year=year,
        name="年度",
        opens_on=dt.date(2015, 12, 1),
        closes_on=dt.date(2015, 12, 20),
        status="closed",
    )
    MoralResult.objects.bulk_create(
        MoralResult(round=round_, cadre=c, score=D(s), ballots=10, threshold_breached=c in breached)
        for c, s in scores.items()
    )


def _unit_grade(year, unit, grade, total="85"):
    UnitScore.objects.create(
        year=year,
        unit=unit,
        unit_kind=unit.kind,
        party=0,
        industry=0,
        tasks=0,
        bonus=0,
        total=D(total),
        rank=1,
        proposed_grade=grade,
        computed_at=dt.datetime(2016, 1, 1, tzinfo=dt.UTC),
    )


@pytest.fixture
def eight(xx):
    """Eight more cadres in the township (ten with xx's two), so 20 % allows 2 优秀."""
    return [CadreFactory(unit=xx.township, name=f"干部{i}") for i in range(8)]


def _scores(xx, eight, top=("98", "97", "96")):
    everyone = [xx.cadre, xx.other_cadre, *eight]
    values = list(top) + ["80"] * (len(everyone) - len(top))
    return dict(zip(everyone, values, strict=True))


def test_composite_is_the_weighted_mean_of_the_parts_a_cadre_has(xx, year, eight):
    _moral(year, {xx.cadre: "90"})
    results = {r.cadre_id: r for r in grading.results_propose(year=year)}
    mine = results[xx.cadre.pk]
    # 德 90 (30), 廉 100 (20), 绩 100 (30); no unit part for a non-leading cadre (20):
    # (30×90 + 20×100 + 30×100) / 80 = 96.25
    assert mine.composite == D("96.25")
    assert results[xx.other_cadre.pk].composite is None  # no moral result: incomplete


def test_the_excellent_quota_is_a_fifth_of_the_group_raised_for_a_unit_graded_good(xx, year, eight):
    _moral(year, _scores(xx, eight))
    results = grading.results_propose(year=year)
    excellent = [r for r in results if r.grade == "excellent"]
    assert len(excellent) == 2  # floor(20 % × 10)
    third = next(r for r in results if r.cadre_id == eight[0].pk)  # 96: third best
    assert third.grade == "competent"
    assert third.caps[-1]["rule"] == "quota"
    _unit_grade(year, xx.township, "good")
    results = grading.results_propose(year=year)
    assert len([r for r in results if r.grade == "excellent"]) == 2  # floor(25 % × 10) = 2
    more = [CadreFactory(unit=xx.township) for _ in range(2)]  # 12 cadres: 25 % → 3
    _moral(year, {**_scores(xx, eight), **dict.fromkeys(more, "70")})
    results = grading.results_propose(year=year)
    assert len([r for r in results if r.grade == "excellent"]) == 3


def test_capping_rules_are_applied_and_explained(xx, year, eight):
    from cadres.models import Sanction
    from cadres.services import integrity

    principal = CadreFactory(
        unit=xx.township, is_leading=True, is_principal=True, post_kind="principal", name="书记"
    )
    _unit_grade(year, xx.township, "average", total="72")
    _moral(
        year,
        {principal: "99", xx.cadre: "99", xx.other_cadre: "99", eight[0]: "99"},
        breached=[eight[0]],
    )
    integrity.sanction_record(
        cadre=xx.cadre,
        kind=Sanction.Kind.PARTY_WARNING,
        decided_on=dt.date(2015, 3, 1),
        in_force_from=dt.date(2015, 3, 1),
        in_force_until=dt.date(2016, 2, 28),
        by=xx.office,
    )
    results = {r.cadre_id: r for r in grading.results_propose(year=year)}
    assert results[principal.pk].grade == "competent"
    assert [c["rule"] for c in results[principal.pk].caps] == ["unit"]
    assert results[xx.cadre.pk].grade == "competent"
    assert "sanction" in [c["rule"] for c in results[xx.cadre.pk].caps]
    assert results[eight[0].pk].grade == "basic"
    assert all(c["text"] for r in results.values() for c in r.caps)


def test_an_override_needs_a_reason_is_recorded_and_cannot_break_a_rule(xx, year, eight):
    _moral(year, _scores(xx, eight), breached=[eight[1]])
    results = {r.cadre_id: r for r in grading.results_propose(year=year)}
    target = results[eight[2].pk]
    with pytest.raises(ValidationError):
        grading.result_override(result=target, grade="basic", reason=" ", by=xx.office)
    grading.result_override(result=target, grade="basic", reason="年度内多次迟到早退", by=xx.office)
    change = GradeChange.objects.get()
    assert (change.before, change.after, change.changed_by) == ("competent", "basic", xx.office)
    with pytest.raises(ValidationError):  # ballots rule: at most 基本称职
        grading.result_override(
            result=results[eight[1].pk], grade="competent", reason="x", by=xx.office
        )
    # the decision survives a recomputation
    grading.results_propose(year=year)
    assert CadreResult.objects.get(cadre=eight[2]).grade == "basic"


def test_publishing_over_the_quota_is_refused_and_changes_nothing(xx, year, eight):
    _moral(year, _scores(xx, eight))
    results = {r.cadre_id: r for r in grading.results_propose(year=year)}
    grading.result_override(
        result=results[eight[0].pk], grade="excellent", reason="表现突出", by=xx.office
    )
    with pytest.raises(ValidationError):
        grading.results_publish(year=year, today=TODAY)
    assert GradingPolicy.objects.get(year=year).stage == "proposed"
    assert [g["over"] for g in grading.quota_status(year)] == [True]


def _notice(xx, year, eight):
    _moral(year, _scores(xx, eight))
    grading.results_propose(year=year)
    return grading.results_publish(year=year, today=TODAY)


def test_a_cadre_asks_once_for_a_review_within_the_notice_period(xx, year, eight):
    policy = _notice(xx, year, eight)
    assert policy.review_until == TODAY + dt.timedelta(days=5)
    mine = CadreResult.objects.get(cadre=xx.cadre)
    with pytest.raises(ValidationError):  # somebody else cannot file it
        grading.review_file(result=mine, reasons="x", by=xx.office, today=TODAY)
    grading.review_file(
        result=mine, reasons="我的民主测评票数统计有误", by=xx.cadre_user, today=TODAY
    )
    with pytest.raises(ValidationError):
        grading.review_file(result=mine, reasons="again", by=xx.cadre_user, today=TODAY)
    other = CadreResult.objects.get(cadre=xx.other_cadre)
    other.cadre.user = xx.cadre_user  # pretend: the same person, after the deadline
    with pytest.raises(ValidationError):
        grading.review_file(
            result=other,
            reasons="late",
            by=xx.cadre_user,
            today=policy.review_until + dt.timedelta(days=1),
        )
    assert ReviewRequest.objects.count() == 1


def test_the_lock_waits_for_the_deadline_and_every_answer_then_only_corrections(xx, year, eight):
    policy = _notice(xx, year, eight)
    mine = CadreResult.objects.get(cadre=xx.cadre)
    review = grading.review_file(result=mine, reasons="有误", by=xx.cadre_user, today=TODAY)
    after = policy.review_until + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        grading.results_lock(year=year, today=policy.review_until)
    with pytest.raises(ValidationError):
        grading.results_lock(year=year, today=after)  # a review is pending
    grading.review_answer(review=review, answer="经复核，维持原等次。", by=xx.office)
    grading.results_lock(year=year, today=after)
    with pytest.raises(ValidationError):
        grading.result_override(result=mine, grade="basic", reason="x", by=xx.office)
    with pytest.raises(ValidationError):
        grading.results_propose(year=year)
    grading.result_correct(result=mine, grade="competent", reason="纪委通报后更正", by=xx.office)
    change = GradeChange.objects.get(kind="correction")
    assert (change.before, change.after, change.reason) == (
        "excellent",
        "competent",
        "纪委通报后更正",
    )


def test_a_cadre_nobody_rated_on_morality_cannot_be_excellent(xx, year, eight):
    """Without ballots, 廉 and 绩 alone would give 100 and take every 优秀 place."""
    _moral(year, {xx.cadre: "88"})
    results = {r.cadre_id: r for r in grading.results_propose(year=year)}
    unrated = results[xx.other_cadre.pk]
    assert (unrated.composite, unrated.rank) == (None, None)
    assert unrated.grade == "competent"
    assert [c["rule"] for c in unrated.caps] == ["no_ballots"]
    assert results[xx.cadre.pk].grade == "excellent"  # (30×88 + 20×100 + 30×100) / 80 = 95.5


def test_unit_grades_follow_the_same_path_and_feed_the_cadres_rules(xx, year, eight):
    from assessments.models import UnitGradeChange, UnitResult
    from cadres.services import cadre_move

    principal = eight[0]
    cadre_move(
        cadre=principal,
        unit=xx.township,
        title="党委书记",
        rank="sec_chief",
        post_kind="principal",
        is_leading=True,
        is_principal=True,
        on=dt.date(2015, 1, 2),
    )
    _unit_grade(year, xx.township, "fair", total="88")
    _moral(year, _scores(xx, eight, top=("99", "98", "97")))
    _moral(year, {principal: "99"})
    grading.results_propose(year=year)
    unit = UnitResult.objects.get(year=year, unit=xx.township)
    assert (unit.proposed_grade, unit.grade) == ("fair", "fair")
    # the office decides 一般 (with a reason): the principal leader can no longer be 优秀
    grading.result_override(result=unit, grade="average", reason="重点工作滞后", by=xx.office)
    grading.results_propose(year=year)
    assert "unit" in [c["rule"] for c in CadreResult.objects.get(cadre=principal).caps]
    unit.refresh_from_db()
    assert unit.grade == "average"  # a recomputation keeps the decision
    policy = grading.results_publish(year=year, today=TODAY)
    with pytest.raises(ValidationError):  # only the unit's liaison may ask
        grading.review_file(result=unit, reasons="x", by=xx.office, today=TODAY)
    review = grading.review_file(
        result=unit, reasons="扶贫任务已超额完成", by=xx.liaison, today=TODAY
    )
    after = policy.review_until + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        grading.results_lock(year=year, today=after)  # the unit's review is pending
    answered = grading.review_answer(
        review=review, answer="经复核改为较好", grade="fair", by=xx.office
    )
    assert answered.answered_by == xx.office  # recorded for a unit's review too
    grading.results_lock(year=year, today=after)
    with pytest.raises(ValidationError):
        grading.result_override(result=unit, grade="good", reason="x", by=xx.office)
    grading.result_correct(result=unit, grade="good", reason="补充材料后更正", by=xx.office)
    kinds = list(UnitGradeChange.objects.order_by("pk").values_list("kind", "before", "after"))
    assert kinds == [
        ("override", "fair", "average"),
        ("review", "average", "fair"),
        ("correction", "fair", "good"),
    ]


def test_a_failed_veto_keeps_the_unit_at_average_or_lower_even_by_decision(xx, year):
    from assessments.models import UnitResult

    _unit_grade(year, xx.township, "average", total="91")
    UnitScore.objects.filter(unit=xx.township).update(veto_failed=True)
    grading.results_propose(year=year)
    unit = UnitResult.objects.get(unit=xx.township)
    with pytest.raises(ValidationError):
        grading.result_override(result=unit, grade="good", reason="总分高", by=xx.office)
    unit.refresh_from_db()
    assert unit.grade == "average"
