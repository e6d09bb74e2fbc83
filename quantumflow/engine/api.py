"""The engine's entry points: run, start, resume, rerun, cancel, validate.

Every surface (Python, CLI, REST, magics, panel) comes through here with the same spec.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import (
    QuantumFlowError,
    RunInProgressError,
    RunNotFoundError,
    SpecError,
    WorkflowNotFoundError,
)
from ..executors import Executor, get_executor
from ..graph.validate import ValidatedWorkflow, validate
from ..spec import WorkflowSpec
from ..spec.groups import task_groups
from ..spec.loader import SpecLike, load_spec
from ..store.shared import shared_store as open_db
from .heap import frozen_heap
from .models import Run, RunHandle, TaskResult
from .plan import check_budget, make_plan
from .runner import Runner

if TYPE_CHECKING:
    from ..store.records import RunRecord
    from ..store.shared import DbLike
    from ..store.store import Store

log = logging.getLogger(__name__)

EventCallback = Callable[[Any], None]
_REUSABLE = ("succeeded", "cached")


def _executor(
    executor: str | Executor, workers: int | None, address: str | None
) -> tuple[Executor, bool]:
    """The executor and whether this run owns it (and must shut it down)."""
    if isinstance(executor, str):
        opts: dict[str, Any] = {"workers": workers}
        if address is not None:
            opts["address"] = address
        return get_executor(executor, **opts), True
    return executor, False


def _lanes(ex: Executor, max_concurrency: int, n_tasks: int, *, timeouts: bool = True) -> int:
    # Never more attempts in flight than the executor runs at once: a call queued inside
    # the executor would spend its timeout waiting for a worker. An executor whose own
    # scheduler queues calls (Dask) takes max_concurrency of them when no task has a
    # timeout: keeping its workers fed is what makes a fan-out cheap there.
    limit = max_concurrency
    if ex.workers and (timeouts or not getattr(ex, "queues", False)):
        limit = min(limit, ex.workers)
    return max(1, min(limit, n_tasks))


@dataclass(frozen=True)
class _How:
    """Where and how a run executes: the keywords ``run``/``start``/``resume``/``rerun``
    share (see :func:`run` for their meaning)."""

    executor: str | Executor
    workers: int | None
    on_event: EventCallback | None
    address: str | None


@frozen_heap()  # heap.py: the run's garbage collections skip the objects made before it
def _execute(
    vw: ValidatedWorkflow,
    how: _How,
    *,
    store: Store,
    run_id: str,
    params: Mapping[str, Any],
    done: Mapping[int, tuple[Any, TaskResult]],
    cancel_event: threading.Event | None = None,
    reattach: Mapping[int, dict[str, Any]] | None = None,
) -> Run:
    executor, workers = how.executor, how.workers
    inline_workers = workers if workers is not None else vw.spec.policies.max_concurrency
    try:
        ex, owned = _executor(
            executor, inline_workers if executor == "threads" else workers, how.address
        )
    except Exception as err:
        _mark_failed(store, run_id, err)
        raise
    try:
        pol = vw.spec.policies
        timeouts = pol.timeout_s is not None or any(t.timeout_s for t in vw.spec.tasks)
        lanes = _lanes(ex, pol.max_concurrency, len(vw.ids) - len(done), timeouts=timeouts)
        warm = getattr(ex, "warm", None)  # worker processes: started before any timeout runs
        if timeouts and warm is not None:
            warm(lanes)
        plan = make_plan(vw, workers=lanes, store=store)
        runner = Runner(
            vw,
            plan,
            store=store,
            run_id=run_id,
            executor=ex,
            params=params,
            lanes=lanes,
            on_event=how.on_event,
            done=done,
            cancel_event=cancel_event,
            reattach=reattach,
        )
        return runner.execute()
    except Exception as err:
        _mark_failed(store, run_id, err)
        raise
    except KeyboardInterrupt:  # Ctrl-C before the runner watched for it (e.g. planning)
        _mark_failed(store, run_id, None)
        raise
    finally:
        if owned:
            ex.shutdown(cancel=True)


def _mark_failed(store: Store, run_id: str, err: Exception | None) -> None:
    """A run that could not start or finish properly must not stay 'pending'/'running'
    (``err`` None: Ctrl-C, the run is ``cancelled``)."""
    try:
        if store.get_run(run_id).status in ("pending", "running"):
            if err is None:
                store.set_run_status(run_id, "cancelled", error="interrupted (Ctrl-C)")
            else:
                store.set_run_status(run_id, "failed", error=f"{type(err).__name__}: {err}")
    except Exception:
        log.exception("could not record run %s as failed", run_id)


def _prepare(
    spec_or_path: SpecLike,
    params: Mapping[str, Any] | None,
    db: DbLike,
    workflow_id: str | None,
) -> tuple[ValidatedWorkflow, dict[str, Any], Any, str]:
    """Validate, check the budget, then create the run row: nothing is written for a spec
    that is invalid or over budget (SpecError / BudgetExceededError)."""
    spec = load_spec(spec_or_path)
    vw = validate(spec, params=params)
    merged = {**spec.params, **(params or {})}
    store = open_db(db)
    check_budget(vw, store, merged)
    run_id = store.create_run(spec=vw.spec, task_ids=vw.ids, workflow_id=workflow_id, params=merged)
    return vw, merged, store, run_id


def run(
    spec_or_path: SpecLike,
    *,
    db: DbLike = None,
    executor: str | Executor = "threads",
    params: Mapping[str, Any] | None = None,
    workers: int | None = None,
    on_event: EventCallback | None = None,
    workflow_id: str | None = None,
    address: str | None = None,
    _cancel_event: threading.Event | None = None,
    _on_created: Callable[[str], None] | None = None,
) -> Run:
    """Validate, plan and run a workflow to its end.

    Args:
        spec_or_path: a spec, a dict, a ``.yaml``/``.json``/``.qflow`` path, or YAML text.
        db: store URL, path or Store (None: ``QUANTUMFLOW_DB`` or the default file).
        executor: ``"threads"`` (default), ``"processes"``, ``"dask"``, or an Executor.
        params: run parameters; they override the spec's ``params``.
        workers: worker threads/processes (default: the run's ``max_concurrency`` for
            threads, the CPU count for processes).
        on_event: called in this process with every ``TaskEvent``.
        workflow_id: the stored workflow this run belongs to.
        address: the Dask scheduler address for ``executor="dask"``.

    Returns:
        The finished :class:`Run` (status ``succeeded``, ``failed`` or ``cancelled``).

    Raises:
        SpecError: the spec is invalid; nothing was written to the store.
        KeyboardInterrupt: Ctrl-C; the run was cancelled and recorded ``cancelled`` first.
    """
    with frozen_heap():
        vw, merged, store, run_id = _prepare(spec_or_path, params, db, workflow_id)
    if _on_created is not None:
        _on_created(run_id)
    how = _How(executor, workers, on_event, address)
    return _execute(
        vw, how, store=store, run_id=run_id, params=merged, done={}, cancel_event=_cancel_event
    )


def start(
    spec_or_path: SpecLike,
    *,
    db: DbLike = None,
    executor: str | Executor = "threads",
    params: Mapping[str, Any] | None = None,
    workers: int | None = None,
    on_event: EventCallback | None = None,
    workflow_id: str | None = None,
    address: str | None = None,
) -> RunHandle:
    """Like :func:`run`, in a background thread. The spec is validated (and the run row
    created) before this returns, so ``handle.run_id`` is known and bad specs raise here.
    """
    with frozen_heap():
        vw, merged, store, run_id = _prepare(spec_or_path, params, db, workflow_id)
    handle = RunHandle(run_id)
    how = _How(executor, workers, on_event, address)

    def body() -> None:
        try:
            result = _execute(
                vw,
                how,
                store=store,
                run_id=run_id,
                params=merged,
                done={},
                cancel_event=handle.cancel_event,
            )
        except BaseException as err:  # handed to wait()
            log.exception("run %s failed to execute", run_id)
            handle._finish(None, err)
        else:
            handle._finish(result, None)

    handle.thread = threading.Thread(target=body, name=f"qf-run-{run_id}", daemon=True)
    handle.thread.start()
    return handle


def _reusable(
    store: Store, record: RunRecord, vw: ValidatedWorkflow, keep: set[int] | None
) -> dict[int, tuple[Any, TaskResult]]:
    done: dict[int, tuple[Any, TaskResult]] = {}
    for task_id, tr in record.tasks.items():
        i = vw.index.get(task_id)
        if i is None or tr.status not in _REUSABLE or (keep is not None and i not in keep):
            continue
        if tr.output_ref is None:
            continue
        value = store.get_output(tr.output_ref)
        result = TaskResult(status=tr.status, attempts=0, cache_hit=tr.status == "cached")
        done[i] = (value, result)
    return done


def _refuse_if_alive(record: RunRecord) -> None:
    # Best effort: the store knows the host and pid that created the run. A pending run
    # of a live process is starting (its start is committed with its first events).
    if record.status not in ("pending", "running") or record.pid in (None, os.getpid()):
        return
    if not _alive(record):
        return
    raise QuantumFlowError(
        f"run {record.id} is still running in process {record.pid}; cancel it first "
        "(`quantumflow cancel`) or resume with force=True if that process is not QuantumFlow"
    )


def resume(
    run_id: str,
    *,
    db: DbLike = None,
    executor: str | Executor = "threads",
    workers: int | None = None,
    on_event: EventCallback | None = None,
    address: str | None = None,
    force: bool = False,
) -> Run:
    """Continue a run that was interrupted (killed process, Ctrl-C, failure).

    Tasks that succeeded are not executed again; their stored outputs feed the rest.

    Args:
        force: resume even if the process that created the run still seems alive.

    Raises:
        RunNotFoundError: no such run.
        QuantumFlowError: the run is still ``running`` in a live process on this host.
    """
    store = open_db(db)
    record = store.get_run(run_id)
    if not force:
        _refuse_if_alive(record)
    spec = WorkflowSpec.parse(record.spec)
    params = dict(record.params or {})
    vw = validate(spec, params=params)
    done = _reusable(store, record, vw, None)
    queue_rows = getattr(store, "queue_task_rows", None)
    if queue_rows is not None:  # a run killed before its task rows were committed has none
        queue_rows(run_id, vw.ids, task_groups(vw.spec.tasks, vw.ids))
    how = _How(executor, workers, on_event, address)
    reattach = _remote_jobs(store, run_id, vw, done)
    return _execute(
        vw, how, store=store, run_id=run_id, params=params, done=done, reattach=reattach
    )


def _remote_jobs(
    store: Any, run_id: str, vw: ValidatedWorkflow, done: Mapping[int, Any]
) -> dict[int, dict[str, Any]]:
    """Task index -> the cloud job an unfinished task was waiting on when the run stopped
    (``resume`` re-attaches to it instead of submitting it again)."""
    read = getattr(store, "remote_jobs", None)
    if read is None:
        return {}
    return {
        i: job
        for task_id, job in read(run_id).items()
        if (i := vw.index.get(task_id)) is not None and i not in done
    }


def rerun(
    run_id: str,
    *,
    from_task: str,
    db: DbLike = None,
    executor: str | Executor = "threads",
    params: Mapping[str, Any] | None = None,
    workers: int | None = None,
    on_event: EventCallback | None = None,
    address: str | None = None,
) -> Run:
    """A new run of the same workflow where ``from_task`` and everything downstream of it
    run again and the other tasks reuse the earlier run's outputs (recorded ``cached``).

    Raises:
        RunNotFoundError: no such run.
        SpecError: ``from_task`` is not a task of that run.
    """
    store = open_db(db)
    record = store.get_run(run_id)
    spec = WorkflowSpec.parse(record.spec)
    merged = {**dict(record.params or {}), **(params or {})}
    vw = validate(spec, params=merged)
    if from_task not in vw.index:
        raise SpecError(f"run {run_id} has no task '{from_task}'")
    again = vw.downstream_of(vw.index[from_task])
    keep = set(range(len(vw.ids))) - again
    done = _reusable(store, record, vw, keep)
    new_id = store.create_run(
        spec=spec, task_ids=vw.ids, workflow_id=record.workflow_id, params=merged
    )
    from ..store import TaskEvent

    events = [
        TaskEvent(
            run_id=new_id,
            task_id=vw.ids[i],
            status="cached",
            attempt=0,
            output_ref=record.tasks[vw.ids[i]].output_ref,
            cache_hit=True,
        )
        for i in sorted(done)
    ]
    for _, result in done.values():
        result.status, result.cache_hit = "cached", True
    store.record(events)
    if on_event is not None:
        for event in events:
            on_event(event)
    how = _How(executor, workers, on_event, address)
    return _execute(vw, how, store=store, run_id=new_id, params=merged, done=done)


def delete_run(run_id: str, *, db: DbLike = None) -> None:
    """Delete a finished (or abandoned) run with its task rows, events, metrics and the
    artifact files nothing else uses.

    Raises:
        RunNotFoundError: no such run.
        RunInProgressError: it is still running (in this process, or a live one on this
            host); cancel it first.
    """
    store = open_db(db)
    record = store.get_run(run_id)
    if record.status in ("pending", "running") and (record.pid == os.getpid() or _alive(record)):
        raise RunInProgressError(
            f"run {run_id} is still {record.status}; cancel it first (`quantumflow cancel "
            f"{run_id}`), then delete it"
        )
    if not store.delete_run(run_id):
        raise RunNotFoundError(run_id)


def delete_workflow(workflow_id: str, *, runs: bool = False, db: DbLike = None) -> None:
    """Delete a saved workflow; with ``runs``, its runs too (as :func:`delete_run`), else
    they stay in the history, detached.

    Raises:
        WorkflowNotFoundError: no such workflow.
        RunInProgressError: one of its runs is still running (nothing more is deleted).
    """
    store = open_db(db)
    store.get_workflow(workflow_id)
    if runs:
        for record in store.list_runs(workflow_id=workflow_id, limit=1_000_000):
            delete_run(record.id, db=store)
    if not store.delete_workflow(workflow_id):
        raise WorkflowNotFoundError(workflow_id)


def _alive(record: Any) -> bool:
    """Whether the process that created ``record`` seems to be alive (same host only)."""
    if record.pid is None or record.host != socket.gethostname()[:255]:
        return False
    try:
        os.kill(record.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def cancel(run_id: str, *, db: DbLike = None) -> None:
    """Ask a run to stop, from any process; its engine notices within ~0.2 s.

    Raises:
        RunNotFoundError: no such run.
    """
    store = open_db(db)
    store.get_run(run_id)  # raises RunNotFoundError for a wrong id
    store.request_cancel(run_id)


__all__ = [
    "QuantumFlowError",
    "cancel",
    "delete_run",
    "delete_workflow",
    "open_db",
    "rerun",
    "resume",
    "run",
    "start",
    "validate",
]
