"""``serve()``: the standalone app under a real uvicorn process on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from quantumflow.api.serve import InsecureBindError, is_loopback, resolve_token

TOKEN = "serve-test-token-91c"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve_cmd(host: str, port: int, token: str | None) -> list[str]:
    code = (
        "import sys\nfrom quantumflow.api.serve import serve\n"
        "serve(sys.argv[1], int(sys.argv[2]), sys.argv[3] or None, log_level='warning')\n"
    )
    return [sys.executable, "-c", code, host, str(port), token or ""]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "QUANTUMFLOW_HOME": str(tmp_path / "home")}
    with subprocess.Popen(
        _serve_cmd("127.0.0.1", port, TOKEN),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    ) as proc:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/api/schema")
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline
                time.sleep(0.1)
        try:
            yield url
        finally:
            proc.terminate()
            proc.wait(20)


def test_token_required(served: str) -> None:
    assert httpx.get(f"{served}/api/schema").status_code == 401
    assert (
        httpx.get(f"{served}/api/workflows", headers={"Authorization": "Bearer x"}).status_code
        == 401
    )
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert httpx.get(f"{served}/api/schema", headers=auth).status_code == 200
    created = httpx.post(
        f"{served}/api/workflows",
        headers=auth,
        json={
            "name": "w",
            "tasks": [{"id": "a", "kind": "classical", "fn": "constant", "inputs": {"value": 1}}],
        },
    )
    assert created.status_code == 201, created.text
    assert TOKEN not in created.text


def test_non_loopback_without_token_is_refused(tmp_path: Path) -> None:
    env = {**os.environ, "QUANTUMFLOW_HOME": str(tmp_path)}
    env.pop("QUANTUMFLOW_TOKEN", None)
    done = subprocess.run(
        _serve_cmd("0.0.0.0", _free_port(), None),
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "refusing to serve on '0.0.0.0' without a token" in done.stderr


def test_token_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")
    assert resolve_token("0.0.0.0", "given") == ("given", False)
    with pytest.raises(InsecureBindError):
        resolve_token("192.168.1.5", None)
    token, generated = resolve_token("127.0.0.1", None)
    assert generated and len(token) >= 24
    monkeypatch.setenv("QUANTUMFLOW_TOKEN", "from-env")
    assert resolve_token("10.0.0.1", None) == ("from-env", False)


def test_user_guide_python_example_runs(
    served: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The standalone Python example of docs/user-guide/api.md, run against a real server."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "user-guide" / "api.md").read_text()
    section = text.split("### With Python", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    code = code.replace("http://127.0.0.1:8765", served)
    monkeypatch.setenv("QUANTUMFLOW_TOKEN", TOKEN)
    exec(compile(code, "api.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "succeeded"
    assert any("'status': 'succeeded'" in line for line in out[:-1])
