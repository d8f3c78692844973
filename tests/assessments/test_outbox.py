"""The outbox, exactly once: one Message-ID per row, a hand-over mark written before the SMTP
transaction, dead senders resolved without resending, a bounded retry chain, and the office's
resend that works after the retry limit (docs/outbox.md)."""

import datetime as dt
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from assessments import tasks
from assessments.models import OutboxMessage
from assessments.services import bulletins, outbox
from assessments.templatetags.bulletins import outbox_waiting
from tests.factories import WeightsFactory, YearFactory, bulletin_towns

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))
LONG_AGO = dt.datetime(2015, 1, 1, tzinfo=SH)
OPEN = "django.core.mail.backends.locmem.EmailBackend.open"
SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    bulletin_towns(xx, year)
    return year


@pytest.fixture
def messages(xx, year):
    bulletin = bulletins.bulletin_build(year=year, month=10, today=dt.date(2015, 10, 31))
    return bulletins.bulletin_publish(bulletin=bulletin, by=xx.office, today=dt.date(2015, 10, 31))


def _status(message) -> str:
    message.refresh_from_db()
    return message.status


def test_each_row_has_its_own_message_id_and_the_email_carries_it(messages):
    ids = [m.message_id for m in messages]
    assert len(set(ids)) == len(ids) == 4
    assert all(i.startswith("<") and i.endswith(">") and "@" in i for i in ids)
    assert outbox.outbox_send(messages[0].pk)
    assert mail.outbox[0].extra_headers["Message-ID"] == messages[0].message_id
    assert mail.outbox[0].message()["Message-ID"] == messages[0].message_id


def test_a_sender_killed_after_the_hand_over_is_resolved_as_unconfirmed_and_never_resent(
    messages,
):
    message = messages[0]
    assert outbox.outbox_claim(message.pk)
    # What a worker killed between the server's 250 and marking the row leaves behind.
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=LONG_AGO, handed_at=LONG_AGO)
    assert outbox.outbox_send(message.pk) is False  # a redelivered task resolves it, no send
    assert _status(message) == OutboxMessage.Status.UNCONFIRMED
    assert outbox.outbox_flush(older_than=dt.timedelta(0)) == 3  # the other three only
    assert message.recipient_email not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 3
    assert _status(message) == OutboxMessage.Status.UNCONFIRMED
    assert outbox.outbox_flush(older_than=dt.timedelta(0)) == 0


def test_a_timeout_after_the_hand_over_is_unconfirmed_not_retried(messages):
    message = messages[0]
    with mock.patch(SEND, side_effect=TimeoutError("timed out")), pytest.raises(OSError):
        outbox.outbox_send(message.pk)
    assert _status(message) == OutboxMessage.Status.UNCONFIRMED
    assert "timed out" in message.last_error
    assert outbox.retry_countdown(message.pk) is None
    assert tasks.send_outbox_message.apply(args=[message.pk]).get() is False
    assert mail.outbox == []


def test_a_refusal_after_the_hand_over_is_retried(messages, settings):
    settings.OUTBOX_RETRY_DELAY = 0
    message = messages[0]
    refused = smtplib.SMTPDataError(554, b"try later")
    with mock.patch(SEND, side_effect=refused), pytest.raises(smtplib.SMTPException):
        outbox.outbox_send(message.pk)
    assert _status(message) == OutboxMessage.Status.FAILED
    assert outbox.outbox_send(message.pk) is True


def test_a_failed_message_is_not_claimed_before_its_retry_is_due(messages, settings):
    settings.OUTBOX_RETRY_DELAY = 30
    message = messages[0]
    with mock.patch(OPEN, side_effect=ConnectionRefusedError()), pytest.raises(OSError):
        outbox.outbox_send(message.pk)
    message.refresh_from_db()
    assert message.next_attempt_at is not None
    assert 25 <= outbox.retry_countdown(message.pk) <= 30
    assert outbox.outbox_send(message.pk) is False  # a second chain (a flush) finds nothing
    assert message.pk not in outbox.outbox_pending().values_list("pk", flat=True)
    message.refresh_from_db()
    assert message.attempts == 1


def test_the_retry_delay_doubles_up_to_an_hour(settings):
    settings.OUTBOX_RETRY_DELAY = 30
    assert [outbox.retry_delay(n) for n in (1, 2, 3, 9)] == [30, 60, 120, 3600]


