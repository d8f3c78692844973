"""Hand work to Celery without letting a broker outage break the web request.

The database is the source of truth (e.g. outbox rows); the broker only carries a nudge.
When the nudge cannot be delivered, the row stays queued and the periodic flush picks it up.

Services name the task they queue (``"assessments.recompute_scores"``) instead of importing
it: tasks call services, never the reverse, and the name is the task's contract.
"""

import logging
import time

logger = logging.getLogger(__name__)

# After the broker failed to take a task, this process stops trying for a while: a hung Redis
# then costs one request one socket timeout, not one per task it queues. What was not handed
# over is in the database (outbox rows, recompute requests) for the periodic flush and sweep.
BREAKER_SECONDS = 30.0
_broken_until = 0.0


def reset_breaker() -> None:
    """Try the broker again at the next enqueue (tests; a process that knows it is back)."""
    global _broken_until
    _broken_until = 0.0


def _broker_trouble(error: BaseException) -> bool:
    from kombu.exceptions import OperationalError

    return isinstance(error, (OperationalError, OSError, ConnectionError, TimeoutError)) or (
        type(error).__module__.startswith("redis")
    )


def task_named(name: str):
    """The Celery task registered under ``name`` in the project's app (whose registry loads
    the apps' tasks modules). The app itself, not Celery's thread-local current app, which in
    another thread (a test's live server) would be an unconfigured default."""
    from kaohe.celery import app

    return app.tasks[name]


def enqueue(task, *args, **kwargs) -> bool:
    """Send ``task`` (a task, or its registered name) to the broker, or run it inline when
    there is none. Returns False, after logging, when that failed; the caller's data is
    already safe in the database."""
    global _broken_until
    name = task if isinstance(task, str) else task.name
    if time.monotonic() < _broken_until:
        logger.warning("could not enqueue %s%r: the broker failed moments ago", name, args)
        return False
    try:
        found = task_named(task) if isinstance(task, str) else task
        found.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception as error:
        logger.exception("could not enqueue %s%r", name, args)
        from kaohe.celery import app

        if _broker_trouble(error) and not app.conf.task_always_eager:
            _broken_until = time.monotonic() + BREAKER_SECONDS
        return False
    return True


def enqueue_all(task, ids) -> int:
    """Enqueue ``task(pk)`` for each id, stopping at the first failure: when the broker is
    down the rest would fail too, and the periodic flush sends them once it is back.
    Returns how many were handed over."""
    handed = 0
    for pk in ids:
        if not enqueue(task, pk):
            break
        handed += 1
    return handed
