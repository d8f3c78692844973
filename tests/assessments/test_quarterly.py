"""Quarterly daily assessment: the window, who writes and grades whom, the 好 cap on
confirmation, review once, the annual rules, and the personal summary."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import QuarterGradeChange, QuarterRecord, QuarterReview
from assessments.services import grading
from assessments.services import quarterly as q
from cadres.models import Role
from tests.assessments.test_grading import _moral
from tests.factories import CadreFactory, YearFactory, make_user

pytestmark = pytest.mark.django_db


def at(y, m, d):
    return dt.datetime(y, m, d, 10, tzinfo=dt.UTC)


IN_WINDOW = at(2015, 10, 8)  # Q3 ended 9-30; due 10-15 by default


@pytest.fixture
def year(xx):
    return YearFactory(county=xx.county, year=2015, status="in_progress")


@pytest.fixture
def principal(xx):
    """The township's principal leader, with a cadre account (a cadre holding a grading duty)."""
    cadre = CadreFactory(
        unit=xx.township, is_leading=True, is_principal=True, post_kind="principal", name="书记"
    )
    cadre.user = make_user(Role.CADRE, xx.township, username="shuji", cadre=cadre)
    return cadre


def write(year, cadre, quarter=3, now=IN_WINDOW, **kw):
    return q.quarter_record_write(
        year=year, cadre=cadre, quarter=quarter, work_done=kw.pop("work_done", "完成了工作"),
        by=cadre.user, now=now, **kw,
    )  # fmt: skip


def cadre_with_login(unit, name):
    cadre = CadreFactory(unit=unit, name=name)
    cadre.user = make_user(Role.CADRE, unit, cadre=cadre)
    return cadre


def test_a_record_is_written_in_the_window_after_the_quarter_late_after_it(xx, year):
    with pytest.raises(ValidationError, match="2015年10月1日起可以填写"):
        write(year, xx.cadre, now=at(2015, 9, 20))
    assert not QuarterRecord.objects.exists()
    record = write(year, xx.cadre)
    assert (record.unit, record.late) == (xx.township, False)
    record = write(year, xx.cadre, work_done="改写", now=at(2015, 10, 20))
    assert record.late and record.work_done == "改写"
    assert QuarterRecord.objects.count() == 1


def test_the_window_and_the_length_limit_are_settings_of_the_year(xx, year):
    q.quarter_settings_set(year=year, window_days=5, record_max_chars=100)
    assert write(year, xx.cadre, now=at(2015, 10, 6)).late
    with pytest.raises(ValidationError) as error:
        write(year, xx.cadre, key_tasks="字" * 101)
    assert "key_tasks" in error.value.error_dict
    assert QuarterRecord.objects.get().key_tasks == ""


def test_only_the_cadre_writes_their_own_record(xx, year):
    with pytest.raises(ValidationError):
        q.quarter_record_write(
            year=year, cadre=xx.cadre, quarter=3, work_done="x", by=xx.office, now=IN_WINDOW
        )
    assert not QuarterRecord.objects.exists()


