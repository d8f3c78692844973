"""The outbox under faults, on real services (PostgreSQL, Redis, Celery workers, an SMTP server
that stores a message before it answers 250): a worker killed between the send and the mark
makes no duplicate, and a mail server down past the retry limit loses nothing once the office
resends (docs/outbox.md)."""

import datetime as dt
import email
import os
import signal
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse

from assessments.models import OutboxMessage
from assessments.services import bulletins, outbox

from .conftest import (
    Recorder,
    build_bulletin_county,
    free_port,
    require_services,
    running_worker,
    wait_until,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2015, 10, 31)


class KillingRecorder(Recorder):
    """Stores each message, and on the ``kill_at``-th one kills the sending worker (its whole
    process group, SIGKILL) before answering 250: the send happened, the mark never will."""

    kill_at = 2
    worker = None

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.envelopes) == self.kill_at and self.worker is not None:
            os.killpg(self.worker.process.pid, signal.SIGKILL)
        return reply


def _publish(xx, year) -> list[int]:
    bulletin = bulletins.bulletin_build(year=year, month=10, today=TODAY)
    return [m.pk for m in bulletins.bulletin_publish(bulletin=bulletin, by=xx.office, today=TODAY)]


def _rows(ids) -> list[tuple[str, int]]:
    return sorted(OutboxMessage.objects.filter(pk__in=ids).values_list("status", "attempts"))


def _message_ids(recorder) -> list[str]:
    parsed = (
        email.message_from_bytes(e["content"], policy=policy.default) for e in recorder.envelopes
    )
    return [str(m["Message-ID"]) for m in parsed]


@pytest.fixture
def services(settings):
    require_services()


def test_a_worker_killed_between_send_and_mark_makes_no_duplicate(
    services, settings, xx, tmp_path_factory
):
    recorder = KillingRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        year, towns = build_bulletin_county(xx)
        with running_worker(tmp_path_factory, smtp_port=controller.port) as first:
            settings.MEDIA_ROOT = first.media_root
            recorder.worker = first
            ids = _publish(xx, year)  # committed: the four tasks go to Redis
            assert len(ids) == 4
            wait_until(lambda: not first.alive(), timeout=60, what="the worker to be killed")
        stored = len(recorder.envelopes)
        assert stored == 2
        killed = OutboxMessage.objects.get(pk__in=ids, status=OutboxMessage.Status.SENDING)
        assert killed.handed_at is not None  # the mark before the SMTP transaction

        recorder.worker = None
        with running_worker(tmp_path_factory, smtp_port=controller.port) as second:
            settings.MEDIA_ROOT = second.media_root
            # Recovery (its queue is empty, so no live claim): a flush resolves the dead claim
            # without sending, and hands over the two the dead worker never reached.
            handed = outbox.outbox_flush(older_than=dt.timedelta(0), stale_after=dt.timedelta(0))
            assert handed == 2
            killed.refresh_from_db()
            assert killed.status == OutboxMessage.Status.UNCONFIRMED
            wait_until(
                lambda: _rows(ids).count(("sent", 1)) == 3,
                timeout=60,
                what=lambda: f"three rows sent (rows {_rows(ids)})",
            )
            # Every later nudge and flush leaves it alone.
            assert outbox.outbox_flush(older_than=dt.timedelta(0)) == 0
            time.sleep(1)
            logs = first.describe() + "\n" + second.describe()
        recipients = [r for e in recorder.envelopes for r in e["rcpt_tos"]]
        assert len(recipients) == 4, logs
        assert len(set(recipients)) == 4, f"duplicates: {recipients}"
        assert killed.message_id in _message_ids(recorder)  # it was delivered, once
        print(
            f"[itest] worker killed after the server stored message {stored}: "
            f"{len(recipients)} emails for 4 recipients, 0 duplicates; rows {_rows(ids)}"
        )
    finally:
        controller.stop()


def test_mail_server_down_past_the_retry_limit_then_the_office_resend_delivers_each_once(
    services, settings, xx, client, tmp_path_factory
):
    port = free_port()  # nothing listens there yet: every attempt is refused
    year, towns = build_bulletin_county(xx)
    with running_worker(
        tmp_path_factory, smtp_port=port, extra_env={"OUTBOX_RETRY_DELAY": "0"}
    ) as worker:
        settings.MEDIA_ROOT = worker.media_root
        ids = _publish(xx, year)
        held = [("held", outbox.MAX_ATTEMPTS)] * len(ids)
        wait_until(
            lambda: _rows(ids) == held, timeout=120, what=lambda: f"all held (rows {_rows(ids)})"
        )
        assert outbox.outbox_flush(older_than=dt.timedelta(0)) == 0  # no new chain
        time.sleep(2)
        assert _rows(ids) == held  # attempts stay at the limit

        recorder = Recorder()
        controller = Controller(recorder, hostname="127.0.0.1", port=port)
        controller.start()  # the mail server is back
        try:
            client.force_login(xx.office)
            response = client.post(reverse("assessments:outbox_resend", args=[year.pk]))
            assert response.status_code == 302
            wait_until(
                lambda: _rows(ids) == [("sent", 1)] * len(ids),
                timeout=60,
                what=lambda: f"all sent (rows {_rows(ids)})",
            )
            time.sleep(1)
            recipients = sorted(r for e in recorder.envelopes for r in e["rcpt_tos"])
            assert len(recipients) == len(set(recipients)) == len(ids)
        finally:
            controller.stop()
    print(f"[itest] SMTP down: {len(ids)} held at {outbox.MAX_ATTEMPTS} attempts; resend: all once")
