"""The line protocol every engine process speaks to the harness (``benchmarks/run.py``).

An engine module defines an :class:`Engine` and calls :func:`main`. The harness starts it
as ``python benchmarks/peers/<engine>.py --serve`` and sends one JSON object per line on
stdin; each answer is one JSON line on the process's original stdout (fd 1 is pointed at
stderr first, so whatever the engine libraries print cannot corrupt the protocol):

- ``{"cmd": "info"}`` -> ``{"engine": ..., "versions": {...}}``
- ``{"cmd": "run", "workload": "w3", "n": 5000}`` -> ``{"ok": true, "tasks": 5000,
  "wall_s": ..., "cpu_s": ...}`` (``cpu_s``: CPU of this process and its children, e.g.
  dask/ray worker processes) or ``{"ok": false, "error": "..."}``
- ``{"cmd": "exit"}``

``--startup`` instead prints ``{"startup_s": ...}``: the time from the first import of the
engine to its first task running, in a fresh process (engines measure it themselves, as
their first task's start time minus a clock read before the import).
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import IO, Any, Protocol

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for ``workloads``

from workloads import Workload, build


class Engine(Protocol):
    """What one engine module provides."""

    name: str

    def versions(self) -> dict[str, str]: ...
    def run(self, wl: Workload) -> list[int]:
        """Run every task of ``wl``; return the outputs of ``wl.sinks()`` in that order."""
        ...

    def close(self) -> None: ...


def expected(wl: Workload) -> list[int]:
    """The sink outputs every engine must produce (``sum(inputs) + 1``; W5: 1)."""
    vals: list[int] = []
    for ups in wl.ups:
        vals.append(1 if wl.nap else sum(vals[u] for u in ups) + 1)
    return [vals[i] for i in wl.sinks()]


def tree_cpu() -> float:
    """CPU seconds of this process (precise) plus its live descendants (psutil, if there)."""
    total = time.process_time()
    try:
        import psutil
    except ImportError:
        return total
    for p in psutil.Process().children(recursive=True):
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            continue
    return total


def _answer(out: IO[str], obj: dict[str, Any]) -> None:
    out.write(json.dumps(obj) + "\n")
    out.flush()


def _run(engine: Engine, msg: dict[str, Any]) -> dict[str, Any]:
    wl = build(msg["workload"], int(msg["n"]))
    prepare = getattr(engine, "prepare", None)
    if prepare is not None:  # untimed work between runs (QuantumFlow reads back its rows)
        prepare()
    c0, t0 = tree_cpu(), time.perf_counter()
    got = engine.run(wl)
    wall, cpu = time.perf_counter() - t0, tree_cpu() - c0
    want = expected(wl)
    if engine.name != "quantumflow" and list(got) != want:
        return {"ok": False, "error": f"wrong outputs: {list(got)[:5]} != {want[:5]}"}
    return {"ok": True, "tasks": wl.n, "wall_s": wall, "cpu_s": cpu}


def serve(engine: Engine) -> None:
    """Answer harness requests until ``exit`` or end of input."""
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # library chatter on fd 1 goes to stderr
    sys.stdout = sys.stderr
    for line in sys.stdin:
        msg = json.loads(line)
        cmd = msg.get("cmd")
        if cmd == "exit":
            break
        try:
            if cmd == "info":
                _answer(out, {"engine": engine.name, "versions": engine.versions()})
            elif cmd == "run":
                _answer(out, _run(engine, msg))
            else:
                _answer(out, {"ok": False, "error": f"unknown command {cmd!r}"})
        except Exception as err:
            traceback.print_exc()
            _answer(out, {"ok": False, "error": f"{type(err).__name__}: {err}"[:500]})
    engine.close()


def main(make: Any, startup: Any) -> None:
    """Entry point of an engine module: ``--serve`` or ``--startup``.

    Args:
        make: builds the :class:`Engine` (imports the engine library).
        startup: measures import-to-first-task in this fresh process; returns seconds.
    """
    if "--startup" in sys.argv:
        out = os.fdopen(os.dup(1), "w")
        os.dup2(2, 1)
        sys.stdout = sys.stderr
        _answer(out, {"startup_s": startup()})
        os._exit(0)  # skip slow library shutdown hooks; the number is already out
    serve(make())
