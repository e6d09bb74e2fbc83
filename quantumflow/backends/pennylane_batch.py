"""PennyLane batches: several tasks' circuits as tapes in one ``qml.execute`` per device.

Packed: single-point jobs that only sample (terminal measurements, unseeded: PennyLane
seeds a device once, so seeded jobs get a fresh device each, as alone) and single-point
jobs that only take expectation values (exact, so seeds do not matter), grouped by width
and shot count. Everything else runs alone through :meth:`PennyLaneBackend.run`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import BackendError
from .base import BatchResult, PointResult, QuantumJob
from .batch import Outcome, alone, packed
from .results import place_bits


def _kind(job: QuantumJob) -> str | None:
    """'sample', 'expval' or None (runs alone)."""
    c = job.circuit
    if len(job.points) != 1:
        return None
    if c.num_clbits and job.shots and not job.observables:
        return "sample" if job.seed is None and c.measurements_are_terminal() else None
    if job.observables and not (c.num_clbits and job.shots):
        return "expval"
    return None


def _tape(job: QuantumJob, measure: Callable[[], Any], *, shots: int | None) -> Any:
    import pennylane as qml

    from .to_pennylane import apply_ops

    circuit = job.circuit
    free = sorted(circuit.free_parameters())
    job.require_values(free)
    values = {n: job.points[0][n] for n in free}
    with qml.queuing.AnnotatedQueue() as q:
        apply_ops(circuit, values, mid_circuit=False)
        measure()
    return qml.tape.QuantumScript.from_queue(q, shots=shots)


def _sample_tape(job: QuantumJob) -> tuple[Any, list[int]]:
    import pennylane as qml

    c = job.circuit
    measured = sorted({op.clbits[0] for op in c.ops if op.name == "measure"})
    wires = [c.measured_qubit_of()[b] for b in measured[::-1]]
    return _tape(job, lambda: qml.counts(wires=wires), shots=job.shots), measured


def _expval_tape(job: QuantumJob) -> Any:
    import pennylane as qml

    from .to_pennylane import observable

    n = job.circuit.num_qubits
    obs = [observable(o, n) for o in job.observables]
    stripped = QuantumJob(job.circuit.without_measurements(), job.points)
    return _tape(stripped, lambda: [qml.expval(o) for o in obs], shots=None)


def pennylane_run_batch(backend: Any, jobs: Sequence[QuantumJob]) -> list[Outcome]:
    """One result or error per job (see the module docstring for how they are packed)."""
    out: list[Outcome | None] = [None] * len(jobs)
    groups: dict[tuple[str, int, int | None], list[int]] = {}
    for i, job in enumerate(jobs):
        kind = _kind(job)
        if kind is None:
            out[i] = alone(backend, job)
            continue
        try:
            backend.check(job)
        except BackendError as exc:
            out[i] = exc
            continue
        shots = job.shots if kind == "sample" else None
        groups.setdefault((kind, job.circuit.num_qubits, shots), []).append(i)
    for (kind, width, _), members in groups.items():
        pj = [jobs[i] for i in members]
        call = _sampler(backend, pj, width) if kind == "sample" else _estimator(backend, pj, width)
        for i, res in zip(members, packed(pj, call, backend=backend), strict=True):
            out[i] = res
    return [o if o is not None else BackendError("not run", backend=backend.name) for o in out]


def _sampler(backend: Any, jobs: list[QuantumJob], width: int) -> Callable[[], list[BatchResult]]:
    def call() -> list[BatchResult]:
        import pennylane as qml

        made = [_sample_tape(j) for j in jobs]
        results = qml.execute([t for t, _ in made], backend.device(width, None))
        out = []
        for job, (_, measured), raw in zip(jobs, made, results, strict=True):
            keyed = {str(k): int(v) for k, v in raw.items()}
            counts = place_bits(keyed, measured[::-1], job.circuit.num_clbits)
            out.append(BatchResult([PointResult(counts=counts)], timings={"transpile": 0.0}))
        return out

    return call


def _estimator(backend: Any, jobs: list[QuantumJob], width: int) -> Callable[[], list[BatchResult]]:
    def call() -> list[BatchResult]:
        import pennylane as qml

        results = qml.execute([_expval_tape(j) for j in jobs], backend.device(width, None))
        out = []
        for job, raw in zip(jobs, results, strict=True):
            evs = np.asarray(raw, dtype=float).reshape(-1)
            exp = {o: float(v) for o, v in zip(job.observables, evs, strict=True)}
            out.append(BatchResult([PointResult(expectations=exp)], timings={"transpile": 0.0}))
        return out

    return call
