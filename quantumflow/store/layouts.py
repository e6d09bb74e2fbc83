"""The ``layouts`` table: drawings of big workflows, kept by the hash of their graph.

:mod:`quantumflow.graph.layout` computes a drawing once per graph; the API keeps its JSON
text here under :func:`~quantumflow.graph.layout.graph_key`, so every later view of the
same workflow (another run of it, the notebook widget, the server after a restart) reads
it back instead of computing it again.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .db import read_tx, write_tx
from .tables import layouts


def get_layout(engine: Engine, key: str) -> str | None:
    """The JSON text kept under ``key``, if any."""
    with read_tx(engine) as conn:
        found = conn.execute(sa.select(layouts.c.data).where(layouts.c.key == key)).scalar()
    return None if found is None else str(found)


def save_layout(engine: Engine, key: str, tasks: int, data: str) -> None:
    """Keep ``data`` under ``key`` (a drawing already kept there is left as it is)."""
    try:
        with write_tx(engine) as conn:
            exists = conn.execute(sa.select(layouts.c.key).where(layouts.c.key == key)).first()
            if exists is None:
                conn.execute(
                    layouts.insert().values(key=key, tasks=tasks, data=data, created_at=time.time())
                )
    except sa.exc.IntegrityError:  # another process kept the same drawing first
        pass
