"""SQLAlchemy engines (the store's reads and migrations): SQLite pragmas, transaction modes.

SQLite is opened in WAL mode with a busy timeout and foreign keys on. pysqlite's own
implicit BEGIN is switched off so that we emit ``BEGIN`` ourselves: write transactions use
``BEGIN IMMEDIATE`` (take the write lock up front, so several processes writing the same
file wait for each other instead of failing with "database is locked"), reads a plain
deferred ``BEGIN``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from quantumflow.errors import StoreError

from .dbapi import (
    BUSY_TIMEOUT_MS,
    configure_sqlite,
    dumps,
    make_parent_dir,
    open_sqlite,
    resolve_url,
)

__all__ = ["BUSY_TIMEOUT_MS", "dumps", "make_engine", "read_tx", "resolve_url", "write_tx"]


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; for SQLite, create the file's parent directories.

    Raises:
        StoreError: the URL cannot be parsed or its driver is not installed.
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as err:
        raise StoreError(f"not a database URL or path: {url!r}") from err
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed)
    try:
        engine = sa.create_engine(parsed, json_serializer=dumps, pool_pre_ping=True)
    except (ImportError, sa.exc.NoSuchModuleError) as err:
        hint = " (pip install 'quantumflow[postgres]')" if backend == "postgresql" else ""
        raise StoreError(f"cannot open {parsed!r}: driver missing{hint}") from err
    return engine


def _sqlite_engine(parsed: sa.URL) -> Engine:
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        make_parent_dir(database)
        # a file: the same connections as the run path's (read-only where it must be)
        engine = sa.create_engine(
            "sqlite://",
            json_serializer=dumps,
            creator=lambda: open_sqlite(database)[0],
            # what SQLAlchemy pools a file with (a "sqlite://" URL alone would get the
            # in-memory database's pool: one connection per thread, closed under load)
            poolclass=sa.pool.QueuePool,
        )
    else:
        engine = sa.create_engine(
            parsed,
            json_serializer=dumps,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            configure_sqlite(dbapi_conn)  # the same settings as the run path's connections

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("qf_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextmanager
def write_tx(engine: Engine) -> Iterator[Connection]:
    """A write transaction (``BEGIN IMMEDIATE`` on SQLite), committed on success."""
    with engine.connect() as plain:
        conn = plain.execution_options(qf_write=True)
        with conn.begin():
            yield conn


@contextmanager
def read_tx(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction (rolled back at the end)."""
    with engine.connect() as conn, conn.begin() as tx:
        yield conn
        tx.rollback()
