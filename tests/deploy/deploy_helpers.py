"""Helpers for the deployment-file checks (no Docker engine or cluster needed)."""

from __future__ import annotations

import itertools
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


def dockerfile_instructions(path: Path = DEPLOY / "Dockerfile") -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, rest) pairs, continuation lines joined, comments dropped."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def dockerfile_stage(*names: str) -> list[tuple[str, str]]:
    """The instructions of the named stages (each from its FROM to the next), in file order."""
    instrs = dockerfile_instructions()
    starts = [i for i, (w, _) in enumerate(instrs) if w == "FROM"] + [len(instrs)]
    out: list[tuple[str, str]] = []
    for start, end in itertools.pairwise(starts):
        if any(instrs[start][1].endswith(f" AS {name}") for name in names):
            out += instrs[start:end]
    assert out, f"no stage {names} in the Dockerfile"
    return out


def dockerfile_args() -> dict[str, str]:
    """Default values of the global ARGs (before the first FROM)."""
    args = {}
    for word, rest in dockerfile_instructions():
        if word == "FROM":
            break
        if word == "ARG":
            name, _, default = rest.partition("=")
            args[name] = default
    return args


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
