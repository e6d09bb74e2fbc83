"""The SQL behind the big-run dashboard: counts, histograms and pages, never all rows.

Each function answers one chart of one run from ``task_runs`` (one row per task, with its
group in ``grp``) and ``performance_metrics`` (one row per attempt), aggregated by the
database, so a 100,000-task run costs the API a few hundred result rows at most; the time
series (throughput, cost, lanes) are in ``agg_time.py``. The same SQL runs on SQLite and
PostgreSQL: the two differ only in how a float becomes a bucket number
(:func:`~.agg_time.floor_sql`). Tables of tasks (slowest, failures) come a page at a time.
Answers are kept while the run cannot have changed (``agg_cache.py``).
``tests/store/test_aggregates.py`` holds each function against a plain-Python reference
on random runs, on both databases.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..status import TASK_STATUSES, TASK_TERMINAL
from .agg_cache import cached_read, runs_header
from .agg_time import floor_sql
from .db import read_tx

#: Duration histogram bin edges (seconds): four per decade, 100 us .. ~1 day.
DURATION_EDGES: tuple[float, ...] = tuple(10 ** (k / 4) for k in range(-16, 21))
_TERMINAL = tuple(sorted(TASK_TERMINAL))
_IN_TERMINAL = ", ".join(f"'{s}'" for s in _TERMINAL)  # fixed names, not input


# ------------------------------------------------------------------------- states and groups
def progress(
    engine: Engine, run_id: str, *, limit: int = 50, offset: int = 0, now: float
) -> dict[str, Any]:
    """Tasks per status, overall and per group (groups by name, a page of ``limit``), with
    ETAs: remaining tasks at the rate tasks have finished since the run started (a group's
    at its own rate).

    One read of the ``(run_id, grp, status)`` index, no table rows: returns ``states``
    (every status, zeros included), ``total``, ``done``, ``started_at``, ``elapsed_s``,
    ``eta_s``, ``groups`` (``group``, ``total``, ``done``, ``states``, ``eta_s``) and
    ``total_groups``.
    """
    with cached_read(engine, run_id) as q:
        run = q.first(
            f"SELECT started_at, finished_at FROM {runs_header(q.conn)} WHERE id = :r",  # noqa: S608
            {"r": run_id},
        )
        rows = q.all(
            "SELECT grp, status, COUNT(*) FROM task_runs WHERE run_id = :r GROUP BY grp, status",
            {"r": run_id},
        )
    started, finished = (run[0], run[1]) if run is not None else (None, None)
    end = finished if finished is not None else now
    states = dict.fromkeys(TASK_STATUSES, 0)
    groups: dict[str, dict[str, Any]] = {}
    for grp, status, count in rows:
        name = "" if grp is None else str(grp)
        g = groups.setdefault(name, {"group": name, "total": 0, "done": 0, "states": {}})
        n = int(count)
        g["total"] += n
        g["states"][status] = n
        states[status] = states.get(status, 0) + n
        if status in TASK_TERMINAL:
            g["done"] += n
    elapsed = max(0.0, end - started) if started is not None else 0.0
    page = [groups[k] for k in sorted(groups)[offset : offset + limit]]
    for g in page:
        g["eta_s"] = _eta(g["total"] - g["done"], g["done"], elapsed)
    total = sum(states.values())
    done = sum(states[s] for s in TASK_TERMINAL if s in states)
    return {
        "states": states,
        "total": total,
        "done": done,
        "started_at": started,
        "finished_at": finished,
        "elapsed_s": elapsed,
        "eta_s": _eta(total - done, done, elapsed),
        "groups": page,
        "total_groups": len(groups),
    }


def run_brief(engine: Engine, run_id: str) -> dict[str, Any] | None:
    """``name``, ``status``, ``error``, ``started_at`` and ``finished_at`` of a run, or None
    when there is none: the views' header, without reading the stored spec (megabytes at
    10^5 tasks, most of a view endpoint's time when parsed)."""
    with read_tx(engine) as conn:
        row = conn.execute(
            sa.text(
                "SELECT name, status, error, started_at, finished_at"  # noqa: S608 - fixed text
                f" FROM {runs_header(conn)} WHERE id = :r"
            ),
            {"r": run_id},
        ).first()
    if row is None:
        return None
    return dict(zip(("name", "status", "error", "started_at", "finished_at"), row, strict=True))


