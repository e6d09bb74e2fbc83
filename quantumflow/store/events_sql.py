"""SQL for one group commit of task events: ``task_runs`` updates, ``events`` rows and
``performance_metrics`` rows, each as one executemany on a :class:`~.dbapi.Tx`.

This is the hot path (one row per task state change): rows are built as tuples in the
statements' parameter order, and a metrics row binds only the columns it has (a classical
attempt fills 11 of 26; binding the other 15 as NULL costs SQLite twice the time of the
whole row). JSON columns get JSON text, made here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..status import TASK_MEASURED, TASK_TERMINAL
from .dbapi import Tx, dumps
from .records import TaskEvent
from .run_sql import RunOp, apply_op
from .scrub import is_secret_key, scrub

#: Statuses that end one attempt and so get a ``performance_metrics`` row.
#: Metric keys with their own ``performance_metrics`` column (besides the fixed ones below).
METRIC_COLUMNS = (
    "cpu_s",
    "peak_mem_bytes",
    "worker",
    "backend",
    "qubits",
    "depth",
    "gates_before",
    "gates_after",
    "shots",
    "sweep_size",
    "transpile_s",
    "queue_s",
    "execute_s",
    "job_id",
    "cost_usd",
)
_METRIC_SET = frozenset(METRIC_COLUMNS) | {"wall_s"}
#: Every metrics row has these, in this order.
_FIXED = (
    "run_id",
    "task_id",
    "attempt",
    "status",
    "queued_at",
    "started_at",
    "finished_at",
    "wall_s",
    "retries",
    "cache_hit",
)
_COLUMN_SET = frozenset(METRIC_COLUMNS)
_KNOWN = frozenset(_FIXED + METRIC_COLUMNS + ("extra",))
_JSON_METRICS = frozenset({"gates_before", "gates_after"})
#: Metric keys already seen not to name a secret (the engine sends the same few each time).
_safe_keys: set[str] = set(_METRIC_SET | {"started_at", "queued_at", "fn"})


def _safe_key(key: Any) -> bool:
    """True when ``key`` is a string that does not name a secret (remembered when so)."""
    if not isinstance(key, str) or is_secret_key(key):
        return False
    if len(_safe_keys) < 10_000:
        _safe_keys.add(key)
    return True


_UPDATE_TASK = (
    "UPDATE task_runs SET status = ?, attempts = ?, error = ?,"
    " output_ref = COALESCE(?, output_ref), cache_hit = ?,"
    " queued_at = COALESCE(?, queued_at), started_at = COALESCE(?, started_at),"
    " finished_at = ?, value = COALESCE(?, value) WHERE run_id = ? AND task_id = ?"
)
_INSERT_EVENT = "INSERT INTO events (run_id, task_id, kind, data, at) VALUES (?, ?, ?, ?, ?)"

Timing = dict[tuple[str, str, int], list[float | None]]
_metric_sql: dict[tuple[str, ...], str] = {}


def metrics_insert(columns: tuple[str, ...]) -> str:
    """The upsert of a metrics row with ``columns`` (:data:`_FIXED`, then some of
    :data:`METRIC_COLUMNS`, then maybe ``extra``): a repeated attempt replaces the row,
    its other columns become NULL. Column names come from this module, never from input."""
    sql = _metric_sql.get(columns)
    if sql is None:
        given = set(columns)
        every = (*_FIXED[3:], *METRIC_COLUMNS, "extra")
        sets = ", ".join(f"{c} = excluded.{c}" if c in given else f"{c} = NULL" for c in every)
        if not given <= _KNOWN:
            raise ValueError(f"not performance_metrics columns: {sorted(given - _KNOWN)}")
        # identifiers checked against this module's names above; every value is bound
        sql = (
            f"INSERT INTO performance_metrics ({', '.join(columns)})"  # noqa: S608
            f" VALUES ({', '.join('?' * len(columns))})"
            f" ON CONFLICT (run_id, task_id, attempt) DO UPDATE SET {sets}"
        )
        _metric_sql[columns] = sql
    return sql


#: A task event as the writer handles it: ``(run_id, task_id, status, attempt, at, error,
#: output_ref, cache_hit, metrics)``, the fields of :class:`TaskEvent` in order.
EventRow = tuple[str, str, str, int, float, "str | None", "str | None", bool, Any]
EVENT_FIELDS = 9


def event_row(ev: TaskEvent) -> EventRow:
    """``ev`` (a named tuple of these fields) as a plain tuple: what the writer process's
    pipe carries (``marshal`` refuses tuple subclasses)."""
    return (*ev,)


def write_batch(tx: Tx, batch: Sequence[EventRow | RunOp], timing: Timing) -> None:
    """Write ``batch`` (see :func:`event_row`) in the caller's transaction.

    A :data:`~.run_sql.RunOp` among the events (a run's task rows, start or finish) is
    applied where it stands: the events before it are written first, so the ``events``
    log keeps the order in which things happened (a run's end after its tasks' events).

    Every event gets its ``events`` row; ``task_runs`` gets one update per task per batch
    (the batch's events for a task folded in order: the same row as one update per event,
    at half the cost when ``running`` and ``succeeded`` land in one commit).
    ``timing`` remembers queued/started times per attempt across batches so the metrics
    row written when the attempt ends carries them; finished attempts are removed from it.
    """
    updates: dict[tuple[str, str], list[Any]] = {}
    rows: list[tuple[Any, ...]] = []
    metrics: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for ev in batch:
        if len(ev) != EVENT_FIELDS:  # rare (three per run): write what came before it
            _write(tx, updates, rows, metrics)
            updates, rows, metrics = {}, [], {}
            apply_op(tx, ev)
            continue
        run_id, task_id, status, attempt, at, error, ref, hit, measured = ev
        key = (run_id, task_id, attempt)
        if status == "queued":
            timing[key] = [at, None]
        elif status == "running":
            timing.setdefault(key, [None, None])[1] = at
        terminal = status in TASK_TERMINAL
        # the output's objective (engine.metrics.objective_of) rides in its metrics
        value = measured.get("value") if measured and terminal else None
        row = updates.get((run_id, task_id))
        if row is None:  # in _UPDATE_TASK's parameter order
            updates[(run_id, task_id)] = [
                status,
                attempt,
                error,
                ref,
                hit,
                at if status == "queued" else None,
                at if status == "running" else None,
                at if terminal else None,
                value,
                run_id,
                task_id,
            ]
        else:  # fold: the later event wins; coalesced columns keep the last non-null
            row[0], row[1], row[2], row[4] = status, attempt, error, hit
            row[7] = at if terminal else None
            if ref is not None:
                row[3] = ref
            if value is not None:
                row[8] = value
            if status == "queued":
                row[5] = at
            elif status == "running":
                row[6] = at
        rows.append((run_id, task_id, "task", _event_data(status, attempt, error, ref, hit), at))
        if status in TASK_MEASURED:
            queued_at, started_at = timing.pop(key, (None, None))
            if started_at is not None or measured or status == "cached":
                columns, values = _metric_row(ev, queued_at, started_at)
                metrics.setdefault(columns, []).append(values)
    _write(tx, updates, rows, metrics)


def _write(
    tx: Tx,
    updates: dict[tuple[str, str], list[Any]],
    rows: list[tuple[Any, ...]],
    metrics: dict[tuple[str, ...], list[tuple[Any, ...]]],
) -> None:
    tx.many(_UPDATE_TASK, list(updates.values()))
    tx.insert(_INSERT_EVENT, rows)
    for shape, shaped_rows in metrics.items():
        tx.insert(metrics_insert(shape), shaped_rows)


#: Event payloads hold only str/int/bool: the plain encoder, built once, is enough.
_encode_event = json.JSONEncoder(separators=(",", ":")).encode
_quote = json.encoder.encode_basestring_ascii


def _event_data(status: str, attempt: int, error: str | None, ref: str | None, hit: bool) -> str:
    """The ``events.data`` JSON text (what ``_encode_event`` makes, without its overhead)."""
    if error is not None:
        data: dict[str, Any] = {"status": status, "attempt": attempt, "error": error}
        if ref is not None and len(ref) < 200:
            data["output_ref"] = ref
        if hit:
            data["cache_hit"] = True
        return _encode_event(data)
    text = f'{{"status":{_quote(status)},"attempt":{int(attempt)}'
    if ref is not None and len(ref) < 200:
        text += f',"output_ref":{_quote(ref)}'
    return text + (',"cache_hit":true}' if hit else "}")


_TIMES = frozenset({"queued_at", "started_at", "wall_s"})
#: Metric values stored (and sent to the writer process) as they are.
PLAIN_SCALARS = frozenset({int, float, str, bool, type(None)})


def _column_value(column: str, value: Any) -> Any:
    """What a metrics column stores: JSON text for the JSON columns, the plain number of a
    numpy scalar (``item()``), the text of anything else that is not a plain value."""
    if column in _JSON_METRICS:
        return None if value is None else dumps(value)
    if type(value) in PLAIN_SCALARS:
        return value
    item = getattr(value, "item", None)
    return item() if callable(item) else str(value)


def _metric_row(
    ev: EventRow, queued_at: float | None, started_at: float | None, *, scrubbed: bool = False
) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """The columns a metrics row has and their values, in that order."""
    run_id, task_id, status, attempt, at, _error, _ref, hit, raw = ev
    wall = None
    columns: tuple[str, ...] = _FIXED
    extra_values: list[Any] = []
    extra: dict[str, Any] | None = None
    # One pass sorts keys into times, own columns and ``extra``. The first nested value or
    # key not known to be safe sends a scrubbed copy (no secret-named keys at any depth)
    # through this loop instead.
    given: dict[str, Any] = raw or {}
    for k, value in given.items():
        if k == "value":  # the output's objective: task_runs.value holds it
            continue
        if k in _TIMES:
            if k == "wall_s":
                wall = value
            elif k == "started_at":
                started_at = value
            else:
                queued_at = value
        elif not scrubbed and (
            isinstance(value, dict | list) or (k not in _safe_keys and not _safe_key(k))
        ):
            clean: EventRow = (*ev[:8], scrub(dict(given)))
            return _metric_row(clean, queued_at, started_at, scrubbed=True)
        elif k in _COLUMN_SET:
            columns += (k,)
            extra_values.append(_column_value(k, value))
        elif extra is None:
            extra = {k: value}
        else:
            extra[k] = value
    if wall is None and started_at is not None:
        wall = at - started_at
    values = [
        run_id,
        task_id,
        attempt,
        status,
        queued_at,
        started_at,
        at,
        wall,
        max(0, attempt - 1),
        hit or status == "cached",
        *extra_values,
    ]
    if extra is not None:  # keys without a column
        columns += ("extra",)
        values.append(_extra_json(extra))
    return columns, tuple(values)


def _extra_json(extra: dict[str, Any]) -> str:
    """The ``extra`` column's JSON text."""
    fn = extra.get("fn")
    if len(extra) == 1 and isinstance(fn, str):  # a classical attempt: {"fn": ...}
        return f'{{"fn":{_quote(fn)}}}'
    return dumps(extra)
