"""IdentityCache: one computation per object, by identity, bounded."""

from __future__ import annotations

from quantumflow._cache import IdentityCache


def test_computes_once_per_object_and_tells_equal_objects_apart() -> None:
    calls: list[list[int]] = []

    def length(items: list[int]) -> int:
        calls.append(items)
        return len(items)

    cache: IdentityCache[list[int], int] = IdentityCache(length)
    a, b = [1, 2], [1, 2]  # equal, but two objects
    assert (cache(a), cache(a), cache(b)) == (2, 2, 2)
    assert [c is a for c in calls] == [True, False] and a in cache and [9] not in cache


def test_starts_over_past_its_size_and_never_confuses_a_reused_id() -> None:
    cache: IdentityCache[object, int] = IdentityCache(id, size=3)
    kept = [object() for _ in range(5)]
    for obj in kept:
        assert cache(obj) == id(obj)
    assert kept[-1] in cache and kept[0] not in cache  # the first ones were dropped
    for _ in range(100):  # short-lived objects often get the same id: never a stale hit
        fresh = object()
        assert cache(fresh) == id(fresh)
