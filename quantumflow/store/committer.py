"""One group commit of task events, with retries: what both writers (the thread in
``writer.py`` and the process in ``writer_child.py``) do with each batch."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from .dbapi import Db
from .events_sql import EVENT_FIELDS, EventRow, Timing, write_batch
from .run_sql import RunOp

log = logging.getLogger(__name__)

#: Tries per batch while the database is locked or the connection drops.
ATTEMPTS = 5


class Committer:
    """Commits batches into ``db``; remembers queued/started times across batches."""

    def __init__(self, db: Db) -> None:
        self.db = db
        self.timing: Timing = {}

    def commit(self, batch: Sequence[EventRow | RunOp]) -> BaseException | None:
        """Write ``batch`` in one transaction; returns the error if it could not (logged)."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                timing = dict(self.timing)  # kept only if the transaction commits
                with self.db.write() as tx:
                    write_batch(tx, batch, timing)
                self.timing = timing
                return None
            except self.db.retryable as err:  # locked/connection lost: try again
                if attempt == ATTEMPTS:
                    log.error(
                        "dropping %d task events after %d tries: %s", len(batch), attempt, err
                    )
                    return err
                time.sleep(0.05 * 2**attempt)
            except Exception as err:
                log.exception("dropping %d task events", len(batch))
                self._keep_run_ops(batch)
                return err
        return None  # pragma: no cover - the loop always returns

    def _keep_run_ops(self, batch: Sequence[EventRow | RunOp]) -> None:
        """After a batch failed on its data (a value the database refuses), commit its run
        operations alone: a bad event must not cost a run its task rows or its start."""
        ops = [item for item in batch if len(item) != EVENT_FIELDS]
        if not ops or len(ops) == len(batch):
            return
        try:
            with self.db.write() as tx:
                write_batch(tx, ops, {})
        except Exception:
            log.exception("dropping %d run operations", len(ops))
