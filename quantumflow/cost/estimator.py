"""Per-task time and money estimates: calibrated simulator model, prices, history.

- Local simulators: the backend's calibrated :class:`TimeModel` (``quantumflow calibrate``;
  a rough default before that), scaled by what history says about this backend: the
  median ratio measured/predicted of similar earlier tasks (same width, Clifford-ness,
  sweep size, gates and shots within 1.5x), else of all its earlier tasks.
- Cloud QPUs: QPU seconds and USD from :mod:`quantumflow.cost.prices`, plus the queue
  time when the provider reports one.
- Classical tasks: the median of earlier runs of the same ``fn`` (same task id first),
  else :data:`DEFAULT_CLASSICAL_S`.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..spec import ClassicalTask, QuantumTask
from .features import CircuitFeatures, task_features
from .history import History, load_history
from .model import TimeModel
from .prices import price_for

if TYPE_CHECKING:
    from ..store.store import Store

log = logging.getLogger(__name__)

#: Seconds assumed for a classical task that never ran before.
DEFAULT_CLASSICAL_S = 1.0
#: History rows needed before the all-rows ratio of a backend is trusted.
MIN_ROWS = 3
#: Similar history rows used (the newest).
RECENT = 5

TaskLike = ClassicalTask | QuantumTask


@dataclass(frozen=True)
class TaskEstimate:
    """The estimate of one task.

    Attributes:
        seconds: predicted wall seconds (queue included when known).
        usd: predicted money (0 for local backends).
        source: where the seconds come from: ``history``, ``calibration``, ``default``,
            ``price table``.
        queue_s: provider-reported queue seconds, when there is one.
        note: a caveat (e.g. a provider without a public price).
    """

    seconds: float
    usd: float = 0.0
    source: str = "default"
    queue_s: float | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (None fields dropped)."""
        return {k: v for k, v in asdict(self).items() if v is not None}


class Estimator:
    """Estimates tasks against one store's calibrations and history.

    Args:
        store: a Store, or None for no calibration/history (defaults only).
    """

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self._models: dict[str, tuple[TimeModel, bool]] = {}
        self._history: History | None = None
        # history rows of a backend by (width, Clifford-ness, sweep size): only those can
        # be similar, so a 1,000-task plan does not compare every task with every row
        self._shapes: dict[str, dict[tuple[int, bool, int], list[Any]]] = {}
        self._overall: dict[str, float | None] = {}

    @property
    def history(self) -> History:
        """The store's history snapshot (read once per Estimator)."""
        if self._history is None:
            self._history = load_history(self.store) if self.store is not None else History()
        return self._history

    def model(self, backend: str) -> tuple[TimeModel, bool]:
        """The backend's time model and whether it is calibrated (else the default)."""
        if backend not in self._models:
            stored = self.store.latest_calibration(backend) if self.store is not None else None
            model = TimeModel.from_dict(stored) if stored else None
            self._models[backend] = (model, True) if model else (TimeModel(backend), False)
        return self._models[backend]

    def task(self, task: TaskLike) -> TaskEstimate:
        """The estimate of one task (raises if a quantum task's circuit cannot be loaded)."""
        if isinstance(task, ClassicalTask):
            seen = self.history.classical_seconds(task.fn, task.id)
            if seen is None:
                return TaskEstimate(DEFAULT_CLASSICAL_S, source="default")
            return TaskEstimate(seen, source="history")
        if task.circuit.callable is not None:  # an estimate never calls user code
            note = "its circuit is built by a callable when the task runs"
            return TaskEstimate(DEFAULT_CLASSICAL_S, source="default", note=note)
        return self._quantum(task, task_features(task))

    def _quantum(self, task: QuantumTask, f: CircuitFeatures) -> TaskEstimate:
        price = price_for(task.backend)
        if price is not None:
            qpu_s = price.qpu_seconds(shots=f.shots, points=f.points)
            usd = price.usd(shots=f.shots, points=f.points, qpu_seconds=qpu_s)
            queue = queue_seconds(task.backend)
            ratio = self._ratio(
                task.backend, f, lambda g: price.qpu_seconds(shots=g.shots, points=g.points)
            )
            seconds = qpu_s * (ratio or 1.0) + (queue or 0.0)
            return TaskEstimate(seconds, usd, "price table", queue, price.note or None)
        model, calibrated = self.model(task.backend)
        base = model.predict(f)
        ratio = self._ratio(task.backend, f, model.predict)
        if ratio is not None:
            return TaskEstimate(base * ratio, source="history")
        return TaskEstimate(base, source="calibration" if calibrated else "default")

    def _ratio(self, backend: str, f: CircuitFeatures, predict: Any) -> float | None:
        shapes = self._shapes.get(backend)
        if shapes is None:
            shapes = self._shapes[backend] = {}
            for g, t in self.history.quantum.get(backend, []):  # newest first, kept so
                shapes.setdefault(g.key()[:3], []).append((g, t))
        # newest first: the last few runs say most about how this machine runs it now
        candidates = shapes.get(f.key()[:3], [])
        similar = list(islice((t / predict(g) for g, t in candidates if f.similar(g)), RECENT))
        if similar:
            # low median: slow outliers (a first run paying transpilation, a busy machine)
            # are more common than fast ones
            return float(statistics.median_low(similar))
        if backend not in self._overall:
            rows = self.history.quantum.get(backend, [])
            self._overall[backend] = (
                float(statistics.median(t / predict(g) for g, t in rows))
                if len(rows) >= MIN_ROWS
                else None
            )
        return self._overall[backend]

    def seconds(self, tasks: Sequence[TaskLike]) -> list[float]:
        """Predicted seconds per task; a task that cannot be estimated gets the default."""
        out: list[float] = []
        history = self.history
        default = DEFAULT_CLASSICAL_S
        for task in tasks:
            if isinstance(task, ClassicalTask):  # the hot path for big graphs: dict lookups
                seen = history.classical_seconds(task.fn, task.id) if history.by_fn else None
                out.append(default if seen is None else seen)
                continue
            try:
                out.append(self.task(task).seconds)
            except Exception as err:  # a bad circuit is reported by validation, not here
                log.debug("no estimate for %s: %r", task.id, err)
                out.append(default)
        return out


def queue_seconds(backend: str) -> float | None:
    """Queue seconds the provider reports for ``backend``, or None when it reports none.

    A backend adapter may offer ``queue_estimate() -> float | None``; asking never raises
    (offline, without credentials, the answer is None).
    """
    try:
        from ..backends import get_backend

        ask = getattr(get_backend(backend), "queue_estimate", None)
        value = ask() if callable(ask) else None
    except Exception as err:  # offline or no credentials: no queue information
        log.debug("no queue estimate for %s: %r", backend, err)
        return None
    return float(value) if isinstance(value, int | float) else None
