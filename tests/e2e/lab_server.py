"""A real JupyterLab with the QuantumFlow extensions on a free loopback port: the browser
tests' server (``conftest.py``) and the notebook benchmark's
(``benchmarks/ui/widget_notebook_bench.py``)."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LABEXT_DATA = REPO / "jupyter-data" / "data" / "share" / "jupyter"


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: its URL, token, notebook dir and log file."""

    url: str
    token: str
    root: Path
    log: Path
    api_timeout: float = 30

    def api(self, method: str, path: str, body: object | None = None) -> object:
        """Call the Jupyter server's REST API with the token (for setup and checks)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=self.api_timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter lab exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"jupyter lab did not start:\n{log.read_text()[-3000:]}")


@contextmanager
def jupyter_lab(
    base: Path, *, db_url: str | None = None, start_s: float = 90, api_timeout: float = 30
) -> Iterator[Lab]:
    """JupyterLab under ``base`` (its own QuantumFlow home, config and notebook dir), with
    its store at ``db_url`` (default: the QuantumFlow home's), up within ``start_s``;
    :meth:`Lab.api` calls wait up to ``api_timeout``."""
    root = base / "notebooks"
    root.mkdir()
    token = secrets.token_hex(16)
    port = _free_port()
    env = {
        **os.environ,
        "QUANTUMFLOW_HOME": str(base / "qf-home"),
        "JUPYTER_PATH": str(LABEXT_DATA),
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
    }
    env.pop("QUANTUMFLOW_DB", None)
    if db_url is not None:
        env["QUANTUMFLOW_DB"] = db_url
    # no "get notified about Jupyter news?" toast over the pages
    news = base / "config" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    log = base / "lab.log"
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(f"{url}/api/status?token={token}", proc, log, start_s)
        yield Lab(url=url, token=token, root=root, log=log, api_timeout=api_timeout)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
