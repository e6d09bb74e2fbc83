"""A run's task and attempt columns held as arrays, refreshed from the rows that changed.

The big-run dashboard asks a dozen questions of the same 10^5 rows (states per group,
duration bins, throughput per bucket, the slowest tasks ...). A ``GROUP BY`` per question
reads every row again after each state change of a live run: 50-70 ms each on SQLite at
10^5 tasks, even with covering indexes (``docs/benchmarks.md``). A frame reads the
rows once (:class:`TaskFrame` the task rows, :class:`AttemptFrame` the attempts, each when
a view first needs it); after that, each new version of the run re-reads only the tasks its
new ``events`` name, and the questions are answered over the arrays (``aggregates.py``,
``agg_time.py``) in about a millisecond.

Why that is exact: every write that changes a started run's ``task_runs`` or
``performance_metrics`` rows commits an ``events`` row in the same transaction, naming the
task (``events_sql.write_batch``), and ``events.id`` only grows (``agg_cache.py`` keys its
answers on the same fact). A change of the run's status (start, end) commits an event
without a task and changes the ``runs`` row only. A frame is read again whole when the run
was resumed (an ended run running again may have had any row rewritten), when a new event
without a task is not a status change, or when more than :data:`MAX_DELTA_SHARE` of the
tasks changed.

Frames are never changed in place: a refresh builds a new one (copying the arrays costs
~1 ms at 10^5 tasks), so a view computing over the old one is never torn. Which frames
are kept, and when one is refreshed or read again, is ``agg_cache.py``'s business.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy.engine import Connection

from ..status import TASK_STATUSES, TASK_TERMINAL

#: Past this share of a run's tasks changed since the last read, reading it whole is cheaper.
MAX_DELTA_SHARE = 0.25
#: Up to this many tasks changed, a frame is refreshed whatever its size.
MIN_DELTA = 1000

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
#: A run's version (``agg_cache.run_version``): status, start, end, last event id.
Version = tuple[Any, ...]

#: Status name -> its index in TASK_STATUSES.
STATUS_CODE = {s: i for i, s in enumerate(TASK_STATUSES)}
#: ``IS_TERMINAL[code]``: whether that status ends a task.
IS_TERMINAL = np.array([s in TASK_TERMINAL for s in TASK_STATUSES])

#: The status as its index in TASK_STATUSES, by the database: a small int is one shared
#: object in Python, a string a new one per row (the rows' read is most of a frame's cost).
_CODE = (
    "CASE status "
    + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(TASK_STATUSES))  # fixed names
    + " ELSE 0 END"
)
_TASKS = (
    f"SELECT position, {_CODE}, attempts, grp, started_at, finished_at, value, task_id"  # noqa: S608
    " FROM task_runs WHERE run_id = ?"
)
_GROUPS = "SELECT DISTINCT grp FROM task_runs WHERE run_id = ?"
#: Up to this many groups, the database gives each row its group's index (an int is one
#: shared object in Python, a string a new one per row); past it, Python does.
MAX_CODED_GROUPS = 500
#: A metrics row keeps its ``id`` when a repeated attempt replaces it (an upsert), and new
#: rows get higher ones: the frame finds a row again by it.
_ATTEMPTS = (
    "SELECT id, worker, queued_at, started_at, finished_at, cost_usd"
    " FROM performance_metrics WHERE run_id = ?"
)


@dataclass(frozen=True)
class TaskFrame:
    """One version of a run's task rows, in position order (see the module docstring)."""

    version: Version | None
    ids: list[str]
    position: Ints
    status: Ints  # index into TASK_STATUSES
    attempts: Ints
    group: Ints  # index into ``groups``
    groups: list[str | None]
    started: Floats
    finished: Floats
    value: Floats

    @property
    def size(self) -> int:
        return len(self.ids)

    def terminal(self) -> npt.NDArray[np.bool_]:
        """Which tasks have ended."""
        ended: npt.NDArray[np.bool_] = IS_TERMINAL[self.status]
        return ended

    def timed(self) -> npt.NDArray[np.bool_]:
        """Which tasks have ended with a start and an end time (those with a duration)."""
        timed: npt.NDArray[np.bool_] = (
            self.terminal() & ~np.isnan(self.started) & ~np.isnan(self.finished)
        )
        return timed


