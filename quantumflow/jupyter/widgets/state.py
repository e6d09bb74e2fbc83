"""What a run looks like right now, folded from its task events (in-process or persisted).

:class:`RunState` is plain Python with no widget in it: it takes engine ``TaskEvent`` s or
the store's ``EventRecord`` s and keeps exactly what the lab extension's run view reads
from the REST API, in the same shapes, so the notebook and the side panel draw one picture:

- ``layout`` (the widget's ``drawing`` trait): the drawing of the workflow
  (:func:`quantumflow.graph.layout.layout`, the ``GET /api/runs/{id}/graph`` answer),
  groups included: the one grouping rule;
- ``states``: one status digit per task in layout order (``GET .../states``'s ``codes``);
- ``progress``: tasks per state, done, elapsed and ETA (``GET .../progress``);
- ``durations``: the log-binned duration histogram (``GET .../durations``);
- ``results``: scalars, histograms and series (``GET .../results``,
  :mod:`quantumflow.api.results`).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from ...api.results import Results
from ...errors import CycleError
from ...graph.layout import graph_shape, layout
from ...spec import WorkflowSpec
from ...spec.groups import BIG_GRAPH
from ...status import RUN_TERMINAL, TASK_STATUSES, TASK_TERMINAL
from ...store.aggregates import DURATION_EDGES, duration_bins

log = logging.getLogger(__name__)

#: Outputs read per snapshot (the most recent first); bounds result work on huge runs.
OUTPUTS_PER_SNAPSHOT = 32
_CODE = {s: ord(str(i)) for i, s in enumerate(TASK_STATUSES)}


def drawing(spec: WorkflowSpec) -> dict[str, Any]:
    """The layout of ``spec``; a spec with a dependency cycle (the run fails on it) is drawn
    without its edges rather than not at all."""
    try:
        return layout(spec)
    except CycleError:
        shape = graph_shape(spec)
        shape.src, shape.dst = [], []
        return layout(shape)


class RunState:
    """The live state of one run, as the RunWidget shows it."""

    def __init__(
        self,
        spec: WorkflowSpec | None,
        *,
        run_id: str = "",
        load_output: Callable[[str], Any] | None = None,
        layout: dict[str, Any] | None = None,
        name: str = "",
    ) -> None:
        """Start every task pending.

        Args:
            spec: the workflow the run runs; None when ``layout`` is given (a run's stored
                spec was checked when the run was made: no need to check 10^5 tasks again).
            run_id: the run's id, when known.
            load_output: reads a task's output from its reference (for the results).
            layout: the drawing of the workflow when the caller has it (the store keeps one
                per workflow); None lays ``spec`` out here.
            name: the workflow's name when ``spec`` is None.

        Raises:
            ValueError: neither a spec nor a layout.
        """
        if layout is None:
            if spec is None:
                raise ValueError("a run's state needs its workflow spec or its drawing")
            layout = drawing(spec)
        self.spec = spec
        self.name = spec.name if spec is not None else name
        self.run_id = run_id
        self.layout = layout
        self.index: dict[str, int] = {tid: i for i, tid in enumerate(self.layout["ids"])}
        self.codes = bytearray(b"0" * len(self.index))
        self.status = "pending"
        self.error: str | None = None
        self.task_status: dict[str, str] = dict.fromkeys(self.index, "pending")
        self.state_counts: Counter[str] = Counter({"pending": len(self.index)})
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self.durations: list[float] = []
        #: run times binned so far (per :data:`DURATION_EDGES` bin): a push bins only the
        #: durations that came since the last one, not all 10^5 again (30 ms at 10^5)
        self._bins = [0] * (len(DURATION_EDGES) - 1)
        self._binned = 0
        self.task_times: dict[str, list[float | None]] = {}
        self.task_errors: dict[str, str] = {}
        self._began: dict[str, float] = {}
        self._load_output = load_output
        self._pending_outputs: dict[str, str] = {}
        self.results = Results()

    # ------------------------------------------------------------------ events in
    def apply(self, event: Any) -> None:
        """Fold one event: an engine ``TaskEvent`` or a store ``EventRecord``."""
        data = getattr(event, "data", None)
        task_id = getattr(event, "task_id", None)
        at = float(getattr(event, "at", None) or time.time())
        if getattr(event, "kind", None) == "metric":  # a value a running task reported
            values = data.get("values") if isinstance(data, dict) else None
            if task_id is not None and isinstance(values, dict):
                self.results.add_metric(task_id, values)
            return
        if isinstance(data, dict):  # persisted EventRecord
            status = data.get("status")
            ref = data.get("output_ref")
            error = data.get("error")
        else:
            status = getattr(event, "status", None)
            ref = getattr(event, "output_ref", None)
            error = getattr(event, "error", None)
        if not isinstance(status, str):
            return
        if task_id is None:
            self.set_run_status(status, at=at, error=error)
        else:
            self.set_task(task_id, status, at=at, output_ref=ref, error=error)

    def set_run_status(self, status: str, *, at: float | None = None, error: Any = None) -> None:
        """Record the run's own status (``running`` starts the clock, terminal stops it)."""
        at = at or time.time()
        self.status = status
        if status == "running" and self.started_at is None:
            self.started_at = at
        if status in RUN_TERMINAL:
            self.finished_at = self.finished_at or at
            if error:
                self.error = str(error)

    def set_task(
        self,
        task_id: str,
        status: str,
        *,
        at: float | None = None,
        output_ref: str | None = None,
        error: Any = None,
    ) -> None:
        """Move one task to ``status`` (unknown task ids are ignored)."""
        old = self.task_status.get(task_id)
        if old is None:
            return
        at = at or time.time()
        if self.started_at is None:
            self.started_at = at
            if self.status == "pending":
                self.status = "running"
        self.state_counts[old] -= 1
        self.state_counts[status] += 1
        self.task_status[task_id] = status
        self.codes[self.index[task_id]] = _CODE.get(status, 48)
        times = self.task_times.setdefault(task_id, [None, None])
        if status == "running":
            self._began[task_id] = at
            times[0] = at
        elif status in TASK_TERMINAL:
            times[1] = at
            began = self._began.pop(task_id, None)
            if began is not None:
                self.durations.append(max(0.0, at - began))
        if error and status == "failed":
            self.task_errors[task_id] = str(error)
            if self.error is None:
                self.error = f"task '{task_id}': {error}"
        if output_ref and status in ("succeeded", "cached"):
            self._pending_outputs.pop(task_id, None)
            self._pending_outputs[task_id] = output_ref

    # ------------------------------------------------------------------ a big run's state at once
    def seed(
        self,
        codes: str,
        *,
        run: dict[str, Any],
        durations: dict[str, Any],
        first_failure: tuple[str, str | None] | None = None,
        outputs: Sequence[tuple[str, str]] = (),
        metrics: Sequence[tuple[str, Any]] = (),
    ) -> bool:
        """Take a run's state as the store holds it, instead of folding all its events.

        Args:
            codes: one status digit per task in spec (= layout) order
                (:func:`~quantumflow.store.aggregates.states_vector`).
            run: the run's ``status``, ``error``, ``started_at`` and ``finished_at``.
            durations: its duration histogram (``duration_histogram``'s shape).
            first_failure: a failed task's id and error, named in the header.
            outputs: ``(task id, output ref)`` of the latest outputs, oldest first.
            metrics: ``(task id, values)`` the tasks reported, oldest first.

        Returns:
            False (nothing taken) when ``codes`` is not one digit per task of the drawing.
        """
        if len(codes) != len(self.codes) or not codes.isdigit():
            return False
        ids = self.layout["ids"]
        self.codes[:] = codes.encode("ascii")
        self.state_counts.clear()
        for i, c in enumerate(codes):
            status = TASK_STATUSES[int(c)] if int(c) < len(TASK_STATUSES) else "pending"
            self.task_status[ids[i]] = status
            self.state_counts[status] += 1
        self.status = str(run.get("status") or self.status)
        self.started_at = run.get("started_at") or self.started_at
        self.finished_at = run.get("finished_at") or self.finished_at
        if run.get("error"):
            self.error = str(run["error"])
        if first_failure is not None:
            task_id, error = first_failure
            self.task_errors[task_id] = str(error or "")
            if self.error is None and error:
                self.error = f"task '{task_id}': {error}"
        self.set_durations(durations)
        for task_id, ref in outputs:
            self._pending_outputs[task_id] = ref
        for task_id, values in metrics:
            if isinstance(values, dict):
                self.results.add_metric(task_id, values)
        return True

    def set_durations(self, histogram: dict[str, Any]) -> None:
        """Replace the run times folded so far with ``histogram`` (the store's, exact)."""
        self._bins = [0] * (len(DURATION_EDGES) - 1)
        self._binned = len(self.durations)
        edges = histogram.get("edges") or []
        if edges:
            start = DURATION_EDGES.index(edges[0])
            for k, count in enumerate(histogram.get("counts") or []):
                self._bins[start + k] += int(count)

    # ------------------------------------------------------------------ values out
    def duration_histogram(self) -> dict[str, Any]:
        """Run times in :func:`~quantumflow.store.aggregates.duration_bins`' bins and shape."""
        fresh = self.durations[self._binned :]
        if fresh:
            self._binned = len(self.durations)
            part = duration_bins(fresh)
            start = DURATION_EDGES.index(part["edges"][0])
            for k, count in enumerate(part["counts"]):
                self._bins[start + k] += count
        nonzero = [i for i, c in enumerate(self._bins) if c]
        if not nonzero:
            return {"edges": [], "counts": []}
        lo, hi = nonzero[0], nonzero[-1]
        return {"edges": list(DURATION_EDGES[lo : hi + 2]), "counts": self._bins[lo : hi + 1]}

    def counts(self) -> dict[str, int]:
        """Tasks per status (states no task is in are left out)."""
        return {s: c for s, c in self.state_counts.items() if c > 0}

    def done(self) -> int:
        """Tasks in a terminal state."""
        return sum(c for s, c in self.state_counts.items() if s in TASK_TERMINAL)

    def elapsed(self, now: float | None = None) -> float:
        """Seconds since the run started (frozen once it finished)."""
        if self.started_at is None:
            return 0.0
        end = self.finished_at or (now or time.time())
        return max(0.0, end - self.started_at)

    def eta(self, now: float | None = None) -> float | None:
        """Seconds left at the rate tasks finished so far (the API's ETA rule)."""
        total, done = len(self.task_status), self.done()
        if done >= total or self.finished_at is not None:
            return 0.0
        elapsed = self.elapsed(now)
        return (total - done) * elapsed / done if done and elapsed > 0 else None

    def drain_outputs(self) -> bool:
        """Fold the newest finished outputs into the results; True when one was read."""
        if not self._pending_outputs or self._load_output is None:
            self._pending_outputs.clear()
            return False
        newest = list(self._pending_outputs.items())[-OUTPUTS_PER_SNAPSHOT:]
        self._pending_outputs.clear()
        changed = False
        for task_id, ref in newest:
            try:
                value = self._load_output(ref)
            except Exception:  # an unreadable output must not break the display
                log.debug("cannot read output %s of task %s", ref, task_id, exc_info=True)
                continue
            self.results.add_output(task_id, value)
            changed = True
        return changed

    def tasks(self) -> list[dict[str, Any]]:
        """Per task timings (``TaskRunInfo`` fields) for the timeline, small runs only."""
        if len(self.task_status) > BIG_GRAPH:
            return []
        out = []
        for tid, status in self.task_status.items():
            began, ended = self.task_times.get(tid, [None, None])
            out.append(
                {
                    "task_id": tid,
                    "status": status,
                    "started_at": began,
                    "finished_at": ended,
                    "duration": None if began is None or ended is None else ended - began,
                    "error": self.task_errors.get(tid),
                }
            )
        return out

    def snapshot(self, now: float | None = None) -> dict[str, Any]:
        """The RunWidget trait values for the state right now (the drawing is sent once)."""
        self.drain_outputs()
        eta = self.eta(now)
        return {
            "status": self.status,
            "error": self.error or "",
            "states": self.codes.decode("ascii"),
            "progress": {
                "states": self.counts(),
                "total": len(self.task_status),
                "done": self.done(),
                "started_at": self.started_at,
                "finished_at": self.finished_at,
                "elapsed_s": round(self.elapsed(now), 3),
                "eta_s": None if eta is None else round(eta, 3),
            },
            "durations": self.duration_histogram(),
            "results": self.results.to_json(),
            "tasks": self.tasks(),
        }
