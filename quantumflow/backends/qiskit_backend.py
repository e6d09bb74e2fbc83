"""Qiskit adapters: ``qiskit.aer`` (AerSimulator, optional noise) and ``qiskit.fake:NAME``
(a qiskit-ibm-runtime fake backend: its coupling map, basis and noise, transpiled).

Transpilation goes through :mod:`.qiskit_transpile` (cached per circuit, one pass manager
per simulator and options). Sweeps use Aer ``parameter_binds`` (counts) and Aer
``EstimatorV2`` with a parameter array (expectations): one native batch each. Batches of
tasks go through :meth:`AerBackend.run_batch` (:mod:`.qiskit_batch`). Circuits with
mid-circuit measurement or reset run with Aer's shot branching, which simulates a shot
only where outcomes differ.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .._cache import IdentityCache
from ..circuits.ir import Circuit
from ..errors import BackendError, UnsupportedFeatureError
from .base import BatchResult, Capabilities, PointResult, QuantumJob
from .exact import probabilities_over_clbits
from .local import LocalSimulator
from .qiskit_transpile import CACHE_SIZE, TRANSPILE_CACHE, is_dynamic, summary, transpile_for
from .results import normalize_qiskit_counts, parse_observable, qiskit_label

__all__ = ["TRANSPILE_CACHE", "AerBackend", "build_noise_model", "is_dynamic"]


class AerBackend(LocalSimulator):
    """``qiskit.aer``: Qiskit Aer's AerSimulator (``noise`` builds a NoiseModel)."""

    sdk = "qiskit"

    def __init__(self, arg: str | None = None) -> None:
        self.name = "qiskit.aer" if not arg else f"qiskit.aer:{arg}"
        self.method = arg or "automatic"
        self._sims: dict[tuple[Any, ...], Any] = {}

    def capabilities(self) -> Capabilities:
        """Aer runs anything memory allows, with noise and native batches."""
        return Capabilities(
            max_qubits=None, noise=True, batching="parameter_binds, EstimatorV2 arrays"
        )

    # --------------------------------------------------------------- pieces
    def target_backend(self, job: QuantumJob) -> Any:
        """The AerSimulator to transpile for and run on (cached per options)."""
        from qiskit_aer import AerSimulator

        dynamic = is_dynamic(job.circuit)
        key = (self.method, job.threads, repr(sorted((job.noise or {}).items())), dynamic)
        sim = self._sims.get(key)
        if sim is None:
            opts: dict[str, Any] = {"method": self.method}
            if job.threads:
                opts["max_parallel_threads"] = job.threads
            if job.noise:
                opts["noise_model"] = build_noise_model(job.noise)
            if dynamic:
                opts["shot_branching_enable"] = True
            sim = AerSimulator(**opts)
            self._sims[key] = sim
        return sim

    def transpile_options(self, job: QuantumJob) -> dict[str, Any]:
        """Options passed to ``qiskit.transpile`` (seeded for reproducible layouts)."""
        opts = {"optimization_level": 1, **(job.transpile or {})}
        if job.seed is not None:
            opts.setdefault("seed_transpiler", job.seed)
        return opts

    def prepared(self, job: QuantumJob, *, measured: bool) -> tuple[Any, dict[str, Any], float]:
        """Transpiled circuit (cached) and its Parameter objects by name."""
        from .to_qiskit import to_qiskit

        sim = self.target_backend(job)
        opts = self.transpile_options(job)
        circuit = job.circuit if measured else _measurefree_cache(job.circuit)

        def make() -> tuple[Any, dict[str, Any]]:
            qc, params = to_qiskit(circuit)
            return transpile_for(sim, qc, opts), params

        key = f"{self.name}|{id(sim)}|{sorted(opts.items())}|{measured}"
        return TRANSPILE_CACHE.get(circuit, key, make)

    def estimator_backend_options(self, job: QuantumJob) -> dict[str, Any]:
        """Extra AerSimulator options for the EstimatorV2 path (noise)."""
        return {"noise_model": build_noise_model(job.noise)} if job.noise else {}

    # --------------------------------------------------------------- run
    def run_batch(self, jobs: list[QuantumJob]) -> list[BatchResult | BackendError]:
        """Several tasks' jobs in as few Aer calls as their seeds allow (see
        :mod:`.qiskit_batch`)."""
        from .qiskit_batch import aer_run_batch

        return aer_run_batch(self, jobs)

    def run(self, job: QuantumJob) -> BatchResult:
        """Run counts and/or expectations for every point as one native batch each."""
        results = [PointResult() for _ in job.points]
        timings = {"transpile": 0.0, "execute": 0.0}
        transpiled: dict[str, Any] = {}
        if job.circuit.num_clbits and (job.shots or not job.observables):
            tqc, params, t = self.prepared(job, measured=True)
            timings["transpile"] += t
            transpiled = summary(tqc)
            start = time.perf_counter()
            self._sample(job, tqc, params, results)
            timings["execute"] += time.perf_counter() - start
        if job.observables:
            tqc, params, t = self.prepared(job, measured=False)
            timings["transpile"] += t
            transpiled = transpiled or summary(tqc)
            start = time.perf_counter()
            self._estimate(job, tqc, params, results)
            timings["execute"] += time.perf_counter() - start
        return BatchResult(results, transpiled=transpiled, timings=timings)

    def _binds(self, job: QuantumJob, params: dict[str, Any]) -> list[dict[Any, list[float]]]:
        job.require_values(params, backend=self.name)
        return [{params[n]: [p[n] for p in job.points] for n in params}] if params else []

    def _sample(
        self, job: QuantumJob, tqc: Any, params: dict[str, Any], out: list[PointResult]
    ) -> None:
        width = job.circuit.num_clbits
        if job.shots is None:
            from qiskit.quantum_info import Statevector

            from .to_qiskit import to_qiskit

            qc, ps = to_qiskit(job.circuit.without_measurements())
            for i, point in enumerate(job.points):
                bound = qc.assign_parameters({ps[n]: point[n] for n in ps}) if ps else qc
                sv = Statevector(bound).data
                out[i].probabilities = probabilities_over_clbits(sv, job.circuit, backend=self.name)
            return
        sim = self.target_backend(job)
        kwargs: dict[str, Any] = {"shots": job.shots}
        if job.seed is not None:
            kwargs["seed_simulator"] = job.seed
        binds = self._binds(job, params)
        if binds:
            kwargs["parameter_binds"] = binds
        result = sim.run(tqc, **kwargs).result()
        if not result.success:
            raise BackendError(f"{self.name} failed: {result.status}", backend=self.name)
        for i in range(len(job.points)):
            raw = result.get_counts(i) if binds else result.get_counts()
            out[i].counts = normalize_qiskit_counts(raw, width)

    def _estimate(
        self, job: QuantumJob, tqc: Any, params: dict[str, Any], out: list[PointResult]
    ) -> None:
        from qiskit.quantum_info import SparsePauliOp
        from qiskit_aer.primitives import EstimatorV2

        n = job.circuit.num_qubits
        observables = [
            SparsePauliOp(qiskit_label(parse_observable(o, n), n)) for o in job.observables
        ]
        if tqc.layout is not None:
            observables = [o.apply_layout(tqc.layout) for o in observables]
        names = list(params)
        self._binds(job, params)
        values = np.array([[p[nm] for nm in names] for p in job.points]) if names else None
        opts: dict[str, Any] = {"backend_options": {}, "run_options": {}}
        if job.threads:
            opts["backend_options"]["max_parallel_threads"] = job.threads
        opts["backend_options"].update(self.estimator_backend_options(job))
        if job.seed is not None:
            opts["run_options"]["seed"] = job.seed
        # simulator expectations are exact (of the noisy model, if any): no fake shot noise
        est = EstimatorV2(options={**opts, "default_precision": 0.0})
        # bindings shaped (points, 1) broadcast against (observables,) -> (points, observables)
        pub: tuple[Any, ...] = (tqc, observables)
        if values is not None:
            pub = (tqc, observables, values.reshape(-1, 1, len(names)))
        evs = np.asarray(est.run([pub]).result()[0].data.evs)
        evs = evs.reshape(len(job.points), len(job.observables))
        for i, row in enumerate(evs):
            out[i].expectations = {o: float(v) for o, v in zip(job.observables, row, strict=True)}


