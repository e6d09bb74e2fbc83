"""The store writer process: group-commits task events into one SQLite file.

Started by :class:`~.writer_process.ProcessWriter` as
``python -m quantumflow.store.writer_child PATH``. It reads frames from stdin and answers
on stdout. A frame is a 4-byte little-endian length and a :mod:`marshal` payload of plain
tuples (never pickle), sent only by the parent over its private pipe:

- ``("E", [event tuple, ...])``: queue events; they are committed as soon as the pipe
  holds nothing more (or ``MAX_BATCH`` are queued, or a flush comes).
- ``("F", seq)``: commit everything queued, then answer ``("A", seq, errors)`` with the
  messages of batches that could not be written since the last answer.
- end of input (the parent closed the pipe, exited or was killed): commit what is queued
  and exit. A kill -9 of the engine therefore loses nothing it had handed over.
"""

from __future__ import annotations

import logging
import select
import sys
import time
from typing import BinaryIO

from .dbapi import SqliteDb
from .events_sql import EventRow, Timing, write_batch
from .frames import FrameReader, encode_frame

log = logging.getLogger("quantumflow.store.writer")

#: Commit at least every this many events, even while more are waiting in the pipe.
MAX_BATCH = 4096
_ATTEMPTS = 5


class _Committer:
    def __init__(self, db: SqliteDb) -> None:
        self.db = db
        self.timing: Timing = {}
        self.errors: list[str] = []

    def commit(self, batch: list[EventRow]) -> None:
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                timing = dict(self.timing)  # kept only if the transaction commits
                with self.db.write() as tx:
                    write_batch(tx, batch, timing)
                self.timing = timing
                return
            except self.db.retryable as err:  # locked: try again
                if attempt == _ATTEMPTS:
                    log.error(
                        "dropping %d task events after %d tries: %s", len(batch), attempt, err
                    )
                    self.errors.append(f"{type(err).__name__}: {err}")
                    return
                time.sleep(0.05 * 2**attempt)
            except Exception as err:
                log.exception("dropping %d task events", len(batch))
                self.errors.append(f"{type(err).__name__}: {err}")
                return


def serve(path: str, inp: int, out: BinaryIO) -> None:
    """The loop: read frames from ``inp``, commit into ``path``, answer flushes on ``out``.

    Group commit without a timer: read everything the pipe holds (the engine already sends
    events in batches), commit it in one transaction, repeat. What arrives while a commit
    runs waits in the pipe and goes into the next one.
    """
    committer = _Committer(SqliteDb(path))
    reader = FrameReader(inp)
    pending: list[EventRow] = []
    try:
        while True:
            if pending and (len(pending) >= MAX_BATCH or not _readable(inp)):
                committer.commit(pending)
                pending = []
            frames = reader.read_some()  # blocks until the engine sends something
            if frames is None:  # the parent is gone or closed the store
                break
            for frame in frames:
                if frame[0] == "E":
                    pending.extend(frame[1])
                elif frame[0] == "F":
                    if pending:
                        committer.commit(pending)
                        pending = []
                    errors, committer.errors = committer.errors, []
                    out.write(encode_frame(("A", frame[1], errors)))
                    out.flush()
    finally:
        if pending:
            committer.commit(pending)
        committer.db.close()


def _readable(fd: int) -> bool:
    return bool(select.select([fd], [], [], 0)[0])


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="quantumflow store writer: %(message)s")
    serve(sys.argv[1], sys.stdin.fileno(), sys.stdout.buffer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
