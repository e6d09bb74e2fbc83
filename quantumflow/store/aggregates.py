"""The big-run dashboard's answers: counts, histograms and pages, never all rows.

Each function answers one chart of one run over its :class:`~.run_frame.TaskFrame` (the
run's task and attempt columns as arrays, read once and then refreshed from the rows that
changed), so a 100,000-task run costs the API a few hundred result values at most and a
state change of a live run costs it the changed rows, not another scan of all of them
(``run_frame.py`` says why). The time series (throughput, cost, lanes) are in
``agg_time.py``. Tables of tasks (slowest, failures) come a page at a time. Answers are
kept while the run cannot have changed (``agg_cache.py``).
``tests/store/test_aggregates.py`` holds each function against a plain-Python reference
on random runs, on both databases, and ``tests/store/test_run_frame.py`` a refreshed frame
against one read whole.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..status import TASK_STATUSES, TASK_TERMINAL
from .agg_cache import cached_read, runs_header
from .db import read_tx
from .run_frame import STATUS_CODE, TaskFrame

#: Duration histogram bin edges (seconds): four per decade, 100 us .. ~1 day.
DURATION_EDGES: tuple[float, ...] = tuple(10 ** (k / 4) for k in range(-16, 21))
_EDGES = np.array(DURATION_EDGES)
_FAILED = STATUS_CODE["failed"]


# ------------------------------------------------------------------------- states and groups
def progress(
    engine: Engine, run_id: str, *, limit: int = 50, offset: int = 0, now: float
) -> dict[str, Any]:
    """Tasks per status, overall and per group (groups by name, a page of ``limit``), with
    ETAs: remaining tasks at the rate tasks have finished since the run started (a group's
    at its own rate).

    Returns ``states`` (every status, zeros included), ``total``, ``done``,
    ``started_at``, ``elapsed_s``, ``eta_s``, ``groups`` (``group``, ``total``, ``done``,
    ``states``, ``eta_s``) and ``total_groups``.
    """
    with cached_read(engine, run_id) as q:
        run = q.first(
            f"SELECT started_at, finished_at FROM {runs_header(q.conn)} WHERE id = :r",  # noqa: S608
            {"r": run_id},
        )
        counts = q.memo("progress", lambda: _counts(q.frame()))
    started, finished = (run[0], run[1]) if run is not None else (None, None)
    end = finished if finished is not None else now
    elapsed = max(0.0, end - started) if started is not None else 0.0
    states = dict.fromkeys(TASK_STATUSES, 0)
    groups: dict[str, dict[str, Any]] = {}
    for name, by_status in counts.items():
        done = sum(n for s, n in by_status.items() if s in TASK_TERMINAL)
        total = sum(by_status.values())
        groups[name] = {"group": name, "total": total, "done": done, "states": dict(by_status)}
        for status, n in by_status.items():
            states[status] += n
    page = [dict(groups[k]) for k in sorted(groups)[offset : offset + limit]]
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


def _counts(frame: TaskFrame) -> dict[str, dict[str, int]]:
    """Tasks per group name (``""`` for none) and status, zeros left out."""
    k = len(TASK_STATUSES)
    grid = np.bincount(frame.group * k + frame.status, minlength=len(frame.groups) * k)
    out: dict[str, dict[str, int]] = {}
    for g, row in enumerate(grid.reshape(-1, k).tolist()):
        if any(row):
            name = frame.groups[g]
            into = out.setdefault("" if name is None else str(name), {})
            for s, n in enumerate(row):
                if n:
                    into[TASK_STATUSES[s]] = into.get(TASK_STATUSES[s], 0) + n
    return out


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


def states_vector(engine: Engine, run_id: str) -> tuple[str, int]:
    """One character per task, in spec order: the digit of its status's index in
    :data:`~quantumflow.status.TASK_STATUSES` (``"0"`` pending ... ``"8"`` cached), and the
    id of the last event those states include (read in one transaction: a view that
    follows the events after it misses nothing and repeats nothing).

    Not an aggregate: it is what lets a view colour every task once, after which it follows
    the event stream.
    """
    with cached_read(engine, run_id) as q:
        if q.version is not None:  # the last event is the frame's (maybe newer than q's)

            def read() -> tuple[str, int]:
                frame = q.frame()
                return _states(frame), int(frame.version[3] or 0) if frame.version else 0

            return q.memo("states", read)
        last = q.conn.execute(
            sa.text("SELECT MAX(id) FROM events WHERE run_id = :r"), {"r": run_id}
        ).scalar()
        return _states(q.frame()), int(last or 0)


def _states(frame: TaskFrame) -> str:
    return (frame.status + ord("0")).astype(np.uint8).tobytes().decode("ascii")


# ------------------------------------------------------------------------- durations
def duration_histogram(engine: Engine, run_id: str) -> dict[str, Any]:
    """Finished tasks' run times in log-spaced bins (:data:`DURATION_EDGES`).

    Returns ``edges`` (seconds; bin ``i`` is ``[edges[i], edges[i+1])``, the first bin also
    takes anything shorter, the last anything longer) and ``counts`` per bin, trimmed to
    the bins from the first to the last non-empty one.
    """
    with cached_read(engine, run_id) as q:
        return q.memo("durations", lambda: _durations(q.frame()))


def _durations(frame: TaskFrame) -> dict[str, Any]:
    timed = frame.timed()
    d = frame.finished[timed] - frame.started[timed]
    last = len(DURATION_EDGES) - 2
    bins = np.clip(np.searchsorted(_EDGES, d, side="right") - 1, 0, last)
    return _trimmed(np.bincount(bins, minlength=last + 1).tolist())


def duration_bins(durations: Sequence[float]) -> dict[str, Any]:
    """:func:`duration_histogram` of plain durations (seconds), in Python: the same bins and
    trimming, for views that fold events themselves (the RunWidget) and as the reference
    the arrays are tested against."""
    last = len(DURATION_EDGES) - 2
    counts = [0] * (len(DURATION_EDGES) - 1)
    for d in durations:
        counts[min(max(bisect.bisect_right(DURATION_EDGES, d) - 1, 0), last)] += 1
    return _trimmed(counts)


def _trimmed(counts: list[int]) -> dict[str, Any]:
    """Bins from the first to the last non-empty one, with their edges."""
    nonzero = [i for i, c in enumerate(counts) if c]
    if not nonzero:
        return {"edges": [], "counts": []}
    lo_i, hi_i = nonzero[0], nonzero[-1]
    return {"edges": list(DURATION_EDGES[lo_i : hi_i + 2]), "counts": counts[lo_i : hi_i + 1]}


# ------------------------------------------------------------------------- task tables
def _at(values: Any, i: int) -> float | None:
    """A float column's value (NaN is NULL)."""
    v = float(values[i])
    return None if math.isnan(v) else v


