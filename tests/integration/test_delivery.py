"""Bulletin delivery end to end on real services: publishing queues the outbox rows, the
commit hands them to Redis, a real Celery worker sends them through a real SMTP server, each
recipient gets the bulletin (subject and body naming the county and its units in Chinese,
an HTML alternative, a PDF with embedded CJK fonts) exactly once, and a broker outage only
delays the mail until the periodic flush."""

import contextlib
import datetime as dt
import email
import logging
import shutil
import subprocess
import time
from email import policy

import pytest
import redis
from django.db import transaction

from assessments.models import Bulletin, OutboxMessage
from assessments.services import bulletins, outbox
from assessments.tasks import send_outbox_message
from kaohe.celery import app as celery_app
from kaohe.lib.queue import enqueue

from .conftest import (
    FROM_ADDRESS,
    REDIS_URL,
    build_bulletin_county,
    reset_broker_connections,
    start_services,
    wait_until,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2015, 10, 31)
DEAD_BROKER_URL = "redis://127.0.0.1:6390/0"  # nothing listens there
CJK_FONT_HINTS = ("CJK", "WenQuanYi", "Noto")


def _expected_recipients(towns) -> list[str]:
    return sorted(
        [f"head-{t.code.lower()}@example.gov.cn" for t in towns] + ["leader@example.gov.cn"]
    )


def _publish(xx, year) -> list[OutboxMessage]:
    """Build and publish October's bulletin in one transaction (the web request); the emails
    are handed to the broker when it commits."""
    with transaction.atomic():
        bulletin = bulletins.bulletin_build(year=year, month=10, today=TODAY)
        return bulletins.bulletin_publish(bulletin=bulletin, by=xx.office, today=TODAY)


def _wait_for_mail(smtp, count: int, timeout: float = 60) -> None:
    wait_until(
        lambda: len(smtp.envelopes) >= count,
        timeout=timeout,
        what=lambda: f"{count} emails at the SMTP server (got {len(smtp.envelopes)})",
    )


def _statuses(ids) -> list[str]:
    return sorted(OutboxMessage.objects.filter(pk__in=ids).values_list("status", flat=True))


def _wait_all_sent(ids) -> None:
    wait_until(
        lambda: _statuses(ids) == ["sent"] * len(ids),
        timeout=30,
        what=lambda: f"every outbox row to be sent (statuses {_statuses(ids)})",
    )


