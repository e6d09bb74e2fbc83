"""Smoke tests of the built image: run inside it with buildah, answer the host on loopback.

`make image-local` builds the image (`make test` does where buildah is installed); these
tests skip without it on a workstation and fail in CI.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from quantumflow.store import open_store
from tests.deploy.conftest import MAX_IMAGE_BYTES, WORKDIR
from tests.deploy.image_helpers import (
    Container,
    Mount,
    free_port,
    http_get,
    http_status,
    wait_until,
    writable_by_image_user,
)

pytestmark = [pytest.mark.image, pytest.mark.timeout(900)]

WORK = Mount(WORKDIR, "/home/quantumflow/work", read_only=True)


@dataclass(frozen=True)
class BellRun:
    """The example workflow's run inside the image, its store on a host directory."""

    run_id: str
    outputs: dict[str, Any]
    data: Mount


@pytest.fixture(scope="module")
def bell_run(container: Container, tmp_path_factory: pytest.TempPathFactory) -> BellRun:
    data = Mount(writable_by_image_user(tmp_path_factory.mktemp("lab-data")), "/data/quantumflow")
    result = container.run(
        "quantumflow", "run", "/home/quantumflow/work/bell.yaml", "--json", mounts=[WORK, data]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    body = json.loads(result.stdout)
    assert body["status"] == "succeeded", body
    return BellRun(run_id=body["run_id"], outputs=body["outputs"], data=data)


def test_image_is_lean_and_reports_its_size(image: dict[str, Any]) -> None:
    assert 0 < image["Size"] < MAX_IMAGE_BYTES, f"{image['Size'] / 1e9:.2f} GB"


def test_runs_as_non_root_with_no_compiler_and_reports_its_version(container: Container) -> None:
    result = container.run("quantumflow", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"quantumflow {version('quantumflow')}\n"
    ident = container.run("id", "-u")
    assert ident.stdout.strip() == "1000"
    probe = container.run(
        "bash", "-c", "for c in gcc cc c++ clang rustc cargo node; do command -v $c; done; true"
    )
    assert probe.stdout == "", f"build tools in the runtime image: {probe.stdout}"
    python = container.run("python", "-c", "import sys; print(sys.version_info[:2])")
    assert python.stdout.strip() == "(3, 11)"


def test_lab_and_server_extensions_are_installed_and_enabled(container: Container) -> None:
    labext = _plain(container.run("jupyter", "labextension", "list"))
    assert re.search(r"quantumflow v\S+ enabled\s+OK", labext), labext
    serverext = _plain(container.run("jupyter", "server", "extension", "list"))
    assert re.search(r"quantumflow\.jupyter enabled\s+- Validating", serverext), serverext
    assert re.search(r"quantumflow\.jupyter\s+OK", serverext), serverext


def test_example_workflow_runs_on_aer_and_qsim_with_the_store_on_a_volume(
    bell_run: BellRun,
) -> None:
    for task in ("aer", "qsim"):
        counts = bell_run.outputs[task]["counts"]
        assert set(counts) == {"00", "11"}, (task, counts)  # a Bell pair: never 01 or 10
        assert sum(counts.values()) == 1000
        assert bell_run.outputs[f"zz_{task}"] == pytest.approx(1.0)
    assert bell_run.outputs["aer"]["metadata"]["backend"] == "qiskit.aer"
    assert bell_run.outputs["qsim"]["metadata"]["backend"] == "cirq.qsim"
    # The store is the SQLite file on the mounted volume: the host reads the same run.
    db = bell_run.data.host / "quantumflow.db"
    assert db.is_file()
    store = open_store(f"sqlite:///{db}")
    try:
        run = store.get_run(bell_run.run_id)
        assert run.status == "succeeded"
        tasks = {task_id: task.status for task_id, task in run.tasks.items()}
        assert tasks == dict.fromkeys(["aer", "qsim", "zz_aer", "zz_qsim"], "succeeded")
    finally:
        store.close()


def test_serve_answers_an_authenticated_request_from_the_host(
    container: Container, bell_run: BellRun, tmp_path: Path
) -> None:
    port, token = free_port(), secrets.token_urlsafe(16)
    url = f"http://127.0.0.1:{port}/api/runs"
    log = tmp_path / "serve.log"
    with container.start(
        "quantumflow", "serve", "--host", "127.0.0.1", "--port", str(port),
        env={"QUANTUMFLOW_TOKEN": token}, mounts=[bell_run.data], log=log,
    ) as server:  # fmt: skip
        wait_until(lambda: http_status(url) == 401, what="serve", timeout=60, proc=server, log=log)
        auth = {"Authorization": f"Bearer {token}"}
        assert http_status(url, auth) == 200
        body = json.loads(http_get(url, auth))
        assert bell_run.run_id in {r["id"] for r in body["items"]}, body
        assert http_status(url, {"Authorization": "Bearer wrong"}) == 401


def test_jupyter_lab_serves_the_extension_and_its_api_with_a_token(
    container: Container, image: dict[str, Any], bell_run: BellRun, tmp_path: Path
) -> None:
    port, token = free_port(), secrets.token_urlsafe(16)
    base = f"http://127.0.0.1:{port}"
    # The image's own command (what compose's lab service and the Kubernetes server run), bound
    # to loopback on a free port instead of 0.0.0.0:8888.
    cmd = [_loopback(arg, port) for arg in image["Config"]["Cmd"]]
    assert cmd[:2] == ["jupyter", "lab"]
    log = tmp_path / "lab.log"
    with container.start(
        *cmd, env={"JUPYTER_TOKEN": token}, mounts=[bell_run.data, WORK], log=log
    ) as lab:
        wait_until(
            lambda: http_status(f"{base}/api") == 200, what="jupyter lab", timeout=120, proc=lab,
            log=log,
        )  # fmt: skip
        auth = {"Authorization": f"token {token}"}
        page = http_get(f"{base}/lab", auth)
        config = re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, flags=re.DOTALL)
        assert config, page[:2000]
        extensions = {e["name"]: e for e in json.loads(config[1])["federated_extensions"]}
        assert "quantumflow" in extensions, sorted(extensions)
        entry = extensions["quantumflow"]["load"]  # static/remoteEntry.<hash>.js
        assert http_status(f"{base}/lab/extensions/quantumflow/{entry}", auth) == 200
        runs = f"{base}/quantumflow/api/runs"
        assert http_status(runs) == 403  # the QuantumFlow API sits behind Jupyter's auth
        body = json.loads(http_get(runs, auth))
        assert bell_run.run_id in {r["id"] for r in body["items"]}, body


def _plain(result: subprocess.CompletedProcess[str]) -> str:
    """The command's output without terminal colours (Jupyter's lists are coloured)."""
    return re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)


def _loopback(arg: str, port: int) -> str:
    if arg.startswith("--ip="):
        return "--ip=127.0.0.1"
    if arg.startswith("--port="):
        return f"--port={port}"
    return arg
