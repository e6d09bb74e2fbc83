"""The store writer process: group-commits task events into one SQLite file.

Started by :class:`~.writer_process.ProcessWriter` as
``python -m quantumflow.store.writer_child PATH``. It reads frames from stdin and answers
on stdout. A frame is a 4-byte little-endian length and a :mod:`marshal` payload of plain
tuples (never pickle), sent only by the parent over its private pipe:

- ``("E", [event tuple, ...])``: queue events; they are committed as soon as the pipe
  holds nothing more (a small batch up to ``MIN_INTERVAL_S`` after the previous commit),
  or ``MAX_BATCH`` are queued, or a flush comes.
- ``("F", seq)``: commit everything queued, then answer ``("A", seq, errors)`` with the
  messages of batches that could not be written since the last answer.
- end of input (the parent closed the pipe, exited or was killed): commit what is queued
  and exit. A kill -9 of the engine therefore loses nothing it had handed over.
"""

from __future__ import annotations

import logging
import select
import signal
import sys
import time
from typing import BinaryIO

from .committer import Committer
from .dbapi import SqliteDb
from .events_sql import EventRow
from .frames import FrameReader, encode_frame
from .run_sql import RunOp

log = logging.getLogger("quantumflow.store.writer")

#: Commit at least every this many events, even while more are waiting in the pipe.
MAX_BATCH = 4096
#: A batch smaller than this waits for more until MIN_INTERVAL_S after the last commit.
SMALL_BATCH = 0
MIN_INTERVAL_S = 0.01
#: While frames come faster than this, poll the pipe this long before sleeping in read():
#: a sleeping process (and on a VM its idle vCPU) takes a while to wake, which a run's
#: end waited for once per hand-over (W2 after an idle spell: ~34 -> ~29 µs per hop).
SPIN_S = 0.001


class _Committer(Committer):
    """A :class:`Committer` that keeps error messages for the next flush answer."""

    def __init__(self, db: SqliteDb) -> None:
        super().__init__(db)
        self.errors: list[str] = []

    def commit_or_note(self, batch: list[EventRow | RunOp]) -> None:
        error = self.commit(batch)
        if error is not None:
            self.errors.append(f"{type(error).__name__}: {error}")


def serve(path: str, inp: int, out: BinaryIO) -> None:
    """The loop: read frames from ``inp``, commit into ``path``, answer flushes on ``out``.

    Group commit: read everything the pipe holds (the engine already sends events in
    batches), commit it in one transaction, repeat; what arrives while a commit runs goes
    into the next one. While events only trickle in (long tasks), a small batch waits for
    more until ``MIN_INTERVAL_S`` has passed since the previous commit: a few commits of
    several events instead of one commit per event.
    """
    committer = _Committer(SqliteDb(path))
    reader = FrameReader(inp)
    pending: list[EventRow | RunOp] = []
    last_commit = 0.0
    gap = SPIN_S  # how long the last read waited
    try:
        while True:
            if pending and _due(pending, inp, last_commit):
                committer.commit_or_note(pending)
                pending = []
                last_commit = time.monotonic()
                continue
            waited = time.perf_counter()
            if gap < SPIN_S:  # frames are coming fast: the next one is likely near
                _spin(inp, SPIN_S)
            frames = reader.read_some()  # blocks until the engine sends something
            gap = time.perf_counter() - waited
            if frames is None:  # the parent is gone or closed the store
                break
            for frame in frames:
                if frame[0] == "E":
                    pending.extend(frame[1])
                elif frame[0] == "F":
                    if pending:
                        committer.commit_or_note(pending)
                        pending = []
                    errors, committer.errors = committer.errors, []
                    out.write(encode_frame(("A", frame[1], errors)))
                    out.flush()
    finally:
        if pending:
            committer.commit_or_note(pending)
        committer.db.close()


def _due(pending: list[EventRow | RunOp], inp: int, last_commit: float) -> bool:
    """Whether to commit ``pending`` now rather than read more first."""
    if len(pending) >= MAX_BATCH:
        return True
    if _readable(inp, 0.0):
        return False  # more is already there: take it into this commit
    if len(pending) >= SMALL_BATCH:
        return True
    wait = last_commit + MIN_INTERVAL_S - time.monotonic()
    return wait <= 0 or not _readable(inp, wait)


def _spin(fd: int, seconds: float) -> None:
    """Poll ``fd`` until it is readable or ``seconds`` have passed."""
    end = time.perf_counter() + seconds
    while not _readable(fd, 0.0) and time.perf_counter() < end:
        pass


def _readable(fd: int, timeout: float) -> bool:
    return bool(select.select([fd], [], [], timeout)[0])


def main() -> int:
    # Ctrl-C in a terminal reaches the whole foreground process group: the engine turns it
    # into a cancelled run, which this process must still be alive to commit.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, format="quantumflow store writer: %(message)s")
    serve(sys.argv[1], sys.stdin.fileno(), sys.stdout.buffer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
