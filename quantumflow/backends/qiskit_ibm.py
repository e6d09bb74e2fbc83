"""``qiskit.ibm:NAME``: IBM Quantum through qiskit-ibm-runtime primitives (SamplerV2 /
EstimatorV2), non-blocking: ``submit`` returns while the job queues.

Credentials come only from the SDK's own sources (its saved account or its environment
variables); QuantumFlow never reads, stores or logs them. ``qiskit.ibm:fake_NAME`` runs
the same code path in the runtime's local testing mode with a fake backend (offline).
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np

from ..errors import BackendError, CredentialsError
from .base import BatchResult, Capabilities, JobHandle, JobStatus, PointResult, QuantumJob
from .classify import classify
from .qiskit_backend import TRANSPILE_CACHE
from .results import normalize_qiskit_counts, parse_observable, qiskit_label

_STATUS: dict[str, JobStatus] = {
    "INITIALIZING": "queued", "QUEUED": "queued", "VALIDATING": "queued",
    "RUNNING": "running", "DONE": "done", "ERROR": "failed", "CANCELLED": "cancelled",
}  # fmt: skip


def _primitive(kind: str, backend: Any, *, seed: int | None, local: bool) -> Any:
    import qiskit_ibm_runtime as rt

    options: dict[str, Any] = {}
    if local and seed is not None:  # local testing mode simulates with Aer: seed it
        options["simulator"] = {"seed_simulator": seed}
    with warnings.catch_warnings():
        # the V2 primitives are deprecated in favour of client-side ones; same API for now
        warnings.simplefilter("ignore", DeprecationWarning)
        cls = rt.SamplerV2 if kind == "sampler" else rt.EstimatorV2
        return cls(mode=backend, options=options)


class IBMBackend:
    """An IBM Quantum device (or a fake one in local testing mode)."""

    sdk = "qiskit"

    def __init__(self, arg: str | None = None) -> None:
        if not arg:
            raise BackendError("qiskit.ibm needs a device name, e.g. qiskit.ibm:ibm_brisbane")
        self.name = f"qiskit.ibm:{arg}"
        self.device_name = arg
        self.local = arg.startswith("fake_")
        self._device: Any = None

    def device(self) -> Any:
        """The runtime backend (fake in local mode); CredentialsError without an account."""
        if self._device is None:
            if self.local:
                from .qiskit_fake import fake_backend

                self._device = fake_backend(self.device_name)
            else:
                self._device = self._service().backend(self.device_name)
        return self._device

    def _service(self) -> Any:
        from qiskit_ibm_runtime import QiskitRuntimeService

        try:
            return QiskitRuntimeService()
        except Exception as exc:
            # the SDK's message may quote account details, so it is not passed on
            raise CredentialsError(
                f"no usable IBM Quantum account for {self.name} ({type(exc).__name__}); save one "
                "with QiskitRuntimeService.save_account(...) or set the QISKIT_IBM_* variables",
                backend=self.name,
            ) from None

    def capabilities(self) -> Capabilities:
        """Remote (queued) unless in local testing mode; qubits of the device."""
        qubits = int(self.device().num_qubits) if self.local else None
        return Capabilities(
            max_qubits=qubits, noise=True, remote=not self.local, batching="primitive PUB arrays"
        )

    def estimate(self, job: QuantumJob) -> float:
        """A coarse device model: shots x points at ~1 kHz plus a fixed overhead."""
        return 2.0 + 1e-3 * (job.shots or 1000) * len(job.points)

    def _isa(self, job: QuantumJob, *, measured: bool) -> tuple[Any, dict[str, Any], float]:
        from qiskit.transpiler import generate_preset_pass_manager

        from .to_qiskit import to_qiskit

        device = self.device()
        level = int((job.transpile or {}).get("optimization_level", 1))
        circuit = job.circuit if measured else job.circuit.without_measurements()

        def make() -> tuple[Any, dict[str, Any]]:
            qc, params = to_qiskit(circuit)
            pm = generate_preset_pass_manager(
                optimization_level=level, backend=device, seed_transpiler=job.seed
            )
            return pm.run(qc), params

        key = f"{self.name}|{level}|{job.seed}|{measured}"
        return TRANSPILE_CACHE.get(job.circuit, key, make)

    def submit(self, job: QuantumJob) -> JobHandle:
        """Transpile (cached) and submit the sampler and/or estimator job; returns at once."""
        jobs: dict[str, Any] = {}
        timing = 0.0
        try:
            if job.circuit.num_clbits and job.shots:
                isa, params, t = self._isa(job, measured=True)
                timing += t
                values = _values(job, params)
                pub = (isa, values) if values is not None else (isa,)
                jobs["sampler"] = _primitive(
                    "sampler", self.device(), seed=job.seed, local=self.local
                ).run([pub], shots=job.shots)
            if job.observables:
                isa, params, t = self._isa(job, measured=False)
                timing += t
                n = job.circuit.num_qubits
                obs = [_obs(o, n, isa) for o in job.observables]
                values = _values(job, params)
                epub = (
                    (isa, obs)
                    if values is None
                    else (isa, obs, values.reshape(-1, 1, values.shape[-1]))
                )
                jobs["estimator"] = _primitive(
                    "estimator", self.device(), seed=job.seed, local=self.local
                ).run([epub])
        except BackendError:
            raise
        except Exception as exc:
            raise BackendError(
                f"{self.name} rejected the job: {type(exc).__name__}: {exc}",
                backend=self.name, error_class=classify(exc),
            ) from exc  # fmt: skip
        ids = ",".join(j.job_id() for j in jobs.values())
        handle = JobHandle(self.name, ids, payload={"jobs": jobs, "job": job, "transpile": timing})
        return handle

    def status(self, handle: JobHandle) -> JobStatus:
        """The worst status over the handle's provider jobs."""
        states = []
        for j in handle.payload["jobs"].values():
            raw = j.status()
            states.append(_STATUS.get(getattr(raw, "name", str(raw)).upper(), "running"))
        for s in ("failed", "cancelled", "queued", "running"):
            if s in states:
                return s  # type: ignore[return-value]
        return "done"

    def result(self, handle: JobHandle, *, timeout: float | None = None) -> BatchResult:
        """Wait for the provider jobs and normalize their results."""
        job: QuantumJob = handle.payload["job"]
        out = [PointResult() for _ in job.points]
        start = time.perf_counter()
        try:
            if "sampler" in handle.payload["jobs"]:
                res = handle.payload["jobs"]["sampler"].result()[0]
                joined = res.join_data()
                for i in range(len(job.points)):
                    raw = joined.get_counts(loc=i) if joined.shape else joined.get_counts()
                    out[i].counts = normalize_qiskit_counts(raw, job.circuit.num_clbits)
            if "estimator" in handle.payload["jobs"]:
                res = handle.payload["jobs"]["estimator"].result()[0]
                evs = np.asarray(res.data.evs).reshape(len(job.points), len(job.observables))
                for i, row in enumerate(evs):
                    out[i].expectations = dict(zip(job.observables, map(float, row), strict=True))
        except Exception as exc:
            raise BackendError(
                f"{self.name} job {handle.job_id} failed: {type(exc).__name__}: {exc}",
                backend=self.name, error_class=classify(exc),
            ) from exc  # fmt: skip
        waited = time.perf_counter() - start
        return BatchResult(
            out,
            timings={"transpile": handle.payload["transpile"], "queue": 0.0, "execute": waited},
            job_id=handle.job_id,
            extra={"local_testing_mode": self.local},
        )

    def cancel(self, handle: JobHandle) -> None:
        """Cancel every provider job of the handle (best effort if already finished)."""
        for j in handle.payload["jobs"].values():
            try:
                j.cancel()
            except Exception as exc:  # finished jobs cannot be cancelled; that is fine
                handle.state = "cancelled"
                del exc
        handle.state = "cancelled"


def _values(job: QuantumJob, params: dict[str, Any]) -> Any:
    if not params:
        return None
    names = list(params)
    job.require_values(names)
    # PUB parameter values follow the circuit's own (sorted) parameter order
    return np.array([[p[n] for n in sorted(names)] for p in job.points])


def _obs(text: str, n: int, isa: Any) -> Any:
    from qiskit.quantum_info import SparsePauliOp

    op = SparsePauliOp(qiskit_label(parse_observable(text, n), n))
    return op.apply_layout(isa.layout) if isa.layout is not None else op
