"""The Dockerfile, compose.yaml and the Kubernetes manifests agree: one entrypoint per service,
the same environment variables, ports and paths.

The image smoke tests (test_image*.py) run compose's commands inside the built image; these
checks carry that over to the Kubernetes manifests and to the Dockerfile's own settings.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tests.deploy.deploy_helpers import ROOT, dockerfile_stage, k8s_documents
from tests.deploy.image_helpers import IMAGE

DOCS = k8s_documents()


def _k8s(kind: str, name: str) -> dict[str, Any]:
    return next(d for _, d in DOCS if d["kind"] == kind and d["metadata"]["name"] == name)


def _container(kind: str, name: str) -> dict[str, Any]:
    (container,) = _k8s(kind, name)["spec"]["template"]["spec"]["containers"]
    return container


def _runtime(word: str) -> list[str]:
    return [rest for w, rest in dockerfile_stage("deps", "runtime") if w == word]


def _image_env() -> dict[str, str]:
    pairs = re.findall(r"(\w+)=(\S+)", " ".join(_runtime("ENV")))
    return dict(pairs)


def _flag(args: list[str], name: str) -> str:
    return args[args.index(name) + 1]


def test_lab_and_server_run_the_image_command_on_its_port(compose: dict[str, Any]) -> None:
    cmd = json.loads(_runtime("CMD")[-1])
    assert cmd[:2] == ["jupyter", "lab"] and "--port=8888" in cmd
    lab = compose["services"]["lab"]
    assert "command" not in lab and "entrypoint" not in lab, "lab runs the image's CMD"
    assert lab["ports"] == ["127.0.0.1:8888:8888"]
    server = _container("Deployment", "quantumflow-server")
    assert "command" not in server and "args" not in server, "the server runs the image's CMD"
    assert [p["containerPort"] for p in server["ports"]] == [8888]


def test_dask_services_run_the_same_commands(compose: dict[str, Any]) -> None:
    services = compose["services"]
    scheduler = _container("Deployment", "dask-scheduler")["args"]
    assert services["dask-scheduler"]["command"] == scheduler
    k8s_worker = _container("StatefulSet", "dask-worker")["args"]
    for name in ("dask-worker-1", "dask-worker-2"):
        cmd = services[name]["command"]
        assert cmd[:3] == k8s_worker[:3] == ["dask", "worker", "tcp://dask-scheduler:8786"]
        flags = {a for a in cmd if a.startswith("--")}
        assert flags == {a for a in k8s_worker if a.startswith("--")}, name
        # Names and memory differ by design (one pod per worker, sized per node).
        for same in ("--nthreads", "--resources", "--dashboard-address"):
            assert _flag(cmd, same) == _flag(k8s_worker, same), (name, same)


def test_ports_agree_with_the_image_and_the_services(compose: dict[str, Any]) -> None:
    exposed = {int(p) for p in " ".join(_runtime("EXPOSE")).split()}
    assert exposed == {8888, 8786, 8787, 8789}
    scheduler = compose["services"]["dask-scheduler"]["command"]
    assert int(_flag(scheduler, "--port")) == 8786
    assert _flag(scheduler, "--dashboard-address") == ":8787"
    service = _k8s("Service", "dask-scheduler")
    assert {p["port"] for p in service["spec"]["ports"]} == {8786, 8787}
    for kind, name in (("StatefulSet", "dask-worker"), ("Deployment", "dask-qpu-worker")):
        args = _container(kind, name)["args"]
        assert _flag(args, "--dashboard-address") == ":8789", name
        assert [p["containerPort"] for p in _container(kind, name)["ports"]] == [8789]


def test_environment_and_paths_agree(compose: dict[str, Any]) -> None:
    image_env = _image_env()
    home = image_env["QUANTUMFLOW_HOME"]
    workdir = _runtime("WORKDIR")[-1]
    assert image_env["PYTHONPATH"] == workdir == "/home/quantumflow/work"
    services = compose["services"]
    config = _k8s("ConfigMap", "quantumflow-config")["data"]
    lab = services["lab"]["environment"]
    assert lab["QUANTUMFLOW_HOME"] == config["QUANTUMFLOW_HOME"] == home
    assert lab["QUANTUMFLOW_DASK_ADDRESS"] == config["QUANTUMFLOW_DASK_ADDRESS"]
    assert "lab-data:" + home in services["lab"]["volumes"]
    mounts = {
        m["mountPath"] for m in _container("Deployment", "quantumflow-server")["volumeMounts"]
    }
    assert {home, workdir} <= mounts
    for name in ("dask-worker-1", "dask-worker-2"):
        assert services[name]["environment"]["QUANTUMFLOW_HOME"] == home
        assert any(v.endswith(f":{workdir}:ro") for v in services[name]["volumes"])
    # Every variable the lab gets in compose reaches the Kubernetes server, by value or Secret.
    server = _container("Deployment", "quantumflow-server")
    given = {e["name"] for e in server["env"]}
    for src in server["envFrom"]:
        ref = src.get("configMapRef") or src.get("secretRef")
        kind = "ConfigMap" if "configMapRef" in src else "Secret"
        doc = _k8s(kind, ref["name"])
        given |= set(doc.get("data") or doc.get("stringData") or {})
    assert set(lab) - {"JUPYTER_TOKEN"} <= given
    assert "JUPYTER_TOKEN" in given


def test_one_image_and_one_user_everywhere(compose: dict[str, Any]) -> None:
    uid = int(_runtime("USER")[-1].split(":")[0])
    for _, doc in DOCS:
        if doc["kind"] in {"Deployment", "StatefulSet"} and doc["metadata"]["name"] != "postgres":
            pod = doc["spec"]["template"]["spec"]
            assert pod["securityContext"]["runAsUser"] == uid
            assert {c["image"] for c in pod["containers"]} == {"quantumflow"}
    for name, svc in compose["services"].items():
        if name != "postgres":
            assert svc["image"] == "quantumflow:${QUANTUMFLOW_IMAGE_TAG:-dev}", name
    # What `make image-local` tags and the smoke tests run is compose's default image.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^IMAGE\s*\?=\s*quantumflow:dev$", makefile, flags=re.MULTILINE)
    assert IMAGE == "localhost/quantumflow:dev"
