"""A thread that hands over in one call whatever has queued since its last hand-over.

Both ends of the Dask executor work this way (``dask_submit``: calls sent in one
``client.map``; ``dask_collect``: finished calls fetched in one ``client.gather``): items
arriving while the thread is busy form the next bulk, so a lone item goes at once and a
burst goes in a few hand-overs. While ``busy()`` says the far side is loaded, the thread
lingers :data:`LINGER_S` first so that items a moment apart share one hand-over.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

LINGER_S = 0.002  # how long the first item of a busy moment waits for company


class BulkThread(Generic[T]):
    """Calls ``handle(items)`` on its own thread with everything queued since the last call.

    Args:
        name: the thread's name.
        handle: takes one bulk, in the order the items were queued.
        busy: whether to linger before taking a bulk.
        closing: takes what is still queued when the thread is closed.
    """

    def __init__(
        self,
        name: str,
        handle: Callable[[list[T]], None],
        busy: Callable[[], bool],
        closing: Callable[[list[T]], None],
    ) -> None:
        self._handle, self._busy, self._closing = handle, busy, closing
        self._items: list[T] = []
        self.lock = threading.Lock()  # also the owner's, for state changed with a put
        self._wake = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def put_locked(self, item: T) -> None:
        """Queue ``item``; the caller holds :attr:`lock`."""
        self._items.append(item)
        self._wake.set()

    def put(self, item: T) -> None:
        """Queue ``item``."""
        with self.lock:
            self.put_locked(item)

    def close(self) -> None:
        """Stop the thread; what is still queued goes to ``closing``."""
        self._closed = True
        self._wake.set()
        self._thread.join(5)
        with self.lock:
            left, self._items = self._items, []
        self._closing(left)

    def _loop(self) -> None:
        while True:
            self._wake.wait()
            if self._busy() and not self._closed:
                time.sleep(LINGER_S)
            self._wake.clear()
            if self._closed:
                return
            with self.lock:
                items, self._items = self._items, []
            self._handle(items)
