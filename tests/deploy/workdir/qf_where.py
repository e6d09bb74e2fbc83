"""Task functions the Dask workers import from the mounted work directory (on PYTHONPATH).

compose.yaml mounts notebooks/ at /home/quantumflow/work in the lab and the workers; the
image smoke tests mount this directory there instead.
"""

from __future__ import annotations

import time


def worker_name(seconds: float) -> str:
    """The name of the Dask worker that runs this call, after holding it for ``seconds``."""
    from distributed import get_worker

    time.sleep(seconds)
    return str(get_worker().name)
