"""Peer: ``dask.delayed`` (one delayed call per task, ``dask.compute`` on the sinks)."""

from __future__ import annotations

import time
from typing import Any

from _serve import Workload, main
from workloads import nap, work


class DaskDelayed:
    """Builds the workload with ``dask.delayed`` and computes it on the threaded scheduler."""

    name = "dask-delayed"

    def __init__(self) -> None:
        import dask

        self._dask = dask

    def versions(self) -> dict[str, str]:
        return {"dask": self._dask.__version__}

    def run(self, wl: Workload) -> list[int]:
        dask = self._dask
        body = dask.delayed(nap if wl.nap else work, pure=False)
        nodes: list[Any] = []
        for ups in wl.ups:
            nodes.append(body(*(nodes[u] for u in ups)))
        sinks = [nodes[i] for i in wl.sinks()]
        return list(dask.compute(*sinks, scheduler="threads", num_workers=wl.concurrency))

    def close(self) -> None:
        pass


def _startup() -> float:
    t0 = time.perf_counter()
    import dask

    seen: list[float] = []
    dask.delayed(lambda: seen.append(time.perf_counter()))().compute(scheduler="threads")
    return seen[0] - t0


if __name__ == "__main__":
    main(DaskDelayed, _startup)
