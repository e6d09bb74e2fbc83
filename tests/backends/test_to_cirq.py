"""IR → Cirq: the moments built in one pass are the ones Cirq's own insertion makes."""

from __future__ import annotations

import cirq
from hypothesis import given, settings
from hypothesis import strategies as st

from quantumflow.backends.to_cirq import to_cirq
from quantumflow.circuits import generate
from quantumflow.circuits.qasm import parse_qasm


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 7), st.integers(1, 12), st.integers(0, 10_000))
def test_moments_match_cirqs_earliest_insertion(n: int, depth: int, seed: int) -> None:
    ir = generate("random", {"n": n, "depth": depth, "seed": seed})
    built = to_cirq(ir)
    assert built == cirq.Circuit(list(built.all_operations()))
    assert sum(1 for _ in built.all_operations()) == sum(op.name != "barrier" for op in ir.ops)


def test_conditions_and_remeasured_bits_keep_cirqs_key_order() -> None:
    ir = parse_qasm(
        "OPENQASM 3.0; qubit[2] q; bit[2] c;\n"
        "h q[0]; c[0] = measure q[0]; if (c[0] == 1) x q[1];\n"
        "reset q[0]; h q[0]; c[0] = measure q[0]; c[1] = measure q[1];"
    )
    built = to_cirq(ir)
    ops = list(built.all_operations())
    conditioned = next(i for i, op in enumerate(ops) if cirq.control_keys(op))
    first_measure = next(i for i, op in enumerate(ops) if cirq.is_measurement(op))
    assert first_measure < conditioned
    result = cirq.Simulator(seed=1).run(built, repetitions=200)
    records = result.records  # c[0] is measured twice: two records per repetition
    assert records["c0"].shape == (200, 2, 1) and records["c1"].shape == (200, 1, 1)
    # q[1] is flipped exactly when the first measurement of c[0] read 1
    assert (records["c1"][:, 0, 0] == records["c0"][:, 0, 0]).all()
