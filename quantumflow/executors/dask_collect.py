"""Results fetched from Dask in bulk: one ``client.gather`` per batch of finished calls.

Fetching each result with its own ``future.result()`` costs a request to the scheduler,
which asks the worker holding it (one round trip through both per task). A fan-out's
calls finish close together, so the :class:`Collector` thread takes every call that has
finished since its last fetch and pulls their values in one ``gather``. The engine thread
waiting on a call is woken once its value is here.

Only calls Dask reports *finished* are gathered together. A call that erred or was
cancelled, or a batch whose ``gather`` fails (e.g. a worker died and the data could not be
recomputed), is left to its own waiter, which asks Dask for that one future as before and
gets its own error: one failed member never fails the others.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from .dask_submit import Pending

log = logging.getLogger(__name__)


class Collector:
    """Waits on sent calls and fetches finished ones in bulk (see the module docstring)."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._finished: list[Pending] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="qf-dask-collect", daemon=True)
        self._thread.start()

    def track(self, item: Pending) -> None:
        """Fetch ``item``'s value once its (sent) future has finished."""
        item.future.add_done_callback(lambda _f: self._done(item))

    def _done(self, item: Pending) -> None:
        # Dask's callback thread: hand over and return at once (it serves every callback)
        with self._lock:
            self._finished.append(item)
        self._wake.set()

    def close(self) -> None:
        """Stop; waiters of calls not fetched yet ask Dask themselves."""
        self._closed = True
        self._wake.set()
        self._thread.join(5)
        with self._lock:
            left, self._finished = self._finished, []
        for item in left:
            item.done.set()

    def _loop(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            with self._lock:
                items, self._finished = self._finished, []
            if self._closed:
                for item in items:
                    item.done.set()
                return
            self._fetch(items)

    def _fetch(self, items: list[Pending]) -> None:
        ready = [i for i in items if not i.cancelled and i.future.status == "finished"]
        if ready:
            try:
                values = self._client.gather([i.future for i in ready])
            except Exception as err:  # each waiter fetches its own and gets its own error
                log.debug("gathering %d Dask results failed (%r); one by one", len(ready), err)
            else:
                for item, value in zip(ready, values, strict=True):
                    item.value, item.fetched = value, True
        for item in items:
            item.done.set()
