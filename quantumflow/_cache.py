"""``IdentityCache``: remember ``compute(obj)`` for the objects seen last, keyed by identity.

For values derived from an object that is reused but not hashable (a circuit, a task, a
transpiled circuit): the SDK conversions, canonical texts and summaries of a sweep or a
repeated task are computed once. Each entry keeps its object alive, so its ``id`` cannot be
reused by another object while the entry exists; past ``size`` entries the cache starts over.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class IdentityCache(Generic[K, V]):
    """``cache(obj)`` is ``compute(obj)``, computed once per object."""

    def __init__(self, compute: Callable[[K], V], *, size: int = 256) -> None:
        self._compute = compute
        self._size = size
        self._entries: dict[int, tuple[K, V]] = {}

    def __contains__(self, obj: object) -> bool:
        hit = self._entries.get(id(obj))
        return hit is not None and hit[0] is obj

    def __call__(self, obj: K) -> V:
        """The value for ``obj`` (computed now if this object was not seen lately)."""
        key = id(obj)
        hit = self._entries.get(key)
        if hit is not None and hit[0] is obj:
            return hit[1]
        value = self._compute(obj)
        if len(self._entries) >= self._size:
            self._entries.clear()
        self._entries[key] = (obj, value)
        return value
