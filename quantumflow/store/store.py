"""The :class:`Store`: the one object the engine, API and CLI use to persist things.

Workflows, run rows, run status, the cancel flag, the cache and saved schedules commit
before returning. Task state changes go through :meth:`Store.record`, which only queues
them for the group-commit writer (``writer.py``, ``writer_process.py``); :meth:`Store.flush`
waits for them. A run's ``pending`` task rows (:meth:`Store.create_run`), its start
(:meth:`Store.start_run`) and its end (:meth:`Store.finish_run`) are queued the same way,
in order with the run's events, so a run does not wait for separate commits; every read
through the store commits what is queued first, so this process never sees a run without
its task rows.
"""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quantumflow.config import load_settings
from quantumflow.errors import StoreError

from ..spec.groups import task_groups
from ..status import RUN_TERMINAL, TASK_STATUSES
from . import remote_jobs, run_sql
from .artifacts import INLINE, ArtifactStore
from .committer import STORE_ERROR, lost_message
from .dbapi import Db, EngineDb, SqliteDb, resolve_url, sqlite_path
from .memo import Memo
from .migrate import ensure_db_schema
from .records import EventRecord, RunRecord, TaskEvent, TaskRunRecord, WorkflowRecord
from .writer import GroupWriter
from .writer_process import ProcessWriter

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from .run_sql import SpecData

log = logging.getLogger(__name__)

_TASK_STATUS_SET = frozenset(TASK_STATUSES)
_open_stores: weakref.WeakSet[Store] = weakref.WeakSet()


def open_store(url: str | None = None, *, artifacts_dir: Path | str | None = None) -> Store:
    """Open (creating and migrating if needed) the store at ``url``.

    Args:
        url: a SQLAlchemy URL (``sqlite:///…``, ``postgresql+psycopg://…``) or a file path;
            None means ``Settings.db_url`` (``QUANTUMFLOW_DB`` or the default SQLite file).
        artifacts_dir: where large outputs go; None means ``Settings.artifacts_dir``.

    Raises:
        StoreError: the database cannot be opened or migrated.
    """
    resolved = resolve_url(url)
    path = sqlite_path(resolved)
    if path is not None:  # a SQLite file: the run path never imports SQLAlchemy
        db: Db = SqliteDb(path)
    else:
        from .db import make_engine

        db = EngineDb(make_engine(resolved))
    try:
        ensure_db_schema(db, resolved)
    except StoreError:
        db.close()
        raise
    except Exception as err:
        db.close()
        raise StoreError(f"cannot open the store at {db.url!r}: {err}") from err
    root = Path(artifacts_dir) if artifacts_dir is not None else load_settings().artifacts_dir
    return Store(db, artifacts=ArtifactStore(root), url=resolved)


class _LazyQueries:
    """``queries.py`` (SQLAlchemy Core), imported on first use: a run does not need it."""

    def __getattr__(self, name: str) -> Any:
        from . import queries as module

        return getattr(module, name)


if TYPE_CHECKING:
    from . import queries
else:
    queries = _LazyQueries()


