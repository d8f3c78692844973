"""A hung or dead Redis costs a request at most one short timeout and never a 500: the broker
hand-off gives up and stops trying for a while (kaohe.lib.queue), the cache answers a miss
(kaohe.lib.cache), and a recompute whose hand-off was lost is run by the stale-scores sweep."""

import datetime as dt
import time
from unittest import mock

import pytest
from django.core.cache.backends.base import DEFAULT_TIMEOUT

from assessments import tasks
from assessments.models import RecomputeRequest, UnitScore
from assessments.services import scoring
from kaohe.celery import app as celery_app
from kaohe.lib import queue
from kaohe.lib.cache import SafeRedisCache
from tests.factories import WeightsFactory, YearFactory, bulletin_towns
from tests.faults import hung_server


@pytest.fixture(autouse=True)
def _fresh_breakers():
    queue.reset_breaker()
    SafeRedisCache._broken_until = 0.0
    yield
    queue.reset_breaker()
    SafeRedisCache._broken_until = 0.0


def test_the_production_settings_put_timeouts_on_every_redis_socket(settings):
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert 0 < options["socket_connect_timeout"] <= 1
    assert 1 < options["socket_timeout"] <= 2  # above the worker's 1-second poll
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 1
    assert settings.EMAIL_TIMEOUT


def test_a_hung_cache_is_a_miss_within_the_timeout_then_left_alone():
    with hung_server() as port:
        cache = SafeRedisCache(
            f"redis://127.0.0.1:{port}/0",
            {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
        )
        started = time.monotonic()
        assert cache.get("k", "miss") == "miss"
        first = time.monotonic() - started
        cache.set("k", 1, DEFAULT_TIMEOUT)
        assert cache.add("k", 1) is True  # treated as stored: nobody waits on a lock
        assert cache.incr("k") == 1
        cache.delete("k")
        rest = time.monotonic() - started - first
    assert first < 2, first
    assert rest < 0.2, rest  # the breaker: no second timeout


def test_a_broker_failure_costs_one_attempt_then_the_breaker_answers_at_once():
    celery_app.conf.task_always_eager = False
    try:
        with mock.patch.object(
            tasks.recompute_scores, "apply_async", side_effect=TimeoutError("hung")
        ) as handoff:
            assert queue.enqueue(tasks.recompute_scores, 1) is False
            assert queue.enqueue("assessments.recompute_scores", 1) is False
            assert queue.enqueue_all("assessments.send_outbox_message", [1, 2]) == 0
        assert handoff.call_count == 1
        queue.reset_breaker()
        with mock.patch.object(tasks.recompute_scores, "apply_async") as handoff:
            assert queue.enqueue(tasks.recompute_scores, 1) is True
    finally:
        celery_app.conf.task_always_eager = True


def test_an_error_of_an_inline_task_does_not_trip_the_breaker():
    with mock.patch.object(tasks.recompute_scores, "apply_async", side_effect=ValueError("bug")):
        assert queue.enqueue(tasks.recompute_scores, 1) is False
    with mock.patch.object(tasks.recompute_scores, "apply_async") as handoff:
        assert queue.enqueue(tasks.recompute_scores, 1) is True
    assert handoff.called


@pytest.mark.django_db
def test_a_recompute_lost_in_an_outage_is_run_by_the_stale_scores_sweep(
    xx, django_capture_on_commit_callbacks
):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    with mock.patch.object(
        tasks.recompute_scores, "apply_async", side_effect=ConnectionError("redis down")
    ):
        with django_capture_on_commit_callbacks(execute=True):
            bulletin_towns(xx, year)  # approves reports: asks for recomputes
    assert not UnitScore.objects.filter(year=year).exists()
    assert RecomputeRequest.objects.filter(year=year).exists()
    assert scoring.scores_sweep_stale() == 0  # too recent: its own hand-off may still come
    assert scoring.scores_sweep_stale(older_than=dt.timedelta(0)) == 1
    assert UnitScore.objects.filter(year=year).count() == 3
    assert not RecomputeRequest.objects.exists()
    assert tasks.sweep_stale_scores.apply().get() == 0


@pytest.mark.django_db
def test_a_request_committed_during_a_recompute_stays_for_the_next(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    RecomputeRequest.objects.create(year=year)
    real = scoring.scores_compute

    def compute_while_another_asks(*, year):
        RecomputeRequest.objects.create(year=year)  # committed while the recompute runs
        return real(year=year)

    with mock.patch.object(scoring, "scores_compute", compute_while_another_asks):
        scoring.scores_recompute_requested(year=year)
    assert RecomputeRequest.objects.filter(year=year).count() == 1
