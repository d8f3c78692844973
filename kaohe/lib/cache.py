"""A Redis cache that a Redis outage or hang cannot turn into a 500.

Every call has the socket timeouts of ``CACHES["default"]["OPTIONS"]``; an error is logged and
answered as a miss (reads) or a no-op (writes), and after one error this process leaves Redis
alone for ``BREAKER_SECONDS``, so a hung server costs a request one timeout at most. What the
cache holds is only ever a copy (counts, cached pages) or a slow-down (ratelimits).
"""

from __future__ import annotations

import logging
import time

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
        return self._guard("add", False, key, value, timeout, version)

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
