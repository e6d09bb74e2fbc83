"""Helpers for the deployment-file checks (no Docker engine or cluster needed)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"


def load_vendored_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped inside check-jsonschema (compose-spec, github-workflows, …)."""
    pkg = resources.files("check_jsonschema.builtin_schemas.vendor")
    return json.loads((pkg / f"{name}.json").read_text(encoding="utf-8"))


def k8s_documents() -> list[tuple[str, dict[str, Any]]]:
    """Every Kubernetes object in deploy/k8s as (file name, object), kustomization excluded."""
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc:
                docs.append((path.name, doc))
    return docs
