"""Rendering one template for many recipients from a few renders (bulletins, warnings)."""

from __future__ import annotations

import os


def split_at_insertions(base: str, marked: str, count: int) -> tuple[str, list[str]] | None:
    """(the insertion, the pieces of ``base`` between the insertions) when ``marked`` is
    ``base`` with one and the same insertion at ``count`` places; None otherwise."""
    extra = len(marked) - len(base)
    if count == 0 or extra <= 0 or extra % count:
        return None
    start = len(os.path.commonprefix([base, marked]))
    insertion = marked[start : start + extra // count]
    pieces = marked.split(insertion)
    if len(pieces) != count + 1 or "".join(pieces) != base:
        return None
    return insertion, pieces
