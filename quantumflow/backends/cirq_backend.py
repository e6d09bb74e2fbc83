"""Cirq adapters: ``cirq.simulator`` (cirq.Simulator) and ``cirq.qsim`` (qsimcirq).

Sweeps run through ``run_sweep`` / ``simulate_expectation_values_sweep`` — Cirq's native
batch. Batches of tasks sample through one ``run_batch`` call (unseeded jobs; a seeded job
gets a fresh simulator with its seed, as alone). Converted circuits are cached per parsed
circuit object.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .._cache import IdentityCache
from ..circuits.ir import Circuit
from ..errors import BackendError
from .base import BatchResult, Capabilities, PointResult, QuantumJob
from .exact import probabilities_over_clbits
from .local import LocalSimulator
from .results import counts_from_bits, parse_observable


def _to_cirq(circuit: Circuit) -> Any:
    from .to_cirq import to_cirq

    return to_cirq(circuit)


_MEASURED: IdentityCache[Circuit, Any] = IdentityCache(_to_cirq)
_UNMEASURED: IdentityCache[Circuit, Any] = IdentityCache(
    lambda circuit: _to_cirq(circuit.without_measurements())
)


def converted(circuit: Circuit, *, measured: bool = True) -> Any:
    """``to_cirq(circuit)`` (or its measurement-free part), memoized per circuit object."""
    return (_MEASURED if measured else _UNMEASURED)(circuit)


def resolver(job: QuantumJob) -> list[dict[str, float]]:
    """The points as Cirq param resolvers, checking every free parameter has a value."""
    free = job.circuit.free_parameters()
    job.require_values(free)
    return [{n: p[n] for n in free} for p in job.points]


def records_to_counts(records: dict[str, Any], circuit: Circuit) -> dict[str, int]:
    """Cirq measurement records (key ``c{j}``; last write wins) → normalized counts."""
    clbits = sorted({op.clbits[0] for op in circuit.ops if op.name == "measure"})
    if not clbits:
        return {"0" * circuit.num_clbits: 0}
    cols = [np.asarray(records[f"c{j}"])[:, -1, 0] for j in clbits]
    return counts_from_bits(np.stack(cols, axis=1), clbits, circuit.num_clbits)


class CirqBackend(LocalSimulator):
    """``cirq.simulator``: Cirq's own state-vector simulator (seeded)."""

    name = "cirq.simulator"
    sdk = "cirq"

    def __init__(self, arg: str | None = None) -> None:
        if arg:
            raise BackendError(f"backend 'cirq.simulator' takes no ':{arg}' suffix")

    def capabilities(self) -> Capabilities:
        """Everything, including classical conditions and noise; complex64 amplitudes."""
        return Capabilities(
            max_qubits=None, batching="run_sweep", bytes_per_amplitude=8, noise=True
        )

    def simulator(self, job: QuantumJob) -> Any:
        """A fresh seeded simulator (Cirq's RNG state lives in the simulator); with
        ``noise``, a density-matrix simulator with that noise model."""
        import cirq

        if job.noise:
            from .noise_models import cirq_noise_model

            return cirq.DensityMatrixSimulator(noise=cirq_noise_model(job.noise), seed=job.seed)
        return cirq.Simulator(seed=job.seed)

    def run(self, job: QuantumJob) -> BatchResult:
        """Sampled counts via ``run_sweep``; exact expectations via the sweep API."""
        import cirq

        sim = self.simulator(job)
        points = resolver(job)
        results = [PointResult() for _ in job.points]
        start = time.perf_counter()
        if job.circuit.num_clbits and (job.shots or not job.observables):
            if job.shots is None:
                self._exact(job, points, results)
            else:
                circuit = converted(job.circuit)
                sweep = cirq.ListSweep(points) if points[0] else cirq.UnitSweep
                runs = sim.run_sweep(circuit, params=sweep, repetitions=job.shots)
                for i, r in enumerate(runs):
                    results[i].counts = records_to_counts(r.records, job.circuit)
        if job.observables:
            circuit = converted(job.circuit, measured=False)
            qubits = cirq.LineQubit.range(job.circuit.num_qubits)
            obs = [_pauli_string(o, qubits) for o in job.observables]
            sweep = cirq.ListSweep(points) if points[0] else cirq.UnitSweep
            values = sim.simulate_expectation_values_sweep(
                circuit, observables=obs, params=sweep, qubit_order=qubits
            )
            for i, row in enumerate(values):
                results[i].expectations = {
                    o: float(np.real(v)) for o, v in zip(job.observables, row, strict=True)
                }
        execute = time.perf_counter() - start
        return BatchResult(results, timings={"transpile": 0.0, "execute": execute})

    def run_batch(self, jobs: list[QuantumJob]) -> list[BatchResult | BackendError]:
        """Unseeded sampling jobs in one ``run_batch`` per shot count; the rest alone."""
        from .batch import alone, packed

        out: list[BatchResult | BackendError | None] = [None] * len(jobs)
        groups: dict[int, list[int]] = {}
        for i, job in enumerate(jobs):
            samples = job.circuit.num_clbits and job.shots and not job.observables
            if samples and job.seed is None and len(job.points) == 1:
                try:
                    self.check(job)
                    resolver(job)
                except BackendError as exc:
                    out[i] = exc
                    continue
                assert job.shots is not None
                groups.setdefault(job.shots, []).append(i)
            else:
                out[i] = alone(self, job)
        for shots, members in groups.items():
            pj = [jobs[i] for i in members]

            def call(pj: list[QuantumJob] = pj, shots: int = shots) -> list[BatchResult]:
                sim = self.simulator(pj[0])
                runs = sim.run_batch(
                    [converted(j.circuit) for j in pj],
                    params_list=[resolver(j)[0] for j in pj],
                    repetitions=shots,
                )
                return [
                    BatchResult(
                        [PointResult(counts=records_to_counts(r[0].records, j.circuit))],
                        timings={"transpile": 0.0},
                    )
                    for j, r in zip(pj, runs, strict=True)
                ]

            for i, res in zip(members, packed(pj, call, backend=self), strict=True):
                out[i] = res
        return [o if o is not None else BackendError("not run", backend=self.name) for o in out]

    def _exact(
        self, job: QuantumJob, points: list[dict[str, float]], out: list[PointResult]
    ) -> None:
        import cirq

        circuit = converted(job.circuit, measured=False)
        qubits = cirq.LineQubit.range(job.circuit.num_qubits)
        for i, p in enumerate(points):
            # reversed qubit order puts qubit 0 in the least significant index bit
            result = self.simulator(job).simulate(
                circuit, param_resolver=p, qubit_order=qubits[::-1]
            )
            if job.noise:  # amplitudes whose squares are the mixed state's probabilities
                rho = result.final_density_matrix
                state = np.sqrt(np.clip(np.real(np.diag(rho)), 0.0, None))
            else:
                state = result.final_state_vector
            out[i].probabilities = probabilities_over_clbits(state, job.circuit, backend=self.name)


class QsimBackend(CirqBackend):
    """``cirq.qsim``: Google's qsim through qsimcirq, thread count set explicitly."""

    name = "cirq.qsim"

    def capabilities(self) -> Capabilities:
        """qsim cannot run classically controlled operations."""
        return Capabilities(
            max_qubits=None, batching="run_sweep", classical_conditions=False,
            bytes_per_amplitude=8,
        )  # fmt: skip

    def simulator(self, job: QuantumJob) -> Any:
        """A qsim simulator with ``cpu_threads`` = the job's thread budget."""
        import qsimcirq

        threads = job.threads or 1
        options = qsimcirq.QSimOptions(cpu_threads=threads)  # type: ignore[attr-defined]
        return qsimcirq.QSimSimulator(options, seed=job.seed)  # type: ignore[attr-defined]


def _pauli_string(text: str, qubits: list[Any]) -> Any:
    import cirq

    gates = {"X": cirq.X, "Y": cirq.Y, "Z": cirq.Z}
    terms = parse_observable(text, len(qubits))
    return cirq.PauliString({qubits[q]: gates[p] for q, p in terms.items()})
