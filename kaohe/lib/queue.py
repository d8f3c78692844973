"""Hand work to Celery without letting a broker outage break the web request.

The database is the source of truth (e.g. outbox rows); the broker only carries a nudge.
When the nudge cannot be delivered, the row stays queued and the periodic flush picks it up.
"""

import logging

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> bool:
    """Send ``task`` to the broker (or run it inline when there is none). Returns False, after
    logging, when that failed; the caller's data is already safe in the database."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception:
        logger.exception("could not enqueue %s%r", task.name, args)
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
