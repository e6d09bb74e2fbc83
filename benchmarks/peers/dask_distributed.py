"""Peer: ``dask.distributed`` on a LocalCluster (worker processes), graph via ``client.get``.

Two worker processes; threads per worker give the workload's concurrency (2x2 for W1-W3,
2x4 for W5). Cluster start is part of startup, not of the per-run time.
"""

from __future__ import annotations

import time
from typing import Any

from _serve import Workload, main
from dask_threaded import _graph

N_WORKERS = 2


class DaskDistributed:
    """One LocalCluster + Client per concurrency level, kept for the whole session."""

    name = "dask-distributed"

    def __init__(self) -> None:
        import distributed

        self._distributed = distributed
        self._clients: dict[int, Any] = {}

    def _client(self, concurrency: int) -> Any:
        if concurrency not in self._clients:
            d = self._distributed
            cluster = d.LocalCluster(
                n_workers=N_WORKERS,
                threads_per_worker=max(1, concurrency // N_WORKERS),
                processes=True,
                dashboard_address=None,
            )
            self._clients[concurrency] = d.Client(cluster)
        return self._clients[concurrency]

    def versions(self) -> dict[str, str]:
        import dask

        return {"dask": dask.__version__, "distributed": self._distributed.__version__}

    def run(self, wl: Workload) -> list[int]:
        client = self._client(wl.concurrency)
        keys = [wl.ids[i] for i in wl.sinks()]
        return list(client.get(_graph(wl), keys))

    def close(self) -> None:
        for client in self._clients.values():
            cluster = client.cluster
            client.close()
            cluster.close()


def _mark() -> float:
    return time.perf_counter()


def _startup() -> float:
    t0 = time.perf_counter()
    import distributed

    cluster = distributed.LocalCluster(
        n_workers=N_WORKERS, threads_per_worker=2, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    # the task runs in a worker process: it reports its wall clock, compared with ours
    t_task = client.submit(time.time).result()
    return t_task - (time.time() - (time.perf_counter() - t0))


if __name__ == "__main__":
    main(DaskDistributed, _startup)
