"""Group commit in a separate process, for SQLite: the writer's Python and SQLite work run
on another core instead of competing with the engine's threads for the GIL.

:class:`ProcessWriter` has :class:`~.writer.GroupWriter`'s interface. ``put`` sends the
events over a pipe to ``python -m quantumflow.store.writer_child`` (started on first use),
which commits them in batches (see ``writer_child.py`` for the protocol); ``flush`` returns
once the child has committed everything sent so far. If the engine's process dies, the
child still commits what it received, then exits.

Nothing handed over is lost when the *writer* dies: every frame is kept here until the
child acknowledges its commit (one small answer per group commit, read whenever more than
:data:`KEEP_FRAMES` frames are kept, and at each flush). A dead child is started again and
sent the frames it had not acknowledged; it skips those it had committed (its session's
mark in ``writer_marks``), so nothing is written twice. Only a writer that keeps dying
without committing anything (:data:`RESTARTS` times within :data:`RESTART_WINDOW_S`) is a
:class:`StoreError`.
"""

from __future__ import annotations

import collections
import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from quantumflow.errors import StoreError

from .dbapi import dumps
from .events_sql import PLAIN_SCALARS, EventRow, event_row
from .frames import FrameReader, encode_frame, readable
from .records import TaskEvent
from .run_sql import RunOp

log = logging.getLogger(__name__)

#: Pipe buffer asked for (Linux): the engine rarely waits for the child to read.
PIPE_BYTES = 1 << 20
_F_SETPIPE_SZ = 1031
_SETTING = "QUANTUMFLOW_STORE_WRITER"
#: Read the child's acknowledgements once this many more frames wait for one (reading
#: costs a system call: once per this many hand-overs, not once per hand-over).
KEEP_FRAMES = 64
#: A writer process that dies this often within RESTART_WINDOW_S, acknowledging nothing in
#: between, is an error.
RESTARTS = 5
RESTART_WINDOW_S = 60.0
#: The directory holding the ``quantumflow`` package, for the child's import path.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def _portable(event: EventRow) -> EventRow:
    """The event with its metrics as plain values: metric values other than
    ``PLAIN_SCALARS`` (numpy scalars, which marshal would send as raw bytes through the
    buffer protocol; nested values) go as JSON values (numpy scalars become numbers)."""
    metrics = event[8]
    if metrics:
        for value in metrics.values():  # a loop: all() over a generator costs twice this
            if type(value) not in PLAIN_SCALARS:
                return (*event[:8], json.loads(dumps(metrics)))
    return event


def _discard(proc: subprocess.Popen[bytes]) -> None:
    """Close a dead writer's pipes and reap it."""
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()
    try:
        proc.wait(timeout=1)
    except subprocess.TimeoutExpired:
        proc.kill()


