"""One group commit of task events, with retries: what both writers (the thread in
``writer.py`` and the process in ``writer_child.py``) do with each batch.

The durability rule lives here: a run is never recorded ``succeeded`` (or any other
outcome) when some of its task rows or events could not be written. A batch that the
database refuses (disk full, read-only, corrupt, a value it cannot store) marks every run
it touched as *failed to record*; that run's terminal status, whenever it comes, is written
as ``store_error`` with the cause, and ``quantumflow resume`` completes it once the store
takes writes again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from .dbapi import Db, Tx
from .events_sql import EVENT_FIELDS, EventRow, Timing, write_batch
from .run_sql import RunOp

log = logging.getLogger(__name__)

#: Tries per batch while the database is locked or the connection drops.
ATTEMPTS = 5
#: The run status written instead of a run's outcome when some of its rows were lost.
STORE_ERROR = "store_error"
_MARK = (
    "INSERT INTO writer_marks (session, seq, at) VALUES (?, ?, ?)"
    " ON CONFLICT (session) DO UPDATE SET seq = excluded.seq, at = excluded.at"
)
#: Once the session's row exists: an update by primary key costs less than the upsert.
_MARK_AGAIN = "UPDATE writer_marks SET seq = ?, at = ? WHERE session = ?"


@dataclass(frozen=True)
class Failure:
    """A batch that could not be committed.

    Attributes:
        message: the database's error, as ``Type: text``.
        runs: the runs whose rows were in the batch (now recorded ``store_error`` when
            they finish).
    """

    message: str
    runs: tuple[str, ...]


def lost_message(cause: str) -> str:
    """The ``error`` of a run whose rows the store could not take."""
    return (
        f"the store could not record all of this run's task rows and events ({cause}); "
        "fix the store (free disk space, make it writable) and run `quantumflow resume` "
        "to complete the run"
    )


def batch_runs(batch: Sequence[EventRow | RunOp]) -> tuple[str, ...]:
    """The run ids a batch touches, in first-seen order."""
    seen: dict[str, None] = {}
    for item in batch:
        run_id = item[0] if len(item) == EVENT_FIELDS else item[1]
        seen.setdefault(run_id)
    return tuple(seen)


class Committer:
    """Commits batches into ``db``; remembers queued/started times across batches, and the
    runs that lost rows (``failed``: run id -> cause) so their outcome becomes
    ``store_error``."""

    def __init__(self, db: Db, *, session: str | None = None) -> None:
        self.db = db
        self.timing: Timing = {}
        self.failed: dict[str, str] = {}
        self.session = session
        self._marked = False  # the session's writer_marks row exists

    def commit(self, batch: Sequence[EventRow | RunOp], *, seq: int = 0) -> Failure | None:
        """Write ``batch`` in one transaction (with the session's mark ``seq`` when this
        committer has a session); returns what failed, if it could not (logged)."""
        if self.failed:
            batch = self._outcomes_of_failed_runs(batch)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                timing = dict(self.timing)  # kept only if the transaction commits
                with self.db.write() as tx:
                    write_batch(tx, batch, timing)
                    self._mark(tx, seq)
                self.timing = timing
                return None
            except Exception as err:
                if self.db.transient(err) and attempt < ATTEMPTS:  # locked: try again
                    time.sleep(0.05 * 2**attempt)
                    continue
                return self._lost(batch, err, seq)
        return None  # pragma: no cover - the loop always returns

    def _mark(self, tx: Tx, seq: int) -> None:
        if not (self.session and seq):
            return
        if self._marked and tx.run(_MARK_AGAIN, (seq, time.time(), self.session)):
            return
        tx.run(_MARK, (self.session, seq, time.time()))
        self._marked = True

    def _lost(self, batch: Sequence[EventRow | RunOp], err: BaseException, seq: int) -> Failure:
        """Note the runs of a batch that could not be written, then save what can be: the
        batch's run operations alone (task rows, start, the outcome as ``store_error``),
        else just the outcomes."""
        cause = f"{type(err).__name__}: {err}"
        log.error("could not write %d task events and run operations: %s", len(batch), cause)
        runs = batch_runs(batch)
        for run_id in runs:
            self.failed.setdefault(run_id, cause)
        ops = self._outcomes_of_failed_runs([item for item in batch if len(item) != EVENT_FIELDS])
        for subset in (ops, [op for op in ops if op[0] == "finish"]):
            if not subset:
                break
            try:
                with self.db.write() as tx:
                    write_batch(tx, subset, {})
                    self._mark(tx, seq)
                break
            except Exception as again:
                log.error("could not write %d run operations either: %s", len(subset), again)
        return Failure(cause, runs)

    def _outcomes_of_failed_runs(
        self, batch: Sequence[EventRow | RunOp]
    ) -> Sequence[EventRow | RunOp]:
        """``batch`` with the outcome of each run that lost rows replaced by ``store_error``."""
        failed = self.failed
        out: list[EventRow | RunOp] = []
        for item in batch:
            if len(item) != EVENT_FIELDS and item[0] == "finish" and item[1] in failed:
                run_id = item[1]
                out.append(("finish", run_id, STORE_ERROR, lost_message(failed[run_id]), item[4]))
            else:
                out.append(item)
        return out
