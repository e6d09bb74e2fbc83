"""Peer: Ray tasks (``@ray.remote``), ObjectRefs passed as arguments, ``ray.get`` on sinks.

``ray.init(num_cpus=8)``; each task asks for ``8 // concurrency`` CPUs so at most the
workload's concurrency run at once. ``ray.init`` is part of startup, not of the run time.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from _serve import Workload, main
from workloads import nap, work

CPUS = 8
# Ray's worker processes import ``workloads`` (the task bodies) by name.
_HERE = str(Path(__file__).resolve().parent.parent)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [_HERE, os.environ.get("PYTHONPATH")]))


class Ray:
    """A local Ray instance for the whole session."""

    name = "ray"

    def __init__(self) -> None:
        import ray

        ray.init(num_cpus=CPUS, include_dashboard=False, log_to_driver=False)
        self._ray = ray
        self._work = ray.remote(work)
        self._nap = ray.remote(nap)

    def versions(self) -> dict[str, str]:
        return {"ray": self._ray.__version__}

    def run(self, wl: Workload) -> list[int]:
        fn = (self._nap if wl.nap else self._work).options(num_cpus=CPUS // wl.concurrency)
        refs: list[Any] = []
        for ups in wl.ups:
            refs.append(fn.remote(*(refs[u] for u in ups)))
        return list(self._ray.get([refs[i] for i in wl.sinks()]))

    def close(self) -> None:
        self._ray.shutdown()


def _now() -> float:
    return time.time()


def _startup() -> float:
    t0 = time.perf_counter()
    import ray

    ray.init(num_cpus=CPUS, include_dashboard=False, log_to_driver=False)
    t_task = ray.get(ray.remote(_now).remote())  # runs in a worker process
    return t_task - (time.time() - (time.perf_counter() - t0))


if __name__ == "__main__":
    main(Ray, _startup)