class ProcessWriter:
    """Sends task events to a writer process that group-commits them into ``path``."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._reset()

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._lock = threading.Lock()  # one sender at a time; a flush holds it to its answer
        self._proc: subprocess.Popen[bytes] | None = None
        self._fd = -1  # the child's stdin (-1: no child)
        self._reader: FrameReader | None = None
        self._closed = False
        self._session = uuid.uuid4().hex  # this process's frames, numbered by _seq
        self._seq = 0
        self._kept: collections.deque[tuple[int, bytes]] = collections.deque()
        self._drain_at = KEEP_FRAMES  # read acknowledgements when this many frames are kept
        self._errors: list[str] = []  # failed batches not yet raised by flush()
        #: Runs whose rows the store could not take: run id -> cause (see committer.py).
        self.failed: dict[str, str] = {}
        self._deaths: collections.deque[float] = collections.deque(maxlen=RESTARTS)
        self._unavailable = ""  # why the last restart failed

    def _start(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        path = env.get("PYTHONPATH")
        env["PYTHONPATH"] = _PACKAGE_ROOT + (os.pathsep + path if path else "")
        try:
            proc = self._spawn(env)
        except OSError as err:
            raise self._down(
                f"cannot start the store writer process ({sys.executable}: {err}); "
                f"set {_SETTING}=thread to write from this process"
            ) from err
        assert proc.stdin is not None and proc.stdout is not None
        if sys.platform == "linux":
            try:
                import fcntl

                fcntl.fcntl(proc.stdin.fileno(), _F_SETPIPE_SZ, PIPE_BYTES)
            except OSError:  # a lower system limit: the default size works too
                pass
        self._reader = FrameReader(proc.stdout.fileno())
        if self.failed:  # runs that lost rows under the previous writer stay marked
            self._write(proc, encode_frame(("X", dict(self.failed))))
        return proc

    def _spawn(self, env: dict[str, str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # our own module, run by this interpreter
            [sys.executable, "-m", "quantumflow.store.writer_child", self._path, self._session],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            # its own session: a terminal's Ctrl-C (sent to the engine's process group)
            # must not kill the process that records the cancellation it causes
            start_new_session=True,
        )

    @staticmethod
    def _write(proc: subprocess.Popen[bytes], data: bytes) -> None:
        assert proc.stdin is not None
        fd = proc.stdin.fileno()
        sent = os.write(fd, data)
        if sent < len(data):  # a full pipe took part of it: the rest as it drains
            view = memoryview(data)[sent:]
            while view:
                view = view[os.write(fd, view) :]

    def _send(self, data: bytes) -> None:
        """Send one frame to the child, starting it (again) and resending what it had not
        acknowledged when it is missing or dead. Holds ``_lock``."""
        fd = self._fd
        try:
            if fd >= 0:
                sent = os.write(fd, data)  # the common case: one call, all of it
                if sent < len(data):  # a full pipe took part of it: the rest as it drains
                    view = memoryview(data)[sent:]
                    while view:
                        view = view[os.write(fd, view) :]
                return
            self._restart(None)  # no child yet, or the last one could not be started
            if self._kept and self._kept[-1][1] is data:
                return  # the restart resent it
            assert self._proc is not None
            self._write(self._proc, data)
        except OSError as err:  # BrokenPipeError: the child is gone
            self._restart(err)
            if not (self._kept and self._kept[-1][1] is data):
                self._send(data)  # a flush marker, not kept: send it to the new child

    def _restart(self, cause: BaseException | None) -> None:
        """Start a writer process (after one died: read what it acknowledged, then resend
        every frame it had not). Holds ``_lock``.

        Raises:
            StoreError: it cannot start, or died :data:`RESTARTS` times within
                :data:`RESTART_WINDOW_S` (the frames stay kept for a later try).
        """
        old, self._proc, self._fd = self._proc, None, -1
        if old is not None:
            self._drain(block=True)  # the dead child's last answers are still in its pipe
            self._reader = None
            _discard(old)
            now = time.monotonic()
            self._deaths.append(now)
            code = old.returncode
            log.warning(
                "the store writer process died (exit code %s); restarting it and resending "
                "%d frames it had not acknowledged",
                code,
                len(self._kept),
            )
            if len(self._deaths) == RESTARTS and now - self._deaths[0] < RESTART_WINDOW_S:
                self._deaths.clear()
                raise self._down(
                    f"the store writer process died {RESTARTS} times within "
                    f"{RESTART_WINDOW_S:g} s (last exit code {code}); task events are kept in "
                    f"memory until it can start (if this repeats, set {_SETTING}=thread)"
                ) from cause
        for _ in range(RESTARTS):
            proc = self._start()
            try:
                for _seq, frame in list(self._kept):
                    self._write(proc, frame)
            except OSError:  # died again at once (e.g. cannot open the database)
                self._drain_from(proc)
                _discard(proc)
                continue
            assert proc.stdin is not None
            self._proc, self._fd = proc, proc.stdin.fileno()
            return
        raise self._down(
            f"the store writer process exits as soon as it starts (exit code "
            f"{proc.returncode}); task events are kept in memory until it can start"
        ) from cause

    def _down(self, message: str) -> StoreError:
        self._unavailable = message
        return StoreError(message)

    def _drain_from(self, proc: subprocess.Popen[bytes]) -> None:
        """Read the answers a dead child left in its pipe."""
        assert proc.stdout is not None
        reader = FrameReader(proc.stdout.fileno())
        while (frames := reader.read_some()) is not None:
            self._take(frames)

    def _drain(self, *, block: bool) -> None:
        """Take the child's acknowledgements; ``block``: until end of input (dead child)."""
        reader = self._reader
        if reader is None:
            return
        while block or readable(reader.fd, 0.0):
            frames = reader.read_some()
            if frames is None:
                return
            self._take(frames)
            if not block:
                return

    def _take(self, frames: list[Any]) -> Any:
        """Apply acknowledgements; returns the flush answer among ``frames``, if any."""
        answer = None
        kept = self._kept
        for frame in frames:
            if frame[0] == "K":
                seq = frame[1]
                if kept and kept[0][0] <= seq:
                    self._deaths.clear()  # it made progress: earlier deaths do not count
                while kept and kept[0][0] <= seq:
                    kept.popleft()
                for cause, runs in frame[2]:
                    self._errors.append(cause)
                    for run_id in runs:
                        self.failed.setdefault(run_id, cause)
            elif frame[0] == "A":
                answer = frame
        return answer

    def put(self, events: Iterable[TaskEvent]) -> None:
        """Hand events to the writer process (blocks only while the pipe is full)."""
        self.put_rows([_portable(event_row(ev)) for ev in events])

    def put_rows(self, batch: list[EventRow | RunOp]) -> None:
        """Hand event rows and run operations (plain values only) to the writer process.

        Raises:
            StoreError: the store is closed, or the writer process cannot be kept running
                (the rows stay kept and are sent with the next rows or flush).
        """
        if self._pid != os.getpid():  # forked: the parent's pipe is not ours
            self._reset()
        if not batch:
            return
        with self._lock:
            if self._closed:
                raise StoreError("the store is closed")
            self._seq += 1
            data = encode_frame(("E", self._seq, batch))
            kept = self._kept
            kept.append((self._seq, data))
            if len(kept) >= self._drain_at:
                self._drain(block=False)
                self._drain_at = len(kept) + KEEP_FRAMES
            self._send(data)

    def flush(self) -> None:
        """Block until every event handed over so far is committed.

        Raises:
            StoreError: a batch could not be written, or the writer process cannot be kept
                running.
        """
        if self._pid != os.getpid():
            return
        with self._lock:
            if self._proc is None and not self._kept:
                self._raise_errors()
                return
            marker = encode_frame(("F", self._seq))
            while True:
                self._send(marker)
                reader = self._reader
                assert reader is not None
                answer = None
                while answer is None:
                    frames = reader.read_some()
                    if frames is None:  # died before answering: restart, resend, ask again
                        break
                    answer = self._take(frames)
                if answer is not None and answer[1] == self._seq:
                    break
                if answer is None:
                    self._restart(None)
                    marker = encode_frame(("F", self._seq))
            self._kept.clear()  # the answer comes after every frame's commit
            self._raise_errors()

    def lost(self, run_id: str) -> str | None:
        """Why some of ``run_id``'s rows are not in the database (None: every frame handed
        over is committed and none of the run's failed)."""
        cause = self.failed.get(run_id)
        if cause is None and self._kept:
            cause = self._unavailable or "the store writer process is not running"
        return cause

    def _raise_errors(self) -> None:
        errors, self._errors = self._errors, []
        if errors:
            raise StoreError(f"could not record task events: {errors[0]}")

    def close(self) -> None:
        """Flush, then let the writer process exit."""
        try:
            self.flush()
        finally:
            with self._lock:
                self._closed = True
                proc, self._proc, self._fd = self._proc, None, -1
            if proc is not None and self._pid == os.getpid():
                assert proc.stdin is not None and proc.stdout is not None
                proc.stdin.close()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    log.error("the store writer process did not exit; killing it")
                    proc.kill()
                    proc.wait()
                proc.stdout.close()
