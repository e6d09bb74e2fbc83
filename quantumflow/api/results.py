"""A run's results as the views show them: scalars as a table, counts as sorted histograms,
expectations, sweeps, optimiser traces and reported metrics as series.

Whatever task produced them, outputs are read in these shapes:

- a number, or a dict whose entries are numbers -> rows of the scalars table
  (``parity = 1.0`` is a row, not a dot on a chart);
- quantum counts ``{"counts": {...}}`` -> a histogram, most frequent outcome first, the
  ``MAX_BARS`` most frequent kept and the rest summed into ``other``;
- a sweep ``{"sweep": {"points": [...], "results": [...]}}`` -> one series per observable,
  against the swept value when one parameter varies (else the point index);
- an optimiser trace ``{"history": [...]}`` -> a series against the evaluation;
- ``metric`` events (``quantumflow.report(...)``, e.g. a training loss) -> a series per
  reported name, against ``step``/``epoch`` when reported, live while the task runs;
- a mitigated task's ``mitigation`` provenance -> per observable the raw value and its
  standard error at each noise scale, the mitigated value and its error, and the exact
  value when the task asked for a reference (the raw-vs-mitigated chart).

The panel (``GET /api/runs/{id}/dashboard``) and the notebook RunWidget both answer these
shapes from this module, so they draw the same picture.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

log = logging.getLogger(__name__)

#: Most bars per histogram (the rest are summed into "other").
MAX_BARS = 16
#: Most points kept per series (thinned evenly past it).
MAX_POINTS = 2000
#: Most series, histograms and scalar rows answered.
MAX_SERIES = 8
MAX_HISTOGRAMS = 4
MAX_MITIGATED = 4
MAX_SCALARS = 50


def number(value: Any) -> float | None:
    """A finite float, or None (booleans are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def histogram(task_id: str, counts: Mapping[str, Any]) -> dict[str, Any]:
    """The :data:`MAX_BARS` most frequent outcomes, most frequent first (ties by label),
    the rest in ``other``; ``total`` is every shot."""
    items = sorted(
        ((str(k), int(v)) for k, v in counts.items() if number(v) is not None),
        key=lambda kv: (-kv[1], kv[0]),
    )
    return {
        "task": task_id,
        "bars": [list(kv) for kv in items[:MAX_BARS]],
        "other": sum(v for _, v in items[MAX_BARS:]),
        "outcomes": len(items),
        "total": sum(v for _, v in items),
    }


def thin(points: list[list[float]]) -> list[list[float]]:
    """At most :data:`MAX_POINTS` points, evenly spaced, the last one kept."""
    if len(points) <= MAX_POINTS:
        return points
    step = len(points) / MAX_POINTS
    return [points[int(i * step)] for i in range(MAX_POINTS - 1)] + [points[-1]]


def sweep_series(task_id: str, sweep: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One series per expectation value of a sweep output."""
    points: Sequence[Mapping[str, Any]] = sweep.get("points") or []
    results: Sequence[Mapping[str, Any]] = sweep.get("results") or []
    first = points[0] if points and isinstance(points[0], Mapping) else {}
    varying = [k for k in first if len({str(p.get(k)) for p in points}) > 1]
    x_label = varying[0] if len(varying) == 1 else "point"
    series: dict[str, list[list[float]]] = {}
    for i, (point, result) in enumerate(zip(points, results, strict=False)):
        x = number(point.get(x_label)) if x_label != "point" else float(i)
        expectations = result.get("expectations") if isinstance(result, Mapping) else None
        for name, value in (expectations or {}).items():
            y = number(value)
            if x is not None and y is not None:
                series.setdefault(f"{task_id} ⟨{name}⟩", []).append([x, y])
    return [{"name": n, "x": x_label, "points": thin(p)} for n, p in series.items()]


class Results:
    """Folds task outputs and reported metrics into the views' results."""

    def __init__(self) -> None:
        self.scalars: dict[str, dict[str, Any]] = {}
        self.histograms: dict[str, dict[str, Any]] = {}
        self._series: dict[str, dict[str, Any]] = {}
        self.mitigated: dict[str, dict[str, Any]] = {}

    def add_output(self, task_id: str, output: Any) -> None:
        """Fold one task's output."""
        y = number(output)
        if y is not None:
            self._scalar(task_id, None, y)
            return
        if not isinstance(output, Mapping):
            return
        if isinstance(output.get("counts"), Mapping) and output["counts"]:
            self.histograms.pop(task_id, None)
            self.histograms[task_id] = histogram(task_id, output["counts"])
            while len(self.histograms) > MAX_HISTOGRAMS:  # the newest ones
                self.histograms.pop(next(iter(self.histograms)))
        sweep = output.get("sweep")
        if isinstance(sweep, Mapping):
            for s in sweep_series(task_id, sweep):
                self._put(s)
        if isinstance(output.get("mitigation"), Mapping):
            self._mitigation(task_id, output["mitigation"])
        history = output.get("history")
        if isinstance(history, Sequence) and not isinstance(history, str):
            ys = [number(v) for v in history]
            pts = [[float(i), y] for i, y in enumerate(ys) if y is not None]
            self._put({"name": f"{task_id} (optimiser)", "x": "evaluation", "points": thin(pts)})
        self._fields(task_id, output)

    def _fields(self, task_id: str, output: Mapping[str, Any]) -> None:
        """Numbers and expectation values among an output's other entries, as scalars."""
        for key, value in output.items():
            if key in ("counts", "sweep", "history", "mitigation", "unmitigated", "uncertainty"):
                continue
            scalar = number(value)
            if scalar is not None:
                self._scalar(task_id, str(key), scalar)
            elif key == "expectations" and isinstance(value, Mapping):
                for name, v in value.items():
                    if number(v) is not None:
                        self._scalar(task_id, f"⟨{name}⟩", float(v))

    def add_metric(self, task_id: str, values: Mapping[str, Any]) -> None:
        """Fold one reported metric (``step`` or ``epoch``, when reported, is the x axis)."""
        axis = "step" if "step" in values else "epoch" if "epoch" in values else None
        for key, raw in values.items():
            y = number(raw)
            if key == axis or y is None:
                continue
            name = f"{task_id} {key}"
            found = self._series.get(name) or {"name": name, "x": axis or "report", "points": []}
            x = number(values[axis]) if axis else None
            found["points"].append([float(len(found["points"])) if x is None else x, y])
            found["points"] = thin(found["points"])
            self._put(found)

    def _mitigation(self, task_id: str, provenance: Mapping[str, Any]) -> None:
        observables: dict[str, Any] = {}
        for name, entry in (provenance.get("observables") or {}).items():
            if not isinstance(entry, Mapping):
                continue
            points = [
                [number(p.get("scale")), number(p.get("raw")), number(p.get("raw_std"))]
                for p in entry.get("points") or ()
                if isinstance(p, Mapping)
            ]
            observables[str(name)] = {
                "points": [p for p in points if p[0] is not None and p[1] is not None],
                "mitigated": number(entry.get("mitigated")),
                "mitigated_std": number(entry.get("mitigated_std")),
                "exact": number(entry.get("exact")),
            }
        if observables:
            self.mitigated.pop(task_id, None)
            self.mitigated[task_id] = {
                "task": task_id,
                "technique": str(provenance.get("technique") or ""),
                "observables": observables,
            }
            while len(self.mitigated) > MAX_MITIGATED:
                self.mitigated.pop(next(iter(self.mitigated)))

    def _scalar(self, task_id: str, key: str | None, value: float) -> None:
        name = task_id if key is None else f"{task_id}.{key}"
        if name in self.scalars or len(self.scalars) < MAX_SCALARS:
            self.scalars[name] = {"task": task_id, "key": key, "value": value}

    def _put(self, series: dict[str, Any]) -> None:
        if series["name"] in self._series or len(self._series) < MAX_SERIES:
            self._series[series["name"]] = series

    def to_json(self) -> dict[str, Any]:
        """``scalars`` (rows), ``histograms``, ``series`` and ``mitigated``, in the order
        they appeared."""
        return {
            "scalars": list(self.scalars.values()),
            "histograms": list(self.histograms.values()),
            "series": list(self._series.values()),
            "mitigated": list(self.mitigated.values()),
        }


def read_results(
    outputs: Iterable[tuple[str, str]],
    load: Callable[[str], Any],
    metrics: Iterable[tuple[str, Mapping[str, Any]]] = (),
) -> dict[str, Any]:
    """:class:`Results` of ``(task id, output ref)`` pairs (read with ``load``; one that
    cannot be read is skipped) and of ``(task id, values)`` metrics, as JSON."""
    results = Results()
    for task_id, ref in outputs:
        try:
            value = load(ref)
        except Exception:  # a missing artifact must not break the view
            log.debug("cannot read output %s of task %s", ref, task_id, exc_info=True)
            continue
        results.add_output(task_id, value)
    for task_id, values in metrics:
        results.add_metric(task_id, values)
    return results.to_json()
