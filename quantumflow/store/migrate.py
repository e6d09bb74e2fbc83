"""Bring a database to the newest schema with Alembic, cheaply when it already is.

``ensure_db_schema`` first reads ``alembic_version`` with one query; only when that is not
:data:`HEAD` does it import Alembic and upgrade, under a lock (``BEGIN IMMEDIATE`` on
SQLite, an advisory lock on PostgreSQL) so that two processes opening a fresh database at
the same time do not both create the tables.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from quantumflow.errors import StoreError

from .dbapi import Db, EngineDb, SqliteDb

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

#: The newest migration's revision id (tests check it matches ``migrations/versions``).
HEAD = "0006"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_PG_LOCK_KEY = 0x51F10  # any constant; scopes pg_advisory_xact_lock to QuantumFlow


def current_revision(conn: Connection) -> str | None:
    """The revision stored in the database, or None for a database without our schema."""
    import sqlalchemy as sa

    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _db_revision(db: Db) -> str | None:
    try:
        with db.read() as tx:
            value = tx.value("SELECT version_num FROM alembic_version")
    except Exception:  # no such table (or unreadable): the slow path tells which
        return None
    return None if value is None else str(value)


def ensure_db_schema(db: Db, url: str) -> None:
    """Upgrade the database behind ``db`` (at ``url``) to :data:`HEAD`: one SELECT when it
    is there; otherwise SQLAlchemy and Alembic are imported and it is upgraded.

    No per-process "already migrated" cache: the file may have been deleted since.

    Raises:
        StoreError: the database cannot be reached, or was written by a newer QuantumFlow.
    """
    rev = _db_revision(db)
    if rev == HEAD:
        return
    if isinstance(db, SqliteDb) and db.read_only:
        raise StoreError(
            f"the store {db.path} is read-only and its schema ({rev or 'none'}) is not the "
            f"one this QuantumFlow uses ({HEAD}); open it once where it can be written"
        )
    if isinstance(db, EngineDb):
        _upgrade(db.engine)
        return
    from .db import make_engine

    engine = make_engine(url)
    try:
        _upgrade(engine)
    finally:
        engine.dispose()


def _upgrade(engine: Engine) -> None:
    import sqlalchemy as sa
    from alembic.command import upgrade
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    from .db import write_tx

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
