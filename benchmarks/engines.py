"""Engine subprocesses for the harness: one long-lived process per engine.

Each engine runs in its own interpreter (QuantumFlow in the project's venv, the peers in
``benchmarks/.peers-venv``) and speaks the line protocol of ``benchmarks/peers/_serve.py``.
The harness interleaves the engines' repetitions so every ratio comes from one machine
state.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).resolve().parent
PEERS = HERE / "peers"


@dataclass(frozen=True)
class EngineSpec:
    """How to start one engine."""

    name: str
    script: str  # file in benchmarks/peers/
    peer: bool  # True: runs in the peers' venv
    label: str  # what the tables call it


ENGINES: dict[str, EngineSpec] = {
    e.name: e
    for e in (
        EngineSpec("quantumflow", "quantumflow_engine.py", False, "QuantumFlow (SQLite, durable)"),
        EngineSpec("dask-threaded", "dask_threaded.py", True, "dask threaded scheduler"),
        EngineSpec("dask-delayed", "dask_delayed.py", True, "dask.delayed"),
        EngineSpec(
            "dask-distributed", "dask_distributed.py", True, "dask.distributed LocalCluster"
        ),
        EngineSpec("ray", "ray_engine.py", True, "Ray"),
        EngineSpec("prefect", "prefect_engine.py", True, "Prefect 3"),
    )
}
#: The peers whose imports are checked in a given interpreter (see :func:`importable`).
IMPORT_NAMES = {
    "dask-threaded": "dask",
    "dask-delayed": "dask",
    "dask-distributed": "distributed",
    "ray": "ray",
    "prefect": "prefect",
}


def importable(engine: str, python: str) -> bool:
    """Whether ``python`` can import the library behind ``engine``."""
    mod = IMPORT_NAMES.get(engine, "quantumflow")
    code = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({mod!r}) is None)"
    return subprocess.run([python, "-c", code], capture_output=True, check=False).returncode == 0


def _signal_family(pid: int, sig: signal.Signals) -> None:
    """Send ``sig`` to ``pid``'s process group and to every descendant (Ray's workers start
    their own sessions, so the group alone would miss them)."""
    try:
        import psutil

        family = [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except Exception:  # psutil missing or the process just went away
        family = []
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)
    for child in family:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(child, sig)


class EngineProcess:
    """A running engine server; :meth:`request` sends one command and waits for its answer.

    Args:
        spec: which engine.
        python: the interpreter to run it with.
        env: extra environment variables.
        log: where the process's stderr goes.
    """

    def __init__(self, spec: EngineSpec, python: str, *, env: dict[str, str], log: IO[str]) -> None:
        self.spec = spec
        self._argv = [python, str(PEERS / spec.script), "--serve"]
        self._env = {**os.environ, **env}
        self._log = log
        self._proc: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = subprocess.Popen(
                self._argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._log,
                text=True,
                env=self._env,
                cwd=HERE.parent,
                start_new_session=True,  # its own process group: kill() takes its children
            )
        return self._proc

    def request(self, msg: dict[str, Any], *, timeout: float) -> dict[str, Any]:
        """Send ``msg``; the answer, or ``{"ok": False, "error": ...}`` on timeout/crash
        (the process is then killed; the next request starts a fresh one)."""
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps(msg) + "\n")
            proc.stdin.flush()
        except BrokenPipeError:
            return self._dead("the engine process exited")
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout):
                self.kill()
                return {"ok": False, "error": f"timeout (> {timeout:.0f} s)"}
        line = proc.stdout.readline()
        if not line:
            return self._dead("the engine process exited")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def pause(self) -> None:
        """SIGSTOP the engine's whole process group (its clusters, servers, workers), so an
        idle engine's background threads and heartbeats take no CPU from the one measured."""
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        """SIGCONT what :meth:`pause` stopped."""
        self._signal(signal.SIGCONT)

    def _signal(self, sig: signal.Signals) -> None:
        if self._proc is not None and self._proc.poll() is None:
            _signal_family(self._proc.pid, sig)

    def _dead(self, why: str) -> dict[str, Any]:
        code = self._proc.poll() if self._proc else None
        self._proc = None
        return {"ok": False, "error": f"{why} (exit code {code}; see the engine log)"}

    def kill(self) -> None:
        """Stop the process now (its children, e.g. Ray's, go with its process group)."""
        if self._proc is not None:
            _signal_family(self._proc.pid, signal.SIGKILL)
            self._proc.wait()
        self._proc = None

    def close(self, *, timeout: float = 60) -> None:
        """Ask the engine to exit; kill it if it does not within ``timeout``."""
        proc = self._proc
        if proc is None:
            return
        self.resume()
        try:
            assert proc.stdin is not None
            proc.stdin.write(json.dumps({"cmd": "exit"}) + "\n")
            proc.stdin.close()
            proc.wait(timeout)
        except (BrokenPipeError, subprocess.TimeoutExpired):
            pass
        self.kill()  # whatever the engine left behind (servers, cluster workers) goes too


def startup(
    spec: EngineSpec, python: str, *, env: dict[str, str], log: IO[str], timeout: float
) -> float | None:
    """Seconds from importing ``spec``'s engine to its first task running (fresh process).

    The process runs in its own session; whatever it started (Prefect's API server, a dask
    or Ray cluster) is killed with it afterwards.
    """
    proc = subprocess.Popen(
        [python, str(PEERS / spec.script), "--startup"],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, **env},
        cwd=HERE.parent,
        start_new_session=True,
    )
    try:
        stdout, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stdout = ""
    finally:
        _signal_family(proc.pid, signal.SIGKILL)
        proc.wait()
    lines = stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        sys.stderr.write(f"{spec.name}: startup failed (exit code {proc.returncode})\n")
        return None
    return float(json.loads(lines[-1])["startup_s"])
