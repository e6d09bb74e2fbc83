"""Peer: dask's threaded scheduler on a raw task graph (``dask.threaded.get``)."""

from __future__ import annotations

import time
from typing import Any

from _serve import Workload, main
from workloads import nap, work


def _graph(wl: Workload) -> dict[str, Any]:
    body = nap if wl.nap else work
    return {wl.ids[i]: (body, *(wl.ids[u] for u in ups)) for i, ups in enumerate(wl.ups)}


class DaskThreaded:
    """Runs a workload as a dask graph dict on a thread pool of the workload's size."""

    name = "dask-threaded"

    def __init__(self) -> None:
        import dask.threaded

        self._get = dask.threaded.get

    def versions(self) -> dict[str, str]:
        import dask

        return {"dask": dask.__version__}

    def run(self, wl: Workload) -> list[int]:
        keys = [wl.ids[i] for i in wl.sinks()]
        return list(self._get(_graph(wl), keys, num_workers=wl.concurrency))

    def close(self) -> None:
        pass


def _startup() -> float:
    t0 = time.perf_counter()
    import dask.threaded

    seen: list[float] = []
    dask.threaded.get({"a": (lambda: seen.append(time.perf_counter()),)}, "a")
    return seen[0] - t0


if __name__ == "__main__":
    main(DaskThreaded, _startup)
