"""Real services for the integration tests: PostgreSQL, Redis, a Celery worker process and an
SMTP server on loopback.

The tests skip when the database is not PostgreSQL (a worker process cannot see SQLite's
in-memory test database) or Redis is not reachable, unless KAOHE_REQUIRE_INTEGRATION=1 (CI),
in which case they fail. Everything started here is stopped by a finalizer.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlsplit

import kombu.pools
import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection

from kaohe.celery import app as celery_app
from kaohe.lib.queue import reset_breaker

# Its own Redis database (not the development 0) and, below, its own queue per run.
REDIS_URL = os.environ.get("KAOHE_ITEST_REDIS_URL", "redis://127.0.0.1:6379/15")
FROM_ADDRESS = "kaohe-itest@localhost"
WORKER_START_TIMEOUT = 60
SH = dt.timezone(dt.timedelta(hours=8))
_TASK_DONE = re.compile(
    r"Task assessments\.send_outbox_message\[[^\]]+\] (succeeded in|raised unexpected)"
)
_WORKER_LOG = pytest.StashKey[Path]()


# -- preconditions ---------------------------------------------------------------------------


def _required() -> bool:
    return os.environ.get("KAOHE_REQUIRE_INTEGRATION") == "1"


def _redis_reachable(url: str) -> str | None:
    """None when Redis answers PING at ``url``, else why not."""
    parts = urlsplit(url)
    address = (parts.hostname or "127.0.0.1", parts.port or 6379)
    try:
        with socket.create_connection(address, timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            reply = sock.recv(64)
    except OSError as error:
        return f"Redis is not reachable at {address[0]}:{address[1]} ({error})"
    if not reply.startswith(b"+PONG"):
        return f"Redis at {address[0]}:{address[1]} answered {reply!r} to PING"
    return None


def require_services() -> None:
    """Skip (or, with KAOHE_REQUIRE_INTEGRATION=1, fail) unless the real services are here.
    Called from the test body so that, in CI, a missing service is a test failure."""
    problems = []
    if connection.vendor != "postgresql":
        problems.append(
            f"the test database is {connection.vendor}, not PostgreSQL (a Celery worker "
            "process cannot share it); set DATABASE_URL=postgres://..."
        )
    if reason := _redis_reachable(REDIS_URL):
        problems.append(reason)
    if not problems:
        return
    reason = "integration services missing: " + "; ".join(problems)
    if _required():
        pytest.fail(f"{reason} (KAOHE_REQUIRE_INTEGRATION=1 forbids skipping)", pytrace=False)
    pytest.skip(reason)


# -- polling ---------------------------------------------------------------------------------


def wait_until(
    predicate: Callable[[], object],
    *,
    timeout: float,
    what: str | Callable[[], str],
    interval: float = 0.1,
):
    """Poll ``predicate`` until it is truthy; fail with ``what`` (text, or a function giving
    the state at the time of failure) after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            described = what() if callable(what) else what
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {described}", pytrace=False)
        time.sleep(interval)


# -- SMTP ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    """aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self):
        self._lock = threading.Lock()
        self._envelopes: list[dict] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        with self._lock:
            self._envelopes.append(
                {
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": list(envelope.rcpt_tos),
                    "content": envelope.original_content or envelope.content,
                }
            )
        return "250 Message accepted for delivery"

    @property
    def envelopes(self) -> list[dict]:
        with self._lock:
            return list(self._envelopes)

    def clear(self) -> None:
        with self._lock:
            self._envelopes.clear()


@pytest.fixture(scope="module")
def smtp_server():
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    recorder.port = controller.port
    yield recorder
    controller.stop()


# -- Celery worker ---------------------------------------------------------------------------


