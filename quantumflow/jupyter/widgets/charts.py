"""Turn task outputs into the small chart payloads the RunWidget draws.

Three shapes are recognised, whatever task produced them:

- quantum counts ``{"counts": {...}}`` -> the counts histogram (latest task wins);
- a sweep ``{"sweep": {"points": [...], "results": [...]}}`` -> one series per observable,
  plotted against the sweep index (or the swept value when one parameter varies);
- an optimiser trace (``{"history": [...]}``) or a plain number -> a convergence series,
  numbers of one group in the order they finished.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

#: Most bars in the histogram (the rest are summed into "other").
MAX_BARS = 24
#: Most points kept per series (older points are thinned evenly).
MAX_POINTS = 2000
#: Most series drawn.
MAX_SERIES = 6


def histogram(task_id: str, counts: Mapping[str, Any]) -> dict[str, Any]:
    """The top :data:`MAX_BARS` bitstrings of ``counts`` (bit 0 rightmost), biggest first."""
    items = sorted(((str(k), int(v)) for k, v in counts.items()), key=lambda kv: (-kv[1], kv[0]))
    top = dict(items[:MAX_BARS])
    rest = sum(v for _, v in items[MAX_BARS:])
    if rest:
        top["other"] = rest
    return {"task": task_id, "counts": top}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def sweep_series(task_id: str, sweep: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One series per expectation value of a sweep output (x = swept value or index)."""
    points: Sequence[Mapping[str, Any]] = sweep.get("points") or []
    results: Sequence[Mapping[str, Any]] = sweep.get("results") or []
    varying = [k for k in (points[0] if points else {}) if len({str(p.get(k)) for p in points}) > 1]
    x_label = varying[0] if len(varying) == 1 else "point"
    series: dict[str, list[list[float]]] = {}
    for i, (point, result) in enumerate(zip(points, results, strict=False)):
        x = _number(point.get(x_label)) if x_label != "point" else float(i)
        for name, value in (result.get("expectations") or {}).items():
            y = _number(value)
            if x is not None and y is not None:
                series.setdefault(f"{task_id} ⟨{name}⟩", []).append([x, y])
    return [
        {"name": name, "x": x_label, "points": _thin(pts)}
        for name, pts in list(series.items())[:MAX_SERIES]
    ]


def _thin(points: list[list[float]]) -> list[list[float]]:
    if len(points) <= MAX_POINTS:
        return points
    step = len(points) / MAX_POINTS
    return [points[int(i * step)] for i in range(MAX_POINTS - 1)] + [points[-1]]


class ChartState:
    """Accumulates chart data from outputs as tasks finish."""

    def __init__(self) -> None:
        self.histogram: dict[str, Any] = {}
        self._series: dict[str, dict[str, Any]] = {}

    def add_output(self, task_id: str, group: str, output: Any) -> bool:
        """Fold one task output into the charts; True when something changed."""
        if isinstance(output, Mapping):
            changed = False
            if isinstance(output.get("counts"), Mapping) and output["counts"]:
                self.histogram = histogram(task_id, output["counts"])
                changed = True
            sweep = output.get("sweep")
            if isinstance(sweep, Mapping):
                for s in sweep_series(task_id, sweep):
                    self._put(s["name"], s)
                changed = True
            history = output.get("history")
            if isinstance(history, Sequence) and not isinstance(history, str):
                ys = [_number(v) for v in history]
                pts = [[float(i), y] for i, y in enumerate(ys) if y is not None]
                self._put(f"{task_id} (optimiser)", {"x": "evaluation", "points": _thin(pts)})
                changed = True
            return changed
        y = _number(output)
        if y is None:
            return False
        name = group
        series = self._series.get(name) or {"name": name, "x": "finished", "points": []}
        pts = series["points"]
        pts.append([float(len(pts)), y])
        series["points"] = _thin(pts)
        self._put(name, series)
        return True

    def add_metric(self, task_id: str, values: Mapping[str, Any]) -> bool:
        """Fold one reported metric (``quantumflow.report``) into a live series per value;
        ``step`` or ``epoch``, when reported, is the x axis. True when something changed."""
        axis = "step" if "step" in values else "epoch" if "epoch" in values else None
        changed = False
        for key, raw in values.items():
            y = _number(raw)
            if key == axis or y is None:
                continue
            name = f"{task_id} {key}"
            series = self._series.get(name) or {"name": name, "x": axis or "report", "points": []}
            pts = series["points"]
            x = _number(values[axis]) if axis else None
            pts.append([float(len(pts)) if x is None else x, y])
            series["points"] = _thin(pts)
            self._put(name, series)
            changed = True
        return changed

    def _put(self, name: str, series: dict[str, Any]) -> None:
        if name not in self._series and len(self._series) >= MAX_SERIES:
            return
        self._series[name] = {**series, "name": name}

    @property
    def series(self) -> list[dict[str, Any]]:
        """The series to draw, in the order they first appeared."""
        return list(self._series.values())
