"""The engine process the fault-injection suite kills: runs one workflow into a store.

``python -m tests.faults.engine DB LOG SHAPE`` prints ``started RUN_ID`` once the run row
exists, then (if it is not killed) ``done STATUS`` when the run ends. SHAPE: ``classical``
(40 tasks, each appending its id to LOG), ``quantum`` (the same plus 4 simulator tasks in an
SDK worker process), ``big`` (tasks returning 30 KB each, for a store that fills up).
"""

from __future__ import annotations

import sys
from typing import Any

from quantumflow.engine.api import run

FNS = "tests.engine.fns"
N = 40


def workflow(shape: str, log: str) -> dict[str, Any]:
    """Fan out from ``t0`` to ``t1 .. t38``, fan in to ``t39`` (concurrency 4)."""
    fn, extra = ("big", {}) if shape == "big" else ("mark", {"path": log, "sleep_s": 0.02})
    tasks: list[dict[str, Any]] = []
    for i in range(N):
        inputs = {"name": f"t{i}", **extra} if fn == "mark" else {"i": i}
        task: dict[str, Any] = {"id": f"t{i}", "kind": "classical", "fn": f"{FNS}:{fn}",
                                "inputs": inputs}  # fmt: skip
        if 0 < i < N - 1:
            task["depends_on"] = ["t0"]
        elif i == N - 1:
            task["depends_on"] = [f"t{k}" for k in range(1, N - 1)]
        tasks.append(task)
    if shape == "quantum":
        for k in range(4):
            tasks.append({
                "id": f"q{k}", "kind": "quantum", "backend": "qiskit.aer", "shots": 64,
                "seed": k, "cache": False, "depends_on": ["t0"], "retries": 3,
                "circuit": {"builtin": "random", "args": {"n": 12, "depth": 60, "seed": k}},
            })  # fmt: skip
    policies = {"max_concurrency": 4, "retry_backoff_s": 0.05}
    return {"name": f"fault-{shape}", "policies": policies, "tasks": tasks}


def main() -> int:
    db, log, shape = sys.argv[1:4]

    def created(run_id: str) -> None:
        print("started", run_id, flush=True)

    result = run(workflow(shape, log), db=db, _on_created=created)
    print("done", result.status, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
