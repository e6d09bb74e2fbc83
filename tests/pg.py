"""A pytest plugin that starts a real PostgreSQL server for the tests that ask for it.

``pg_server`` (session) runs Debian's ``initdb``/``pg_ctl`` from
``/usr/lib/postgresql/<version>/bin`` in a temporary directory, listening on a free
loopback port. ``initdb`` refuses to run as root, so as root the server runs as the
``postgres`` system user (created if missing). ``pg_url`` (per test) creates a fresh
database and yields its SQLAlchemy URL.

Without the binaries the tests are skipped, except in CI (``CI`` set), where that is a
failure: PostgreSQL support must not go untested silently.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

_SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin")


@dataclass(frozen=True)
class PgServer:
    """A running PostgreSQL server (trust auth, user ``postgres``) on 127.0.0.1."""

    port: int
    bindir: Path

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL (psycopg 3 driver) of ``database``."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


def find_bindir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` are (the newest version first), or None."""
    for pattern in _SEARCH:
        for found in sorted(glob.glob(pattern), reverse=True):  # newest version first
            if (Path(found) / "initdb").exists():
                return Path(found)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _as_user() -> list[str]:
    """Command prefix that drops root to the postgres user (nothing when not root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/bin/sh", "postgres"],
            check=True,
        )
    return ["runuser", "-u", "postgres", "--"]


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")


@contextlib.contextmanager
def running_server(bindir: Path) -> Iterator[PgServer]:
    """A PostgreSQL server from ``bindir`` in a temporary directory, on a free loopback
    port (fsync off: test data), stopped and deleted afterwards. The benchmarks start
    theirs this way too (``benchmarks/ui/views_bench.py --postgres``)."""
    root = Path(tempfile.mkdtemp(prefix="qf-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    prefix = _as_user()
    if prefix:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    port = _free_port()
    _run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
          "--auth=trust", "-E", "UTF8", "--no-sync"])  # fmt: skip
    opts = (
        f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", opts,
          "-l", str(root / "log"), "-w", "-t", "60", "start"])  # fmt: skip
    try:
        yield PgServer(port=port, bindir=bindir)
    finally:
        with contextlib.suppress(RuntimeError):
            _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
        time.sleep(0.1)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """Start PostgreSQL once per test session; stop it and delete its files at the end."""
    bindir = find_bindir()
    if bindir is None:
        msg = "PostgreSQL binaries not found (apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(f"{msg}; CI must run the PostgreSQL tests")
        pytest.skip(msg)
    with running_server(bindir) as server:
        yield server


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    import psycopg

    name = f"qf_{uuid.uuid4().hex[:12]}"
    admin = f"host=127.0.0.1 port={pg_server.port} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_server.url(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
