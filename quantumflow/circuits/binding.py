"""Bind task inputs / workflow params to circuit parameters by name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import BackendError
from .ir import Circuit


def parameter_values(
    circuit: Circuit, inputs: Mapping[str, Any], params: Mapping[str, Any] | None
) -> dict[str, float]:
    """Values for the circuit's free parameters, by name.

    An input ``theta`` binds parameter ``theta``; a list/array input ``theta`` binds
    ``theta_0, theta_1, …`` in order (what an optimizer hands over); an input ``params``
    that is a mapping binds its items. Task inputs win over workflow params; names the
    circuit does not have are ignored.

    Raises:
        BackendError: a value that is not a number, or a list of the wrong length.
    """
    free = circuit.free_parameters()
    if not free:
        return {}
    out: dict[str, float] = {}
    for source in (params or {}, inputs):
        flat: dict[str, Any] = {}
        for name, value in source.items():
            if name == "params" and isinstance(value, Mapping):
                flat.update(value)
            else:
                flat[name] = value
        for name, value in flat.items():
            if name in free:
                out[name] = _number(name, value)
            elif isinstance(value, Sequence | np.ndarray) and not isinstance(value, str):
                indexed = [f"{name}_{i}" for i in range(len(value))]
                if any(n in free for n in indexed):
                    expected = sum(1 for n in free if n.rsplit("_", 1)[0] == name)
                    if len(value) != expected:
                        raise BackendError(
                            f"input '{name}' has {len(value)} values but the circuit has "
                            f"{expected} parameters {name}_0…{name}_{expected - 1}"
                        )
                    out.update({n: _number(n, v) for n, v in zip(indexed, value, strict=True)})
    return out


def _number(name: str, value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise BackendError(
            f"circuit parameter '{name}' got {type(value).__name__} {value!r}; it needs a number"
        ) from None
