"""Hand work to Celery without letting a broker outage break the web request.

The database is the source of truth (e.g. outbox rows); the broker only carries a nudge.
When the nudge cannot be delivered, the row stays queued and the periodic flush picks it up.

Services name the task they queue (``"assessments.recompute_scores"``) instead of importing
it: tasks call services, never the reverse, and the name is the task's contract.
"""

import logging

logger = logging.getLogger(__name__)


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
    name = task if isinstance(task, str) else task.name
    try:
        found = task_named(task) if isinstance(task, str) else task
        found.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception:
        logger.exception("could not enqueue %s%r", name, args)
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
