"""Races on PostgreSQL, two threads (two connections) at once: one winner, the loser refused
with a message, never a traceback. A barrier (or a slowed step) inside the service makes both
reach the racy point together, every run."""

import datetime as dt
import threading
import time
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections

from assessments.models import Bulletin, OutboxMessage, ProgressReport
from assessments.services import bulletins, progress
from assessments.services.targets import target_assign
from tests.factories import IndicatorFactory, WeightsFactory, YearFactory

from .conftest import _required, build_bulletin_county

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
NOW = dt.datetime(2015, 10, 20, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
TODAY = dt.date(2015, 10, 31)


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        reason = "the races need PostgreSQL's row locks (set DATABASE_URL=postgres://...)"
        if _required():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


def _both(call, *, n=2) -> list:
    """Run ``call`` in ``n`` threads at once; each result or the exception it raised."""
    results: list = [None] * n

    def run(i):
        try:
            results[i] = call()
        except Exception as error:  # collected for the assertions
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _refusals(results) -> list:
    unexpected = [
        r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)
    ]
    assert not unexpected, f"a 500: {unexpected!r}"
    return [r for r in results if isinstance(r, ValidationError)]


def test_two_first_submits_of_one_report_one_wins_the_other_is_told(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    indicator = IndicatorFactory(year=year, code="R", method="ratio", unit_kinds=["township"])
    target = target_assign(indicator=indicator, unit=xx.township, target_value=D(9))
    barrier = threading.Barrier(2, timeout=10)
    real = ProgressReport.full_clean

    def both_past_the_lookup(self, *args, **kwargs):  # neither found a row to lock
        barrier.wait()
        return real(self, *args, **kwargs)

    with mock.patch.object(ProgressReport, "full_clean", both_past_the_lookup):
        results = _both(
            lambda: progress.progress_submit(
                target=target, month=9, actual_value=D(1), narrative="进展", by=xx.liaison, now=NOW
            )
        )
    refused = _refusals(results)
    assert len(refused) == 1, results
    assert "submitted" in str(refused[0]) or "提交" in str(refused[0])
    assert ProgressReport.objects.count() == 1


def _slow_content(seconds=0.5):
    real = bulletins.bulletin_content

    def slow(**kwargs):
        time.sleep(seconds)  # holds the year's lock while the other arrives
        return real(**kwargs)

    return mock.patch.object(bulletins, "bulletin_content", slow)


def test_two_builds_of_one_months_bulletin_make_one_draft(xx):
    year, _towns = build_bulletin_county(xx)
    with _slow_content():
        results = _both(lambda: bulletins.bulletin_build(year=year, month=10, today=TODAY))
    assert not _refusals(results)  # the second refreshed the first's draft
    assert Bulletin.objects.filter(year=year, month=10).count() == 1


def test_the_month_end_job_twice_at_once_publishes_once(xx, django_capture_on_commit_callbacks):
    year, towns = build_bulletin_county(xx)
    with _slow_content():
        results = _both(lambda: bulletins.bulletins_month_end(today=TODAY))
    assert not _refusals(results)
    assert sorted(len(r) for r in results) == [0, 1]  # one published, the other found it
    bulletin = Bulletin.objects.get(year=year, month=10)
    assert bulletin.status == Bulletin.Status.PUBLISHED
    assert bulletin.messages.count() == 4


def test_send_bulletin_twice_at_once_publishes_once_and_mails_each_once(xx, capsys):
    year, towns = build_bulletin_county(xx)
    with _slow_content():
        results = _both(lambda: call_command("send_bulletin", "--month", "2015-10"))
    assert not _refusals(results)
    assert Bulletin.objects.get(year=year, month=10).status == Bulletin.Status.PUBLISHED
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert len(recipients) == len(set(recipients)) == 4, recipients
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_one_ballot_code_cast_twice_at_once_counts_once(xx):
    from assessments.models import Ballot, MoralItem
    from assessments.services import moral
    from tests.assessments.test_moral_pages import _issue, _open_round
    from tests.factories import CadreFactory
    from tests.moral_dates import working_year

    # A live round opens around today: its year is the one whose rounds may run now.
    year = YearFactory(county=xx.county, year=working_year(), status="in_progress")
    cadres = [CadreFactory(unit=xx.township, is_leading=True, post_kind="deputy") for _ in range(2)]
    round_ = _open_round(year, [xx.township])
    (code,) = _issue(round_, xx.township)
    items = list(
        MoralItem.objects.filter(dimension__template__year=year).values_list("pk", flat=True)
    )
    answers = {
        c.pk: {"levels": dict.fromkeys(items, "good"), "judgement": "competent"} for c in cadres
    }
    results = _both(lambda: moral.ballot_cast(code=code, answers=answers))
    refused = _refusals(results)
    assert len(refused) == 1, results
    assert Ballot.objects.count() == len(cadres)
