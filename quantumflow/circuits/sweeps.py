"""Sweep specs → explicit parameter points.

Forms (values may be lists or ``{linspace: [a, b, n]}`` / ``{range: [a, b, step]}``):

- ``{theta: [0.1, 0.2]}`` — one parameter;
- ``{theta: [...], phi: [...]}`` — the grid (Cartesian product, last name fastest);
- ``{zip: {theta: [...], phi: [...]}}`` — paired points (equal lengths);
- ``{points: [{theta: 0.1, phi: 0.2}, ...]}`` — explicit points.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import BackendError

MAX_POINTS = 100_000


def _values(name: str, raw: Any) -> list[float]:
    if isinstance(raw, Mapping) and len(raw) == 1:
        ((kind, args),) = raw.items()
        if kind == "linspace" and isinstance(args, list) and len(args) == 3:
            return [float(v) for v in np.linspace(float(args[0]), float(args[1]), int(args[2]))]
        if kind == "range" and isinstance(args, list) and len(args) == 3:
            return [float(v) for v in np.arange(float(args[0]), float(args[1]), float(args[2]))]
    if isinstance(raw, list | tuple) and all(isinstance(v, int | float) for v in raw):
        return [float(v) for v in raw]
    if isinstance(raw, int | float):
        return [float(raw)]
    raise BackendError(
        f"sweep '{name}': give a list of numbers, {{linspace: [a, b, n]}} or "
        "{range: [a, b, step]}"
    )


def expand_sweep(sweep: Mapping[str, Any] | None) -> list[dict[str, float]]:
    """The explicit list of points (``[{}]`` when there is no sweep).

    Raises:
        BackendError: malformed sweep, unequal ``zip`` lengths, or too many points.
    """
    if not sweep:
        return [{}]
    if set(sweep) == {"points"}:
        pts = sweep["points"]
        if not isinstance(pts, list) or not all(isinstance(p, Mapping) for p in pts):
            raise BackendError("sweep 'points' must be a list of {name: value} maps")
        points = [{str(k): float(v) for k, v in p.items()} for p in pts]
    elif set(sweep) == {"zip"} and isinstance(sweep["zip"], Mapping):
        cols = {str(k): _values(str(k), v) for k, v in sweep["zip"].items()}
        lengths = {len(v) for v in cols.values()}
        if len(lengths) > 1:
            raise BackendError(f"sweep 'zip' lists have different lengths: {sorted(lengths)}")
        points = [dict(zip(cols, row, strict=True)) for row in zip(*cols.values(), strict=True)]
    else:
        cols = {str(k): _values(str(k), v) for k, v in sweep.items()}
        total = int(np.prod([len(v) for v in cols.values()]))
        if total > MAX_POINTS:
            raise BackendError(f"sweep has {total} points; the limit is {MAX_POINTS}")
        points = [dict(zip(cols, row, strict=True)) for row in itertools.product(*cols.values())]
    if not points:
        raise BackendError("sweep has no points")
    if len(points) > MAX_POINTS:
        raise BackendError(f"sweep has {len(points)} points; the limit is {MAX_POINTS}")
    return points
