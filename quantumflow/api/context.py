"""What the routers share: the store, and the handles of runs started by this process.

Runs go through the one engine (``quantumflow.engine.start``) and continue in the server
process after the request has been answered. Everything a client reads back (runs, events,
metrics) comes from the store, so runs started by other processes (CLI, notebooks) look the
same as runs started here.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from fastapi import Request

from ..errors import QuantumFlowError
from ..spec import WorkflowSpec
from .errors import ConflictError

if TYPE_CHECKING:
    from ..engine import RunHandle
    from ..store import Store

log = logging.getLogger(__name__)

#: How long a re-run request waits for the engine to name the new run.
RERUN_START_TIMEOUT_S = 30.0


class ApiContext:
    """Per-app state: the store (shared with the engine) and the in-process run handles.

    Args:
        store_url: SQLAlchemy URL of the store (``None``: ``Settings.db_url``).
    """

    def __init__(self, *, store_url: str | None) -> None:
        self.store_url = store_url
        self._store: Store | None = None
        self._lock = threading.Lock()
        self._handles: dict[str, RunHandle] = {}

    @property
    def store(self) -> Store:
        """The store, opened (and migrated) on first use; the engine's own for this URL."""
        with self._lock:
            if self._store is None:
                from ..engine import open_db

                self._store = open_db(self.store_url)
            return self._store

    def start_run(
        self,
        spec: WorkflowSpec,
        *,
        params: dict[str, Any] | None,
        workflow_id: str | None,
        executor: str,
    ) -> str:
        """Validate (with ``params``) and start a run in the background; return its id."""
        from ..engine import start

        handle = start(
            spec,
            db=self.store,
            executor=executor,
            params=params,
            workflow_id=workflow_id,
        )
        self._keep(handle)
        return handle.run_id

    def rerun(self, run_id: str, *, from_task: str, executor: str) -> str:
        """Start ``engine.rerun`` in a thread; return the new run's id once it is known."""
        from ..engine import rerun

        named = threading.Event()
        new_id: list[str] = []
        failure: list[BaseException] = []

        def on_event(event: Any) -> None:
            if not named.is_set():
                new_id.append(str(event.run_id))
                named.set()

        def work() -> None:
            try:
                rerun(
                    run_id,
                    from_task=from_task,
                    db=self.store,
                    executor=executor,
                    on_event=on_event,
                )
            except BaseException as err:  # reported to the waiting request
                failure.append(err)
                named.set()
                if new_id:  # the run had started: the store holds its failure
                    log.warning("re-run of %s failed: %s", run_id, err)

        # engine.rerun blocks until the run ends; the first event names the new run.
        threading.Thread(target=work, name=f"qf-rerun-{run_id}", daemon=True).start()
        if not named.wait(RERUN_START_TIMEOUT_S):
            raise QuantumFlowError(f"re-run of run '{run_id}' did not start in time")
        if new_id:
            return new_id[0]
        raise failure[0]

    def resume(self, run_id: str) -> None:
        """Start ``engine.resume`` in a thread; return once it runs (its first event).

        Raises:
            ConflictError: the run is still running in a live process.
        """
        from ..engine import resume

        started = threading.Event()
        failure: list[BaseException] = []

        def on_event(event: Any) -> None:
            started.set()

        def work() -> None:
            try:
                resume(run_id, db=self.store, on_event=on_event)
            except BaseException as err:  # reported to the waiting request
                failure.append(err)
                started.set()
                log.warning("resuming run %s failed: %s", run_id, err)

        threading.Thread(target=work, name=f"qf-resume-{run_id}", daemon=True).start()
        if not started.wait(RERUN_START_TIMEOUT_S):
            raise QuantumFlowError(f"resuming run '{run_id}' did not start in time")
        if failure and "still running" in str(failure[0]):
            raise ConflictError(str(failure[0]))
        if failure:
            raise failure[0]

    def cancel(self, run_id: str) -> None:
        """Ask a run to stop: in-process handles directly, any run through the store."""
        handle = self._handles.get(run_id)
        if handle is not None:
            handle.cancel()
        self.store.request_cancel(run_id)

    def _keep(self, handle: RunHandle) -> None:
        # Forget finished handles so a long-lived server does not grow without bound.
        with self._lock:
            self._handles[handle.run_id] = handle
            for rid in [r for r, h in self._handles.items() if h.done()]:
                del self._handles[rid]

    def close(self) -> None:
        """Flush what this process recorded (the engine owns the store and closes it)."""
        with self._lock:
            store = self._store
        if store is not None:
            store.flush()


def get_context(request: Request) -> ApiContext:
    """FastAPI dependency: the app's :class:`ApiContext`."""
    ctx: ApiContext = request.app.state.qf
    return ctx
