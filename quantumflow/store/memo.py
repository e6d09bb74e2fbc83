"""An in-process memo of immutable store reads: the results-cache hit path without I/O.

Two things never change once written, so this process may remember them:

- a cache key's output reference (``results`` rows are insert-only, the first writer
  wins);
- the value behind an ``inline:`` reference (the reference *is* the encoded value).

The store stays the source of truth: only what was read from it is remembered. Values are
handed out as fresh copies, made by a copier built once per value (``dict.copy`` for flat
dicts such as counts), so a caller mutating its output cannot change the next hit.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

_SCALARS = frozenset({str, int, float, bool, type(None), bytes, complex})

Copier = Callable[[], Any]


def copier(value: Any) -> Copier:
    """A function returning a copy of ``value`` as deep as its mutable parts go."""
    cls = type(value)
    if cls in _SCALARS:
        return lambda: value
    if cls is dict:
        nested = [(k, copier(v)) for k, v in value.items() if type(v) not in _SCALARS]
        if not nested:
            return value.copy  # type: ignore[no-any-return]
        return lambda: _copy_dict(value, nested)
    if cls is list:
        if all(type(v) in _SCALARS for v in value):
            return value.copy  # type: ignore[no-any-return]
        parts = [copier(v) for v in value]
        return lambda: [part() for part in parts]
    return lambda: copy.deepcopy(value)  # numpy arrays, tuples, sets: rare in outputs


def _copy_dict(value: dict[Any, Any], nested: list[tuple[Any, Copier]]) -> dict[Any, Any]:
    out = value.copy()
    for key, part in nested:
        out[key] = part()
    return out


class Memo:
    """Bounded LRU maps: cache key -> output reference, inline reference -> value copier.

    Args:
        max_refs: cache keys remembered.
        max_values: decoded values remembered.
        max_value_bytes: total length of the remembered inline references.
    """

    def __init__(
        self, *, max_refs: int = 4096, max_values: int = 256, max_value_bytes: int = 8 << 20
    ) -> None:
        self.max_refs, self.max_values, self.max_value_bytes = max_refs, max_values, max_value_bytes
        self._refs: OrderedDict[str, str] = OrderedDict()
        self._values: OrderedDict[str, Copier] = OrderedDict()
        self._value_bytes = 0
        self._lock = threading.Lock()

    def ref(self, key: str) -> str | None:
        """The output reference remembered for cache ``key``."""
        with self._lock:
            ref = self._refs.get(key)
            if ref is not None:
                self._refs.move_to_end(key)
            return ref

    def put_ref(self, key: str, ref: str) -> None:
        """Remember ``key``'s reference as read from the store."""
        with self._lock:
            self._refs[key] = ref
            self._refs.move_to_end(key)
            while len(self._refs) > self.max_refs:
                self._refs.popitem(last=False)

    def value(self, ref: str) -> Copier | None:
        """The copier of the value behind ``ref``, if remembered."""
        with self._lock:
            make = self._values.get(ref)
            if make is not None:
                self._values.move_to_end(ref)
            return make

    def put_value(self, ref: str, value: Any) -> Copier:
        """Remember ``value`` (freshly decoded from ``ref``; the memo owns it from now on)."""
        make = copier(value)
        if len(ref) > self.max_value_bytes // 4:
            return make
        with self._lock:
            if ref not in self._values:
                self._value_bytes += len(ref)
            self._values[ref] = make
            while len(self._values) > self.max_values or self._value_bytes > self.max_value_bytes:
                old, _ = self._values.popitem(last=False)
                self._value_bytes -= len(old)
        return make