def _measurement_free(circuit: Circuit) -> Circuit:
    stripped = circuit.without_measurements()
    if not stripped.measurements_are_terminal() and circuit.has_conditions():
        raise UnsupportedFeatureError("unsupported: expectation values of a conditioned circuit")
    return stripped


#: The measurement-free copy, memoized per circuit object (keeps the transpile cache hot).
_measurefree_cache: IdentityCache[Circuit, Circuit] = IdentityCache(
    _measurement_free, size=CACHE_SIZE
)


def build_noise_model(noise: dict[str, Any]) -> Any:
    """A NoiseModel from ``{depolarizing: p1, depolarizing_2q: p2, readout: p}``."""
    from qiskit_aer.noise import NoiseModel, ReadoutError, depolarizing_error

    known = {"depolarizing", "depolarizing_2q", "readout"}
    unknown = set(noise) - known
    if unknown:
        raise UnsupportedFeatureError(
            f"unsupported noise option(s) {sorted(unknown)}; known: {sorted(known)}"
        )
    model = NoiseModel()
    p1 = float(noise.get("depolarizing", 0.0))
    p2 = float(noise.get("depolarizing_2q", p1))
    if p1:
        model.add_all_qubit_quantum_error(
            depolarizing_error(p1, 1),
            ["x", "y", "z", "h", "s", "sdg", "t", "tdg", "sx", "rx", "ry", "rz", "p", "u"],
        )
    if p2:
        model.add_all_qubit_quantum_error(
            depolarizing_error(p2, 2), ["cx", "cz", "cy", "swap", "cp", "rzz", "rxx", "ryy", "ecr"]
        )
    pr = float(noise.get("readout", 0.0))
    if pr:
        model.add_all_qubit_readout_error(ReadoutError([[1 - pr, pr], [pr, 1 - pr]]))
    return model