def _queue_length(queue: str) -> int:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return client.llen(queue)
    finally:
        client.close()


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@contextlib.contextmanager
def _errors_logged_by(name: str):
    """The error records of one logger, kept out of the console (expected tracebacks)."""
    logger, handler = logging.getLogger(name), _Records()
    propagate, logger.propagate = logger.propagate, False
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _embedded_cjk_fonts(pdf_path) -> list[str]:
    """The ``pdffonts`` lines of CJK fonts embedded in the PDF."""
    pdffonts = shutil.which("pdffonts")
    assert pdffonts, "pdffonts (poppler-utils) is not installed"
    listing = subprocess.run(  # noqa: S603 (fixed argv: the pdffonts binary and our temp file)
        [pdffonts, str(pdf_path)], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    found = []
    for line in listing.splitlines()[2:]:  # after the header and its underline
        fields = line.split()
        # name type... encoding emb sub uni object ID: "emb" is the fifth field from the end.
        if len(fields) >= 6 and any(h in fields[0] for h in CJK_FONT_HINTS):
            if fields[-5] == "yes":
                found.append(line.strip())
    return found


def test_published_bulletin_reaches_every_recipient_once_through_redis_celery_and_smtp(
    request, settings, xx, tmp_path
):
    worker = start_services(request, settings)
    smtp = worker.smtp
    year, towns = build_bulletin_county(xx)
    started = time.monotonic()

    messages = _publish(xx, year)
    published_in = time.monotonic() - started
    ids = [m.pk for m in messages]
    assert sorted(m.recipient_email for m in messages) == _expected_recipients(towns)

    _wait_for_mail(smtp, len(ids))
    delivered_in = time.monotonic() - started
    _wait_all_sent(ids)
    worker.wait_for_tasks(len(ids))

    envelopes = smtp.envelopes
    assert sorted(rcpt for e in envelopes for rcpt in e["rcpt_tos"]) == _expected_recipients(towns)
    assert all(len(e["rcpt_tos"]) == 1 for e in envelopes)
    assert {e["mail_from"] for e in envelopes} == {FROM_ADDRESS}

    bulletin = Bulletin.objects.get()
    with bulletin.pdf.open("rb") as stored:
        stored_pdf = stored.read()
    for envelope in envelopes:
        parsed = email.message_from_bytes(envelope["content"], policy=policy.default)
        recipient = envelope["rcpt_tos"][0]
        assert parsed["To"] == recipient
        assert parsed["X-Kaohe-Key"] == f"bulletin:{bulletin.pk}"
        subject = str(parsed["Subject"])  # RFC 2047 decoded by policy.default
        assert "隰县" in subject, subject
        assert "2015" in subject, subject
        parts = {}
        for part in parsed.walk():
            parts.setdefault(part.get_content_type(), []).append(part)
        (plain,) = [p for p in parts["text/plain"] if not p.is_attachment()]
        text = plain.get_content()
        for town in towns:
            assert town.name in text, (recipient, text)
        assert "隰县" in text
        (html,) = parts["text/html"]
        assert towns[0].name in html.get_content()
        (pdf,) = parts["application/pdf"]
        assert pdf.is_attachment()
        assert pdf.get_filename().endswith(".pdf")
        assert pdf.get_content() == stored_pdf

    pdf_path = tmp_path / "bulletin.pdf"
    pdf_path.write_bytes(stored_pdf)
    fonts = _embedded_cjk_fonts(pdf_path)
    assert fonts, "no embedded CJK font in the PDF attachment"
    print(f"[itest] pdffonts: {fonts[0]}")

    # Idempotency under the real worker: every message nudged again, and the flush job.
    for pk in ids:
        assert enqueue(send_outbox_message, pk)
    assert outbox.outbox_flush(older_than=dt.timedelta(0)) == 0  # nothing is pending
    worker.wait_for_tasks(len(ids))  # the duplicates ran (and found nothing to send)
    assert _queue_length(worker.queue) == 0
    time.sleep(0.5)
    assert len(smtp.envelopes) == len(ids)
    assert _statuses(ids) == ["sent"] * len(ids)
    assert set(OutboxMessage.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}
    print(
        f"[itest] delivery: {len(smtp.envelopes)} emails received; published in "
        f"{published_in:.1f} s, all delivered {delivered_in:.1f} s after publishing started; "
        f"{len(ids)} duplicate nudges sent nothing"
    )


def test_a_redis_outage_delays_mail_until_the_flush_then_each_arrives_once(request, settings, xx):
    worker = start_services(request, settings)
    smtp = worker.smtp
    year, towns = build_bulletin_county(xx)

    keys = (
        "broker_url",
        "broker_connection_timeout",
        "broker_connection_retry",
        "broker_connection_max_retries",
        "broker_transport_options",
    )
    saved = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(
        broker_url=DEAD_BROKER_URL,
        broker_connection_timeout=1,
        broker_connection_retry=False,
        broker_connection_max_retries=0,
        broker_transport_options={**(saved["broker_transport_options"] or {}), "max_retries": 0},
    )
    reset_broker_connections()
    try:
        publishing = time.monotonic()
        with _errors_logged_by("kaohe.lib.queue") as errors, transaction.atomic():
            bulletin = bulletins.bulletin_build(year=year, month=10, today=TODAY)
            messages = bulletins.bulletin_publish(bulletin=bulletin, by=xx.office, today=TODAY)
            committing = time.monotonic()
        handoff = time.monotonic() - committing  # the commit and the failed nudges
        published_in = time.monotonic() - publishing
    finally:
        celery_app.conf.update(saved)
        reset_broker_connections()
    ids = [m.pk for m in messages]
    assert len(ids) == 4
    assert handoff < 5, f"the failed hand-off to the broker blocked the request {handoff:.1f} s"
    failures = [r for r in errors if r.getMessage().startswith("could not enqueue")]
    assert len(failures) == 1  # the batch stops at the first failed hand-off
    assert _statuses(ids) == ["queued"] * len(ids)
    time.sleep(1)
    assert smtp.envelopes == []
    assert _queue_length(worker.queue) == 0

    # Redis is back: the periodic flush sends everything, once.
    started = time.monotonic()
    assert outbox.outbox_flush(older_than=dt.timedelta(0)) == len(ids)
    _wait_for_mail(smtp, len(ids))
    flushed_in = time.monotonic() - started
    _wait_all_sent(ids)
    worker.wait_for_tasks(len(ids))
    assert outbox.outbox_flush(older_than=dt.timedelta(0)) == 0
    time.sleep(0.5)
    recipients = sorted(r for e in smtp.envelopes for r in e["rcpt_tos"])
    assert recipients == _expected_recipients(towns)
    print(
        f"[itest] outage: publishing with Redis down returned in {published_in:.1f} s (the "
        f"commit and broker hand-off {handoff:.2f} s, "
        f"{len(failures)} nudges failed, rows queued); after the flush {len(recipients)} "
        f"emails arrived in {flushed_in:.1f} s, each once"
    )
