"""Counting refusals per client in the cache, to slow down guessing (e.g. ballot codes).

The cache is Redis in production, shared by every web worker; the embedded locmem cache counts
per process, which is enough on one machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` refusals per ``key`` within ``window`` seconds."""

    name: str
    limit: int
    window: int

    def _key(self, key: str) -> str:
        return f"kaohe:limit:{self.name}:{key}"

    def blocked(self, key: str) -> bool:
        return cache.get(self._key(key), 0) >= self.limit

    def hit(self, key: str) -> None:
        """Count one refusal; the count expires ``window`` seconds after the first."""
        name = self._key(key)
        if not cache.add(name, 1, self.window):
            try:
                cache.incr(name)
            except ValueError:  # expired between add and incr
                cache.add(name, 1, self.window)