def run_budget(engine: Engine, run_id: str) -> float | None:
    """The run's ``policies.budget.usd`` (kept in ``runs.budget_usd`` when it was created)."""
    with read_tx(engine) as conn:
        value = conn.execute(
            sa.text(f"SELECT budget_usd FROM {runs_header(conn)} WHERE id = :r"),  # noqa: S608
            {"r": run_id},
        ).scalar()
    return float(value) if value is not None else None


def _eta(left: int, done: int, elapsed: float) -> float | None:
    """Seconds until ``left`` more tasks finish at the rate ``done`` finished in ``elapsed``."""
    if left <= 0:
        return 0.0
    if not done or elapsed <= 0:
        return None
    return left * elapsed / done


_CODE = {s: str(i) for i, s in enumerate(TASK_STATUSES)}


def states_vector(engine: Engine, run_id: str) -> tuple[str, int]:
    """One character per task, in spec order: the digit of its status's index in
    :data:`~quantumflow.status.TASK_STATUSES` (``"0"`` pending ... ``"8"`` cached), and the
    id of the last event those states include (read in one transaction: a view that
    follows the events after it misses nothing and repeats nothing).

    Not an aggregate: it is what lets a view colour every task once, after which it follows
    the event stream. The database writes the string (one pass in position order), so no
    row comes to Python.
    """
    with cached_read(engine, run_id) as q:
        if q.version is not None:  # its last event is the version's
            return q.memo("states", lambda: _states(q.conn, run_id)), int(q.version[3] or 0)
        last = q.conn.execute(
            sa.text("SELECT MAX(id) FROM events WHERE run_id = :r"), {"r": run_id}
        ).scalar()
        return _states(q.conn, run_id), int(last or 0)


_CODE_SQL = (
    "CASE status "
    + " ".join(f"WHEN '{s}' THEN '{i}'" for i, s in enumerate(TASK_STATUSES))  # fixed names
    + " ELSE '0' END"
)


def _states(conn: Connection, run_id: str) -> str:
    """The states string, concatenated by the database in position order; by rows in
    Python when the positions are not 0 .. n-1 (never so as ``create_run`` writes them)."""
    if conn.dialect.name == "sqlite":
        # SQLite's group_concat appends in the order its (ordered) subquery yields rows
        sql = (
            "SELECT group_concat(c, ''), COUNT(*), MIN(position), MAX(position)"  # noqa: S608
            f" FROM (SELECT {_CODE_SQL} AS c, position FROM task_runs WHERE run_id = :r"
            " ORDER BY position)"
        )
    else:
        sql = (
            f"SELECT string_agg({_CODE_SQL}, '' ORDER BY position), COUNT(*),"  # noqa: S608
            " MIN(position), MAX(position) FROM task_runs WHERE run_id = :r"
        )
    codes, n, lo, hi = conn.execute(sa.text(sql), {"r": run_id}).one()
    if not n:
        return ""
    if lo == 0 and hi == n - 1 and isinstance(codes, str) and len(codes) == n:
        return codes
    return _states_by_row(conn, run_id)


def _states_by_row(conn: Connection, run_id: str) -> str:
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    # the driver's own cursor: SQLAlchemy's row objects cost ~2 us each, 5x the query
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(
            f"SELECT position, status FROM task_runs WHERE run_id = {mark}",  # noqa: S608
            (run_id,),
        )
        rows = cursor.fetchall()
    finally:
        cursor.close()
    out = ["0"] * len(rows)
    code = _CODE
    for position, status in rows:
        if 0 <= position < len(out):
            out[position] = code.get(status, "0")
    return "".join(out)


