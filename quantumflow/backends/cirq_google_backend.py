"""``cirq.google:PROCESSOR``: Google Quantum AI processors through cirq-google.

Processors of cirq-google's device templates (``rainbow``, ``weber``, ``willow_pink``)
run offline on its virtual engine (noiseless, same device constraints); other names go
to the real Engine, whose credentials come from Google Cloud's own environment. Circuits
are routed onto the device graph and compiled to its gate set before running.
"""

from __future__ import annotations

import functools
import time
from typing import Any

from .._cache import IdentityCache
from ..circuits.ir import Circuit
from ..errors import BackendError, CredentialsError, UnsupportedFeatureError
from .base import BatchResult, Capabilities, PointResult, QuantumJob
from .cirq_backend import converted, records_to_counts, resolver
from .local import LocalSimulator


@functools.lru_cache(maxsize=1)
def _virtual_engine() -> Any:
    from cirq_google.engine import virtual_engine_factory

    return virtual_engine_factory.create_noiseless_virtual_engine_from_latest_templates()


class GoogleBackend(LocalSimulator):
    """A Google processor (virtual when it is one of the templates)."""

    sdk = "cirq"

    def __init__(self, arg: str | None = None) -> None:
        if not arg:
            raise BackendError("cirq.google needs a processor id, e.g. cirq.google:rainbow")
        self.name = f"cirq.google:{arg}"
        self.processor_id = arg
        self._processor: Any = None
        self._compiled: IdentityCache[Circuit, Any] = IdentityCache(self._compile)

    def processor(self) -> Any:
        """The (virtual or real) Engine processor."""
        if self._processor is None:
            engine = _virtual_engine()
            known = {p.processor_id for p in engine.list_processors()}
            if self.processor_id in known:
                self._processor = engine.get_processor(self.processor_id)
            else:
                import cirq_google

                try:
                    self._processor = cirq_google.get_engine().get_processor(self.processor_id)
                except Exception as exc:
                    raise CredentialsError(
                        f"cannot reach Google Quantum Engine for {self.name} "
                        f"({type(exc).__name__}); virtual processors: {', '.join(sorted(known))}",
                        backend=self.name,
                    ) from None
        return self._processor

    def capabilities(self) -> Capabilities:
        """Device-sized; no classical conditions (routing cannot carry them)."""
        qubits = len(self.processor().get_device().metadata.qubit_set)
        return Capabilities(
            max_qubits=qubits, remote=False, classical_conditions=False, batching="run_sweep",
            bytes_per_amplitude=8,
        )  # fmt: skip

    def compiled(self, job: QuantumJob) -> tuple[Any, float]:
        """Route onto the device graph and compile to its gate set (cached per circuit); the
        seconds spent compiling (0 when it was cached)."""
        if job.circuit in self._compiled:
            return self._compiled(job.circuit), 0.0
        start = time.perf_counter()
        final = self._compiled(job.circuit)
        return final, time.perf_counter() - start

    def _compile(self, circuit: Circuit) -> Any:
        import cirq

        if not circuit.measurements_are_terminal():
            raise UnsupportedFeatureError(
                f"unsupported on {self.name}: mid-circuit measurement or reset", backend=self.name
            )
        device = self.processor().get_device()
        routed = cirq.RouteCQC(device.metadata.nx_graph)(converted(circuit))
        gateset = device.metadata.compilation_target_gatesets[0]
        return cirq.optimize_for_target_gateset(routed, gateset=gateset)

    def run(self, job: QuantumJob) -> BatchResult:
        """Sampled counts through the processor's sampler (expectations unsupported)."""
        import cirq

        if job.observables or job.shots is None:
            raise UnsupportedFeatureError(
                f"unsupported on {self.name}: expectation values / exact probabilities; "
                "request counts with shots",
                backend=self.name,
            )
        circuit, t = self.compiled(job)
        points = resolver(job)
        sampler = self.processor().get_sampler()
        start = time.perf_counter()
        sweep = cirq.ListSweep(points) if points[0] else cirq.UnitSweep
        runs = sampler.run_sweep(circuit, params=sweep, repetitions=job.shots)
        out = [PointResult(counts=records_to_counts(r.records, job.circuit)) for r in runs]
        timings = {"transpile": t, "execute": time.perf_counter() - start}
        depth = len(circuit)
        gates: dict[str, int] = {}
        for op in circuit.all_operations():
            key = str(op.gate.__class__.__name__ if op.gate else op)
            gates[key] = gates.get(key, 0) + 1
        return BatchResult(
            out, transpiled={"depth": depth, "gates": gates}, timings=timings,
            extra={"virtual_engine": True},
        )  # fmt: skip
