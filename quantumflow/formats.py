"""Human forms of times, durations, sizes and task outputs, as the CLI and the UI print them.

``quantumflow show`` / ``runs`` / ``run`` use these; the lab extension's
``labextension/src/model/format.ts`` implements the same rules, and both are tested
against one table (``labextension/src/model/formatCases.json``). ``--json`` output keeps
the exact numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

NONE = "—"


def _round(x: float) -> int:
    """Half away from zero for x >= 0, as JavaScript's Math.round (Python's round() is
    half-to-even), so the CLI and the UI agree on every value."""
    return math.floor(x + 0.5)


def _one_decimal(x: float) -> str:
    return f"{_round(x * 10) / 10:.1f}"


def duration(seconds: float | None) -> str:
    """``0.006`` -> ``"6 ms"``, ``2.4`` -> ``"2.4 s"``, ``192`` -> ``"3 min 12 s"``.

    None, negative or not finite -> ``"—"``.
    """
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return NONE
    if _round(seconds) < 60:
        return _under_a_minute(seconds)
    whole = _round(seconds)
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    minutes = _round(seconds / 60)
    if minutes < 24 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    hours = _round(seconds / 3600)
    return f"{hours // 24} d {hours % 24} h"


def _under_a_minute(seconds: float) -> str:
    if seconds < 0.001:
        tenths = _round(seconds * 1e4)  # tenths of a millisecond
        return "0 ms" if tenths == 0 else f"{tenths / 10:.1f} ms"
    if _round(seconds * 1000) < 1000:
        return f"{_round(seconds * 1000)} ms"
    if _round(seconds * 10) < 100:
        return f"{_one_decimal(seconds)} s"
    return f"{_round(seconds)} s"


_UNITS = ("B", "kB", "MB", "GB", "TB", "PB")


def size(n: float | None) -> str:
    """Bytes in SI units: ``156_000_000`` -> ``"156 MB"``, ``2400`` -> ``"2.4 kB"``."""
    if n is None or not math.isfinite(n) or n < 0:
        return NONE
    if n < 1000:
        return f"{_round(n)} B"
    value = float(n)
    unit = 0
    while unit < len(_UNITS) - 1 and _round(value * 10) >= 10000:
        value /= 1000
        unit += 1
    if _round(value * 10) < 100:
        return f"{_one_decimal(value)} {_UNITS[unit]}"
    return f"{_round(value)} {_UNITS[unit]}"


def count(n: int, noun: str) -> str:
    """``count(1, "run")`` -> ``"1 run"``, ``count(2, "run")`` -> ``"2 runs"``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def when(ts: float | None, *, now: float | None = None) -> str:
    """A local date-time: ``"today 06:19:07"``, ``"yesterday 18:00:01"``, else
    ``"2026-11-03 10:01:02"``. None -> ``"—"``."""
    if ts is None or not math.isfinite(ts):
        return NONE
    at = dt.datetime.fromtimestamp(ts)
    today = dt.datetime.fromtimestamp(now).date() if now is not None else dt.date.today()
    clock = at.strftime("%H:%M:%S")
    if at.date() == today:
        return f"today {clock}"
    if at.date() == today - dt.timedelta(days=1):
        return f"yesterday {clock}"
    return f"{at:%Y-%m-%d} {clock}"


def output_summary(value: Any, *, width: int = 72) -> str:
    """One line saying what a task produced.

    Quantum results read ``"counts: 2 outcomes, top 11 (516/1024)"``; numbers and short
    strings are shown as they are; anything else as short JSON (cut at ``width``).
    """
    if isinstance(value, Mapping):
        if isinstance(value.get("counts"), Mapping):
            return _cut(_counts_line(value), width)
        if isinstance(value.get("sweep"), Mapping):
            points = value["sweep"].get("points")
            n = len(points) if isinstance(points, Sequence) else 0
            return f"sweep of {count(n, 'point')}"
        if isinstance(value.get("expectations"), Mapping | Sequence):
            return _cut(f"expectations: {_json(value['expectations'])}", width)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, bool | int) or value is None:
        return json.dumps(value)
    return _cut(value if isinstance(value, str) else _json(value), width)


def _counts_line(result: Mapping[str, Any]) -> str:
    counts: Mapping[str, Any] = result["counts"]
    total = sum(int(v) for v in counts.values())
    if not counts:
        return "counts: no outcomes"
    top = min(counts, key=lambda k: (-int(counts[k]), k))
    return f"counts: {count(len(counts), 'outcome')}, top {top} ({counts[top]}/{total})"


def _json(value: Any) -> str:
    return json.dumps(value, default=str, separators=(", ", ": "))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
