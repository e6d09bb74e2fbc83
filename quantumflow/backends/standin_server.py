"""A stand-in for a cloud quantum service: a small HTTP job queue in its own process.

It exists so that what only a cloud provider shows — jobs that outlive the process that
submitted them — can be exercised offline: kill the engine while its job waits here,
``resume``, and the job is collected, not submitted again. Run it with::

    python -m quantumflow.backends.standin_server --port 8765 --delay-s 3 [--state jobs.json]

and use the backend ``standin:127.0.0.1:8765`` (:mod:`quantumflow.backends.standin`).

Protocol (JSON): ``POST /jobs`` with ``{"circuits": [{"qasm", "shots", "seed"}, ...]}``
answers ``{"id"}``; ``GET /jobs/ID`` answers ``{"id", "status", "results"?, "error"?}``
(``queued`` until ``delay_s`` after submission, then ``done`` with one ``{"counts"}`` or
``{"probabilities"}`` per circuit); ``DELETE /jobs/ID`` cancels; ``GET /jobs`` lists every
job ever submitted (``id``, ``status``, ``circuits``, ``submitted_at``). Circuits are
simulated exactly with QuantumFlow's reference simulator (small circuits only), counts
sampled with the circuit's seed. With ``--state`` the jobs survive a restart of the server.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np

MAX_QUBITS = 12
MAX_BODY = 4 * 1024 * 1024


def simulate(circuit: dict[str, Any]) -> dict[str, Any]:
    """One circuit's result: counts (seeded) or exact probabilities (``shots`` null)."""
    from ..circuits import parse_qasm
    from ..circuits.reference import statevector
    from .exact import probabilities_over_clbits

    c = parse_qasm(str(circuit["qasm"]))
    if c.num_qubits > MAX_QUBITS:
        raise ValueError(f"the stand-in simulates at most {MAX_QUBITS} qubits")
    probs = probabilities_over_clbits(statevector(c), c, backend="standin")
    shots = circuit.get("shots")
    if shots is None:
        return {"probabilities": probs}
    keys = sorted(probs)
    p = np.array([probs[k] for k in keys])
    drawn = np.random.default_rng(circuit.get("seed")).multinomial(int(shots), p / p.sum())
    return {"counts": {k: int(n) for k, n in zip(keys, drawn, strict=True) if n}}


class Service:
    """The jobs, their timing and their persistence."""

    def __init__(self, *, delay_s: float, state: Path | None) -> None:
        self.delay_s = delay_s
        self.state = state
        self.lock = threading.Lock()
        self.jobs: dict[str, dict[str, Any]] = {}
        if state is not None and state.exists():
            self.jobs = json.loads(state.read_text())

    def _save(self) -> None:
        if self.state is not None:
            tmp = self.state.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.jobs))
            tmp.replace(self.state)

    def submit(self, circuits: list[dict[str, Any]]) -> str:
        job_id = uuid.uuid4().hex
        with self.lock:
            self.jobs[job_id] = {
                "id": job_id,
                "status": "queued",
                "circuits": circuits,
                "submitted_at": time.time(),
            }
            self._save()
        return job_id

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None:
                return None
            if job["status"] == "queued" and time.time() >= job["submitted_at"] + self.delay_s:
                try:
                    job["results"] = [simulate(c) for c in job["circuits"]]
                    job["status"] = "done"
                except Exception as exc:  # a circuit it cannot run fails the job
                    job["status"], job["error"] = "failed", f"{type(exc).__name__}: {exc}"
                self._save()
            return {k: v for k, v in job.items() if k != "circuits"}

    def cancel(self, job_id: str) -> bool:
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None:
                return False
            if job["status"] == "queued":
                job["status"] = "cancelled"
                self._save()
            return True

    def listing(self) -> list[dict[str, Any]]:
        with self.lock:
            return [
                {"id": j["id"], "status": j["status"], "circuits": len(j["circuits"]),
                 "submitted_at": j["submitted_at"]}
                for j in self.jobs.values()
            ]  # fmt: skip


def handler(service: Service) -> type[BaseHTTPRequestHandler]:
    """The request handler bound to ``service``."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read the job list, not the access log."""

        def _send(self, code: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _job_id(self) -> str | None:
            parts = self.path.strip("/").split("/")
            return parts[1] if len(parts) == 2 and parts[0] == "jobs" else None

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/jobs":
                self._send(200, service.listing())
                return
            job_id = self._job_id()
            job = service.get(job_id) if job_id else None
            if job:
                self._send(200, job)
            else:
                self._send(404, {"error": "no such job"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if self.path.rstrip("/") != "/jobs" or not 0 < length <= MAX_BODY:
                self._send(400, {"error": "POST /jobs with a JSON body"})
                return
            try:
                body = json.loads(self.rfile.read(length))
                circuits = [dict(c) for c in body["circuits"]]
            except (ValueError, KeyError, TypeError) as exc:
                self._send(400, {"error": f"bad job: {exc}"})
                return
            self._send(201, {"id": service.submit(circuits)})

        def do_DELETE(self) -> None:
            job_id = self._job_id()
            if job_id and service.cancel(job_id):
                self._send(200, {"cancelled": True})
            else:
                self._send(404, {"error": "no such job"})

    return Handler


def main(argv: list[str] | None = None) -> None:
    """Serve until killed; the bound port is printed (and written to ``--port-file``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--delay-s", type=float, default=2.0, help="queue time of every job")
    parser.add_argument("--state", type=Path, default=None, help="keep jobs in this file")
    parser.add_argument("--port-file", type=Path, default=None)
    args = parser.parse_args(argv)
    service = Service(delay_s=args.delay_s, state=args.state)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler(service))
    port = server.server_address[1]
    if args.port_file is not None:
        args.port_file.write_text(str(port))
    print(f"stand-in quantum service on 127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
