"""compose.yaml's topology without an engine: its services started from the built image.

PostgreSQL is Debian's (tests/pg.py), standing in for the `postgres` service. The Dask
scheduler and both workers run inside the image with compose's own commands, environment,
volumes and health checks; a `quantumflow run` with the `lab` service's environment then
goes through them, and its rows are read back from PostgreSQL. Only the network differs:
compose gives each service its own address, here they share the host's loopback, so every
port becomes a free one and service names become 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.deploy.conftest import WORKDIR
from tests.deploy.image_helpers import Container, Mount, free_port, writable_by_image_user
from tests.pg import PgServer

pytestmark = [pytest.mark.image, pytest.mark.postgres, pytest.mark.dask, pytest.mark.timeout(900)]

WORKERS = ("dask-worker-1", "dask-worker-2")


def interpolate(value: str, variables: Mapping[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?error}` (what the files use)."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"] or ""
        if variables.get(name):
            return variables[name]
        assert op != ":?", f"compose requires {name}: {arg}"
        return arg if op == ":-" else ""

    return re.sub(r"\$\{(?P<name>[A-Z0-9_]+)(?:(?P<op>:-|:\?)(?P<arg>[^}]*))?\}", one, value)


class Network:
    """Compose's service addresses mapped onto free loopback ports of this host."""

    def __init__(self, pg_port: int) -> None:
        self.scheduler, self.dashboard = free_port(), free_port()
        self.pg_port = pg_port

    def command(self, args: list[str], *, own: Mapping[int, int]) -> list[str]:
        """A service's command with its ports (``own``: compose port -> this host's) remapped."""
        ports = {8786: self.scheduler, 8787: self.dashboard, **own}
        out = []
        for arg in args:
            new = arg.replace("0.0.0.0", "127.0.0.1").replace("dask-scheduler:", "127.0.0.1:")
            for old, port in ports.items():
                new = str(port) if new == str(old) else re.sub(rf":{old}(?=/|$)", f":{port}", new)
            out.append("127.0.0.1" + new if new.startswith(":") else new)
        return out

    def environment(self, env: Mapping[str, str]) -> dict[str, str]:
        return {
            key: value.replace("@postgres:5432/", f"@127.0.0.1:{self.pg_port}/").replace(
                "tcp://dask-scheduler:8786", f"tcp://127.0.0.1:{self.scheduler}"
            )
            for key, value in env.items()
        }


def mounts(service: dict[str, Any], sources: Mapping[str, Path]) -> list[Mount]:
    """The service's volumes, each compose source replaced by a host directory."""
    out = []
    for volume in service.get("volumes", []):
        source, target, *mode = volume.split(":")
        assert source in sources, f"no stand-in for the volume {volume}"
        out.append(Mount(sources[source], target, read_only=mode == ["ro"]))
    return out


def healthy(
    container: Container, service: dict[str, Any], net: Network, own: dict[int, int]
) -> bool:
    """Compose's health check for ``service``, run inside the image (ports remapped)."""
    test = service["healthcheck"]["test"]
    assert test[0] == "CMD", test
    return container.run(*net.command(test[1:], own=own), timeout=30).returncode == 0


def wait_healthy(
    container: Container, service: dict[str, Any], net: Network, own: dict[int, int], log: Path
) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if healthy(container, service, net, own):
            return
        time.sleep(1)
    raise AssertionError(f"not healthy after 120 s:\n{log.read_text()[-4000:]}")


@pytest.fixture
def quantumflow_db(pg_server: PgServer) -> Iterator[str]:
    """compose's database and role (`quantumflow`) in the test PostgreSQL; its password."""
    import psycopg
    from psycopg import sql

    password = secrets.token_hex(8)
    admin = f"host=127.0.0.1 port={pg_server.port} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS quantumflow WITH (FORCE)")
        conn.execute("DROP ROLE IF EXISTS quantumflow")
        conn.execute(
            sql.SQL("CREATE ROLE quantumflow LOGIN PASSWORD {}").format(sql.Literal(password))
        )
        conn.execute("CREATE DATABASE quantumflow OWNER quantumflow")
    yield password
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS quantumflow WITH (FORCE)")
        conn.execute("DROP ROLE IF EXISTS quantumflow")


def test_a_run_goes_through_the_compose_services_started_from_the_image(
    container: Container,
    compose: dict[str, Any],
    pg_server: PgServer,
    quantumflow_db: str,
    tmp_path: Path,
) -> None:
    services = compose["services"]
    net = Network(pg_server.port)
    lab_data = writable_by_image_user(tmp_path / "lab-data")
    sources = {"../notebooks": WORKDIR, "lab-data": lab_data}
    variables = {"POSTGRES_PASSWORD": quantumflow_db, "JUPYTER_TOKEN": secrets.token_hex(8)}

    with contextlib.ExitStack() as stack:
        sched = services["dask-scheduler"]
        log = tmp_path / "dask-scheduler.log"
        stack.enter_context(
            container.start(*net.command(sched["command"], own={}), log=log,
                            env=net.environment(sched.get("environment", {})))
        )  # fmt: skip
        wait_healthy(container, sched, net, {}, log)
        worker_ports = {name: {8789: free_port()} for name in WORKERS}
        for name in WORKERS:
            svc = services[name]
            env = {k: interpolate(str(v), variables) for k, v in svc["environment"].items()}
            log = tmp_path / f"{name}.log"
            # compose gives each worker its own address; here both listen on loopback.
            cmd = [*net.command(svc["command"], own=worker_ports[name]), "--host", "127.0.0.1"]
            stack.enter_context(
                container.start(*cmd, log=log, env=net.environment(env),
                                mounts=mounts(svc, sources))
            )  # fmt: skip
        for name in WORKERS:
            wait_healthy(container, services[name], net, worker_ports[name],
                         tmp_path / f"{name}.log")  # fmt: skip

        lab = services["lab"]
        env = net.environment(
            {k: interpolate(str(v), variables) for k, v in lab["environment"].items()}
        )
        assert env["QUANTUMFLOW_DB"].startswith("postgresql+psycopg://quantumflow:")
        result = container.run(
            "quantumflow", "run", "/home/quantumflow/work/topology.yaml", "--executor", "dask",
            "--json", env=env, mounts=mounts(lab, sources), timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
    body = json.loads(result.stdout)
    assert body["status"] == "succeeded", body
    names = {services[w]["command"][services[w]["command"].index("--name") + 1] for w in WORKERS}
    assert {body["outputs"]["where_a"], body["outputs"]["where_b"]} == names
    assert set(body["outputs"]["qsim"]["counts"]) == {"00", "11"}
    assert body["outputs"]["zz"] == pytest.approx(1.0)

    # The run's rows are in compose's PostgreSQL database, as the lab service points at it.
    engine = sa.create_engine(pg_server.url("quantumflow"))
    try:
        with engine.connect() as conn:
            status = conn.execute(
                sa.text("SELECT status FROM runs WHERE id = :id"), {"id": body["run_id"]}
            ).scalar_one()
            tasks = dict(
                conn.execute(
                    sa.text("SELECT task_id, status FROM task_runs WHERE run_id = :id"),
                    {"id": body["run_id"]},
                ).all()
            )
    finally:
        engine.dispose()
    assert status == "succeeded"
    assert tasks == dict.fromkeys(["where_a", "where_b", "aer", "qsim", "zz"], "succeeded")
