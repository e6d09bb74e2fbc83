"""A stand-in cloud service in its own process, for the tests that kill the engine."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class Standin:
    """A running ``quantumflow.backends.standin_server`` and its address."""

    def __init__(self, proc: subprocess.Popen[bytes], port: int) -> None:
        self.proc = proc
        self.port = port
        self.address = f"127.0.0.1:{port}"
        self.backend = f"standin:{self.address}"

    def jobs(self) -> list[dict[str, Any]]:
        """Every job ever submitted to it."""
        with urllib.request.urlopen(f"http://{self.address}/jobs", timeout=10) as resp:
            return json.loads(resp.read())  # type: ignore[no-any-return]


@contextmanager
def standin(tmp: Path, *, delay_s: float, port: int = 0) -> Iterator[Standin]:
    """Start the service (jobs queue ``delay_s`` seconds), stop it afterwards."""
    port_file = tmp / "standin.port"
    proc = subprocess.Popen(
        [sys.executable, "-m", "quantumflow.backends.standin_server", "--port", str(port),
         "--delay-s", str(delay_s), "--state", str(tmp / "standin.json"),
         "--port-file", str(port_file)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            assert proc.poll() is None, "the stand-in service did not start"
            assert time.monotonic() < deadline, "the stand-in service did not start in 30 s"
            time.sleep(0.05)
        yield Standin(proc, int(port_file.read_text()))
    finally:
        proc.kill()
        proc.wait(10)
