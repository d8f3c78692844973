"""The integrity archive (廉政档案): who may read it, the read log, the reporter kept apart,
verification, sanctions, and the rules the annual grading asks."""

import datetime as dt

import pytest
from django.contrib.auth.context_processors import PermWrapper
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import (
    Cadre,
    IntegrityEntry,
    IntegrityReadLog,
    IntegrityReporter,
    Role,
    Sanction,
)
from cadres.services import integrity as services
from tests.factories import CadreFactory, make_user

pytestmark = pytest.mark.django_db

REPORTER_NAME = "赵举报人"
REPORTER_PHONE = "13912345678"
SUMMARY = "反映其在项目验收中收受施工方礼金。"
CONCLUSION = "经核查，收受礼金2000元属实，已退还。"


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


ARCHIVE = "read_integrity_archive"
REPORTER = "read_integrity_reporter"
LOG = "read_integrity_log"


def record(cadre, by, **kwargs):
    data = {
        "cadre": cadre,
        "source": IntegrityEntry.Source.PHONE_12380,
        "received_on": dt.date(2015, 3, 2),
        "summary": SUMMARY,
        "by": by,
        **kwargs,
    }
    return services.entry_record(**data)


def verify(entry, by, *, status="verified", on=dt.date(2015, 5, 20)):
    services.entry_set_status(entry=entry, status="verifying", by=by)
    return services.entry_set_status(
        entry=entry, status=status, by=by, verified_on=on, conclusion=CONCLUSION
    )


def sanction(cadre, by, *, start, until=None, **kwargs):
    return services.sanction_record(
        cadre=cadre,
        kind=Sanction.Kind.PARTY_WARNING,
        decided_on=start,
        in_force_from=start,
        in_force_until=until,
        by=by,
        **kwargs,
    )


@pytest.fixture
def entry(xx):
    return record(xx.cadre, xx.office, reporter_name=REPORTER_NAME, reporter_contact=REPORTER_PHONE)


def _urls(xx, entry):
    """Every integrity URL with the method and data that exercise it."""
    return [
        ("get", reverse("cadres:integrity_archive", args=[xx.cadre.pk]), {}),
        ("get", reverse("cadres:integrity_entry_detail", args=[entry.pk]), {}),
        ("get", reverse("cadres:integrity_entry_create", args=[xx.cadre.pk]), {}),
        (
            "post",
            reverse("cadres:integrity_entry_create", args=[xx.cadre.pk]),
            {"source": "12380_sms", "received_on": "2015-04-01", "summary": "x"},
        ),
        ("get", reverse("cadres:integrity_sanction_create", args=[xx.cadre.pk]), {}),
        (
            "post",
            reverse("cadres:integrity_sanction_create", args=[xx.cadre.pk]),
            {"kind": "warning", "decided_on": "2015-04-01", "in_force_from": "2015-04-01"},
        ),
        (
            "post",
            reverse("cadres:integrity_entry_status", args=[entry.pk]),
            {"status": "verifying"},
        ),
        (
            "post",
            reverse("cadres:integrity_reporter_set", args=[entry.pk]),
            {"name": "改名"},
        ),
        ("get", reverse("cadres:integrity_log"), {}),
    ]


# Who may read


def test_office_without_the_permission_gets_403_on_every_integrity_page(client, xx, entry):
    client.force_login(xx.office)
    for method, url, data in _urls(xx, entry):
        assert getattr(client, method)(url, data).status_code == 403, url
    entry.refresh_from_db()
    assert entry.status == "received"
    assert IntegrityEntry.objects.count() == 1
    assert not Sanction.objects.exists()
    assert not IntegrityReadLog.objects.exists()


def test_office_with_the_permission_reads_the_archive_and_each_read_is_logged(client, xx, entry):
    grant(xx.office, ARCHIVE)
    client.force_login(xx.office)
    url = reverse("cadres:integrity_archive", args=[xx.cadre.pk])
    for _ in range(2):
        page = client.get(url)
        assert page.status_code == 200
        assert SUMMARY in page.content.decode()
    reads = list(IntegrityReadLog.objects.order_by("pk"))
    assert len(reads) == 2
    assert {(r.user_id, r.cadre_id, r.action, r.entry_id) for r in reads} == {
        (xx.office.pk, xx.cadre.pk, "archive", None)
    }
    assert reads[0].ip == "127.0.0.1"
    assert reads[0].at is not None


