"""Group commit in a separate process, for SQLite: the writer's Python and SQLite work run
on another core instead of competing with the engine's threads for the GIL.

:class:`ProcessWriter` has :class:`~.writer.GroupWriter`'s interface. ``put`` sends the
events over a pipe to ``python -m quantumflow.store.writer_child`` (started on first use),
which commits them in batches (see ``writer_child.py`` for the protocol); ``flush`` returns
once the child has committed everything sent so far. If the engine's process dies, the
child still commits what it received, then exits.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

from quantumflow.errors import StoreError

from .dbapi import dumps
from .events_sql import PLAIN_SCALARS, EventRow, event_row
from .frames import FrameReader, encode_frame
from .records import TaskEvent
from .run_sql import RunOp

log = logging.getLogger(__name__)

#: Pipe buffer asked for (Linux): the engine rarely waits for the child to read.
PIPE_BYTES = 1 << 20
_F_SETPIPE_SZ = 1031
_SETTING = "QUANTUMFLOW_STORE_WRITER"
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
        self._reader: FrameReader | None = None
        self._closed = False
        self._seq = 0

    def _start(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        path = env.get("PYTHONPATH")
        env["PYTHONPATH"] = _PACKAGE_ROOT + (os.pathsep + path if path else "")
        try:
            proc = self._spawn(env)
        except OSError as err:
            raise StoreError(
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
        return proc

    def _spawn(self, env: dict[str, str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # our own module, run by this interpreter
            [sys.executable, "-m", "quantumflow.store.writer_child", self._path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            # its own session: a terminal's Ctrl-C (sent to the engine's process group)
            # must not kill the process that records the cancellation it causes
            start_new_session=True,
        )

    def _send(self, proc: subprocess.Popen[bytes], data: bytes) -> None:
        assert proc.stdin is not None
        fd = proc.stdin.fileno()
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(fd, view) :]
        except OSError as err:  # BrokenPipeError: the child is gone
            raise self._died() from err

    def _died(self) -> StoreError:
        """The error for a writer process that exited; the next event starts a new one
        (what the dead one had not committed is lost, and this error says so)."""
        error = StoreError(
            f"the store writer process has exited ({self._exit_text()}); task events it "
            f"had not committed are lost (if this repeats, set {_SETTING}=thread)"
        )
        proc, self._proc, self._reader = self._proc, None, None
        if proc is not None:
            _discard(proc)
        return error

    def _exit_text(self) -> str:
        proc = self._proc
        code = None if proc is None else proc.poll()
        return "still running" if code is None else f"exit code {code}"

    def put(self, events: Iterable[TaskEvent]) -> None:
        """Hand events to the writer process (blocks only while the pipe is full)."""
        self.put_rows([_portable(event_row(ev)) for ev in events])

    def put_rows(self, batch: list[EventRow | RunOp]) -> None:
        """Hand event rows and run operations (plain values only) to the writer process."""
        if self._pid != os.getpid():  # forked: the parent's pipe is not ours
            self._reset()
        if not batch:
            return
        data = encode_frame(("E", batch))
        with self._lock:
            if self._closed:
                raise StoreError("the store is closed")
            if self._proc is None:
                self._proc = self._start()
            self._send(self._proc, data)

    def flush(self) -> None:
        """Block until every event handed over so far is committed.

        Raises:
            StoreError: a batch could not be written, or the writer process died.
        """
        if self._pid != os.getpid():
            return
        with self._lock:
            proc, reader = self._proc, self._reader
            if proc is None or reader is None:
                return
            self._seq += 1
            seq = self._seq
            self._send(proc, encode_frame(("F", seq)))
            errors: list[str] | None = None
            while errors is None:
                frames = reader.read_some()
                if frames is None:
                    raise self._died()
                for frame in frames:
                    if frame[0] == "A" and frame[1] == seq:
                        errors = list(frame[2])
        if errors:
            raise StoreError(f"could not record task events: {errors[0]}")

    def close(self) -> None:
        """Flush, then let the writer process exit."""
        try:
            self.flush()
        finally:
            with self._lock:
                self._closed = True
                proc, self._proc = self._proc, None
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
