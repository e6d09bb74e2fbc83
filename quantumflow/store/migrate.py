"""Bring a database to the newest schema with Alembic, cheaply when it already is.

``ensure_schema`` first reads ``alembic_version`` with one query; only when that is not
:data:`HEAD` does it import Alembic and upgrade, under a lock (``BEGIN IMMEDIATE`` on
SQLite, an advisory lock on PostgreSQL) so that two processes opening a fresh database at
the same time do not both create the tables.
"""

from __future__ import annotations

import logging
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from quantumflow.errors import StoreError

from .db import write_tx

log = logging.getLogger(__name__)

#: The newest migration's revision id (tests check it matches ``migrations/versions``).
HEAD = "0001"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_PG_LOCK_KEY = 0x51F10  # any constant; scopes pg_advisory_xact_lock to QuantumFlow


def current_revision(conn: Connection) -> str | None:
    """The revision stored in the database, or None for a database without our schema."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _stored_revision(engine: Engine) -> str | None:
    # Fast path: one SELECT; a missing table shows up as an error we treat as "empty".
    try:
        with engine.connect() as conn:
            rev = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            conn.rollback()
            return rev
    except sa.exc.DBAPIError:
        return None


def ensure_schema(engine: Engine) -> None:
    """Upgrade the database behind ``engine`` to :data:`HEAD` (no-op when it is there).

    Raises:
        StoreError: the database cannot be reached, or was written by a newer QuantumFlow.
    """
    # No per-process "already migrated" cache: the file may have been deleted since, and
    # the check is one SELECT on a connection the pool keeps for the store's first query.
    if _stored_revision(engine) != HEAD:
        _upgrade(engine)


def _upgrade(engine: Engine) -> None:
    from alembic.command import upgrade
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    known = {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}
    try:
        with write_tx(engine) as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            rev = current_revision(conn)  # again, now that we hold the lock
            if rev == HEAD:
                return
            if rev is not None and rev not in known:
                raise StoreError(
                    f"the database {engine.url!r} has schema revision {rev}, newer than this "
                    "QuantumFlow knows; upgrade QuantumFlow"
                )
            log.info("migrating %r from %s to %s", engine.url, rev or "empty", HEAD)
            cfg.attributes["connection"] = conn
            upgrade(cfg, "head")
    except sa.exc.DBAPIError as err:
        raise StoreError(f"cannot migrate the database {engine.url!r}: {err.orig}") from err
