"""Shared behaviour of local simulator adapters: run inside ``submit``, estimate by size."""

from __future__ import annotations

import itertools
import time

from ..errors import BackendError, UnsupportedFeatureError
from .base import BatchResult, Capabilities, JobHandle, JobStatus, QuantumJob
from .classify import classify

_ids = itertools.count(1)


class LocalSimulator:
    """Base for in-process simulators. Subclasses set ``name``/``sdk`` and implement
    :meth:`capabilities` and :meth:`run`."""

    name: str = "local"
    sdk: str = "none"

    def capabilities(self) -> Capabilities:  # pragma: no cover - overridden
        """What this simulator can do."""
        raise NotImplementedError

    def run(self, job: QuantumJob) -> BatchResult:  # pragma: no cover - overridden
        """Run ``job`` now and return its results."""
        raise NotImplementedError

    def estimate(self, job: QuantumJob) -> float:
        """A coarse model: gates x amplitudes x points, plus sampling."""
        c = job.circuit
        amps = float(2 ** min(c.num_qubits, 60))
        per_point = 2e-9 * amps * max(1, len(c.ops)) + 1e-7 * (job.shots or 0) + 2e-4
        return per_point * len(job.points)

    def check(self, job: QuantumJob) -> None:
        """Refuse features this simulator lacks (message says 'unsupported')."""
        caps = self.capabilities()
        if job.circuit.has_conditions() and not caps.classical_conditions:
            raise UnsupportedFeatureError(
                f"unsupported feature on {self.name}: classical conditions (if c==k); "
                "use cirq.simulator, qiskit.aer or pennylane:default.qubit",
                backend=self.name,
            )
        if job.observables and not caps.expectations:
            raise UnsupportedFeatureError(
                f"unsupported feature on {self.name}: expectation values", backend=self.name
            )
        if job.noise and not caps.noise:
            raise UnsupportedFeatureError(
                f"unsupported feature on {self.name}: noise models", backend=self.name
            )

    def submit(self, job: QuantumJob) -> JobHandle:
        """Run synchronously; the handle is already done (or failed with the error)."""
        self.check(job)
        handle = JobHandle(self.name, f"local-{next(_ids)}")
        start = time.perf_counter()
        try:
            result = self.run(job)
        except BackendError:
            raise
        except Exception as exc:
            raise BackendError(
                f"{self.name} failed: {type(exc).__name__}: {exc}",
                backend=self.name,
                error_class=classify(exc),
            ) from exc
        result.timings.setdefault("execute", time.perf_counter() - start)
        result.timings.setdefault("queue", 0.0)
        handle.payload = result
        handle.state = "done"
        return handle

    def status(self, handle: JobHandle) -> JobStatus:
        """Local jobs are done once submitted."""
        return handle.state

    def result(self, handle: JobHandle, *, timeout: float | None = None) -> BatchResult:
        """The result computed in :meth:`submit`."""
        if not isinstance(handle.payload, BatchResult):
            raise BackendError(f"job {handle.job_id} has no result", backend=self.name)
        return handle.payload

    def cancel(self, handle: JobHandle) -> None:
        """Nothing to cancel: a local job has already finished."""
        if handle.state != "done":
            handle.state = "cancelled"
