"""``quantumflow calibrate``: time a few circuits on each local simulator, fit, store.

Each backend gets a share of a short time budget (25 s in all by default). Circuits run
smallest first through the same path the engine uses (``execute_quantum_task``), so the
fitted model predicts what a task's wall time will be; once one measurement takes a
large part of the remaining share, bigger circuits are skipped. Each circuit is timed once,
the first time the process sees it (transpilation included): what a fresh run pays. A
circuit repeated within one process is faster (the SDKs cache transpiled circuits); the
history in ``performance_metrics`` teaches the estimator that. The fitted
:class:`TimeModel` (with its samples, so history can refine it) goes to the store's
``calibrations`` table.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import QuantumFlowError
from ..spec import CircuitSource, QuantumTask
from .features import task_features
from .model import TimeModel, fit

if TYPE_CHECKING:
    from ..store.shared import DbLike

log = logging.getLogger(__name__)

#: Local simulators calibrated when none are named.
DEFAULT_BACKENDS = (
    "qiskit.aer",
    "cirq.qsim",
    "cirq.simulator",
    "pennylane:lightning.qubit",
    "pennylane:default.qubit",
)
DEFAULT_SECONDS = 25.0


@dataclass(frozen=True)
class Probe:
    """One calibration circuit."""

    builtin: str
    args: dict[str, Any]
    shots: int = 1024
    sweep: int = 0


def probes(*, quick: bool = False) -> list[Probe]:
    """The calibration circuits, cheapest first (``quick``: fewer, smaller)."""
    out = [
        Probe("ghz", {"n": 2}),
        Probe("ghz", {"n": 8}),
        Probe("random", {"n": 6, "depth": 6, "seed": 1}),
        Probe("ghz", {"n": 8}, shots=20_000),
        Probe("random", {"n": 10, "depth": 8, "seed": 2}),
        Probe("qaoa_maxcut", {"edges": [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]}, sweep=4),
        Probe("ghz", {"n": 16}),
        Probe("random", {"n": 14, "depth": 6, "seed": 3}),
        Probe("ghz", {"n": 20}),
        Probe("random", {"n": 16, "depth": 6, "seed": 4}),
        Probe("random", {"n": 18, "depth": 4, "seed": 5}),
    ]
    return out[:8] if quick else out


def probe_task(backend: str, probe: Probe) -> QuantumTask:
    """The quantum task that runs ``probe`` on ``backend``."""
    sweep = None
    if probe.sweep:
        sweep = {"gamma_0": {"linspace": [0.1, 1.0, probe.sweep]}, "beta_0": [0.2, 0.4]}
    return QuantumTask(
        id="calibrate",
        backend=backend,
        circuit=CircuitSource(builtin=probe.builtin, args=probe.args),
        shots=probe.shots,
        seed=7,
        sweep=sweep,
        cache=False,
    )


def _timed(task: QuantumTask) -> float:
    from ..backends import execute_quantum_task

    start = time.perf_counter()
    execute_quantum_task(task, inputs={})
    return time.perf_counter() - start


def calibrate_backend(backend: str, *, seconds: float, quick: bool = False) -> TimeModel:
    """Measure ``backend`` for about ``seconds`` and fit its model.

    Raises:
        BackendError: the backend is unknown or its SDK missing.
    """
    first = probe_task(backend, probes()[0])
    _timed(first)  # warm-up: SDK imports and first-call caches are not what we model
    deadline = time.monotonic() + seconds
    rows: list[tuple[Any, float]] = []
    samples: list[dict[str, Any]] = []
    for probe in probes(quick=quick):
        if rows and deadline <= time.monotonic():
            break  # at least one measurement per backend, however short the budget
        task = probe_task(backend, probe)
        feats = task_features(task)
        took = _timed(task)  # first sight of the circuit: transpilation included
        rows.append((feats, took))
        samples.append({"features": feats.__dict__, "seconds": took, "probe": probe.builtin})
        log.info("calibrate %s: %s %s -> %.4f s", backend, probe.builtin, probe.args, took)
        if took > 0.4 * (deadline - time.monotonic()):
            break  # the next circuit is bigger: it would not fit in the time left
    model = TimeModel(backend, fit(backend, rows), samples, created_at=time.time())
    return model


def calibrate(
    db: DbLike = None,
    *,
    backends: list[str] | None = None,
    seconds: float = DEFAULT_SECONDS,
    quick: bool = False,
) -> dict[str, Any]:
    """Calibrate local simulators and store their models.

    Args:
        db: store (URL, path or Store; None: the default).
        backends: names to calibrate (default: every installed one of
            :data:`DEFAULT_BACKENDS`).
        seconds: total time budget, shared between the backends.
        quick: fewer, smaller circuits (tests).

    Returns:
        backend -> ``{"coeffs", "samples", "seconds"}`` or ``{"error": message}``.

    Raises:
        QuantumFlowError: nothing could be calibrated.
    """
    from ..backends.registry import Family, resolve_family, sdk_installed
    from ..store.shared import shared_store as open_db

    store = open_db(db)
    names = list(backends) if backends else []
    if not names:
        for name in DEFAULT_BACKENDS:
            fam = resolve_family(name)
            if isinstance(fam, Family) and sdk_installed(fam):
                names.append(name)
    share = seconds / max(1, len(names))
    report: dict[str, Any] = {}
    for name in names:
        started = time.monotonic()
        try:
            model = calibrate_backend(name, seconds=share, quick=quick)
        except QuantumFlowError as err:
            report[name] = {"error": str(err)}
            continue
        store.save_calibration(name, model.to_dict())
        report[name] = {
            "coeffs": model.coeffs,
            "samples": len(model.samples),
            "seconds": round(time.monotonic() - started, 3),
        }
    if not any("coeffs" in r for r in report.values()):
        raise QuantumFlowError(
            "nothing was calibrated: "
            + "; ".join(f"{k}: {v.get('error')}" for k, v in report.items())
            if report
            else "nothing was calibrated: no local simulator is installed"
        )
    return report
