"""The month-end job fanned out over two counties on real services: the dispatcher publishes a
group of one task per county to Redis, a real Celery worker runs both, each county's bulletin
is published once (a second dispatch runs both tasks again and they do nothing new), and the
emails reach the SMTP server once each."""

import datetime as dt
import re
import time

import pytest
import redis

from assessments import tasks
from assessments.models import Bulletin, OutboxMessage
from assessments.services import outbox
from tests.assessments.test_fanout import MONTH_END, _county_year

from .conftest import REDIS_URL, celery_inline, start_services, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

_COUNTY_DONE = re.compile(
    r"Task assessments\.month_end_bulletin_county\[[^\]]+\] succeeded in [\d.]+s: (\w+)"
)


def _county_results(worker) -> list[str]:
    return _COUNTY_DONE.findall(worker.log())


def _wait_county_tasks(worker, count: int) -> list[str]:
    return wait_until(
        lambda: (found := _county_results(worker)) and len(found) >= count and found,
        timeout=180,  # a bulletin PDF each, on a shared machine
        what=lambda: f"{count} month-end county tasks on the worker\n{worker.describe()}",
    )


def _drop_default_queue() -> None:
    """The worker publishes its emails' nudges to its default queue, which no test worker
    consumes (each consumes its own); the flush below sends the emails instead."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.delete("celery")
    finally:
        client.close()


def test_a_month_end_group_over_two_counties_completes_on_a_real_worker(request, settings, xx, pq):
    worker = start_services(request, settings)
    with celery_inline():  # the data; only the month-end job runs on the worker
        years = [_county_year(xx), _county_year(pq)]
    started = time.monotonic()

    assert tasks.month_end_bulletin.apply(kwargs={"today": MONTH_END}).get() == 2
    results = _wait_county_tasks(worker, 2)
    ran_in = time.monotonic() - started
    published = Bulletin.objects.filter(status=Bulletin.Status.PUBLISHED)
    assert sorted(results) == sorted(str(pk) for pk in published.values_list("pk", flat=True))
    assert sorted(published.values_list("year_id", flat=True)) == sorted(y.pk for y in years)
    messages = set(OutboxMessage.objects.values_list("pk", "recipient_email"))
    assert len(messages) == 4  # per county: the township head and the leader

    # A second beat tick (or a redelivery): both county tasks run again and do nothing new.
    assert tasks.month_end_bulletin.apply(kwargs={"today": MONTH_END}).get() == 2
    assert _wait_county_tasks(worker, 4)[2:] == ["None", "None"]
    assert published.count() == 2
    assert set(OutboxMessage.objects.values_list("pk", "recipient_email")) == messages

    _drop_default_queue()
    assert outbox.outbox_flush(older_than=dt.timedelta(0)) == 4
    wait_until(
        lambda: len(worker.smtp.envelopes) >= 4,
        timeout=60,
        what=lambda: f"4 emails at the SMTP server (got {len(worker.smtp.envelopes)})",
    )
    recipients = sorted(r for e in worker.smtp.envelopes for r in e["rcpt_tos"])
    assert recipients == sorted(email for _, email in messages)
    print(f"[itest] fan-out: 2 county bulletins published on the worker in {ran_in:.1f} s")
