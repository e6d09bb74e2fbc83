"""Frames on the pipe between the engine and the store writer process: a 4-byte
little-endian length, then a :mod:`marshal` payload of plain values (never pickle)."""

from __future__ import annotations

import marshal
import os
import select
import struct
from typing import Any

_HEADER = struct.Struct("<I")


def encode_frame(message: Any) -> bytes:
    """A frame: length prefix and the marshal payload."""
    payload = marshal.dumps(message)
    return _HEADER.pack(len(payload)) + payload


class FrameReader:
    """Reassembles frames from a file descriptor read in chunks."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._buf = bytearray()

    def read_some(self) -> list[Any] | None:
        """Read what is available (blocking until something is); None at end of input."""
        chunk = os.read(self.fd, 1 << 20)
        if not chunk:
            return None
        self._buf += chunk
        frames = []
        while len(self._buf) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._buf)
            end = _HEADER.size + size
            if len(self._buf) < end:
                break
            # marshal, not pickle: plain values only, from the parent's private pipe
            frames.append(marshal.loads(bytes(self._buf[_HEADER.size : end])))  # noqa: S302
            del self._buf[:end]
        return frames


def readable(fd: int, timeout: float) -> bool:
    """Whether ``fd`` has data (or its writer closed it) within ``timeout`` seconds.

    ``poll``, not ``select``: ``select`` refuses descriptors past 1023, and a long-running
    Jupyter server or a notebook kernel with many sockets and files open reaches them.
    """
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(max(0, round(timeout * 1000))))