def _database_url() -> str:
    """The test database pytest-django created, as a URL for the worker process."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    user = quote(db.get("USER") or "postgres", safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{quote(db['NAME'], safe='')}"


def reset_broker_connections() -> None:
    """Forget pooled broker connections so the next publish uses the current broker_url."""
    kombu.pools.reset()
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    reset_breaker()


class Worker:
    """A ``celery worker`` process consuming only its own queue, logging to a file."""

    def __init__(self, *, queue: str, env: dict, cwd: Path, log_path: Path):
        self.queue = queue
        self.node = f"itest-{uuid.uuid4().hex[:12]}"
        self.log_path = log_path
        self.settled = 0  # task completions already accounted for by wait_for_tasks
        argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kaohe",
            "worker",
            "-l",
            "info",
            "--concurrency",
            "1",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{self.node}@%h",
        ]
        self._log = log_path.open("wb")
        # A fixed argv of our own interpreter, no shell.
        self.process = subprocess.Popen(  # noqa: S603
            argv,
            env=env,
            cwd=cwd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so its pool child dies with it
        )
        atexit.register(self.stop)  # in case pytest is interrupted before the finalizer

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def describe(self) -> str:
        tail = "\n".join(self.log().splitlines()[-40:])
        return f"worker log: {self.log_path}\n--- last lines ---\n{tail}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float = WORKER_START_TIMEOUT) -> float:
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                pytest.fail(
                    f"the Celery worker exited with {self.process.returncode}\n{self.describe()}",
                    pytrace=False,
                )
            replies = celery_app.control.ping(timeout=1)
            if any(name.startswith(f"{self.node}@") for reply in replies for name in reply):
                return time.monotonic() - started
        pytest.fail(
            f"the Celery worker did not answer ping in {timeout} s\n{self.describe()}",
            pytrace=False,
        )

    def tasks_done(self) -> int:
        return len(_TASK_DONE.findall(self.log()))

    def wait_for_tasks(self, count: int, timeout: float = 60) -> None:
        """Wait until ``count`` more send_outbox_message tasks have finished (per the log)."""
        target = self.settled + count
        deadline = time.monotonic() + timeout
        while self.tasks_done() < target:
            if not self.alive() or time.monotonic() > deadline:
                pytest.fail(
                    f"{self.tasks_done() - self.settled} of {count} tasks finished\n"
                    f"{self.describe()}",
                    pytrace=False,
                )
            time.sleep(0.1)
        self.settled = target

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # warm shutdown
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        else:
            # The main process is gone; make sure no pool child of its group survives.
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if not self._log.closed:
            self._log.close()


def _cleanup_redis(queue: str, node: str) -> None:
    """Remove what this run left in the Redis database (its queue and bindings)."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        for key in (b"_kombu.binding.celery.pidbox", b"_kombu.binding.reply.celery.pidbox"):
            stale = [m for m in client.smembers(key) if node.encode() in m]
            if stale:
                client.srem(key, *stale)
    except redis.RedisError:
        pass
    finally:
        client.close()


CELERY_KEYS = (
    "task_always_eager",
    "broker_url",
    "result_backend",
    "task_default_queue",
    "broker_connection_timeout",
    "broker_connection_retry",
    "broker_connection_max_retries",
    "broker_transport_options",
)


@contextlib.contextmanager
def running_worker(tmp_path_factory, *, smtp_port: int, extra_env: dict | None = None):
    """A real Celery worker on the test database, Redis and an SMTP server at ``smtp_port``;
    the test process publishes to the same Redis, on a queue only this worker consumes."""
    queue = f"kaohe-itest-{uuid.uuid4().hex[:12]}"
    media_root = tmp_path_factory.mktemp("itest-media")
    log_path = tmp_path_factory.mktemp("celery-worker") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kaohe.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DEFAULT_FROM_EMAIL": f"考核办 <{FROM_ADDRESS}>",
        "MEDIA_ROOT": str(media_root),
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    # pytest-django's settings fixture does not reach Celery once configured: change its conf.
    saved = {key: celery_app.conf[key] for key in CELERY_KEYS}
    celery_app.conf.update(
        task_always_eager=False,
        broker_url=REDIS_URL,
        result_backend=None,
        task_default_queue=queue,
    )
    reset_broker_connections()
    worker = Worker(queue=queue, env=env, cwd=django_settings.BASE_DIR, log_path=log_path)
    worker.media_root = media_root
    try:
        worker.startup_seconds = worker.wait_ready()
        print(
            f"\n[itest] worker {worker.node} ready in {worker.startup_seconds:.1f} s, "
            f"log {log_path}"
        )
        yield worker
    finally:
        worker.stop()
        celery_app.conf.update(saved)
        reset_broker_connections()
        _cleanup_redis(queue, worker.node)


@pytest.fixture(scope="module")
def integration_worker(request, django_db_setup, smtp_server, tmp_path_factory):
    """The module's worker, sending through the module's recording SMTP server."""
    with running_worker(tmp_path_factory, smtp_port=smtp_server.port) as worker:
        request.config.stash[_WORKER_LOG] = worker.log_path
        worker.smtp = smtp_server
        yield worker


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    log_path = item.config.stash.get(_WORKER_LOG, None)
    if report.failed and log_path is not None and log_path.exists():
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-60:])
        report.sections.append(("Celery worker log", f"{log_path}\n{tail}"))
    return report


# -- data ------------------------------------------------------------------------------------


@contextlib.contextmanager
def celery_inline():
    """Run Celery tasks inline for a while, as the unit tests do."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous


def build_bulletin_county(xx):
    """As in tests/assessments/test_bulletins.py: a 2015 year, three townships on a 1200-mu
    target (one on plan, one lagging, one not reporting) whose heads have an email address,
    and a county leader with one. Returns (year, townships).

    Approving a report requests a score recompute (on commit); the data is built with tasks
    inline so that only the delivery runs on the worker. (On the worker, the recompute of one
    approval deadlocks with the next approval: see the integration report.)"""
    with celery_inline():
        return _build_bulletin_county(xx)


def _build_bulletin_county(xx):
    from tests.factories import WeightsFactory, YearFactory, bulletin_towns

    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    return year, bulletin_towns(xx, year)


def start_services(request, settings) -> Worker:
    """Check the services (skip or fail), then the module's worker, ready for a new test."""
    require_services()
    worker = request.getfixturevalue("integration_worker")
    settings.MEDIA_ROOT = worker.media_root  # the worker reads the bulletin PDF from here
    worker.smtp.clear()
    return worker
