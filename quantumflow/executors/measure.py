"""What a worker process can say about itself: its name (``host:pid``) and peak memory.

Recorded with every attempt (``worker``, ``peak_mem_bytes``) by the engine for calls in its
own process and by the SDK workers for theirs.
"""

from __future__ import annotations

import os
import socket
import sys

_WORKER = f"{socket.gethostname()[:200]}:{os.getpid()}"


def worker_name() -> str:
    """``host:pid`` of this process, as recorded in the ``worker`` metric."""
    return _WORKER


def peak_rss_bytes() -> int | None:
    """Peak resident memory of this process so far (None where not measurable)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)  # macOS: bytes; Linux: KiB
