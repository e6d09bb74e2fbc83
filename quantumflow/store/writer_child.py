"""The store writer process: group-commits task events into one SQLite file.

Started by :class:`~.writer_process.ProcessWriter` as
``python -m quantumflow.store.writer_child PATH SESSION``. It reads frames from stdin and
answers on stdout. A frame is a 4-byte little-endian length and a :mod:`marshal` payload of
plain tuples (never pickle), sent only by the parent over its private pipe:

- ``("E", seq, [event tuple, ...])``: queue events; they are committed as soon as the pipe
  holds nothing more (a small batch up to ``MIN_INTERVAL_S`` after the previous commit),
  or ``MAX_BATCH`` are queued, or a flush comes. ``seq`` numbers the frames of one
  SESSION (one engine process) from 1.
- ``("F", seq)``: commit everything queued, then answer ``("A", seq)``.
- ``("X", {run_id: cause})``: runs that lost rows under an earlier writer process of this
  session (their outcome is written as ``store_error``; see ``committer.py``).
- end of input (the parent closed the pipe, exited or was killed): commit what is queued
  and exit. A kill -9 of the engine therefore loses nothing it had handed over.

After each commit it answers ``("K", seq, failures)``: every frame up to ``seq`` is in the
database (or, for the ``failures`` listed as ``(cause, run ids)``, could not be written
and its runs are marked). The commit also stores ``seq`` in ``writer_marks`` for SESSION,
in the same transaction, so a writer started again after a crash skips the frames the
engine resends that were already committed: a replay never writes an event twice.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from typing import Any, BinaryIO

from .committer import Committer
from .dbapi import SqliteDb
from .events_sql import EventRow
from .frames import FrameReader, encode_frame, readable
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


#: Acknowledge every this many commits (and at each flush, and at once after a failure):
#: the engine reads them every 64 hand-overs; one answer per commit cost the writer's
#: throughput for nothing.
ACK_EVERY = 8
#: Marks of sessions not heard of for this long are deleted when a writer starts.
MARK_TTL_S = 7 * 86400
_MARK_GET = "SELECT seq FROM writer_marks WHERE session = ?"
_MARK_DROP = "DELETE FROM writer_marks WHERE session = ? OR at < ?"


class _Committer(Committer):
    """A :class:`Committer` that queues frames and acknowledges each commit on ``out``."""

    def __init__(self, db: SqliteDb, session: str, out: BinaryIO) -> None:
        super().__init__(db, session=session)
        self.out = out
        self.pending: list[EventRow | RunOp] = []
        self.seq = 0  # the last frame in ``pending``
        self.unacked = 0  # commits not acknowledged yet
        mark = None
        if session:
            with db.read() as tx:
                mark = tx.value(_MARK_GET, (session,))
        #: Frames up to this one were committed by an earlier writer of this session.
        self.done = int(mark or 0)

    def take(self, frame: tuple[Any, ...]) -> None:
        """Queue, answer or note one frame from the engine."""
        kind = frame[0]
        if kind == "E":
            if frame[1] <= self.done:  # resent after a crash, already committed: skip it
                self._ack(frame[1], [])
            else:
                self.pending.extend(frame[2])
                self.seq = frame[1]
        elif kind == "F":
            self.commit_pending()
            if self.unacked:
                self._ack(self.done, [])
            self._send(("A", frame[1]))
        elif kind == "X":
            self.failed.update(frame[1])

    def commit_pending(self) -> None:
        """Commit what is queued (if anything); acknowledge it every :data:`ACK_EVERY`
        commits, and at once when a batch failed (the engine must learn which runs)."""
        if not self.pending:
            return
        failure = self.commit(self.pending, seq=self.seq)
        self.pending = []
        self.done = max(self.done, self.seq)
        self.unacked += 1
        if failure is not None:
            self._ack(self.seq, [(failure.message, list(failure.runs))])
        elif self.unacked >= ACK_EVERY:
            self._ack(self.seq, [])

    def _ack(self, seq: int, failures: list[tuple[str, list[str]]]) -> None:
        self.done = max(self.done, seq)
        self.unacked = 0
        self._send(("K", seq, failures))

    def _send(self, message: tuple[Any, ...]) -> None:
        try:
            self.out.write(encode_frame(message))
            self.out.flush()
        except OSError:  # the engine is gone: it no longer needs to know
            pass

    def forget_session(self) -> None:
        """A clean end: nothing will be resent, the session's mark (and stale ones) go."""
        if not self.session:
            return
        try:
            with self.db.write() as tx:
                tx.run(_MARK_DROP, (self.session, time.time() - MARK_TTL_S))
        except Exception as err:  # a full or read-only store: the mark just stays
            log.warning("could not remove the writer mark: %s", err)


def serve(path: str, inp: int, out: BinaryIO, session: str = "") -> None:
    """The loop: read frames from ``inp``, commit into ``path``, answer on ``out``.

    Group commit: read everything the pipe holds (the engine already sends events in
    batches), commit it in one transaction, repeat; what arrives while a commit runs goes
    into the next one. While events only trickle in (long tasks), a small batch waits for
    more until ``MIN_INTERVAL_S`` has passed since the previous commit: a few commits of
    several events instead of one commit per event.
    """
    committer = _Committer(SqliteDb(path), session, out)
    reader = FrameReader(inp)
    last_commit = 0.0
    gap = SPIN_S  # how long the last read waited
    clean = False
    try:
        while True:
            if committer.pending and _due(committer.pending, inp, last_commit):
                committer.commit_pending()
                last_commit = time.monotonic()
                continue
            waited = time.perf_counter()
            if gap < SPIN_S:  # frames are coming fast: the next one is likely near
                _spin(inp, SPIN_S)
            frames = reader.read_some()  # blocks until the engine sends something
            gap = time.perf_counter() - waited
            if frames is None:  # the parent is gone or closed the store
                clean = True
                break
            for frame in frames:
                committer.take(frame)
    finally:
        committer.commit_pending()
        if clean:
            committer.forget_session()
        committer.db.close()


def _due(pending: list[EventRow | RunOp], inp: int, last_commit: float) -> bool:
    """Whether to commit ``pending`` now rather than read more first."""
    if len(pending) >= MAX_BATCH:
        return True
    if readable(inp, 0.0):
        return False  # more is already there: take it into this commit
    if len(pending) >= SMALL_BATCH:
        return True
    wait = last_commit + MIN_INTERVAL_S - time.monotonic()
    return wait <= 0 or not readable(inp, wait)


def _spin(fd: int, seconds: float) -> None:
    """Poll ``fd`` until it is readable or ``seconds`` have passed."""
    end = time.perf_counter() + seconds
    while not readable(fd, 0.0) and time.perf_counter() < end:
        pass


def main() -> int:
    # Ctrl-C in a terminal reaches the whole foreground process group: the engine turns it
    # into a cancelled run, which this process must still be alive to commit.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, format="quantumflow store writer: %(message)s")
    session = sys.argv[2] if len(sys.argv) > 2 else ""
    serve(sys.argv[1], sys.stdin.fileno(), sys.stdout.buffer, session)
    return 0


if __name__ == "__main__":
    sys.exit(main())