class Store:
    """Repository over one database. Thread-safe; use one per process and ``close()`` it.

    What a run writes goes through ``db`` (plain DB-API, ``run_sql.py`` and the group
    writer); reads for the API and CLI go through a SQLAlchemy :attr:`engine`, created on
    first use.
    """

    def __init__(self, db: Db, *, artifacts: ArtifactStore, url: str) -> None:
        self.db = db
        self.artifacts = artifacts
        self._url = url
        self._engine: Engine | None = db.engine if isinstance(db, EngineDb) else None
        self._engine_lock = threading.Lock()
        self._writer: GroupWriter | ProcessWriter
        if isinstance(db, SqliteDb) and load_settings().store_writer == "process":
            self._writer = ProcessWriter(db.path)
        else:
            self._writer = GroupWriter(db)
        self._memo = Memo()  # the results-cache hit path without I/O (memo.py)
        self._unsynced = False  # run operations queued since the last flush
        self._closed = False
        _open_stores.add(self)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (imports SQLAlchemy the first time)."""
        with self._engine_lock:
            if self._engine is None:
                from .db import make_engine

                self._engine = make_engine(self._url)
            return self._engine

    @property
    def url(self) -> str:
        """The database URL (password hidden)."""
        return self.db.url

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Commit queued events, stop the writer and release connections (idempotent)."""
        if self._closed:
            return
        self._closed = True
        try:
            self._writer.close()
        finally:
            self.db.close()
            if self._engine is not None:
                self._engine.dispose()
            _open_stores.discard(self)

    # ---------------------------------------------------------------- workflows
    def save_workflow(self, spec: SpecData, *, workflow_id: str | None = None) -> str:
        """Insert, or update when ``workflow_id`` exists; returns the id."""
        return queries.save_workflow(self.engine, spec, workflow_id)

    def get_workflow(self, workflow_id: str) -> WorkflowRecord:
        """The workflow; ``WorkflowNotFoundError`` when missing."""
        return queries.get_workflow(self.engine, workflow_id)

    def list_workflows(self) -> list[WorkflowRecord]:
        """Every saved workflow, most recently updated first."""
        return queries.list_workflows(self.engine)

    def delete_workflow(self, workflow_id: str) -> bool:
        """Delete it (its runs stay, detached); False when it did not exist."""
        return queries.delete_workflow(self.engine, workflow_id)

    def delete_run(self, run_id: str) -> bool:
        """Delete a run: its row, task rows, events, metrics, schedule, and the artifact
        files of its outputs that nothing else uses. False when it did not exist.

        The caller makes sure it is not running (``quantumflow rm`` and the API refuse a
        run that is still ``pending``/``running`` in a live process).
        """
        self._sync()
        unused = queries.delete_run(self.engine, run_id)
        if unused is None:
            return False
        self.artifacts.delete(unused)
        return True

    # ---------------------------------------------------------------- runs
    def create_run(
        self,
        *,
        spec: SpecData,
        task_ids: Iterable[str],
        workflow_id: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> str:
        """One ``pending`` run row (committed) plus one ``pending`` task row per task (queued
        for the writer, ahead of the run's events); returns the run id."""
        ids = list(task_ids)
        run_id = run_sql.create_run(self.db, spec, ids, workflow_id, params)
        raw = spec.get("tasks", []) if isinstance(spec, dict) else getattr(spec, "tasks", [])
        try:
            self.queue_task_rows(run_id, ids, task_groups(raw, ids))
        except StoreError as err:  # e.g. the writer process cannot start: not left pending
            run_sql.set_run_status(self.db, run_id, "failed", str(err))
            raise
        return run_id

    def queue_task_rows(
        self, run_id: str, task_ids: list[str], groups: list[str] | None = None
    ) -> None:
        """Queue ``pending`` rows for the tasks of ``run_id`` that have none yet.

        ``groups`` (one per task, :func:`~quantumflow.spec.groups.group_of`) defaults to
        the rule applied to the ids alone.
        """
        if groups is None:
            groups = task_groups((), task_ids)
        elif len(groups) != len(task_ids):
            raise StoreError(f"{len(task_ids)} task ids but {len(groups)} groups")
        self._queue(run_sql.tasks_op(run_id, task_ids, groups))

    def set_run_status(self, run_id: str, status: str, *, error: str | None = None) -> None:
        """Write the run's status now; a terminal status first commits queued task events."""
        run_sql.check_run_status(status)
        if status in RUN_TERMINAL:
            self.flush()
        else:
            self._sync()  # a queued start must not land after this
        run_sql.set_run_status(self.db, run_id, status, error)

    def finish_run(
        self, run_id: str, status: str, *, error: str | None = None
    ) -> tuple[str, str | None]:
        """The engine's last write of a run: its terminal ``status``, committed with (and
        after) the task events recorded before it, in one round trip to the writer; returns
        once it is durable. A run that no longer exists is logged, not raised.

        Returns:
            The status and error the store holds: ``status`` and ``error``, or
            ``store_error`` and why when some of the run's task rows or events could not
            be written (the writer recorded ``store_error`` instead, or could not write at
            all and the run stays ``running`` for ``resume``).
        """
        op = run_sql.finish_op(run_id, status, error)
        try:
            self._queue(op)
            self.flush()
        except StoreError as err:
            log.error("run %s: %s", run_id, err)
        cause = self._writer.lost(run_id)
        if cause is not None:
            return STORE_ERROR, lost_message(cause)
        return status, error

    def start_run(self, run_id: str, schedule: dict[str, Any]) -> None:
        """Mark the run ``running`` and store its planned schedule (what
        ``set_run_status(run_id, "running")`` then ``save_schedule`` write), queued for the
        writer like task events; a run that no longer exists is logged, not raised."""
        self._queue(run_sql.start_op(run_id, schedule))

    def record_metric(self, run_id: str, task_id: str, data: dict[str, Any]) -> None:
        """Queue a value a running task reported (an ``events`` row of kind ``metric``,
        committed with the task events around it)."""
        self._queue(run_sql.metric_op(run_id, task_id, data))

    def _queue(self, op: run_sql.RunOp) -> None:
        self._writer.put_rows([op])
        self._unsynced = True

    def _sync(self) -> None:
        """Commit queued run operations before a read or a write that depends on them."""
        if self._unsynced:
            self.flush()

    def request_cancel(self, run_id: str) -> None:
        """Ask the process running ``run_id`` to cancel it (it polls ``cancel_requested``)."""
        run_sql.request_cancel(self.db, run_id)

    def cancel_requested(self, run_id: str) -> bool:
        """Whether someone asked to cancel ``run_id``."""
        return run_sql.cancel_requested(self.db, run_id)

    def record(self, events: Iterable[TaskEvent]) -> None:
        """Hand task state changes to the writer, which commits them in groups.

        Raises:
            StoreError: an event has an unknown status, or the store is closed.
        """
        batch = list(events)
        for ev in batch:
            if ev.status not in _TASK_STATUS_SET:
                raise StoreError(
                    f"task '{ev.task_id}': unknown status {ev.status!r}; "
                    f"one of {', '.join(TASK_STATUSES)}"
                )
        self._writer.put(batch)

    def flush(self) -> None:
        """Block until every recorded event (and queued run operation) is committed."""
        self._unsynced = False
        self._writer.flush()

    def get_run(self, run_id: str) -> RunRecord:
        """The run with its tasks; ``RunNotFoundError`` when missing."""
        self._sync()
        return queries.get_run(self.engine, run_id)

    def get_run_header(self, run_id: str) -> RunRecord:
        """The run without its tasks (``tasks`` empty); ``RunNotFoundError`` when missing."""
        self._sync()
        return queries.get_run_header(self.engine, run_id)

    def list_runs(
        self,
        *,
        workflow_id: str | None = None,
        status: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[RunRecord]:
        """Runs newest first (tasks not loaded)."""
        self._sync()
        return queries.list_runs(self.engine, workflow_id, status, limit, offset)

    def events_since(self, run_id: str, after_id: int = 0, limit: int = 1000) -> list[EventRecord]:
        """Persisted events of ``run_id`` with id > ``after_id`` (SSE ``Last-Event-ID``)."""
        self._sync()
        return queries.events_since(self.engine, run_id, after_id, limit)

    def task_events(self, run_id: str, task_id: str, limit: int = 1000) -> list[EventRecord]:
        """The first ``limit`` persisted events of one task of ``run_id``, oldest first."""
        self._sync()
        return queries.task_events(self.engine, run_id, task_id, limit)

    def task_row(self, run_id: str, task_id: str) -> TaskRunRecord | None:
        """One task of ``run_id`` as last recorded (None: no such task)."""
        self._sync()
        return queries.task_row(self.engine, run_id, task_id)

    def task_metrics(
        self,
        *,
        workflow_id: str | None = None,
        run_id: str | None = None,
        task_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Rows of ``performance_metrics`` (oldest first), filtered."""
        self._sync()
        return queries.task_metrics(self.engine, workflow_id, run_id, task_id)

    # ---------------------------------------------------------------- outputs and cache
    def put_output(self, value: Any) -> str:
        """Store a task output; returns its reference (see ``artifacts.py``)."""
        return self.artifacts.put(value)

    def get_output(self, ref: str) -> Any:
        """The output behind a reference from :meth:`put_output` (a fresh copy each call)."""
        if not ref.startswith(INLINE):
            return self.artifacts.get(ref)
        make = self._memo.value(ref)  # an inline reference is its value: safe to remember
        if make is None:
            make = self._memo.put_value(ref, self.artifacts.get(ref))
        return make()

    def cache_lookup(self, key: str) -> str | None:
        """The output reference cached under ``key``, if any.

        Hits are remembered in this process (``results`` rows never change once written).
        """
        ref = self._memo.ref(key)
        if ref is None:
            ref = run_sql.cache_lookup(self.db, key)
            if ref is not None:
                self._memo.put_ref(key, ref)
        return ref

    def cache_store(self, key: str, output_ref: str) -> None:
        """Remember ``output_ref`` under ``key`` (the first writer wins)."""
        run_sql.cache_store(self.db, key, output_ref)

    # ---------------------------------------------------------------- schedules, calibration
    def save_schedule(self, run_id: str, plan: dict[str, Any]) -> None:
        """Store (or replace) the planned schedule of ``run_id``."""
        self._sync()
        run_sql.save_schedule(self.db, run_id, plan)

    def record_remote_jobs(self, run_id: str, jobs: Mapping[str, Mapping[str, Any]]) -> None:
        """Commit the provider jobs tasks of ``run_id`` now wait on (task id -> ``{attempt,
        backend, job_id, ref}``), after the events recorded before them; durable when it
        returns."""
        self.flush()
        remote_jobs.record(self.db, run_id, jobs)

    def remote_jobs(self, run_id: str) -> dict[str, dict[str, Any]]:
        """Task id -> the newest provider job recorded for it (``resume`` re-attaches)."""
        self._sync()
        return remote_jobs.latest(self.db, run_id)

    def get_schedule(self, run_id: str) -> dict[str, Any] | None:
        """The plan saved for ``run_id``, if any."""
        self._sync()
        return queries.get_schedule(self.engine, run_id)

    def save_calibration(self, backend: str, model: dict[str, Any]) -> None:
        """Store a fitted cost model for ``backend`` (the newest one is used)."""
        queries.save_calibration(self.engine, backend, model)

    def latest_calibration(self, backend: str) -> dict[str, Any] | None:
        """The newest calibration model saved for ``backend``, if any."""
        return queries.latest_calibration(self.engine, backend)


@atexit.register
def _close_all() -> None:
    # Daemon writer threads die with the interpreter, writer processes see the pipe close:
    # commit what they still hold first.
    for store in list(_open_stores):
        try:
            store.close()
        except Exception:  # pragma: no cover - best effort at interpreter exit
            log.exception("closing the store at exit")
