"""How large a batch of quantum tasks may grow and how long it may wait for members.

- Size: a local simulator's batch is cut where its predicted run time reaches
  :data:`TARGET_BATCH_S` (a batch holds its SDK worker until its last member is done, so a
  huge one would delay everything else on that worker, and progress would come in one
  lump), and at most :data:`MAX_BATCH` tasks. A group that would fill fewer batches than
  its SDK has worker processes is split evenly between them when each part still has at
  least :data:`MIN_PART_S` of predicted work (1,000 small circuits on two workers: two
  batches of 500 that run at once; six small circuits stay one batch, since waking a
  second worker would cost more than it saves). A cloud backend's batch is one submission
  (the adapter splits it into as many provider jobs as the device's per-job limit needs).
- Window: how long a partial batch waits for members that are about to become ready.
  Locally a few milliseconds (one SDK round trip saved is ~1 ms per task); for a cloud
  queue a quarter second (a job saved is seconds of queue and per-job overhead).
  ``policies.batch_window_ms`` overrides both, ``policies.batch_max_size`` the size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: A local batch is cut where its predicted run time reaches this many seconds.
TARGET_BATCH_S = 5.0
#: The most tasks in one batch.
MAX_BATCH = 1000
#: A group is split between workers only into parts of at least this much predicted work.
MIN_PART_S = 0.25
#: Default windows (seconds).
LOCAL_WINDOW_S = 0.005
REMOTE_WINDOW_S = 0.25


def batch_limit(
    costs: Sequence[float],
    *,
    remote: bool,
    window_ms: float | None = None,
    max_size: int | None = None,
    workers: int = 1,
) -> tuple[int, float]:
    """``(max_size, window_s)`` for a batch group whose members are predicted to take
    ``costs`` seconds each (``window_ms``/``max_size``: the workflow's own choice;
    ``workers``: how many batches of the group can run at once)."""
    if window_ms is not None:
        window = window_ms / 1000.0
    else:
        window = REMOTE_WINDOW_S if remote else LOCAL_WINDOW_S
    if max_size is not None:
        return max_size, window
    if remote:
        return MAX_BATCH, window
    mean = max(1e-6, sum(costs) / max(1, len(costs)))
    size = max(1, min(MAX_BATCH, math.floor(TARGET_BATCH_S / mean)))
    parts = max(1, min(workers, math.floor(mean * len(costs) / MIN_PART_S)))
    return min(size, math.ceil(len(costs) / parts)), window
