"""What runs cost: the sum of their tasks' recorded ``cost_usd`` (``performance_metrics``).

The engine (``quantumflow/engine/metrics.py``) records a cost for every quantum attempt
from the cost module's price tables: the provider's price on cloud QPUs, 0 on local
simulators and for cache hits. Classical tasks record none, so a run of classical tasks
only has no entry and the API answers ``cost_usd: null`` for it rather than a made-up zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from ..store.store import Store

#: Run ids per ``IN (...)`` query (SQLite allows 999 bound parameters by default).
_CHUNK = 500


def run_costs(store: Store, run_ids: Iterable[str]) -> dict[str, float]:
    """USD per run id, summed over every recorded attempt; runs with no cost are left out.

    Args:
        store: the QuantumFlow store (its SQLAlchemy ``engine`` is read).
        run_ids: the runs to price.

    Returns:
        ``{run_id: usd}`` for the runs that have at least one recorded task cost.
    """
    from ..store.tables import performance_metrics as pm

    ids = list(dict.fromkeys(run_ids))
    out: dict[str, float] = {}
    with store.engine.connect() as conn:
        for i in range(0, len(ids), _CHUNK):
            query = (
                sa.select(pm.c.run_id, sa.func.sum(pm.c.cost_usd))
                .where(pm.c.run_id.in_(ids[i : i + _CHUNK]), pm.c.cost_usd.is_not(None))
                .group_by(pm.c.run_id)
            )
            for run_id, total in conn.execute(query):
                if total is not None:
                    out[str(run_id)] = float(total)
    return out
