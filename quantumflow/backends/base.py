"""The Backend protocol every adapter implements, and the small types it speaks.

A backend gets a :class:`QuantumJob` (an IR circuit, its parameter points, shots, …) and
answers non-blockingly: :meth:`Backend.submit` returns a :class:`JobHandle` at once;
:meth:`Backend.status`, :meth:`Backend.result` and :meth:`Backend.cancel` take it.
Local simulators may finish inside ``submit``; remote ones return while the job queues.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from ..circuits.ir import Circuit
from ..errors import BackendError

JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do; ``max_qubits`` None means "limited by memory only"."""

    max_qubits: int | None
    native_gates: tuple[str, ...] = ()
    shots: bool = True
    expectations: bool = True
    exact: bool = True
    noise: bool = False
    batching: str = "none"
    remote: bool = False
    mid_circuit_measurement: bool = True
    classical_conditions: bool = True
    bytes_per_amplitude: int = 16

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (for ``quantumflow backends --json``)."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


BackendState = Literal["ready", "needs_credentials", "sdk_missing", "unavailable"]


@dataclass(frozen=True)
class BackendInfo:
    """One row of ``list_backends()``.

    ``usable`` is False when its SDK is missing or it needs credentials that are not set;
    ``state`` says which (``ready``, ``needs_credentials``, ``sdk_missing``,
    ``unavailable``) and ``note`` what to do about it.
    """

    name: str
    sdk: str
    installed: bool
    usable: bool
    capabilities: dict[str, Any] | None = None
    note: str = ""
    state: BackendState = "ready"


@dataclass(frozen=True)
class ExecutionMode:
    """How a cloud backend groups a run's jobs (IBM Runtime: ``Batch`` or ``Session``).

    Attributes:
        kind: ``batch`` (independent jobs, scheduled together) or ``session`` (an iterative
            chain holding the device between jobs).
        key: the jobs sharing one context (a run and a backend).
        max_time_s: a session's time limit (from the plan), None for the provider's default.
    """

    kind: Literal["batch", "session"]
    key: str
    max_time_s: float | None = None


@dataclass(frozen=True)
class QuantumJob:
    """Everything a backend needs to run one task (a sweep is many ``points``)."""

    circuit: Circuit
    points: tuple[dict[str, float], ...] = ({},)
    shots: int | None = 1024
    seed: int | None = None
    observables: tuple[str, ...] = ()
    noise: dict[str, Any] | None = None
    transpile: dict[str, Any] | None = None
    threads: int | None = None
    mode: ExecutionMode | None = None

    def require_values(self, names: Iterable[str], *, backend: str | None = None) -> None:
        """Refuse the job if some point leaves one of the circuit parameters ``names`` unset.

        Raises:
            BackendError: naming every parameter without a value (not retryable).
        """
        missing = sorted(n for n in names if any(n not in p for p in self.points))
        if missing:
            raise BackendError(
                f"circuit parameter(s) {', '.join(missing)} have no value; pass them as task "
                "inputs or a sweep",
                backend=backend,
            )


@dataclass
class PointResult:
    """The answer for one parameter point (counts keyed with clbit 0 rightmost)."""

    counts: dict[str, int] | None = None
    expectations: dict[str, float] | None = None
    probabilities: dict[str, float] | None = None


@dataclass
class BatchResult:
    """What :meth:`Backend.result` returns: one :class:`PointResult` per point + metadata."""

    points: list[PointResult]
    transpiled: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    job_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class JobHandle:
    """A submitted job: ``payload`` is the adapter's own (an SDK job, or a finished result).

    ``ref`` (remote backends) is plain JSON-able data from which the adapter's ``attach``
    finds the job again in another process: the engine stores it before waiting.
    """

    backend: str
    job_id: str
    payload: Any = None
    submitted_at: float = field(default_factory=time.time)
    state: JobStatus = "queued"
    ref: dict[str, Any] | None = None


@runtime_checkable
class Backend(Protocol):
    """A quantum backend. Third parties implement this and register an entry point."""

    name: str
    sdk: str

    def capabilities(self) -> Capabilities:
        """What this backend can do."""
        ...

    def estimate(self, job: QuantumJob) -> float:
        """Predicted seconds to run ``job`` (queue excluded)."""
        ...

    def submit(self, job: QuantumJob) -> JobHandle:
        """Start ``job`` and return at once (local simulators may already be done)."""
        ...

    def status(self, handle: JobHandle) -> JobStatus:
        """Where the job is now."""
        ...

    def result(self, handle: JobHandle, *, timeout: float | None = None) -> BatchResult:
        """Wait for and return the job's normalized results."""
        ...

    def cancel(self, handle: JobHandle) -> None:
        """Cancel the job, at the provider too for remote jobs."""
        ...


# Optional methods an adapter may add (looked up with getattr):
#   run_batch(jobs) -> list[BatchResult | BackendError]     several tasks, few native calls
#   submit_batch(jobs) -> list[JobHandle | BackendError]    remote: few provider jobs
#   attach(ref, job) -> JobHandle                           remote: a job submitted earlier
#   close_mode(key) -> None                                 remote: end a Batch/Session