@dataclass(frozen=True)
class AttemptFrame:
    """One version of a run's ``performance_metrics`` rows, in ``id`` order."""

    version: Version | None
    id: Ints
    lane: Ints  # index into ``lanes`` (the worker; "" when none)
    lanes: list[str]
    queued: Floats
    started: Floats
    finished: Floats
    cost: Floats

    @property
    def size(self) -> int:
        return len(self.id)


# ------------------------------------------------------------------------- reading rows
def _rows(conn: Connection, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Rows through the driver's own cursor (SQLAlchemy's row objects cost ~2 us each)."""
    raw: Any = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        mark, cursor = "?", raw.cursor()
    else:  # psycopg: numbers come as bytes, not text to parse (a third less time at 10^5)
        mark, cursor = "%s", raw.cursor(binary=True)
    try:
        cursor.execute(sql.replace("?", mark), tuple(params))
        return list(cursor.fetchall())
    finally:
        cursor.close()


#: The rows of the tasks the run's events ``after < id <= upto`` name: a semi-join the
#: database runs from the events index (PostgreSQL planned a list of 200 task ids as a scan
#: of the run's rows: 17 ms instead of 2).
_CHANGED = " AND task_id IN (SELECT task_id FROM events WHERE run_id = ? AND id > ? AND id <= ?)"


def _changed_rows(conn: Connection, sql: str, run_id: str, events: tuple[int, int]) -> list[Any]:
    """The rows of ``sql`` (a run's rows) of the tasks named by ``events`` (after, upto)."""
    return _rows(conn, sql + _CHANGED, (run_id, run_id, *events))


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[npt.NDArray[np.object_]]:
    """``rows`` as columns (numpy builds the table in C: 3x faster than ``zip(*rows)``)."""
    table = np.array(rows, dtype=object).reshape(len(rows), width)
    return [table[:, k] for k in range(width)]


def _floats(values: Any) -> Floats:
    """A float column, NULL as NaN."""
    return np.array(values, dtype=np.float64)


def _ints(values: Any) -> Ints:
    """An integer column (no NULLs)."""
    return np.array(values, dtype=np.int64)


def _codes(names: Any, known: list[Any]) -> Ints:
    """Each name's index in ``known``, the names not yet in it added at its end."""
    index = {name: i for i, name in enumerate(known)}
    for name in dict.fromkeys(names):  # the distinct names, in C
        if name not in index:
            index[name] = len(known)
            known.append(name)
    return np.fromiter(map(index.__getitem__, names), dtype=np.int64, count=len(names))


# ------------------------------------------------------------------------- tasks
def load_tasks(conn: Connection, run_id: str, version: Version | None) -> TaskFrame:
    """The run's task rows, read whole."""
    groups: list[Any] = [g for (g,) in _rows(conn, _GROUPS, (run_id,))]
    group: Ints | None = None
    if len(groups) <= MAX_CODED_GROUPS:  # the database gives each row its group's index
        named = [g for g in groups if g is not None]
        known = " ".join(
            f"WHEN grp IS NULL THEN {i}" if g is None else f"WHEN grp = ? THEN {i}"
            for i, g in enumerate(groups)
        )
        sql = _TASKS.replace(" grp,", f" CASE {known} ELSE -1 END," if groups else " -1,")
        columns = _columns(_rows(conn, sql, (*named, run_id)), 8)
        group = _ints(columns[3])
        if len(group) and group.min() < 0:  # a group committed since it was read (PostgreSQL)
            group = None
    if group is None:
        columns = _columns(_rows(conn, _TASKS, (run_id,)), 8)
        groups = []
        group = _codes(columns[3], groups)
    position, status, attempts, _, started, finished, value, ids = columns
    # the rows come in task id order (the primary key's); numpy sorts them faster than SQL
    order = np.argsort(np.array(position, dtype=np.int64), kind="stable")
    return TaskFrame(
        version=version,
        ids=ids[order].tolist(),
        position=np.array(position, dtype=np.int64)[order],
        status=_ints(status)[order],
        attempts=_ints(attempts)[order],
        group=group[order],
        groups=groups,
        started=_floats(started)[order],
        finished=_floats(finished)[order],
        value=_floats(value)[order],
    )


def refresh_tasks(
    frame: TaskFrame, conn: Connection, run_id: str, events: tuple[int, int], version: Version
) -> TaskFrame | None:
    """``frame`` with the rows of the tasks ``events`` (after, upto) name read again, at
    ``version``; None when one of them is not in it (a row it never saw: read it whole)."""
    position, status, attempts, grp, started, finished, value, _ = _columns(
        _changed_rows(conn, _TASKS, run_id, events), 8
    )
    fresh = np.array(position, dtype=np.int64)
    at = np.searchsorted(frame.position, fresh)
    if len(at) and (at.max() >= frame.size or (frame.position[at] != fresh).any()):
        return None
    groups = list(frame.groups)
    columns: dict[str, Any] = {}
    for name, new in (
        ("status", _ints(status)),
        ("attempts", _ints(attempts)),
        ("group", _codes(grp, groups)),
        ("started", _floats(started)),
        ("finished", _floats(finished)),
        ("value", _floats(value)),
    ):
        column = getattr(frame, name).copy()
        column[at] = new
        columns[name] = column
    return replace(frame, version=version, groups=groups, **columns)


# ------------------------------------------------------------------------- attempts
def load_attempts(conn: Connection, run_id: str, version: Version | None) -> AttemptFrame:
    """The run's attempts, read whole."""
    none, nan = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
    empty = AttemptFrame(version, none, none, [], nan, nan, nan, nan)
    return _put(empty, _rows(conn, _ATTEMPTS, (run_id,)), version) or empty


def refresh_attempts(
    frame: AttemptFrame, conn: Connection, run_id: str, events: tuple[int, int], version: Version
) -> AttemptFrame | None:
    """``frame`` with the attempts of the tasks ``events`` (after, upto) name read again,
    at ``version``; None when one of them is not where it should be (read it whole)."""
    return _put(frame, _changed_rows(conn, _ATTEMPTS, run_id, events), version)


def _put(
    frame: AttemptFrame, rows: list[tuple[Any, ...]], version: Version | None
) -> AttemptFrame | None:
    """``frame`` with ``rows`` (of :data:`_ATTEMPTS`) replacing the rows of their ids, and
    those with ids past its last appended; None when an id is neither (a row it missed)."""
    ident, worker, queued, started, finished, cost = _columns(rows, 6)
    ids = np.array(ident, dtype=np.int64)
    last = int(frame.id[-1]) if frame.size else -1
    old = ids <= last
    at = np.searchsorted(frame.id, ids[old])
    if len(at) and (frame.id[at] != ids[old]).any():
        return None
    new = np.flatnonzero(~old)
    new = new[np.argsort(ids[new], kind="stable")]
    # where each row goes: its old slot, or its place past the end (new ones by id)
    slot = np.empty(len(ids), dtype=np.int64)
    slot[old] = at
    slot[new] = frame.size + np.arange(len(new))
    size = frame.size + len(new)
    lanes = list(frame.lanes)
    values = {
        "id": ids,
        "lane": _codes([w or "" for w in worker], lanes),
        "queued": _floats(queued),
        "started": _floats(started),
        "finished": _floats(finished),
        "cost": _floats(cost),
    }
    columns: dict[str, Any] = {}
    for name, fresh in values.items():
        before = getattr(frame, name)
        column = np.empty(size, dtype=before.dtype)
        column[: frame.size] = before
        column[slot] = fresh
        columns[name] = column
    return replace(frame, version=version, lanes=lanes, **columns)


# ------------------------------------------------------------------------- what changed
def changed_tasks(conn: Connection, run_id: str, after: int, upto: int) -> int | None:
    """How many tasks the run's events ``after`` < id <= ``upto`` name; None when one of
    them is about the run as a whole and not a change of its status (which changes the
    ``runs`` row only, and the caller's version with it)."""
    rows = _rows(
        conn,
        "SELECT COUNT(DISTINCT task_id), COUNT(*) - COUNT(task_id) FROM events"
        " WHERE run_id = ? AND id > ? AND id <= ? AND (task_id IS NOT NULL OR kind <> 'run')",
        (run_id, after, upto),
    )
    tasks, whole = rows[0]
    return None if whole else int(tasks)