def test_an_attachment_must_be_an_accepted_file(xx, year):
    bad = SimpleUploadedFile("a.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        write(year, xx.cadre, attachment=bad)
    assert not QuarterRecord.objects.exists()
    pdf = SimpleUploadedFile("纪实.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    record = write(year, xx.cadre, attachment=pdf)
    assert record.attachment_name == "纪实.pdf" and record.attachment_type == "application/pdf"


def test_the_principal_grades_the_units_others_and_the_office_grades_the_principal(
    xx, year, principal
):
    record = write(year, xx.cadre)
    own = write(year, principal)
    q.quarter_grade(record=record, grade="good", by=principal.user)
    with pytest.raises(ValidationError):
        q.quarter_grade(record=own, grade="good", by=principal.user)
    for stranger in (xx.office, xx.liaison, xx.cadre_user):
        with pytest.raises(ValidationError):
            q.quarter_grade(record=record, grade="fair", by=stranger)
    q.quarter_grade(record=own, grade="fair", by=xx.office)
    q.quarter_settings_set(year=year, principal_graded_by="leader")
    with pytest.raises(ValidationError):
        q.quarter_grade(record=own, grade="good", by=xx.office)
    q.quarter_grade(record=own, grade="good", by=xx.leader)
    assert [c.after for c in QuarterGradeChange.objects.filter(record=own).order_by("pk")] == [
        "fair",
        "good",
    ]


def test_an_average_or_poor_grade_needs_a_comment(xx, year, principal):
    record = write(year, xx.cadre)
    with pytest.raises(ValidationError) as error:
        q.quarter_grade(record=record, grade="average", by=principal.user)
    assert "comment" in error.value.error_dict
    assert QuarterRecord.objects.get().grade == ""


def test_confirming_over_the_good_cap_is_refused_naming_the_unit(xx, year, principal, in_english):
    # five cadres in the township (xx's two, the principal, two more): 40 % → 2 好
    others = [cadre_with_login(xx.township, f"干部{i}") for i in range(2)]
    xx.cadre.user = xx.cadre_user
    records = [write(year, c) for c in (xx.cadre, *others)]
    for record in records:
        q.quarter_grade(record=record, grade="good", by=principal.user)
    with pytest.raises(ValidationError, match=f"{xx.township.name}: 3 cadres graded 好") as error:
        q.quarter_confirm(year=year, unit=xx.township, quarter=3, by=principal.user)
    assert "cap of 2" in str(error.value)
    assert not QuarterRecord.objects.filter(confirmed_at__isnull=False).exists()
    q.quarter_grade(record=records[2], grade="fair", by=principal.user)
    assert q.quarter_confirm(year=year, unit=xx.township, quarter=3, by=principal.user) == 3
    # the principal's own 好 from the office now counts against the same cap
    own = write(year, principal)
    q.quarter_grade(record=own, grade="good", by=xx.office)
    with pytest.raises(ValidationError, match="cap of 2"):
        q.quarter_confirm(year=year, unit=xx.township, quarter=3, by=xx.office)


def test_confirming_needs_every_record_graded(xx, year, principal, in_english):
    write(year, xx.cadre)
    with pytest.raises(ValidationError, match="not yet graded"):
        q.quarter_confirm(year=year, unit=xx.township, quarter=3, by=principal.user)


def test_a_confirmed_grade_is_final_until_a_review_which_is_asked_once(xx, year, principal):
    xx.cadre.user = xx.cadre_user
    record = write(year, xx.cadre)
    q.quarter_grade(record=record, grade="average", comment="进度偏慢", by=principal.user)
    with pytest.raises(ValidationError, match="尚未确认"):
        q.quarter_review_file(record=record, reasons="请复核", by=xx.cadre_user)
    q.quarter_confirm(year=year, unit=xx.township, quarter=3, by=principal.user)
    record.refresh_from_db()
    with pytest.raises(ValidationError):
        q.quarter_grade(record=record, grade="good", by=principal.user)
    with pytest.raises(ValidationError):
        write(year, xx.cadre)
    review = q.quarter_review_file(record=record, reasons="请复核", by=xx.cadre_user)
    with pytest.raises(ValidationError, match="已申请过复核"):
        q.quarter_review_file(record=record, reasons="再次", by=xx.cadre_user)
    assert QuarterReview.objects.count() == 1
    q.quarter_review_answer(review=review, answer="经复核改为较好", grade="fair", by=xx.office)
    record.refresh_from_db()
    assert record.grade == "fair"
    assert QuarterGradeChange.objects.filter(record=record, before="average", after="fair").exists()


def _confirmed(year, cadre, grades, unit):
    QuarterRecord.objects.bulk_create(
        QuarterRecord(
            year=year, cadre=cadre, unit=unit, quarter=n, work_done="x", submitted_at=IN_WINDOW,
            grade=g, confirmed_at=IN_WINDOW,
        )
        for n, g in enumerate(grades, 1)
    )  # fmt: skip


def test_annual_rule_a_poor_quarter_rules_out_excellent(xx, year):
    _confirmed(year, xx.cadre, ["good", "poor", "good", "good"], xx.township)
    effect = q.annual_effects(year, [xx.cadre.pk])[xx.cadre.pk]
    assert [c["rule"] for c in effect.caps] == ["quarter_poor"]
    assert effect.caps[0]["max"] == "competent" and "Q2" in effect.caps[0]["text"]


def test_annual_rule_two_average_quarters_rule_out_excellent_one_does_not(xx, year):
    _confirmed(year, xx.cadre, ["average", "good", "average", "fair"], xx.township)
    _confirmed(year, xx.other_cadre, ["average", "good", "good", "fair"], xx.township)
    effects = q.annual_effects(year, [xx.cadre.pk, xx.other_cadre.pk])
    assert [c["rule"] for c in effects[xx.cadre.pk].caps] == ["quarter_average"]
    assert effects[xx.other_cadre.pk].caps == []


def test_annual_rule_good_in_every_quarter_ranks_first_among_equals(xx, year):
    _confirmed(year, xx.other_cadre, ["good"] * 4, xx.township)
    _confirmed(year, xx.cadre, ["good"] * 3, xx.township)  # three quarters are not every one
    year.status = "closed"
    year.save()
    grading.policy_set(year=year)
    _moral(year, {xx.cadre: "90", xx.other_cadre: "90"})  # equal composites, both complete
    results = {r.cadre_id: r for r in grading.results_propose(year=year)}
    mine, other = results[xx.cadre.pk], results[xx.other_cadre.pk]
    assert mine.composite == other.composite is not None
    assert (other.rank, mine.rank) == (1, 2)
    assert "quarter_all_good" in [c["rule"] for c in other.caps]


def test_annual_rules_cap_the_proposed_grade_with_the_reason(xx, year):
    _confirmed(year, xx.cadre, ["poor", "good", "good", "good"], xx.township)
    year.status = "closed"
    year.save()
    grading.policy_set(year=year)
    result = next(r for r in grading.results_propose(year=year) if r.cadre_id == xx.cadre.pk)
    assert "quarter_poor" in [c["rule"] for c in result.caps]
    assert result.grade != "excellent"


def test_unconfirmed_grades_do_not_count(xx, year):
    QuarterRecord.objects.create(
        year=year, cadre=xx.cadre, unit=xx.township, quarter=1, work_done="x",
        submitted_at=IN_WINDOW, grade="poor",
    )  # fmt: skip
    assert q.annual_effects(year, [xx.cadre.pk]) == {}


def test_the_personal_summary_is_written_in_the_year_end_window(xx, year):
    with pytest.raises(ValidationError):
        q.summary_write(
            year=year, cadre=xx.cadre, text="总结", by=xx.cadre_user, today=dt.date(2015, 11, 1)
        )
    summary = q.summary_write(
        year=year, cadre=xx.cadre, text="总结", by=xx.cadre_user, today=dt.date(2015, 12, 20)
    )
    assert summary.text == "总结"
    with pytest.raises(ValidationError):
        q.summary_write(
            year=year, cadre=xx.cadre, text="x", by=xx.office, today=dt.date(2015, 12, 20)
        )


def _emails(*users):
    for n, user in enumerate(users):
        user.email = f"u{n}@example.cn"
        user.save()


def test_cadres_without_a_record_are_reminded_once_before_it_is_due(xx, year, principal):
    from assessments.models import OutboxMessage

    other = cadre_with_login(xx.township, "王五")
    _emails(xx.cadre_user, principal.user, other.user)
    write(year, other)  # written: not reminded
    assert q.quarterly_reminders(on=dt.date(2015, 10, 11)) == []  # 4 days before 10-15
    queued = q.quarterly_reminders(on=dt.date(2015, 10, 12))  # 3 days before
    assert sorted(m.recipient_email for m in queued) == ["u0@example.cn", "u1@example.cn"]
    assert q.quarterly_reminders(on=dt.date(2015, 10, 12)) == []  # once
    assert OutboxMessage.objects.count() == 2
    assert "10月15日" in OutboxMessage.objects.first().subject


def test_graders_are_reminded_once_when_records_wait_after_the_window(xx, year, principal):
    _emails(xx.cadre_user, principal.user, xx.office)
    write(year, xx.cadre)
    write(year, principal)
    assert q.quarterly_reminders(on=dt.date(2015, 10, 15)) == []
    queued = q.quarterly_reminders(on=dt.date(2015, 10, 16))
    assert sorted(m.recipient_email for m in queued) == ["u1@example.cn", "u2@example.cn"]
    assert all(xx.township.name in m.subject for m in queued)
    assert q.quarterly_reminders(on=dt.date(2015, 10, 16)) == []
