"""``standin:HOST:PORT``: the cloud backend that talks to the stand-in service
(:mod:`.standin_server`), registered through the ``quantumflow.backends`` entry point
exactly as a third-party backend would be.

It behaves like a provider's backend: ``submit``/``submit_batch`` return as soon as the
service has queued the job (several tasks' circuits in one job), ``result`` polls until the
job is done, ``attach`` finds a job again by its id from another process, ``cancel``
cancels it. Network trouble and the service's 5xx answers are transient errors; a job the
service failed or an unknown job id are permanent.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from ..errors import BackendError
from .base import BatchResult, Capabilities, JobHandle, JobStatus, PointResult, QuantumJob
from .classify import classify

POLL_S = 0.1


@dataclass(frozen=True)
class StandinCapabilities(Capabilities):
    """Capabilities plus the jobs the engine keeps in the service's queue at once."""

    max_jobs: int = 4


class StandinBackend:
    """A client of one stand-in service (``standin:127.0.0.1:8765``)."""

    sdk = "standin"

    def __init__(self, arg: str | None = None) -> None:
        if not arg:
            raise BackendError("standin needs the service's address, e.g. standin:127.0.0.1:8765")
        self.name = f"standin:{arg}"
        self.url = f"http://{arg}"

    def capabilities(self) -> Capabilities:
        """A remote queue; small circuits (the service simulates exactly)."""
        return StandinCapabilities(max_qubits=12, remote=True, batching="many circuits per job")

    def estimate(self, job: QuantumJob) -> float:
        """The service's queue dominates: about a second."""
        return 1.0

    # --------------------------------------------------------------- HTTP
    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(  # noqa: S310 - http(s) to the address the user named
            self.url + path, data=data, method=method,
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")[:200]
            raise BackendError(
                f"{self.name}: {method} {path} answered {exc.code}: {detail}",
                backend=self.name,
                error_class=classify(exc),
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            raise BackendError(
                f"{self.name}: cannot reach the service ({exc})",
                backend=self.name,
                error_class="network",
            ) from None

    # --------------------------------------------------------------- jobs
    def _circuits(self, job: QuantumJob) -> list[dict[str, Any]]:
        from ..circuits.qasm_out import to_qasm3

        if job.observables:
            raise BackendError(
                f"unsupported on {self.name}: expectation values", backend=self.name,
                error_class="unsupported",
            )  # fmt: skip
        free = job.circuit.free_parameters()
        job.require_values(free, backend=self.name)
        return [
            {"qasm": to_qasm3(job.circuit.bind({n: p[n] for n in free})), "shots": job.shots,
             "seed": job.seed}
            for p in job.points
        ]  # fmt: skip

    def submit(self, job: QuantumJob) -> JobHandle:
        """Queue the job's circuits (one per sweep point) as one service job."""
        (handle,) = self.submit_batch([job])
        if isinstance(handle, BackendError):
            raise handle
        return handle

    def submit_batch(self, jobs: list[QuantumJob]) -> list[JobHandle | BackendError]:
        """All tasks' circuits in one service job; each task's handle names its slice."""
        out: list[JobHandle | BackendError] = []
        circuits: list[dict[str, Any]] = []
        slices: list[tuple[int, int] | None] = []
        for job in jobs:
            try:
                mine = self._circuits(job)
            except BackendError as exc:
                out.append(exc)
                slices.append(None)
                continue
            slices.append((len(circuits), len(mine)))
            circuits.extend(mine)
            out.append(BackendError("not submitted"))
        if not circuits:
            return out
        job_id = str(self._call("POST", "/jobs", {"circuits": circuits})["id"])
        for i, (job, where) in enumerate(zip(jobs, slices, strict=True)):
            if where is not None:
                ref = {"job_id": job_id, "first": where[0], "count": where[1]}
                out[i] = JobHandle(self.name, job_id, payload=job, ref=ref)
        return out

    def attach(self, ref: dict[str, Any], job: QuantumJob) -> JobHandle:
        """The handle of a job submitted earlier (``ref`` from its handle)."""
        job_id = str(ref["job_id"])
        self._call("GET", f"/jobs/{job_id}")  # 404 -> BackendError: resubmitted by the engine
        return JobHandle(self.name, job_id, payload=job, ref=dict(ref))

    def status(self, handle: JobHandle) -> JobStatus:
        """``queued``, ``done``, ``failed`` or ``cancelled``."""
        state = str(self._call("GET", f"/jobs/{handle.job_id}")["status"])
        return state if state in ("queued", "running", "done", "failed", "cancelled") else "running"  # type: ignore[return-value]

    def result(self, handle: JobHandle, *, timeout: float | None = None) -> BatchResult:
        """Poll until the job is done; this task's slice of its results."""
        start = time.perf_counter()
        while True:
            info = self._call("GET", f"/jobs/{handle.job_id}")
            if info["status"] == "done":
                break
            if info["status"] in ("failed", "cancelled"):
                raise BackendError(
                    f"{self.name}: job {handle.job_id} {info['status']}: {info.get('error', '')}",
                    backend=self.name,
                )
            if timeout is not None and time.perf_counter() - start > timeout:
                raise BackendError(
                    f"{self.name}: job {handle.job_id} still queued after {timeout:g} s",
                    backend=self.name,
                    error_class="queue_timeout",
                )
            time.sleep(POLL_S)
        ref = handle.ref or {"first": 0, "count": 1}
        mine = info["results"][ref["first"] : ref["first"] + ref["count"]]
        points = [
            PointResult(counts=r.get("counts"), probabilities=r.get("probabilities")) for r in mine
        ]
        waited = time.perf_counter() - start
        return BatchResult(points, timings={"queue": waited, "execute": 0.0}, job_id=handle.job_id)

    def cancel(self, handle: JobHandle) -> None:
        """Cancel the job at the service."""
        self._call("DELETE", f"/jobs/{handle.job_id}")
        handle.state = "cancelled"
