"""deploy/k8s: every object valid against the Kubernetes OpenAPI schemas, references resolve."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from kubernetes_validate import ValidationError, validate

from tests.deploy.deploy_helpers import K8S, k8s_documents

K8S_VERSION = "1.30.0"
DOCS = k8s_documents()
WORKLOADS = [(f, d) for f, d in DOCS if d["kind"] in {"Deployment", "StatefulSet"}]


def _by_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for _, d in DOCS if d["kind"] == kind}


def _containers() -> Iterator[tuple[str, dict[str, Any]]]:
    for _, doc in WORKLOADS:
        for c in doc["spec"]["template"]["spec"]["containers"]:
            yield doc["metadata"]["name"], c


@pytest.mark.parametrize(("filename", "doc"), DOCS, ids=[f"{f}:{d['kind']}" for f, d in DOCS])
def test_object_is_valid_against_the_kubernetes_schema(filename: str, doc: dict[str, Any]) -> None:
    validate(doc, K8S_VERSION, strict=True)


def test_schema_check_catches_a_misspelt_field() -> None:
    doc = yaml.safe_load_all((K8S / "server.yaml").read_text(encoding="utf-8"))
    deployment = next(d for d in doc if d["kind"] == "Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["resorces"] = {}
    with pytest.raises(ValidationError):
        validate(deployment, K8S_VERSION, strict=True)


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == files
    assert all(d["metadata"].get("namespace", "quantumflow") == "quantumflow" for _, d in DOCS)


def test_required_objects_exist() -> None:
    assert "quantumflow-server" in _by_kind("Deployment")
    assert "quantumflow-server" in _by_kind("Service")
    assert "quantumflow-data" in _by_kind("PersistentVolumeClaim")
    assert "dask-scheduler" in _by_kind("Deployment")
    assert "dask-worker" in _by_kind("StatefulSet")
    assert "quantumflow-config" in _by_kind("ConfigMap")
    assert {"quantumflow-secrets", "quantumflow-cloud-credentials"} <= set(_by_kind("Secret"))


def test_every_container_has_requests_and_runs_as_non_root() -> None:
    for _, doc in WORKLOADS:
        pod = doc["spec"]["template"]["spec"]
        if doc["metadata"]["name"] != "postgres":  # the official postgres image drops root itself
            ctx = pod["securityContext"]
            assert ctx["runAsNonRoot"] is True and ctx["runAsUser"] != 0
        for c in pod["containers"]:
            requests = c["resources"]["requests"]
            assert {"cpu", "memory"} <= set(requests), f"{doc['metadata']['name']}/{c['name']}"


def _dask_resources(args: list[str]) -> dict[str, float]:
    raw = args[args.index("--resources") + 1]
    return {k: float(v) for k, v in (item.split("=") for item in raw.split(","))}


def test_dask_workers_advertise_resources_that_match_their_requests() -> None:
    worker = _by_kind("StatefulSet")["dask-worker"]
    (container,) = worker["spec"]["template"]["spec"]["containers"]
    args = container["args"]
    assert args[:3] == ["dask", "worker", "tcp://dask-scheduler:8786"]
    resources = _dask_resources(args)
    assert resources["cpu"] == float(container["resources"]["requests"]["cpu"])
    assert worker["spec"]["replicas"] >= 2
    qpu = _by_kind("Deployment")["dask-qpu-worker"]
    assert "qpu_ibm" in _dask_resources(qpu["spec"]["template"]["spec"]["containers"][0]["args"])


def test_secret_and_configmap_references_resolve() -> None:
    secrets, configmaps = _by_kind("Secret"), _by_kind("ConfigMap")
    for owner, c in _containers():
        for src in c.get("envFrom", []):
            if "secretRef" in src:
                assert src["secretRef"]["name"] in secrets, owner
            if "configMapRef" in src:
                assert src["configMapRef"]["name"] in configmaps, owner
        for var in c.get("env", []):
            ref = var.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                assert ref["key"] in secrets[ref["name"]]["stringData"], (owner, ref)
    for _, doc in WORKLOADS:
        for vol in doc["spec"]["template"]["spec"].get("volumes", []):
            if "secret" in vol:
                secret = secrets[vol["secret"]["secretName"]]
                assert all(i["key"] in secret["stringData"] for i in vol["secret"]["items"])
            if "persistentVolumeClaim" in vol:
                assert vol["persistentVolumeClaim"]["claimName"] in _by_kind(
                    "PersistentVolumeClaim"
                )


def test_secrets_hold_placeholders_only() -> None:
    for name, secret in _by_kind("Secret").items():
        for key, value in secret["stringData"].items():
            if key.endswith("_CHANNEL") or key.endswith(".json"):
                continue
            assert "REPLACE_ME" in value, f"{name}.{key} must be a placeholder"


def test_services_select_existing_pods() -> None:
    labels = [d["spec"]["template"]["metadata"]["labels"] for _, d in WORKLOADS]
    for name, svc in _by_kind("Service").items():
        selector = svc["spec"]["selector"]
        assert any(selector.items() <= lab.items() for lab in labels), name
        ports = {p["name"] for _, c in _containers() for p in c.get("ports", []) if "name" in p}
        for port in svc["spec"]["ports"]:
            target = port["targetPort"]
            assert isinstance(target, int) or target in ports, (name, target)


def test_probes_use_named_or_declared_ports() -> None:
    for owner, c in _containers():
        names = {p.get("name") for p in c.get("ports", [])}
        for probe in ("readinessProbe", "livenessProbe"):
            http = c.get(probe, {}).get("httpGet")
            if http:
                assert http["port"] in names, (owner, probe)


def test_addresses_in_settings_point_at_real_services() -> None:
    services = _by_kind("Service")
    config = _by_kind("ConfigMap")["quantumflow-config"]["data"]
    host, port = config["QUANTUMFLOW_DASK_ADDRESS"].removeprefix("tcp://").split(":")
    assert host in services
    assert int(port) in {p["port"] for p in services[host]["spec"]["ports"]}
    db = _by_kind("Secret")["quantumflow-secrets"]["stringData"]["QUANTUMFLOW_DB"]
    db_host, db_port = db.rsplit("@", 1)[1].split("/")[0].split(":")
    assert db_host in services
    assert int(db_port) in {p["port"] for p in services[db_host]["spec"]["ports"]}
    password = _by_kind("Secret")["quantumflow-secrets"]["stringData"]["POSTGRES_PASSWORD"]
    assert f":{password}@" in db, "QUANTUMFLOW_DB must use POSTGRES_PASSWORD"


def test_worker_arguments_join_the_scheduler_service() -> None:
    for _, doc in WORKLOADS:
        for c in doc["spec"]["template"]["spec"]["containers"]:
            args = c.get("args", [])
            if args[:2] == ["dask", "worker"]:
                assert args[2] == "tcp://dask-scheduler:8786", doc["metadata"]["name"]
