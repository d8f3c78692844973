"""Monthly bulletins: what they say, publishing once, and one email per recipient whatever
happens (retries, two beat ticks, a failed send)."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from assessments import tasks
from assessments.models import Bulletin, OutboxMessage
from assessments.services import bulletins, outbox
from cadres.models import Role
from tests.factories import WeightsFactory, YearFactory, bulletin_towns, make_user

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    return year


@pytest.fixture
def county(xx, year):
    """Three townships on a 1200-mu target: on plan, lagging badly, and not reporting."""
    return bulletin_towns(xx, year)


def test_content_ranks_units_within_kind_and_lists_what_lags(year, county):
    content = bulletins.bulletin_content(year=year, month=10, today=dt.date(2015, 10, 31))
    (townships,) = content["kinds"]
    names = [u["name"] for u in townships["units"]]
    assert names == [county[0].name, county[1].name, county[2].name]
    first, second, third = townships["units"]
    assert first["progress"] == "1.0000"  # 1000 of plan 1000 (1200 × 10/12)
    assert second["progress"] == "0.3000"
    assert second["lagging"][0]["color"] == "red"
    assert third["progress"] == "0.0000"
    assert third["lagging"][0]["color"] == "missing"
    assert content["summary"]["colors"]["green"] == 1
    assert content["lagging_units"] == sorted([county[1].name, county[2].name])


def test_publish_freezes_the_content_renders_a_cjk_pdf_and_queues_each_recipient_once(
    xx, year, county
):
    bulletin = bulletins.bulletin_build(year=year, month=10, today=dt.date(2015, 10, 31))
    bulletins.bulletin_set_foreword(bulletin=bulletin, foreword="各单位要对标对表。")
    messages = bulletins.bulletin_publish(
        bulletin=bulletin, by=xx.office, today=dt.date(2015, 10, 31)
    )
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.PUBLISHED
    assert bulletin.pdf
    assert bulletin.pdf.open("rb").read(5) == b"%PDF-"
    recipients = sorted(m.recipient_email for m in messages)
    assert recipients == sorted(
        [f"head-{t.code.lower()}@example.gov.cn" for t in county] + ["leader@example.gov.cn"]
    )
    first = messages[0]
    assert "各单位要对标对表" in first.body_text
    assert first.reason
    with pytest.raises(ValidationError):
        bulletins.bulletin_set_foreword(bulletin=bulletin, foreword="改")
    with pytest.raises(ValidationError):
        bulletins.bulletin_publish(bulletin=bulletin, by=xx.office)
    assert OutboxMessage.objects.count() == len(messages)


def test_one_bulletin_per_month_is_a_database_rule(year):
    Bulletin.objects.create(year=year, month=10, built_at=dt.datetime(2015, 10, 31, tzinfo=SH))
    with pytest.raises(IntegrityError), transaction.atomic():
        Bulletin.objects.create(year=year, month=10, built_at=dt.datetime(2015, 10, 31, tzinfo=SH))


def test_a_bulletin_cannot_be_built_for_a_month_not_yet_begun(year):
    with pytest.raises(ValidationError):
        bulletins.bulletin_build(year=year, month=11, today=dt.date(2015, 10, 31))


def _published(xx, year):
    bulletin = bulletins.bulletin_build(year=year, month=10, today=dt.date(2015, 10, 31))
    return bulletins.bulletin_publish(bulletin=bulletin, by=xx.office, today=dt.date(2015, 10, 31))


def test_sending_twice_delivers_once(xx, year, county):
    message = _published(xx, year)[0]
    assert outbox.outbox_send(message.pk) is True
    assert outbox.outbox_send(message.pk) is False
    tasks.send_outbox_message.apply(args=[message.pk])
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [message.recipient_email]
    assert "考核" in sent.subject
    assert sent.attachments[0][0].endswith(".pdf")
    assert sent.attachments[0][2] == "application/pdf"
    assert "text/html" in [alt[1] for alt in sent.alternatives]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1


def test_a_failed_send_is_recorded_and_the_retry_sends_once(xx, year, county, settings):
    settings.OUTBOX_RETRY_DELAY = 0  # the retry is due at once
    message = _published(xx, year)[0]
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.open",
            side_effect=ConnectionRefusedError("connection refused"),
        ),
        pytest.raises(OSError),
    ):
        outbox.outbox_send(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert "connection refused" in message.last_error
    assert message.handed_at is None  # the server never saw it
    pending = OutboxMessage.objects.count()  # the failed one, and the rest still queued
    assert outbox.outbox_flush(older_than=dt.timedelta(0)) == pending
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == pending
    assert outbox.outbox_flush(older_than=dt.timedelta(0)) == 0


def test_a_claim_left_by_a_dead_worker_is_resolved_only_when_stale(xx, year, county):
    message = _published(xx, year)[0]
    assert outbox.outbox_claim(message.pk)
    assert not outbox.outbox_claim(message.pk)  # a live claim blocks a second sender
    assert outbox.outbox_recover() == 0  # a live claim is not a dead one
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_at=dt.datetime(2015, 1, 1, tzinfo=SH)
    )
    assert outbox.outbox_recover() == 1  # never handed over: queued again
    assert outbox.outbox_send(message.pk) is True
    assert len(mail.outbox) == 1


def test_two_beat_ticks_on_the_last_day_send_one_bulletin_per_recipient(
    xx, year, county, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.month_end_bulletin.apply(kwargs={"today": "2015-10-31"})
    assert Bulletin.objects.count() == 1
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == 4
    assert len(set(recipients)) == 4


@pytest.mark.parametrize(
    ("day", "publishes"),
    [("2015-10-31", True), ("2015-10-30", False), ("2015-11-30", True), ("2015-12-31", True)],
)
def test_month_end_job_runs_only_on_the_last_day(year, county, day, publishes):
    assert bool(bulletins.bulletins_month_end(today=dt.date.fromisoformat(day))) is publishes


def test_leap_february_ends_on_the_29th(xx):
    leap = YearFactory(county=xx.county, year=2016, status="in_progress")
    assert not bulletins.bulletins_month_end(today=dt.date(2016, 2, 28))
    assert [b.month for b in bulletins.bulletins_month_end(today=dt.date(2016, 2, 29))] == [2]
    assert leap.bulletins.get().status == Bulletin.Status.PUBLISHED


def test_a_broker_outage_leaves_messages_queued_and_the_flush_sends_them_later(
    xx, year, county, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(
            tasks.send_outbox_message, "apply_async", side_effect=ConnectionError("redis down")
        ) as handoff,
        django_capture_on_commit_callbacks(execute=True),
    ):
        messages = _published(xx, year)  # the request does not fail
    assert len(messages) == 4
    assert handoff.call_count == 1  # it stops at the first failure instead of waiting 4 times
    assert len(mail.outbox) == 0
    assert all(
        m.status == OutboxMessage.Status.QUEUED
        for m in OutboxMessage.objects.filter(pk__in=[m.pk for m in messages])
    )
    assert outbox.outbox_flush(older_than=dt.timedelta(0)) == len(messages)
    assert len(mail.outbox) == len(messages)


def test_leaders_of_another_county_do_not_receive_it(xx, pq, year, county):
    other = make_user(Role.LEADER, pq.county, username="pq-leader-mail")
    other.email = "pq-leader@example.gov.cn"
    other.save()
    recipients = {m.recipient_email for m in _published(xx, year)}
    assert "pq-leader@example.gov.cn" not in recipients


def test_send_bulletin_computes_the_content_once_and_publishes_it_once(
    year, county, django_capture_on_commit_callbacks
):
    draft = bulletins.bulletin_build(year=year, month=10, today=dt.date(2015, 10, 31))
    bulletins.bulletin_set_foreword(bulletin=draft, foreword="本月重点：果品销售。")
    out = io.StringIO()
    with (
        mock.patch.object(
            bulletins, "bulletin_content", wraps=bulletins.bulletin_content
        ) as content,
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_bulletin", "--month", "2015-10", stdout=out)
    assert content.call_count == 1  # built and published from one computation
    bulletin = Bulletin.objects.get(year=year, month=10)
    assert bulletin.status == Bulletin.Status.PUBLISHED
    assert bulletin.foreword == "本月重点：果品销售。"  # the draft's foreword is kept
    assert bulletin.messages.count() == len(mail.outbox) == 4
    # Again: nothing is built, published or sent twice.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_bulletin", "--month", "2015-10", stdout=out)
    assert bulletin.messages.count() == len(mail.outbox) == 4
    assert Bulletin.objects.get(pk=bulletin.pk).published_at == bulletin.published_at