def test_archive_page_lists_entries_and_sanctions_with_their_dates(client, xx, entry):
    entry = verify(entry, xx.office)
    sanction(
        xx.cadre, xx.office, start=dt.date(2015, 6, 1), until=dt.date(2015, 12, 1), entry=entry
    )
    grant(xx.office, ARCHIVE)
    client.force_login(xx.office)
    page = client.get(reverse("cadres:integrity_archive", args=[xx.cadre.pk])).content.decode()
    assert "2015年3月2日" in page
    assert "2015年5月20日" in page
    assert CONCLUSION in page
    assert "2015年6月1日" in page
    assert "2015年12月1日" in page
    assert reverse("cadres:integrity_entry_create", args=[xx.cadre.pk]) in page
    assert REPORTER_NAME not in page
    assert REPORTER_PHONE not in page


def test_archive_page_never_shows_the_reporter_even_to_holders_of_the_reporter_permission(
    client, xx, entry
):
    grant(xx.office, ARCHIVE, REPORTER)
    client.force_login(xx.office)
    page = client.get(reverse("cadres:integrity_archive", args=[xx.cadre.pk])).content.decode()
    assert REPORTER_NAME not in page
    assert REPORTER_PHONE not in page
    assert not IntegrityReadLog.objects.filter(action="reporter").exists()


def test_entry_page_logs_an_entry_read(client, xx, entry):
    grant(xx.office, ARCHIVE)
    client.force_login(xx.office)
    page = client.get(reverse("cadres:integrity_entry_detail", args=[entry.pk]))
    assert page.status_code == 200
    assert SUMMARY in page.content.decode()
    read = IntegrityReadLog.objects.get()
    assert (read.action, read.entry_id, read.cadre_id) == ("entry", entry.pk, xx.cadre.pk)


def test_reporter_is_absent_from_the_entry_page_without_the_reporter_permission(client, xx, entry):
    grant(xx.office, ARCHIVE)
    client.force_login(xx.office)
    html = client.get(reverse("cadres:integrity_entry_detail", args=[entry.pk])).content.decode()
    assert REPORTER_NAME not in html
    assert REPORTER_PHONE not in html
    assert reverse("cadres:integrity_reporter_set", args=[entry.pk]) not in html
    assert not IntegrityReadLog.objects.filter(action="reporter").exists()


def test_reporter_is_shown_only_on_demand_and_that_read_is_logged(client, xx, entry):
    grant(xx.office, ARCHIVE, REPORTER)
    client.force_login(xx.office)
    url = reverse("cadres:integrity_entry_detail", args=[entry.pk])
    plain = client.get(url).content.decode()
    assert REPORTER_NAME not in plain
    assert "?show=reporter" in plain  # 查看举报人
    assert list(IntegrityReadLog.objects.values_list("action", flat=True)) == ["entry"]
    IntegrityReadLog.objects.all().delete()
    html = client.get(url, {"show": "reporter"}).content.decode()
    assert REPORTER_NAME in html
    assert REPORTER_PHONE in html
    actions = sorted(IntegrityReadLog.objects.values_list("action", flat=True))
    assert actions == ["entry", "reporter"]
    assert IntegrityReadLog.objects.get(action="reporter").entry_id == entry.pk


def test_anonymous_report_has_no_reporter_record(client, xx):
    entry = record(xx.cadre, xx.office)
    assert not IntegrityReporter.objects.filter(entry=entry).exists()
    grant(xx.office, ARCHIVE, REPORTER)
    client.force_login(xx.office)
    url = reverse("cadres:integrity_entry_detail", args=[entry.pk])
    response = client.get(url, {"show": "reporter"})
    assert response.status_code == 200
    assert response.context["reporter"] is None


def test_reporter_string_never_reveals_the_name(xx, entry):
    assert REPORTER_NAME not in str(IntegrityReporter.objects.get(entry=entry))


def test_another_countys_office_with_the_permission_gets_404(client, xx, pq, entry):
    grant(pq.office, ARCHIVE, REPORTER)
    client.force_login(pq.office)
    for method, url, data in _urls(xx, entry)[:-1]:  # the log page has no object
        assert getattr(client, method)(url, data).status_code == 404, url
    assert not IntegrityReadLog.objects.exists()
    entry.refresh_from_db()
    assert entry.status == "received"


