"""OpenQASM parsing: seconds to read big circuits, and to refuse a gate-definition bomb.

Workloads (issue 19):

- ``plain``: N one-qubit and CNOT gates, one per line, few distinct lines (a transpiled
  circuit's shape; the issue's 3.2 MB file of 4x10^5 gates took 17-19 s to validate);
- ``angles``: N gates where every ``rz`` has its own angle and ``u(pi/2, 0, pi)`` forms
  appear (every line distinct: the fast path's regular expressions do all the work);
- ``bomb``: 21 nested gate definitions, each calling the one before twice (803 bytes that
  expand to 2x10^6 gates): refused by ``Limits.qasm_ops`` before anything expands.

Usage: ``python benchmarks/qasm_bench.py [--gates 400000] [--repeat 3] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from quantumflow.circuits.lexer import QasmError
from quantumflow.circuits.qasm import parse_qasm


def plain(n: int) -> str:
    names = ("h q[%d];", "x q[%d];", "t q[%d];", "s q[%d];")
    lines = [names[i % 4] % (i % 9) if i % 10 else "cx q[0],q[1];" for i in range(n)]
    return 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[9];\n' + "\n".join(lines)


def angles(n: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    lines = ['OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[27];']
    for _ in range(n):
        a = rnd.randrange(27)
        b = (a + 1 + rnd.randrange(26)) % 27
        kind = rnd.randrange(4)
        lines.append(
            (f"h q[{a}];", f"cx q[{a}],q[{b}];", f"rz({rnd.uniform(-3, 3)!r}) q[{a}];",
             f"u(pi/2,0,pi) q[{a}];")[kind]
        )  # fmt: skip
    return "\n".join(lines)


def bomb(levels: int = 21) -> str:
    lines = ["OPENQASM 2.0;", "qreg q[1];", "gate g0 a { x a; }"]
    lines += [f"gate g{k} a {{ g{k - 1} a; g{k - 1} a; }}" for k in range(1, levels + 1)]
    return "\n".join([*lines, f"g{levels} q[0];"])


def _seconds(text: str) -> float:
    t0 = time.perf_counter()
    with contextlib.suppress(QasmError):  # the bomb is refused: that is what is timed
        parse_qasm(text)
    return time.perf_counter() - t0


def run_qasm(gates: int = 400_000, repeat: int = 3) -> list[dict[str, Any]]:
    """One row per workload: megabytes, median and best seconds over ``repeat`` parses."""
    rows = []
    for name, text in (("plain", plain(gates)), ("angles", angles(gates)), ("bomb", bomb())):
        # each try differs by a comment: parses are cached by text
        times = [_seconds(f"{text}\n// try {k}") for k in range(repeat)]
        rows.append({
            "workload": name, "gates": gates if name != "bomb" else 2**21,
            "mb": round(len(text) / 1e6, 2), "median_s": statistics.median(times),
            "min_s": min(times),
        })  # fmt: skip
    rows.append(
        {
            "workload": "max_rss_mb",
            "value": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gates", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    rows = run_qasm(args.gates, args.repeat)
    for row in rows:
        if "median_s" in row:
            print(f"{row['workload']:<8}{row['gates']:>10,} gates {row['mb']:>6.2f} MB"
                  f"  median {row['median_s']:.3f} s  min {row['min_s']:.3f} s")  # fmt: skip
        else:
            print(f"max RSS {row['value']:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