# ------------------------------------------------------------------------- durations
def duration_histogram(engine: Engine, run_id: str) -> dict[str, Any]:
    """Finished tasks' run times in log-spaced bins (:data:`DURATION_EDGES`).

    Returns ``edges`` (seconds; bin ``i`` is ``[edges[i], edges[i+1])``, the first bin also
    takes anything shorter, the last anything longer) and ``counts`` per bin, trimmed to
    the bins from the first to the last non-empty one.
    """
    d = "(finished_at - started_at)"
    last = len(DURATION_EDGES) - 2
    with cached_read(engine, run_id) as q:
        if _has_log10(q.conn):  # the bin by arithmetic: ~25 % faster than the CASE below
            lo = -16  # DURATION_EDGES[0] is 10 ** (-16 / 4)
            safe = f"CASE WHEN {d} > 1e-9 THEN {d} ELSE 1e-9 END"
            b = f"CAST(FLOOR(4 * LOG10({safe})) AS INTEGER) - ({lo})"
        else:
            whens = " ".join(f"WHEN {d} < {e!r} THEN {i}" for i, e in enumerate(DURATION_EDGES[1:]))
            b = f"CASE {whens} ELSE {last} END"
        rows = q.all(
            f"SELECT {b} AS b, COUNT(*) FROM task_runs"  # noqa: S608 - constants only
            f" WHERE run_id = :r AND started_at IS NOT NULL AND finished_at IS NOT NULL"
            f" AND status IN ({_IN_TERMINAL}) GROUP BY b",
            {"r": run_id},
        )
    counts = [0] * (len(DURATION_EDGES) - 1)
    for bin_, count in rows:
        counts[min(max(int(bin_), 0), last)] += int(count)
    nonzero = [i for i, c in enumerate(counts) if c]
    if not nonzero:
        return {"edges": [], "counts": []}
    lo_i, hi_i = nonzero[0], nonzero[-1]
    return {"edges": list(DURATION_EDGES[lo_i : hi_i + 2]), "counts": counts[lo_i : hi_i + 1]}


def duration_bins(durations: Sequence[float]) -> dict[str, Any]:
    """:func:`duration_histogram` of plain durations (seconds), in Python: the same bins and
    trimming, for views that fold events themselves (the RunWidget) and as the reference
    the SQL is tested against."""
    last = len(DURATION_EDGES) - 2
    counts = [0] * (len(DURATION_EDGES) - 1)
    for d in durations:
        counts[min(max(bisect.bisect_right(DURATION_EDGES, d) - 1, 0), last)] += 1
    nonzero = [i for i, c in enumerate(counts) if c]
    if not nonzero:
        return {"edges": [], "counts": []}
    lo_i, hi_i = nonzero[0], nonzero[-1]
    return {"edges": list(DURATION_EDGES[lo_i : hi_i + 2]), "counts": counts[lo_i : hi_i + 1]}


_log10: dict[str, bool] = {}


def _has_log10(conn: Connection) -> bool:
    """PostgreSQL has LOG10 and FLOOR; SQLite only when built with its math functions
    (asked once per database URL)."""
    if conn.dialect.name != "sqlite":
        return True
    key = str(conn.engine.url)
    found = _log10.get(key)
    if found is None:
        try:
            conn.execute(sa.text("SELECT FLOOR(LOG10(10.0))")).scalar()
            found = True
        except sa.exc.OperationalError:
            found = False
        _log10[key] = found
    return found


# ------------------------------------------------------------------------- task tables
def _task_page(
    engine: Engine, run_id: str, *, where: str, columns: str, order: str, limit: int, offset: int
) -> tuple[int, list[Sequence[Any]]]:
    """How many of the run's task rows match ``where``, and one page of ``columns`` of them
    in ``order`` (fixed SQL text from this module, never input)."""
    with cached_read(engine, run_id) as q:
        total = q.scalar(
            f"SELECT COUNT(*) FROM task_runs WHERE run_id = :r AND {where}",  # noqa: S608
            {"r": run_id},
        )
        rows = q.all(
            f"SELECT {columns} FROM task_runs WHERE run_id = :r AND {where}"  # noqa: S608
            f" ORDER BY {order} LIMIT :l OFFSET :o",
            {"r": run_id, "l": limit, "o": offset},
        )
    return int(total), list(rows)


