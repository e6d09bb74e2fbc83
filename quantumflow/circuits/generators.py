"""Built-in circuit generators: ghz, qft, random (seeded), hardware_efficient, qaoa_maxcut.

Each returns an IR circuit. Variational generators leave their angles as named parameters
(``theta_0``…, ``gamma_0``/``beta_0``…) to be bound from task inputs or a sweep.
"""

from __future__ import annotations

import math
import random as _random
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import BackendError
from .ir import Circuit, Expr, Op, Register


def _finish(n: int, ops: list[Op], *, measure: bool, params: Sequence[str] = ()) -> Circuit:
    if measure:
        ops = ops + [Op("measure", (q,), clbits=(q,)) for q in range(n)]
    return Circuit(
        num_qubits=n,
        num_clbits=n if measure else 0,
        ops=tuple(ops),
        qregs=(Register("q", 0, n),),
        cregs=(Register("c", 0, n),) if measure else (),
        parameters=tuple(params),
    )


def ghz(n: int = 3, *, measure: bool = True) -> Circuit:
    """GHZ state on ``n`` qubits: H then a CX chain."""
    ops = [Op("h", (0,))] + [Op("cx", (i, i + 1)) for i in range(n - 1)]
    return _finish(n, ops, measure=measure)


def qft(n: int = 3, *, measure: bool = True, swaps: bool = True) -> Circuit:
    """The quantum Fourier transform on ``n`` qubits (textbook order, final swaps)."""
    ops: list[Op] = []
    for j in reversed(range(n)):
        ops.append(Op("h", (j,)))
        for k in reversed(range(j)):
            ops.append(Op("cp", (k, j), (math.pi / 2 ** (j - k),)))
    if swaps:
        ops += [Op("swap", (i, n - 1 - i)) for i in range(n // 2)]
    return _finish(n, ops, measure=measure)


_ONE_Q = ("h", "x", "y", "z", "s", "sdg", "t", "tdg", "sx")
_ROT = ("rx", "ry", "rz", "p")


def random(
    n: int = 4, depth: int = 6, *, seed: int = 0, measure: bool = True, two_qubit: str = "cx"
) -> Circuit:
    """A seeded random circuit: each layer a random 1-qubit gate per qubit (Clifford+T or a
    rotation) then ``two_qubit`` gates on a random pairing. Asymmetric in its qubits, so it
    exposes bit-order mistakes that GHZ cannot."""
    rng = _random.Random(seed)  # noqa: S311 - reproducible circuits, not cryptography
    ops: list[Op] = []
    for _ in range(depth):
        for q in range(n):
            if rng.random() < 0.5:
                ops.append(Op(rng.choice(_ONE_Q), (q,)))
            else:
                ops.append(Op(rng.choice(_ROT), (q,), (rng.uniform(-math.pi, math.pi),)))
        order = list(range(n))
        rng.shuffle(order)
        for a, b in zip(order[::2], order[1::2], strict=False):
            ops.append(Op(two_qubit, (a, b)))
    return _finish(n, ops, measure=measure)


def hardware_efficient(
    n: int = 4, layers: int = 2, *, prefix: str = "theta", measure: bool = True
) -> Circuit:
    """RY/RZ layers with a linear CX entangler; angles ``{prefix}_0 …`` (2·n·(layers+1))."""
    ops: list[Op] = []
    names: list[str] = []

    def rot(gate: str, q: int) -> None:
        name = f"{prefix}_{len(names)}"
        names.append(name)
        ops.append(Op(gate, (q,), (Expr("var", name=name),)))

    for layer in range(layers + 1):
        for q in range(n):
            rot("ry", q)
            rot("rz", q)
        if layer < layers:
            ops += [Op("cx", (q, q + 1)) for q in range(n - 1)]
    return _finish(n, ops, measure=measure, params=names)


def qaoa_maxcut(
    edges: Sequence[Sequence[int]], p: int = 1, *, n: int | None = None, measure: bool = True
) -> Circuit:
    """QAOA for MaxCut on ``edges``: angles ``gamma_k``, ``beta_k`` for k < p."""
    if not edges:
        raise BackendError("qaoa_maxcut needs a non-empty 'edges' list like [[0, 1], [1, 2]]")
    size = n or 1 + max(max(int(a), int(b)) for a, b in edges)
    ops: list[Op] = [Op("h", (q,)) for q in range(size)]
    names: list[str] = []
    for k in range(p):
        gamma, beta = Expr("var", name=f"gamma_{k}"), Expr("var", name=f"beta_{k}")
        names += [gamma.name, beta.name]
        ops += [Op("rzz", (int(a), int(b)), (Expr("*", (2.0, gamma)),)) for a, b in edges]
        ops += [Op("rx", (q,), (Expr("*", (2.0, beta)),)) for q in range(size)]
    return _finish(size, ops, measure=measure, params=names)


GENERATORS: dict[str, Callable[..., Circuit]] = {
    "ghz": ghz,
    "qft": qft,
    "random": random,
    "hardware_efficient": hardware_efficient,
    "qaoa_maxcut": qaoa_maxcut,
    "qaoa": qaoa_maxcut,
}


def generate(name: str, args: dict[str, Any]) -> Circuit:
    """Call the named generator with ``args``.

    Raises:
        BackendError: unknown generator or arguments it does not take.
    """
    gen = GENERATORS.get(name)
    if gen is None:
        raise BackendError(
            f"unknown built-in circuit '{name}' (known: {', '.join(sorted(GENERATORS))})"
        )
    try:
        return gen(**args)
    except TypeError as exc:
        raise BackendError(f"built-in circuit '{name}': {exc}") from exc
