"""Peer: Prefect 3 (one ``@flow`` per run, ``task.submit`` per task on a thread pool).

Prefect records task runs in its own (ephemeral, SQLite) API server, the closest peer to
QuantumFlow's durable store. Futures are passed as arguments (Prefect resolves them).
"""

from __future__ import annotations

import os
import tempfile
import time
from typing import Any

from _serve import Workload, main
from workloads import nap, work

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="qf-bench-prefect-"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# a loaded 2-core machine needs more than the default to bring up the ephemeral API server
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


class Prefect:
    """Runs each workload as one flow run."""

    name = "prefect"

    def __init__(self) -> None:
        import prefect
        from prefect import flow, task
        from prefect.task_runners import ThreadPoolTaskRunner

        self._prefect = prefect
        self._work = task(work, name="work", persist_result=False)
        self._nap = task(nap, name="nap", persist_result=False)
        self._flows: dict[int, Any] = {}
        self._flow, self._runner = flow, ThreadPoolTaskRunner

    def _flow_for(self, concurrency: int) -> Any:
        if concurrency not in self._flows:

            def body(wl: Workload) -> list[int]:
                t = self._nap if wl.nap else self._work
                futs: list[Any] = []
                for ups in wl.ups:
                    futs.append(t.submit(*(futs[u] for u in ups)))
                return [futs[i].result() for i in wl.sinks()]

            self._flows[concurrency] = self._flow(
                body,
                name=f"bench-c{concurrency}",
                task_runner=self._runner(max_workers=concurrency),
                persist_result=False,
                validate_parameters=False,
            )
        return self._flows[concurrency]

    def versions(self) -> dict[str, str]:
        return {"prefect": self._prefect.__version__}

    def run(self, wl: Workload) -> list[int]:
        return list(self._flow_for(wl.concurrency)(wl))

    def close(self) -> None:
        pass


def _startup() -> float:
    t0 = time.perf_counter()
    from prefect import flow, task

    seen: list[float] = []

    @task
    def first() -> None:
        seen.append(time.perf_counter())

    @flow
    def one() -> None:
        first()

    one()
    return seen[0] - t0


if __name__ == "__main__":
    main(Prefect, _startup)