def slowest(engine: Engine, run_id: str, *, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Finished tasks by run time, longest first (ties in spec order; a page), and how many
    there are."""
    with cached_read(engine, run_id) as q:
        return q.memo(
            ("slowest", limit, offset), lambda: _slowest(q.frame(), limit=limit, offset=offset)
        )


def _slowest(frame: TaskFrame, *, limit: int, offset: int) -> dict[str, Any]:
    rows = np.flatnonzero(frame.timed())
    total = len(rows)
    d = frame.finished[rows] - frame.started[rows]
    want = min(len(rows), max(0, offset) + max(0, limit))
    if 0 < want < len(rows):  # only the candidates that can be on the page: ties included
        cut = np.partition(d, len(d) - want)[len(d) - want]
        keep = d >= cut
        rows, d = rows[keep], d[keep]
    order = rows[np.lexsort((rows, -d))][offset : offset + limit].tolist()
    items = [
        {
            "task_id": frame.ids[i],
            "group": frame.groups[int(frame.group[i])],
            "status": TASK_STATUSES[int(frame.status[i])],
            "attempts": int(frame.attempts[i]),
            "started_at": _at(frame.started, i),
            "finished_at": _at(frame.finished, i),
            "duration": float(frame.finished[i] - frame.started[i]),
        }
        for i in order
    ]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def failures(engine: Engine, run_id: str, *, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Failed tasks in spec order (a page), with their errors, and how many there are."""
    with cached_read(engine, run_id) as q:

        def page() -> dict[str, Any]:
            frame = q.frame()
            failed = np.flatnonzero(frame.status == _FAILED)
            rows = failed[offset : offset + limit].tolist()
            ids = [frame.ids[i] for i in rows]
            errors: dict[str, str | None] = dict(
                q.conn.execute(
                    sa.text(
                        "SELECT task_id, error FROM task_runs WHERE run_id = :r AND task_id IN :ids"
                    ).bindparams(sa.bindparam("ids", expanding=True)),
                    {"r": run_id, "ids": ids or [""]},
                ).all()
            )
            items = [
                {
                    "task_id": frame.ids[i],
                    "group": frame.groups[int(frame.group[i])],
                    "attempts": int(frame.attempts[i]),
                    "error": errors.get(frame.ids[i]),
                    "finished_at": _at(frame.finished, i),
                }
                for i in rows
            ]
            return {"items": items, "total": len(failed), "limit": limit, "offset": offset}

        return q.memo(("failures", limit, offset), page)


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
    with cached_read(engine, run_id) as q:
        return q.memo(("objective", group, bins), lambda: _objective(q.frame(), group, bins))


def _objective(frame: TaskFrame, group: str | None, bins: int) -> dict[str, Any]:
    valued = np.flatnonzero(~np.isnan(frame.value))
    if not len(valued):
        return {"group": None, "groups": {}, "points": []}
    per_group = np.bincount(frame.group[valued], minlength=len(frame.groups))
    by_group = {str(frame.groups[g]): int(n) for g, n in enumerate(per_group.tolist()) if n}
    chosen = group if group in by_group else max(by_group, key=lambda g: by_group[g])
    code = next(g for g, name in enumerate(frame.groups) if str(name) == chosen)
    rows = valued[frame.group[valued] == code]  # in position order
    position, value = frame.position[rows], frame.value[rows]
    lo, hi = int(position[0]), int(position[-1])
    per = max(1, math.ceil((hi - lo + 1) / max(1, bins)))
    b = (position - lo) // per
    starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]])
    counts = np.diff(np.r_[starts, len(b)])
    lows = np.minimum.reduceat(value, starts)
    highs = np.maximum.reduceat(value, starts)
    means = np.add.reduceat(value, starts) / counts
    points = []
    bins_ = zip(starts.tolist(), counts.tolist(), lows, means, highs, strict=True)
    for s, c, mn, mean, mx in bins_:
        single = frame.ids[int(rows[s])] if c == 1 else None
        points.append([int(position[s]), int(c), float(mn), float(mean), float(mx), single])
    return {"group": chosen, "groups": by_group, "points": points}


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
