"""deploy/env.md documents every variable QuantumFlow and the deploy files use."""

from __future__ import annotations

import re

from tests.deploy.deploy_helpers import DEPLOY, ROOT, k8s_documents


def test_every_quantumflow_setting_is_documented(env_doc: str) -> None:
    config = (ROOT / "quantumflow" / "config.py").read_text(encoding="utf-8")
    names = set(re.findall(r"\"(QUANTUMFLOW_[A-Z_]+)\"", config))
    assert names, "config.py should read QUANTUMFLOW_* variables"
    assert {n for n in names if f"`{n}`" not in env_doc} == set()


def test_every_variable_set_by_the_manifests_is_documented(env_doc: str) -> None:
    names: set[str] = set()
    for _, doc in k8s_documents():
        if doc["kind"] in {"ConfigMap", "Secret"}:
            data = doc.get("data") or doc.get("stringData") or {}
            names.update(k for k in data if re.fullmatch(r"[A-Z_]+", k))
    compose = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    names.update(re.findall(r"^\s+([A-Z][A-Z0-9_]+):", compose, flags=re.MULTILINE))
    assert {n for n in names if f"`{n}`" not in env_doc} == set()
