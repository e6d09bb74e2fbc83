"""``qiskit.ibm:NAME``: IBM Quantum through qiskit-ibm-runtime primitives (SamplerV2 /
EstimatorV2), non-blocking: ``submit`` returns while the job queues.

Credentials come only from the SDK's own sources (its saved account or its environment
variables); QuantumFlow never reads, stores or logs them. ``qiskit.ibm:fake_NAME`` runs
the same code path in the runtime's local testing mode with a fake backend (offline).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
import warnings
from typing import Any

import numpy as np

from ..errors import BackendError, CredentialsError
from .base import BatchResult, Capabilities, JobHandle, JobStatus, PointResult, QuantumJob
from .classify import classify
from .qiskit_transpile import TRANSPILE_CACHE
from .results import normalize_qiskit_counts, parse_observable, qiskit_label

_STATUS: dict[str, JobStatus] = {
    "INITIALIZING": "queued", "QUEUED": "queued", "VALIDATING": "queued",
    "RUNNING": "running", "DONE": "done", "ERROR": "failed", "CANCELLED": "cancelled",
}  # fmt: skip


#: PUBs per primitive job when the device does not say.
DEFAULT_MAX_PUBS = 300


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


# qiskit-ibm-runtime's own account lookup (its saved account file, its QISKIT_IBM_*
# variables), offline; exit status 0 = an account was found. Nothing is printed.
_ACCOUNT_CHECK = "from qiskit_ibm_runtime.accounts import AccountManager\nAccountManager.get()\n"
_ACCOUNT_TTL_S = 60.0
_account: tuple[float, bool] | None = None


def _has_account() -> bool:
    """Whether qiskit-ibm-runtime would find an IBM Quantum account (kept for a minute).

    Asked in a short-lived interpreter: importing qiskit-ibm-runtime into this process (the
    API server, the engine) made Aer crash when it later ran in-process, and the SDK's
    answer is the only one that follows its rules. The account itself never reaches us.
    """
    global _account  # noqa: PLW0603 - one cached answer per process
    now = time.monotonic()
    if _account is None or now - _account[0] > _ACCOUNT_TTL_S:
        try:
            found = (
                subprocess.run(  # a fixed command, no user input
                    [sys.executable, "-c", _ACCOUNT_CHECK],
                    capture_output=True,
                    timeout=60,
                    check=False,
                ).returncode
                == 0
            )
        except (OSError, subprocess.TimeoutExpired):
            found = False
        _account = (now, found)
    return _account[1]


def missing_credentials(device: str | None) -> str | None:
    """What is missing to use ``qiskit.ibm:DEVICE``, or None (fake devices need nothing)."""
    if (device and device.startswith("fake_")) or _has_account():
        return None
    return (
        "needs credentials: set QISKIT_IBM_TOKEN (and QISKIT_IBM_INSTANCE) or save an "
        "account with QiskitRuntimeService.save_account(...)"
    )


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
        self._contexts: dict[str, Any] = {}  # mode key -> Batch/Session
        self._pass_managers: dict[tuple[int, int | None], Any] = {}
        self._lock = threading.Lock()

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
            with self._lock:
                pm = self._pass_managers.get((level, job.seed))
                if pm is None:  # built once per options: ~0.1 s each, 1,000 tasks share it
                    pm = generate_preset_pass_manager(
                        optimization_level=level, backend=device, seed_transpiler=job.seed
                    )
                    self._pass_managers[(level, job.seed)] = pm
                # a PassManager keeps per-run state: lanes of one run take turns
                return pm.run(qc), params

        key = f"{self.name}|{level}|{job.seed}|{measured}"
        return TRANSPILE_CACHE.get(job.circuit, key, make)

    # --------------------------------------------------------------- execution modes
    def _mode(self, job: QuantumJob) -> Any:
        """What the primitives run in: the run's ``Batch``/``Session`` (opened on first
        use), else the device itself."""
        m = job.mode
        if m is None:
            return self.device()
        with self._lock:
            ctx = self._contexts.get(m.key)
            if ctx is None:
                import qiskit_ibm_runtime as rt

                if m.kind == "session":
                    limit = int(m.max_time_s) if m.max_time_s else None
                    ctx = rt.Session(backend=self.device(), max_time=limit)
                else:
                    ctx = rt.Batch(backend=self.device())
                self._contexts[m.key] = ctx
        return ctx

    def close_mode(self, key: str) -> None:
        """Close the Batch/Session of ``key`` (its jobs still run to completion)."""
        with self._lock:
            ctx = self._contexts.pop(key, None)
        if ctx is not None:
            ctx.close()

    def max_pubs(self) -> int:
        """PUBs one primitive job may carry (the device's ``max_experiments``)."""
        try:
            limit = int(self.device().configuration().max_experiments)
        except Exception:  # a device without the field: IBM's documented default
            limit = DEFAULT_MAX_PUBS
        return max(1, limit)

    # --------------------------------------------------------------- submit
    def _sampler_pub(self, job: QuantumJob) -> tuple[tuple[Any, ...], float]:
        isa, params, t = self._isa(job, measured=True)
        values = _values(job, params)
        return ((isa, values) if values is not None else (isa,)), t

    def _estimator_pub(self, job: QuantumJob) -> tuple[tuple[Any, ...], float]:
        isa, params, t = self._isa(job, measured=False)
        n = job.circuit.num_qubits
        obs = [_obs(o, n, isa) for o in job.observables]
        values = _values(job, params)
        if values is None:
            return (isa, obs), t
        return (isa, obs, values.reshape(-1, 1, values.shape[-1])), t

    def submit(self, job: QuantumJob) -> JobHandle:
        """Transpile (cached) and submit the sampler and/or estimator job; returns at once."""
        (handle,) = self.submit_batch([job])
        if isinstance(handle, BackendError):
            raise handle
        return handle

    def submit_batch(self, jobs: list[QuantumJob]) -> list[JobHandle | BackendError]:
        """Submit several tasks' jobs as few primitive jobs as the device allows (at most
        :meth:`max_pubs` PUBs each, one shot count each); returns one handle per task.

        In local testing mode the sampler is Aer, which seeds PUB ``i`` of a job with
        ``seed + 2113 i``: a seeded job gets a primitive job of its own there, so its
        counts do not depend on batching (a real device takes no seed)."""
        out: list[JobHandle | BackendError | None] = [None] * len(jobs)
        parts: list[dict[str, Any]] = [{"jobs": {}, "pubs": {}, "sizes": {}} for _ in jobs]
        spent = [0.0] * len(jobs)
        groups: dict[tuple[Any, ...], list[tuple[int, tuple[Any, ...]]]] = {}
        for i, job in enumerate(jobs):
            try:
                mode = id(self._mode(job))
                if job.circuit.num_clbits and job.shots:
                    pub, t = self._sampler_pub(job)
                    spent[i] += t
                    key: tuple[Any, ...] = ("sampler", job.shots, self._seed_key(i, job), mode)
                    groups.setdefault(key, []).append((i, pub))
                if job.observables:
                    pub, t = self._estimator_pub(job)
                    spent[i] += t
                    key = ("estimator", None, self._seed_key(i, job), mode)
                    groups.setdefault(key, []).append((i, pub))
            except Exception as exc:
                out[i] = self._error(exc, "rejected the job")
        limit = self.max_pubs()
        for (kind, shots, _, _), found in groups.items():
            members = [(i, pub) for i, pub in found if out[i] is None]
            for start in range(0, len(members), limit):
                chunk = members[start : start + limit]
                first = jobs[chunk[0][0]]
                try:
                    prim = _primitive(kind, self._mode(first), seed=first.seed, local=self.local)
                    pubs = [pub for _, pub in chunk]
                    pj = prim.run(pubs, shots=shots) if kind == "sampler" else prim.run(pubs)
                except Exception as exc:
                    for i, _ in chunk:
                        out[i] = self._error(exc, "rejected the job")
                    continue
                for k, (i, _) in enumerate(chunk):
                    parts[i]["jobs"][kind] = pj
                    parts[i]["pubs"][kind] = k
                    parts[i]["sizes"][kind] = len(chunk)
        done: list[JobHandle | BackendError] = []
        for i, job in enumerate(jobs):
            err = out[i]
            if err is not None:
                done.append(err)
                continue
            p = parts[i]
            ids = {kind: j.job_id() for kind, j in p["jobs"].items()}
            payload = {"job": job, "transpile": spent[i], **p}
            ref = {"jobs": ids, "pubs": dict(p["pubs"])}
            done.append(JobHandle(self.name, ",".join(ids.values()), payload=payload, ref=ref))
        return done

    def _seed_key(self, i: int, job: QuantumJob) -> Any:
        # local mode: a seeded job alone (see submit_batch); otherwise seeds do not matter
        return ("alone", i) if self.local and job.seed is not None else None

    def _error(self, exc: Exception, what: str) -> BackendError:
        return BackendError(
            f"{self.name} {what}: {type(exc).__name__}: {exc}",
            backend=self.name,
            error_class=classify(exc),
        )

    def attach(self, ref: dict[str, Any], job: QuantumJob) -> JobHandle:
        """The handle of jobs an earlier process submitted (``ref`` from its handle).

        Raises:
            BackendError: local testing mode (its jobs live in the process that made them),
                or the provider does not know the job.
        """
        if self.local:
            raise BackendError(
                f"{self.name}: a local testing mode job lives in the process that submitted "
                "it and cannot be re-attached",
                backend=self.name,
            )
        service = self._service()
        ids: dict[str, str] = dict(ref.get("jobs") or {})
        try:
            found = {kind: service.job(jid) for kind, jid in ids.items()}
        except Exception as exc:
            raise self._error(exc, "cannot find its job") from exc
        payload = {"job": job, "transpile": 0.0, "jobs": found, "pubs": dict(ref.get("pubs") or {})}
        return JobHandle(self.name, ",".join(ids.values()), payload=payload, ref=ref)

    def status(self, handle: JobHandle) -> JobStatus:
        """The worst status over the handle's provider jobs."""
        states = []
        for j in handle.payload["jobs"].values():
            raw = j.status()
            states.append(_STATUS.get(getattr(raw, "name", str(raw)).upper(), "running"))
        for s in ("failed", "cancelled", "queued", "running"):
            if s in states:
                return s
        return "done"

    def result(self, handle: JobHandle, *, timeout: float | None = None) -> BatchResult:
        """Wait for the provider jobs and normalize this task's PUBs of them."""
        job: QuantumJob = handle.payload["job"]
        pubs: dict[str, int] = handle.payload.get("pubs") or {}
        sizes: dict[str, int] = handle.payload.get("sizes") or {}
        out = [PointResult() for _ in job.points]
        start = time.perf_counter()
        try:
            if "sampler" in handle.payload["jobs"]:
                res = handle.payload["jobs"]["sampler"].result()[pubs.get("sampler", 0)]
                joined = res.join_data()
                for i in range(len(job.points)):
                    raw = joined.get_counts(loc=i) if joined.shape else joined.get_counts()
                    out[i].counts = normalize_qiskit_counts(raw, job.circuit.num_clbits)
            if "estimator" in handle.payload["jobs"]:
                res = handle.payload["jobs"]["estimator"].result()[pubs.get("estimator", 0)]
                evs = np.asarray(res.data.evs).reshape(len(job.points), len(job.observables))
                for i, row in enumerate(evs):
                    out[i].expectations = dict(zip(job.observables, map(float, row), strict=True))
        except Exception as exc:
            raise self._error(exc, f"job {handle.job_id} failed") from exc
        waited = time.perf_counter() - start
        extra: dict[str, Any] = {"local_testing_mode": self.local}
        if job.mode is not None:
            extra["runtime_mode"] = job.mode.kind
            ctx = self._contexts.get(job.mode.key)
            extra["session_id"] = getattr(ctx, "session_id", None)
        shared = max(sizes.values(), default=1)
        if shared > 1:  # one provider job carried this many tasks' PUBs
            extra["batch"] = {"native_size": shared, "share": 1.0 / shared}
        return BatchResult(
            out,
            timings={
                "transpile": handle.payload["transpile"],
                "queue": 0.0,
                "execute": waited / shared,
            },
            job_id=handle.job_id,
            extra=extra,
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
