"""deploy/compose.yaml: valid against the Compose Specification schema, and wired up right."""

from __future__ import annotations

import re
from typing import Any

import jsonschema

from tests.deploy.deploy_helpers import DEPLOY, load_vendored_schema

QF_SERVICES = ("lab", "dask-scheduler", "dask-worker-1", "dask-worker-2")


def test_matches_compose_spec_schema(compose: dict[str, Any]) -> None:
    schema = load_vendored_schema("compose-spec")
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(compose)]
    assert errors == []


def test_schema_check_catches_a_typo(compose: dict[str, Any]) -> None:
    schema = load_vendored_schema("compose-spec")
    bad = {"services": {"lab": {**compose["services"]["lab"], "dependson": ["postgres"]}}}
    assert not jsonschema.validators.validator_for(schema)(schema).is_valid(bad)


def test_services_and_images(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"postgres", *QF_SERVICES}
    assert services["postgres"]["image"].startswith("postgres:")
    for name in QF_SERVICES:
        svc = services[name]
        assert svc["image"].startswith("quantumflow:"), name
        build = svc["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == (
            DEPLOY / "Dockerfile"
        ).resolve()


def test_depends_on_known_services_that_have_healthchecks(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, svc in services.items():
        assert "healthcheck" in svc, f"{name} has no healthcheck"
        for dep, cond in svc.get("depends_on", {}).items():
            assert dep in services, f"{name} depends on unknown service {dep}"
            assert cond == {"condition": "service_healthy"}
    assert set(services["lab"]["depends_on"]) == {"postgres", "dask-scheduler"}


def test_healthcheck_ports_match_the_commands(compose: dict[str, Any]) -> None:
    services = compose["services"]
    sched = services["dask-scheduler"]
    assert ":8787" in sched["command"] and "8787/health" in str(sched["healthcheck"]["test"])
    for name in ("dask-worker-1", "dask-worker-2"):
        cmd = services[name]["command"]
        assert cmd[cmd.index("--dashboard-address") + 1] == ":8789"
        assert "8789/health" in str(services[name]["healthcheck"]["test"])


def test_workers_join_the_scheduler_with_resources(compose: dict[str, Any]) -> None:
    services = compose["services"]
    names = set()
    for name in ("dask-worker-1", "dask-worker-2"):
        cmd = services[name]["command"]
        assert cmd[:3] == ["dask", "worker", "tcp://dask-scheduler:8786"]
        names.add(cmd[cmd.index("--name") + 1])
        resources = dict(item.split("=") for item in cmd[cmd.index("--resources") + 1].split(","))
        assert float(resources["cpu"]) >= 1 and "qpu_sim" in resources
        limits = services[name]["deploy"]["resources"]["limits"]
        assert float(limits["cpus"]) == float(resources["cpu"])
    assert len(names) == 2, "worker names must differ"


def test_lab_environment(compose: dict[str, Any]) -> None:
    env = compose["services"]["lab"]["environment"]
    assert env["QUANTUMFLOW_DB"].startswith("postgresql+psycopg://quantumflow:")
    assert env["QUANTUMFLOW_DB"].endswith("@postgres:5432/quantumflow")
    assert env["QUANTUMFLOW_DASK_ADDRESS"] == "tcp://dask-scheduler:8786"
    # Secrets are never written into the file: they come from deploy/.env.
    assert env["JUPYTER_TOKEN"].startswith("${")
    pg_env = compose["services"]["postgres"]["environment"]
    assert pg_env["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_every_interpolated_variable_is_in_env_example_and_env_doc(env_doc: str) -> None:
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", text))
    example = (DEPLOY / ".env.example").read_text(encoding="utf-8")
    declared = {line.split("=")[0] for line in example.splitlines() if "=" in line}
    required = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*):\?", text))
    assert required <= declared, required - declared
    missing_doc = {v for v in used if f"`{v}`" not in env_doc}
    assert missing_doc == set()
    # The filled-in copy must never be committed.
    assert ".env" in (DEPLOY / ".gitignore").read_text(encoding="utf-8").split()
