"""Calls sent to Dask in bulk: one ``client.map`` per burst instead of one ``submit`` each.

Each ``client.submit`` is its own graph update at the Dask scheduler, whose per-message
work dominates a fan-out of trivial tasks. The engine's lanes hand calls to a
:class:`Submitter`; its thread sends whatever has queued in one ``client.map`` per
(priority, resources) group, keeping their order. It never waits on purpose: calls that
arrive while it is sending form the next burst, so a lone call (a chain's next step) goes
out at once and a fan-out goes out in a few messages.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class Pending:
    """One call on its way: ``future`` is set (and ``sent`` signalled) once it is sent, or
    ``error`` when sending failed."""

    key: str
    fn_path: str
    kwargs: dict[str, Any]
    priority: float
    resources: dict[str, float] | None
    future: Any = None
    error: BaseException | None = None
    cancelled: bool = False
    sent: threading.Event = field(default_factory=threading.Event)

    @property
    def group(self) -> tuple[Any, ...]:
        """Calls of one group go in one ``client.map``."""
        return (self.priority, tuple(sorted((self.resources or {}).items())))


class Submitter:
    """Sends queued calls in bulk (see the module docstring)."""

    def __init__(self, client: Any, fn: Callable[..., Any]) -> None:
        self._client = client
        self._fn = fn
        self._queue: list[Pending] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="qf-dask-submit", daemon=True)
        self._thread.start()

    def put(self, item: Pending) -> None:
        """Queue one call."""
        with self._lock:
            self._queue.append(item)
        self._wake.set()

    def close(self) -> None:
        """Stop; calls not yet sent fail with an error."""
        self._closed = True
        self._wake.set()
        self._thread.join(5)
        with self._lock:
            left, self._queue = self._queue, []
        for item in left:
            item.error = RuntimeError("the Dask executor was shut down")
            item.sent.set()

    def _loop(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._closed:
                return
            with self._lock:
                items, self._queue = self._queue, []
            groups: dict[tuple[Any, ...], list[Pending]] = {}
            for item in items:
                if item.cancelled:
                    item.sent.set()
                else:
                    groups.setdefault(item.group, []).append(item)
            for group in groups.values():
                self._send(group)

    def _send(self, group: list[Pending]) -> None:
        first = group[0]
        try:
            futures = self._client.map(
                self._fn,
                [g.fn_path for g in group],
                [g.kwargs for g in group],
                key=[g.key for g in group],
                pure=False,
                priority=first.priority,
                resources=first.resources,
            )
        except Exception as exc:  # e.g. the client is closing: these calls fail
            for g in group:
                g.error = exc
                g.sent.set()
            return
        for g, future in zip(group, futures, strict=True):
            g.future = future
            if g.cancelled:  # abandoned while it was being sent
                future.cancel()
            g.sent.set()