def test_past_the_retry_limit_it_waits_for_the_office_whose_resend_sends_it_once(
    client, xx, year, messages, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_RETRY_DELAY = 0
    message = messages[0]
    with mock.patch(OPEN, side_effect=ConnectionRefusedError("refused")):
        for _ in range(2 * outbox.MAX_ATTEMPTS):  # flushes, retries and stray nudges
            outbox.outbox_flush(older_than=dt.timedelta(0))  # inline: each one an attempt
            assert tasks.send_outbox_message.apply(args=[message.pk]).get() is False
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.HELD
    assert message.attempts == outbox.MAX_ATTEMPTS  # never more than the limit
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {
        ("held", outbox.MAX_ATTEMPTS)  # the mail server was down for all four
    }
    assert outbox.outbox_flush(older_than=dt.timedelta(0)) == 0  # held ones are not taken
    assert mail.outbox == []

    client.force_login(xx.office)
    page = client.get(reverse("assessments:outbox", args=[year.pk])).content.decode()
    assert "等待重新发送" in page or "Waiting for resend" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:outbox_resend", args=[year.pk]))
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.recipient_email for m in messages)


def test_unconfirmed_messages_go_again_only_when_the_office_asks(
    client, xx, year, messages, django_capture_on_commit_callbacks
):
    message = messages[0]
    assert outbox.outbox_claim(message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=LONG_AGO, handed_at=LONG_AGO)
    outbox.outbox_recover()
    client.force_login(xx.office)
    url = reverse("assessments:outbox_resend", args=[year.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert _status(message) == OutboxMessage.Status.UNCONFIRMED
    assert len(mail.outbox) == 3
    page = client.get(reverse("assessments:outbox", args=[year.pk])).content.decode()
    assert 'name="unconfirmed"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"unconfirmed": "1"})
    assert _status(message) == OutboxMessage.Status.SENT
    resent = [m for m in mail.outbox if m.to == [message.recipient_email]]
    assert len(resent) == 1
    assert resent[0].extra_headers["Message-ID"] == message.message_id  # same id: dedupable


def test_the_outbox_page_says_why_each_message_waits(client, xx, year, messages, settings):
    settings.OUTBOX_RETRY_DELAY = 600
    failed, held, unconfirmed = messages[:3]
    with mock.patch(OPEN, side_effect=ConnectionRefusedError()), pytest.raises(OSError):
        outbox.outbox_send(failed.pk)
    OutboxMessage.objects.filter(pk=held.pk).update(status="held", attempts=outbox.MAX_ATTEMPTS)
    OutboxMessage.objects.filter(pk=unconfirmed.pk).update(status="unconfirmed")
    client.force_login(xx.office)
    text = client.get(reverse("assessments:outbox", args=[year.pk])).content.decode()
    for message in messages:
        message.refresh_from_db()
        reason = outbox_waiting(message)
        assert reason, message.status
        assert escape(reason) in text


def test_a_missing_bulletin_pdf_is_rebuilt_for_the_email_and_the_page(client, xx, messages):
    bulletin = messages[0].bulletin
    bulletin.pdf.storage.delete(bulletin.pdf.name)  # a database restored without its media
    assert outbox.outbox_send(messages[0].pk)
    (attachment,) = mail.outbox[0].attachments
    assert attachment[1][:5] == b"%PDF-"
    client.force_login(xx.office)
    response = client.get(reverse("assessments:bulletin_pdf", args=[bulletin.pk]))
    assert response.status_code == 200
    assert response.content[:5] == b"%PDF-"


def test_a_pdf_that_cannot_be_rebuilt_is_a_message_not_a_500(client, xx, messages):
    bulletin = messages[0].bulletin
    bulletin.pdf.storage.delete(bulletin.pdf.name)
    with mock.patch(
        "assessments.services.bulletins.render_bulletin_pdf", return_value=None
    ) as render:
        assert outbox.outbox_send(messages[0].pk)  # sent without the attachment
        assert mail.outbox[0].attachments == []
        assert "PDF" in mail.outbox[0].body
        client.force_login(xx.office)
        response = client.get(reverse("assessments:bulletin_pdf", args=[bulletin.pk]), follow=True)
    assert render.called
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "assessments:bulletin_detail", args=[bulletin.pk]
    )
