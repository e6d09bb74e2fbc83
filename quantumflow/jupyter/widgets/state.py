"""What a run looks like right now, folded from its task events (in-process or persisted).

:class:`RunState` is plain Python with no widget in it: it takes engine ``TaskEvent`` s or
the store's ``EventRecord`` s, keeps per-node status counts, run progress and chart data,
and :meth:`RunState.snapshot` returns the values of the RunWidget's traits.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from ...spec import WorkflowSpec
from ...status import RUN_TERMINAL, TASK_TERMINAL
from .charts import ChartState
from .layout import build_graph, group_key

log = logging.getLogger(__name__)

#: Task states after which a task never changes again.
#: Run states after which the run is over.
#: Outputs read per snapshot (the most recent first); bounds chart work on huge runs.
OUTPUTS_PER_SNAPSHOT = 32


class RunState:
    """The live state of one run, as the RunWidget shows it."""

    def __init__(
        self,
        spec: WorkflowSpec,
        *,
        run_id: str = "",
        load_output: Callable[[str], Any] | None = None,
        max_nodes: int | None = None,
    ) -> None:
        self.spec = spec
        self.run_id = run_id
        self.graph = (
            build_graph(spec) if max_nodes is None else build_graph(spec, max_nodes=max_nodes)
        )
        self.status = "pending"
        self.error: str | None = None
        self.task_status: dict[str, str] = {t.id: "pending" for t in spec.tasks}
        self.node_counts: dict[str, Counter[str]] = {}
        for nid in self.graph.node_of.values():
            self.node_counts.setdefault(nid, Counter())["pending"] += 1
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self.durations: list[float] = []
        self._began: dict[str, float] = {}
        self._groups = {t.id: t.group or group_key(t.id, None) for t in spec.tasks}
        self._load_output = load_output
        self._pending_outputs: dict[str, str] = {}
        self.charts = ChartState()
        self.concurrency = spec.policies.max_concurrency
        self.planned_makespan: float | None = None

    # ------------------------------------------------------------------ events in
    def apply(self, event: Any) -> None:
        """Fold one event: an engine ``TaskEvent`` or a store ``EventRecord``."""
        data = getattr(event, "data", None)
        task_id = getattr(event, "task_id", None)
        at = float(getattr(event, "at", None) or time.time())
        if getattr(event, "kind", None) == "metric":  # a value a running task reported
            values = data.get("values") if isinstance(data, dict) else None
            if task_id is not None and isinstance(values, dict):
                self.charts.add_metric(task_id, values)
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
        nid = self.graph.node_of[task_id]
        counts = self.node_counts[nid]
        counts[old] -= 1
        if counts[old] <= 0:
            del counts[old]
        counts[status] += 1
        self.task_status[task_id] = status
        if status == "running":
            self._began[task_id] = at
        elif status in TASK_TERMINAL:
            began = self._began.pop(task_id, None)
            if began is not None:
                self.durations.append(max(0.0, at - began))
        if error and status == "failed" and self.error is None:
            self.error = f"task '{task_id}': {error}"
        if output_ref and status in ("succeeded", "cached"):
            self._pending_outputs.pop(task_id, None)
            self._pending_outputs[task_id] = output_ref

    # ------------------------------------------------------------------ values out
    def counts(self) -> dict[str, int]:
        """Tasks per status."""
        return dict(Counter(self.task_status.values()))

    def done(self) -> int:
        """Tasks in a terminal state."""
        return sum(1 for s in self.task_status.values() if s in TASK_TERMINAL)

    def elapsed(self, now: float | None = None) -> float:
        """Seconds since the run started (frozen once it finished)."""
        if self.started_at is None:
            return 0.0
        end = self.finished_at or (now or time.time())
        return max(0.0, end - self.started_at)

    def estimate(self, now: float | None = None) -> float | None:
        """Predicted total seconds: the plan's makespan, refined by measured task durations."""
        total, done = len(self.task_status), self.done()
        if self.finished_at is not None:
            return self.elapsed(now)
        if done and self.durations and total:
            mean = sum(self.durations) / len(self.durations)
            left = (total - done) * mean / max(1, min(self.concurrency, total - done))
            return self.elapsed(now) + left
        return self.planned_makespan

    def drain_outputs(self) -> bool:
        """Read the newest finished outputs into the charts; True when a chart changed."""
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
            changed |= self.charts.add_output(task_id, self._groups[task_id], value)
        return changed

    def snapshot(self, now: float | None = None) -> dict[str, Any]:
        """The RunWidget trait values for the state right now."""
        self.drain_outputs()
        estimate = self.estimate(now)
        return {
            "status": self.status,
            "error": self.error or "",
            "node_states": {nid: dict(c) for nid, c in self.node_counts.items()},
            "counts": self.counts(),
            "total": len(self.task_status),
            "elapsed_s": round(self.elapsed(now), 3),
            "estimate_s": round(estimate, 3) if estimate is not None else -1.0,
            "histogram": dict(self.charts.histogram),
            "series": [dict(s, points=[list(p) for p in s["points"]]) for s in self.charts.series],
        }