def test_leader_with_the_permission_reads_but_cannot_write(client, xx, entry):
    grant(xx.leader, ARCHIVE, REPORTER)
    client.force_login(xx.leader)
    page = client.get(reverse("cadres:integrity_archive", args=[xx.cadre.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("cadres:integrity_entry_create", args=[xx.cadre.pk]) not in html
    detail = client.get(
        reverse("cadres:integrity_entry_detail", args=[entry.pk]), {"show": "reporter"}
    )
    assert detail.status_code == 200
    assert REPORTER_NAME in detail.content.decode()
    assert "status_form" not in detail.context
    assert "reporter_form" not in detail.context
    for method, url, data in _urls(xx, entry)[2:-1]:  # every write
        assert getattr(client, method)(url, data).status_code == 403, url
    entry.refresh_from_db()
    assert entry.status == "received"
    assert IntegrityEntry.objects.count() == 1
    assert IntegrityReporter.objects.get(entry=entry).name == REPORTER_NAME


@pytest.mark.parametrize("role", ["liaison", "cadre_user"])
def test_liaisons_and_cadres_get_403_even_when_granted_every_permission(client, xx, entry, role):
    user = grant(getattr(xx, role), ARCHIVE, REPORTER, LOG)
    client.force_login(user)
    for method, url, data in _urls(xx, entry):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert not IntegrityReadLog.objects.exists()


def test_cadres_own_record_page_shows_nothing_from_the_archive(client, xx, entry):
    entry = verify(entry, xx.office)
    sanction(xx.cadre, xx.office, start=dt.date(2015, 6, 1), entry=entry, note="处分决定书")
    grant(xx.cadre_user, ARCHIVE, REPORTER, LOG)
    client.force_login(xx.cadre_user)
    html = client.get(reverse("assessments:me")).content.decode()
    for secret in (SUMMARY, CONCLUSION, REPORTER_NAME, REPORTER_PHONE, "12380", "处分决定书"):
        assert secret not in html, secret
    assert reverse("cadres:integrity_archive", args=[xx.cadre.pk]) not in html
    assert not IntegrityReadLog.objects.exists()


def test_office_staff_cannot_open_the_archive_of_their_own_cadre_record(client, xx):
    me = CadreFactory(unit=xx.county, name="考核办干部")
    officer = grant(make_user(Role.OFFICE, xx.county, username="officer"), ARCHIVE, REPORTER)
    me.user = officer
    me.save(update_fields=["user"])
    own = record(me, xx.office, reporter_name=REPORTER_NAME)
    client.force_login(officer)
    assert client.get(reverse("cadres:integrity_archive", args=[me.pk])).status_code == 403
    assert client.get(reverse("cadres:integrity_entry_detail", args=[own.pk])).status_code == 403
    assert client.get(reverse("cadres:integrity_archive", args=[xx.cadre.pk])).status_code == 200


# The read log


def test_read_log_needs_the_log_permission(client, xx, entry):
    grant(xx.office, ARCHIVE, REPORTER)
    client.force_login(xx.office)
    assert client.get(reverse("cadres:integrity_log")).status_code == 403
    grant(xx.office, LOG)
    client.force_login(xx.office)
    assert client.get(reverse("cadres:integrity_log")).status_code == 200


def test_log_permission_alone_shows_the_log_but_not_the_archive(client, xx, entry):
    grant(xx.leader, LOG)
    client.force_login(xx.leader)
    assert client.get(reverse("cadres:integrity_log")).status_code == 200
    url = reverse("cadres:integrity_archive", args=[xx.cadre.pk])
    assert client.get(url).status_code == 403


def test_read_log_lists_reads_newest_first_with_who_whose_and_what(client, xx, entry):
    grant(xx.leader, ARCHIVE, REPORTER)
    client.force_login(xx.leader)
    client.get(reverse("cadres:integrity_archive", args=[xx.cadre.pk]))
    client.get(reverse("cadres:integrity_entry_detail", args=[entry.pk]), {"show": "reporter"})
    grant(xx.office, LOG)
    client.force_login(xx.office)
    response = client.get(reverse("cadres:integrity_log"))
    reads = list(response.context["page"])
    assert [r.action for r in reads] == ["reporter", "entry", "archive"]
    assert {r.user_id for r in reads} == {xx.leader.pk}
    html = response.content.decode()
    assert xx.leader.username in html
    assert xx.cadre.name in html
    assert f"#{entry.pk}" in html
    assert SUMMARY not in html
    assert REPORTER_NAME not in html


def test_read_log_filters_by_cadre_and_shows_only_the_users_county(client, xx, pq, entry):
    other = record(xx.other_cadre, xx.office)
    services.archive_read(xx.office, xx.cadre, action="archive")
    services.archive_read(xx.office, xx.other_cadre, action="entry", entry=other)
    services.archive_read(pq.office, pq.cadre, action="archive")
    grant(xx.office, LOG)
    client.force_login(xx.office)
    everything = client.get(reverse("cadres:integrity_log")).context["page"]
    assert {r.cadre_id for r in everything} == {xx.cadre.pk, xx.other_cadre.pk}
    one = client.get(reverse("cadres:integrity_log"), {"cadre": xx.other_cadre.pk})
    assert [r.cadre_id for r in one.context["page"]] == [xx.other_cadre.pk]
    by_name = client.get(reverse("cadres:integrity_log"), {"q": xx.cadre.name})
    assert [r.cadre_id for r in by_name.context["page"]] == [xx.cadre.pk]


def test_read_log_is_paginated(client, xx, settings):
    settings.PAGE_SIZE = 5
    for _ in range(12):
        services.archive_read(xx.office, xx.cadre, action="archive")
    grant(xx.office, LOG)
    client.force_login(xx.office)
    page = client.get(reverse("cadres:integrity_log"), {"page": 3}).context["page"]
    assert page.paginator.num_pages == 3
    assert len(page) == 2


# Recording and verifying entries


def test_office_records_an_entry_with_its_reporter_kept_apart(client, xx):
    grant(xx.office, ARCHIVE)
    client.force_login(xx.office)
    response = client.post(
        reverse("cadres:integrity_entry_create", args=[xx.cadre.pk]),
        {
            "source": "online_supervisor",
            "received_on": "2015-04-01",
            "summary": "工作日午间饮酒。",
            "reporter-name": REPORTER_NAME,
            "reporter-contact": REPORTER_PHONE,
        },
    )
    assert response.status_code == 302
    entry = IntegrityEntry.objects.get()
    assert (entry.status, entry.source, entry.recorded_by) == (
        "received",
        "online_supervisor",
        xx.office,
    )
    assert (entry.reporter.name, entry.reporter.contact) == (REPORTER_NAME, REPORTER_PHONE)


def test_entry_form_refuses_a_missing_summary_and_a_future_date(client, xx):
    grant(xx.office, ARCHIVE)
    client.force_login(xx.office)
    url = reverse("cadres:integrity_entry_create", args=[xx.cadre.pk])
    response = client.post(url, {"source": "12380_sms", "received_on": "2015-04-01"})
    assert response.status_code == 200
    assert "summary" in response.context["form"].errors
    response = client.post(
        url, {"source": "12380_sms", "received_on": "2999-01-01", "summary": "x"}
    )
    assert "received_on" in response.context["form"].errors
    assert not IntegrityEntry.objects.exists()


def test_a_reporter_note_without_name_or_contact_is_refused(xx):
    with pytest.raises(ValidationError):
        record(xx.cadre, xx.office, reporter_note="电话打来未留名")
    assert not IntegrityEntry.objects.exists()


def test_status_goes_received_verifying_verified(xx, entry):
    services.entry_set_status(entry=entry, status="verifying", by=xx.office)
    services.entry_set_status(
        entry=entry,
        status="verified",
        by=xx.office,
        verified_on=dt.date(2015, 5, 20),
        conclusion=CONCLUSION,
    )
    entry.refresh_from_db()
    assert (entry.status, entry.verified_on, entry.conclusion) == (
        "verified",
        dt.date(2015, 5, 20),
        CONCLUSION,
    )
    assert not entry.is_allegation


@pytest.mark.parametrize("final", ["partly", "unfounded"])
def test_verification_may_also_conclude_partly_verified_or_unfounded(xx, entry, final):
    entry = verify(entry, xx.office, status=final)
    entry.refresh_from_db()
    assert entry.status == final
    assert entry.is_allegation == (final == "unfounded")


def test_received_cannot_jump_to_verified(xx, entry):
    with pytest.raises(ValidationError) as error:
        services.entry_set_status(
            entry=entry,
            status="verified",
            by=xx.office,
            verified_on=dt.date(2015, 5, 20),
            conclusion=CONCLUSION,
        )
    assert "status" in error.value.error_dict
    entry.refresh_from_db()
    assert entry.status == "received"
    assert entry.verified_on is None


def test_verified_without_a_conclusion_or_date_is_refused_and_nothing_is_saved(xx, entry):
    services.entry_set_status(entry=entry, status="verifying", by=xx.office)
    with pytest.raises(ValidationError) as error:
        services.entry_set_status(entry=entry, status="verified", by=xx.office, conclusion=" ")
    assert {"verified_on", "conclusion"} <= set(error.value.error_dict)
    entry.refresh_from_db()
    assert (entry.status, entry.verified_on, entry.conclusion) == ("verifying", None, "")


def test_verification_cannot_conclude_before_the_report_was_received(xx, entry):
    services.entry_set_status(entry=entry, status="verifying", by=xx.office)
    with pytest.raises(ValidationError):
        services.entry_set_status(
            entry=entry,
            status="unfounded",
            by=xx.office,
            verified_on=dt.date(2015, 3, 1),
            conclusion="查无实据",
        )
    entry.refresh_from_db()
    assert entry.status == "verifying"


def test_a_concluded_entry_is_final(xx, entry):
    entry = verify(entry, xx.office)
    for status in ("received", "verifying", "unfounded"):
        with pytest.raises(ValidationError):
            services.entry_set_status(
                entry=entry,
                status=status,
                by=xx.office,
                verified_on=dt.date(2015, 6, 1),
                conclusion="改判",
            )
    entry.refresh_from_db()
    assert (entry.status, entry.conclusion) == ("verified", CONCLUSION)


def test_database_refuses_a_verified_entry_without_a_conclusion(xx, entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        IntegrityEntry.objects.filter(pk=entry.pk).update(
            status="verified", verified_on=dt.date(2015, 5, 1)
        )


def test_status_form_shows_the_refusal_and_changes_nothing(client, xx, entry):
    services.entry_set_status(entry=entry, status="verifying", by=xx.office)
    grant(xx.office, ARCHIVE)
    client.force_login(xx.office)
    url = reverse("cadres:integrity_entry_status", args=[entry.pk])
    response = client.post(url, {"status": "verified", "verified_on": "2015-05-20"})
    assert response.status_code == 200
    assert "conclusion" in response.context["status_form"].errors
    entry.refresh_from_db()
    assert entry.status == "verifying"
    response = client.post(
        url, {"status": "verified", "verified_on": "2015-05-20", "conclusion": CONCLUSION}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == "verified"


def test_reporter_can_be_corrected_only_with_the_reporter_permission(client, xx, entry):
    grant(xx.office, ARCHIVE)
    client.force_login(xx.office)
    url = reverse("cadres:integrity_reporter_set", args=[entry.pk])
    assert client.post(url, {"name": "钱举报人"}).status_code == 403
    grant(xx.office, REPORTER)
    client.force_login(xx.office)
    assert client.post(url, {"name": "钱举报人", "contact": ""}).status_code == 302
    assert IntegrityReporter.objects.get(entry=entry).name == "钱举报人"
    response = client.post(url, {"name": "", "contact": ""})
    assert response.status_code == 200
    assert response.context["reporter_form"].errors
    assert IntegrityReporter.objects.get(entry=entry).name == "钱举报人"


# Sanctions


def test_sanction_ending_before_it_comes_into_force_is_refused(xx):
    with pytest.raises(ValidationError) as error:
        sanction(xx.cadre, xx.office, start=dt.date(2015, 6, 1), until=dt.date(2015, 5, 31))
    assert "in_force_until" in error.value.error_dict
    assert not Sanction.objects.exists()


def test_sanction_form_refuses_until_before_from(client, xx):
    grant(xx.office, ARCHIVE)
    client.force_login(xx.office)
    response = client.post(
        reverse("cadres:integrity_sanction_create", args=[xx.cadre.pk]),
        {
            "kind": "demerit",
            "decided_on": "2015-06-01",
            "in_force_from": "2015-06-01",
            "in_force_until": "2015-05-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Sanction.objects.exists()


def test_office_records_a_sanction_on_a_verified_entry(client, xx, entry):
    entry = verify(entry, xx.office)
    grant(xx.office, ARCHIVE)
    client.force_login(xx.office)
    response = client.post(
        reverse("cadres:integrity_sanction_create", args=[xx.cadre.pk]),
        {
            "kind": "demerit",
            "decided_on": "2015-06-01",
            "in_force_from": "2015-06-01",
            "in_force_until": "2016-11-30",
            "entry": entry.pk,
        },
    )
    assert response.status_code == 302
    assert Sanction.objects.get().entry == entry


def test_a_sanction_cannot_rest_on_an_allegation_or_on_another_cadres_entry(xx, entry):
    with pytest.raises(ValidationError) as error:
        sanction(xx.cadre, xx.office, start=dt.date(2015, 6, 1), entry=entry)
    assert "entry" in error.value.error_dict
    entry = verify(entry, xx.office)
    with pytest.raises(ValidationError):
        sanction(xx.other_cadre, xx.office, start=dt.date(2015, 6, 1), entry=entry)
    assert not Sanction.objects.exists()


def test_sanction_is_in_force_on_both_boundary_dates_and_not_the_day_after(xx):
    start, until = dt.date(2015, 6, 1), dt.date(2015, 11, 30)
    made = sanction(xx.cadre, xx.office, start=start, until=until)
    assert services.sanction_in_force(xx.cadre, start - dt.timedelta(days=1)) is None
    assert services.sanction_in_force(xx.cadre, start) == made
    assert services.sanction_in_force(xx.cadre, until) == made
    assert services.sanction_in_force(xx.cadre, until + dt.timedelta(days=1)) is None


def test_sanction_without_an_end_stays_in_force(xx):
    made = sanction(xx.cadre, xx.office, start=dt.date(2015, 6, 1))
    assert services.sanction_in_force(xx.cadre, dt.date(2030, 1, 1)) == made


# Rules for the annual grading


def test_verified_violation_counts_verified_and_partly_verified_entries_of_that_year(xx):
    verified = verify(record(xx.cadre, xx.office), xx.office, on=dt.date(2015, 12, 31))
    partly = verify(record(xx.other_cadre, xx.office), xx.office, status="partly")
    assert services.verified_violation(xx.cadre, 2015) == verified
    assert services.verified_violation(xx.other_cadre, 2015) == partly
    assert services.verified_violation(xx.cadre, 2016) is None
    assert services.verified_violation(xx.cadre, 2014) is None


def test_allegations_and_unfounded_reports_are_no_violation(xx):
    record(xx.cadre, xx.office)
    services.entry_set_status(entry=record(xx.cadre, xx.office), status="verifying", by=xx.office)
    verify(record(xx.cadre, xx.office), xx.office, status="unfounded")
    assert services.verified_violation(xx.cadre, 2015) is None


def test_set_based_sanction_helper_finds_the_right_cadres_in_one_query(
    xx, pq, django_assert_num_queries
):
    on = dt.date(2015, 7, 1)
    in_force = sanction(xx.cadre, xx.office, start=dt.date(2015, 6, 1), until=on)
    sanction(xx.other_cadre, xx.office, start=dt.date(2015, 1, 1), until=dt.date(2015, 6, 30))
    later = sanction(pq.cadre, pq.office, start=dt.date(2015, 1, 1))
    sanction(pq.cadre, pq.office, start=dt.date(2014, 1, 1))
    ids = [xx.cadre.pk, xx.other_cadre.pk, pq.cadre.pk, pq.other_cadre.pk]
    with django_assert_num_queries(1):
        found = services.cadres_with_sanction_in_force(ids, on)
    assert found == {xx.cadre.pk: in_force, pq.cadre.pk: later}


def test_set_based_violation_helper_finds_the_right_cadres_in_one_query(
    xx, pq, django_assert_num_queries
):
    first = verify(record(xx.cadre, xx.office), xx.office, on=dt.date(2015, 4, 1))
    latest = verify(record(xx.cadre, xx.office), xx.office, status="partly")
    verify(record(xx.other_cadre, xx.office), xx.office, status="unfounded")
    other_year = verify(record(pq.cadre, pq.office), pq.office, on=dt.date(2016, 1, 4))
    ids = [xx.cadre.pk, xx.other_cadre.pk, pq.cadre.pk, pq.other_cadre.pk]
    with django_assert_num_queries(1):
        found = services.cadres_with_verified_violation(ids, 2015)
    assert found == {xx.cadre.pk: latest}
    assert first != latest
    with django_assert_num_queries(1):
        assert services.cadres_with_verified_violation(ids, 2016) == {pq.cadre.pk: other_year}


def test_set_based_helpers_take_a_queryset_of_ids(xx, django_assert_num_queries):
    made = sanction(xx.cadre, xx.office, start=dt.date(2015, 1, 1))
    ids = Cadre.objects.filter(unit=xx.township).values("pk")
    with django_assert_num_queries(1):
        assert services.cadres_with_sanction_in_force(ids, dt.date(2015, 2, 1)) == {
            xx.cadre.pk: made
        }


# Query counts

# Every page: session, user, account, user permissions, group permissions. Each logged read is
# one INSERT (plus a savepoint pair here, where the test runs inside a transaction).
ARCHIVE_QUERIES = 11  # + cadre, read (3), sanctions, entries
ENTRY_QUERIES = 14  # + entry, its sanctions, entry read (3), reporter, reporter read (3)
LOG_QUERIES = 7  # + count, one page of reads


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _fill(cadre, by, n):
    for i in range(n):
        entry = record(cadre, by, received_on=dt.date(2015, 1, 1) + dt.timedelta(days=i))
        if i % 3 == 0:
            verify(entry, by, on=dt.date(2015, 5, 1) + dt.timedelta(days=i))
            sanction(cadre, by, start=dt.date(2015, 6, 1), entry=entry)


def test_archive_page_query_count_is_pinned_and_the_same_for_3_and_30_entries(client, xx):
    _fill(xx.cadre, xx.office, 3)
    _fill(xx.other_cadre, xx.office, 30)
    grant(xx.office, ARCHIVE, LOG)
    client.force_login(xx.office)
    counts = [
        _count(client, reverse("cadres:integrity_archive", args=[cadre.pk]))
        for cadre in (xx.cadre, xx.other_cadre)
    ]
    assert counts == [ARCHIVE_QUERIES, ARCHIVE_QUERIES], counts


def test_entry_page_query_count_is_pinned_and_the_same_for_1_and_10_sanctions(client, xx):
    few, many = (verify(record(xx.cadre, xx.office), xx.office) for _ in range(2))
    sanction(xx.cadre, xx.office, start=dt.date(2015, 6, 1), entry=few)
    for _ in range(10):
        sanction(xx.cadre, xx.office, start=dt.date(2015, 6, 1), entry=many)
    grant(xx.office, ARCHIVE, REPORTER)
    client.force_login(xx.office)
    counts = [
        _count(client, reverse("cadres:integrity_entry_detail", args=[e.pk]) + "?show=reporter")
        for e in (few, many)
    ]
    assert counts == [ENTRY_QUERIES, ENTRY_QUERIES], counts


def test_read_log_query_count_is_pinned_and_the_same_for_3_and_30_reads(client, xx, pq):
    for _ in range(3):
        services.archive_read(xx.office, xx.cadre, action="archive")
    for _ in range(30):
        services.archive_read(pq.office, pq.cadre, action="archive")
    counts = []
    for county in (xx, pq):
        grant(county.office, LOG)
        client.force_login(county.office)
        counts.append(_count(client, reverse("cadres:integrity_log")))
    assert counts == [LOG_QUERIES, LOG_QUERIES], counts


# The link on a cadre's page


def _link(user, cadre, *, role, is_me=False):
    user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    return render_to_string(
        "cadres/integrity/_cadre_link.html",
        {
            "cadre": cadre,
            "user": user,
            "perms": PermWrapper(user),
            "role": role,
            "Role": Role,
            "is_me": is_me,
        },
    )


def test_archive_link_shows_only_for_holders_of_the_permission(xx):
    url = reverse("cadres:integrity_archive", args=[xx.cadre.pk])
    assert url not in _link(xx.office, xx.cadre, role=Role.OFFICE)
    grant(xx.office, ARCHIVE)
    grant(xx.cadre_user, ARCHIVE)
    assert url in _link(xx.office, xx.cadre, role=Role.OFFICE)
    assert url not in _link(xx.cadre_user, xx.cadre, role=Role.CADRE, is_me=True)
    assert url not in _link(xx.cadre_user, xx.cadre, role=Role.CADRE)