def slowest(engine: Engine, run_id: str, *, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Finished tasks by run time, longest first (a page), and how many there are."""
    total, rows = _task_page(
        engine,
        run_id,
        where=f"started_at IS NOT NULL AND finished_at IS NOT NULL AND status IN ({_IN_TERMINAL})",
        columns="task_id, grp, status, attempts, started_at, finished_at,"
        " finished_at - started_at AS d",
        order="d DESC, position",
        limit=limit,
        offset=offset,
    )
    items = [
        {
            "task_id": r[0],
            "group": r[1],
            "status": r[2],
            "attempts": int(r[3] or 0),
            "started_at": r[4],
            "finished_at": r[5],
            "duration": r[6],
        }
        for r in rows
    ]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def failures(engine: Engine, run_id: str, *, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Failed tasks in spec order (a page), with their errors, and how many there are."""
    total, rows = _task_page(
        engine,
        run_id,
        where="status = 'failed'",
        columns="task_id, grp, attempts, error, finished_at",
        order="position",
        limit=limit,
        offset=offset,
    )
    items = [
        {
            "task_id": r[0],
            "group": r[1],
            "attempts": int(r[2] or 0),
            "error": r[3],
            "finished_at": r[4],
        }
        for r in rows
    ]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


# ------------------------------------------------------------------------- sweep objective
def objective(
    engine: Engine, run_id: str, *, group: str | None = None, bins: int = 400
) -> dict[str, Any]:
    """The objective (``task_runs.value``) over one group's tasks in spec order.

    ``group`` defaults to the group with the most values. A group of at most ``bins``
    tasks comes task by task; a bigger one in ``bins`` bins of consecutive tasks, each with
    its count, min, mean and max. Returns ``group``, ``groups`` (name -> tasks with a
    value) and ``points``: ``[first position, count, min, mean, max, task id or null]``.
    """
    where = "run_id = :r AND value IS NOT NULL"
    with cached_read(engine, run_id) as q:
        counts = q.all(
            "SELECT grp, COUNT(*), MIN(position), MAX(position) FROM task_runs"  # noqa: S608
            f" WHERE {where} GROUP BY grp",
            {"r": run_id},
        )
        if not counts:
            return {"group": None, "groups": {}, "points": []}
        by_group = {str(g): (int(c), int(lo), int(hi)) for g, c, lo, hi in counts}
        chosen = group if group in by_group else max(by_group, key=lambda g: by_group[g][0])
        _, lo, hi = by_group[chosen]
        per = max(1, math.ceil((hi - lo + 1) / bins))
        b = floor_sql(q.conn, "(position - :lo) / :per")
        rows = q.all(
            f"SELECT {b} AS b, MIN(position), COUNT(*), MIN(value), AVG(value),"  # noqa: S608
            f" MAX(value), MIN(task_id) FROM task_runs WHERE {where} AND grp = :g"
            " GROUP BY b ORDER BY b",
            {"r": run_id, "g": chosen, "lo": lo, "per": float(per)},
        )
    points = [
        [int(r[1]), int(r[2]), float(r[3]), float(r[4]), float(r[5]), r[6] if r[2] == 1 else None]
        for r in rows
    ]
    return {"group": chosen, "groups": {g: v[0] for g, v in by_group.items()}, "points": points}


# ------------------------------------------------------------------------- for the results view
def recent_outputs(
    engine: Engine, run_id: str, *, limit: int = 40, task_ids: Sequence[str] | None = None
) -> list[tuple[str, str]]:
    """``(task id, output ref)`` of the last ``limit`` tasks that finished with an output,
    oldest first (or of ``task_ids``, those that have one)."""
    with read_tx(engine) as conn:
        if task_ids is not None:
            rows = conn.execute(
                sa.text(
                    "SELECT task_id, output_ref FROM task_runs WHERE run_id = :r"
                    " AND output_ref IS NOT NULL AND task_id IN :ids"
                ).bindparams(sa.bindparam("ids", expanding=True)),
                {"r": run_id, "ids": list(task_ids) or [""]},
            ).all()
            return [(str(t), str(ref)) for t, ref in rows]
        rows = conn.execute(
            sa.text(
                "SELECT task_id, output_ref FROM task_runs WHERE run_id = :r"
                " AND output_ref IS NOT NULL AND finished_at IS NOT NULL"
                " ORDER BY finished_at DESC, position DESC LIMIT :l"
            ),
            {"r": run_id, "l": limit},
        ).all()
    return [(str(t), str(ref)) for t, ref in reversed(rows)]


def metric_events(engine: Engine, run_id: str, *, limit: int = 5000) -> list[tuple[str, Any]]:
    """The last ``limit`` values tasks reported (``quantumflow.report``), oldest first, as
    ``(task id, values)``."""
    with read_tx(engine) as conn:
        rows = conn.execute(
            sa.text(
                "SELECT task_id, data FROM events WHERE run_id = :r AND kind = 'metric'"
                " ORDER BY id DESC LIMIT :l"
            ),
            {"r": run_id, "l": limit},
        ).all()
    out: list[tuple[str, Any]] = []
    for task_id, data in reversed(rows):
        value = json.loads(data) if isinstance(data, str) else data
        values = value.get("values", value) if isinstance(value, dict) else None
        if isinstance(values, dict):
            out.append((str(task_id), values))
    return out
