"""Alembic environment: always run programmatically by ``quantumflow.store.migrate``.

The caller passes an open connection (already inside a locked transaction) through
``config.attributes["connection"]``; there is no alembic.ini and no logging setup here.
"""

from __future__ import annotations

from alembic import context

from quantumflow.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable from a stray `alembic` command
    raise RuntimeError("run migrations through quantumflow.store.open_store()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
