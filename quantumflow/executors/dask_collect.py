"""Results fetched from Dask in bulk: one ``client.gather`` per batch of finished calls.

Fetching each result with its own ``future.result()`` costs a request to the scheduler,
which asks the worker holding it (one round trip through both per task). A fan-out's
calls finish close together, so the :class:`Collector` thread takes every call that has
finished since its last fetch and pulls their values in one ``gather``. The engine thread
waiting on a call is woken once its value is here.

Only calls Dask reports *finished* are gathered together. A call that erred or was
cancelled, or a batch whose ``gather`` fails (e.g. a worker died and the data could not be
recomputed), is left to its own waiter, which asks Dask for that one future
(:meth:`Collector.fetch_one`, one fetch at a time) and gets its own error: one failed
member never fails the others.

While the cluster is busy (more calls in flight than ``busy_at``) the collector lingers a
couple of milliseconds after the first call finishes, so the ones finishing next share its
fetch; a lone call (a chain's next step) is fetched at once. The submitter does the same
for sends (:meth:`Collector.busy`): each message costs the scheduler more than the wait.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from .bulk_thread import BulkThread
from .dask_submit import Pending

log = logging.getLogger(__name__)


class Collector:
    """Waits on sent calls and fetches finished ones in bulk (see the module docstring)."""

    def __init__(self, client: Any, busy_at: int = 8) -> None:
        self._client = client
        self.busy_at = busy_at
        self._in_flight = 0  # tracked calls not finished yet
        self._fetching = threading.Lock()  # one fetch at a time (see fetch_one)
        self._bulk: BulkThread[Pending] = BulkThread(
            "qf-dask-collect", self._fetch, self.busy, _release
        )

    def track(self, item: Pending) -> None:
        """Fetch ``item``'s value once its (sent) future has finished."""
        with self._bulk.lock:
            self._in_flight += 1
        item.future.add_done_callback(lambda _f: self._done(item))

    def busy(self) -> bool:
        """True when more calls are in flight than the cluster runs at once (times two)."""
        return self._in_flight > self.busy_at

    def _done(self, item: Pending) -> None:
        # Dask's callback thread: hand over and return at once (it serves every callback)
        with self._bulk.lock:
            self._in_flight -= 1
            self._bulk.put_locked(item)

    def fetch_one(self, future: Any, timeout: float | None) -> Any:
        """``future.result(timeout)``, fetched while no other fetch of ours runs: Dask's
        client merges gathers that overlap into one request, and when one of the values
        cannot be loaded here, every merged waiter gets that error."""
        if not future.done():  # wait for it without holding the others up
            import distributed

            distributed_wait: Any = distributed.wait
            distributed_wait(future, timeout=timeout)
        with self._fetching:
            return future.result(timeout=timeout)

    def close(self) -> None:
        """Stop; waiters of calls not fetched yet ask Dask themselves."""
        self._bulk.close()

    def _fetch(self, items: list[Pending]) -> None:
        ready = [i for i in items if not i.cancelled and i.future.status == "finished"]
        if ready:
            try:
                with self._fetching:
                    values = self._client.gather([i.future for i in ready])
            except Exception as err:  # each waiter fetches its own and gets its own error
                log.debug("gathering %d Dask results failed (%r); one by one", len(ready), err)
            else:
                for item, value in zip(ready, values, strict=True):
                    item.value, item.fetched = value, True
        for item in items:
            item.done.set()


def _release(items: list[Pending]) -> None:
    for item in items:
        item.done.set()
