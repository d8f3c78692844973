"""A Redis cache that a Redis outage or hang cannot turn into a 500.

Every call has the socket timeouts of ``CACHES["default"]["OPTIONS"]``; an error is logged and
answered as a miss (reads) or a no-op (writes), and after one error this process leaves Redis
alone for ``BREAKER_SECONDS``, so a hung server costs a request one timeout at most. What the
cache holds is only ever a copy (counts, cached pages) or a slow-down (ratelimits).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

BREAKER_SECONDS = 30.0


class SafeRedisCache(RedisCache):
    _broken_until = 0.0

    def _guard(self, name, default, *args, **kwargs):
        if time.monotonic() < SafeRedisCache._broken_until:
            return default
        try:
            return getattr(super(), name)(*args, **kwargs)
        except Exception as error:
            if not (isinstance(error, OSError) or type(error).__module__.startswith("redis")):
                raise
            logger.warning("cache %s failed (%s): treated as a miss", name, error)
            SafeRedisCache._broken_until = time.monotonic() + BREAKER_SECONDS
            return default

    def get(self, key, default=None, version=None):
        return self._guard("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guard("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set_many", [], data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", True, key, value, timeout, version)  # as if stored

    def delete(self, key, version=None):
        return self._guard("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        return self._guard("incr", delta, key, delta, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", False, key, timeout, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", False, key, version)

    def clear(self):
        return self._guard("clear", False)


# -- pages computed per assessment year -------------------------------------------------------


def _generation_key(year_id: int) -> str:
    return f"kaohe:year:{year_id}:generation"


# The values this process computed or read lately, by their cache key (which holds the year's
# generation, so a change anywhere makes a new key): a warm view reads one small key from
# Redis, the generation, instead of unpickling a whole dashboard (hundreds of milliseconds for
# the progress overview of a county). Values are shared between requests: read-only.
LOCAL_ENTRIES = 64
_local: OrderedDict[str, tuple[float, object]] = OrderedDict()
_local_lock = threading.Lock()


def _generation(cache, year_id: int) -> str | None:
    """The year's current generation; None when the cache cannot tell (down)."""
    key = _generation_key(year_id)
    generation = cache.get(key)
    if generation is None:
        cache.add(key, uuid.uuid4().hex, None)
        generation = cache.get(key)
    return generation


def _local_get(key: str):
    with _local_lock:
        hit = _local.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        _local.move_to_end(key)
        return hit[1]


def _local_set(key: str, value, timeout: float) -> None:
    with _local_lock:
        _local[key] = (time.monotonic() + timeout, value)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def year_cached(year_id: int, parts: tuple, compute):
    """``compute()``, cached per year and ``parts`` (e.g. the page, month, day and filters) until
    the year's inputs change (``year_changed``) or ``settings.PAGE_CACHE_SECONDS`` pass (a
    safety net; 0 turns the cache off). With the cache down it is simply computed. The value
    is kept in this process too (``LOCAL_ENTRIES``): treat it as read-only."""
    from django.conf import settings
    from django.core.cache import cache

    timeout = settings.PAGE_CACHE_SECONDS
    if not timeout:
        return compute()

    generation = _generation(cache, year_id)
    if generation is None:
        return compute()
    key = "kaohe:year:%s:%s:%s" % (year_id, generation, ":".join(map(str, parts)))  # noqa: UP031
    if (value := _local_get(key)) is not None:
        return value
    value = cache.get(key)
    if value is not None:
        _local_set(key, value, timeout)
        return value
    # One process computes; the others wait for its result a little (many users opening the
    # dashboard at nine o'clock would otherwise all compute it at once).
    if not cache.add(key + ":computing", 1, 60):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            time.sleep(0.1)
            if (value := cache.get(key)) is not None:
                _local_set(key, value, timeout)
                return value
    try:
        value = compute()
        cache.set(key, value, timeout)
        _local_set(key, value, timeout)
    finally:
        cache.delete(key + ":computing")
    return value


_changed = threading.local()


def year_changed(year_id: int) -> None:
    """Forget every cached page of the year: at once, and again when the current transaction
    commits (a page computed meanwhile from the old rows is forgotten too). Within one
    transaction a year is forgotten once however many of its rows are saved: an import of a
    thousand targets does not write two thousand keys, and the bump at commit covers every
    write before it."""
    from django.core.cache import cache
    from django.db import connection, transaction

    def bump():
        cache.set(_generation_key(year_id), uuid.uuid4().hex, None)

    if connection.in_atomic_block:
        # run_on_commit is a new list after each commit or rollback (of a savepoint too, which
        # drops its callbacks): the years noted against the current list are still pending.
        noted: tuple[list, set[int]] | None = getattr(_changed, "noted", None)
        if noted is None or noted[0] is not connection.run_on_commit:
            noted = (connection.run_on_commit, set())
            _changed.noted = noted  # per thread, like the connection
        if year_id in noted[1]:
            return
        noted[1].add(year_id)
    bump()
    transaction.on_commit(bump)
