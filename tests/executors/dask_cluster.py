"""A real Dask cluster for tests: ``dask scheduler`` and ``dask worker`` subprocesses on loopback.

Workers run without a nanny, so killing one (SIGKILL) removes it for good, as a lost machine.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DASK = str(Path(sys.executable).parent / "dask")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """Handles of the scheduler and worker processes this test started."""

    address: str
    scheduler: subprocess.Popen[bytes]
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    log_dir: Path = ROOT

    def kill_worker(self, name: str) -> None:
        proc = self.workers[name]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop(self) -> None:
        for proc in [*self.workers.values(), self.scheduler]:
            if proc.poll() is None:
                proc.terminate()
        for proc in [*self.workers.values(), self.scheduler]:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _spawn(args: list[str], log: Path, extra_env: dict[str, str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **extra_env}
    with open(log, "wb") as fh:
        return subprocess.Popen(
            [DASK, *args], stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=ROOT
        )


def start_cluster(
    log_dir: Path,
    *,
    workers: dict[str, str],
    nthreads: int = 2,
    timeout_s: float = 60,
    scheduler_env: dict[str, str] | None = None,
) -> Cluster:
    """Start a scheduler and one worker per ``name -> resources`` ("qpu_sim=1" or "").

    ``scheduler_env`` adds environment variables (Dask config) to the scheduler process.
    """
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    sched = _spawn(
        # --idle-timeout: a scheduler orphaned by a crashed test run exits by itself, and
        # its workers follow after --death-timeout.
        [
            *("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"),
            *("--idle-timeout", "300s"),
        ],
        log_dir / "scheduler.log",
        scheduler_env or {},
    )
    cluster = Cluster(address, sched, log_dir=log_dir)
    for name, resources in workers.items():
        args = ["worker", address, "--name", name, "--nthreads", str(nthreads), "--no-nanny"]
        args += ["--host", "127.0.0.1", "--no-dashboard", "--death-timeout", "60"]
        if resources:
            args += ["--resources", resources]
        cluster.workers[name] = _spawn(args, log_dir / f"{name}.log", {})
    try:
        with Client(address, timeout=timeout_s, set_as_default=False) as client:
            client.wait_for_workers(len(workers), timeout=timeout_s)
    except Exception:
        cluster.stop()
        logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in log_dir.glob("*.log"))
        raise RuntimeError(f"Dask cluster did not start:\n{logs}") from None
    return cluster


def wait_until(predicate: object, timeout_s: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
