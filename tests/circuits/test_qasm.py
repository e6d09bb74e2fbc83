"""The OpenQASM 2/3 parser on the real-world cases SDK importers get wrong."""

from __future__ import annotations

import numpy as np
import pytest

from quantumflow.circuits import QasmError, parse_qasm, to_qasm3
from quantumflow.circuits.ir import Circuit, Op
from quantumflow.circuits.reference import statevector
from quantumflow.errors import UnsupportedFeatureError


def test_missing_header_and_crlf() -> None:
    a = parse_qasm("qreg q[2];\r\ncreg c[2];\r\nh q[0];\r\ncx q[0],q[1];\r\nmeasure q -> c;\r\n")
    b = parse_qasm(
        'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n'  # noqa: E501
    )
    assert a == b
    assert to_qasm3(a) == to_qasm3(b)


def test_custom_gate_keeps_argument_order() -> None:
    # a gate whose body uses its arguments in swapped order: a permuting importer breaks it
    c = parse_qasm("qreg q[3]; gate g a, b { cx b, a; } x q[2]; g q[0], q[2];")
    assert [op.qubits for op in c.ops] == [(2,), (2, 0)]
    state = statevector(c)
    assert abs(state[0b101]) == pytest.approx(1.0)


def test_nested_custom_gates_with_parameter_expressions() -> None:
    c = parse_qasm(
        "qreg q[1]; gate r(t) a { rz(t/2) a; } gate rr(t, s) a { r(2*t) a; r(-s) a; } rr(0.3, 0.1) q[0];"  # noqa: E501
    )
    assert [op.params[0] for op in c.ops] == [pytest.approx(0.3), pytest.approx(-0.05)]


def test_barrier_reset_and_mid_circuit_measurement_kept_in_order() -> None:
    c = parse_qasm(
        "qreg q[2]; creg c[2]; h q; barrier q[0], q[1]; measure q[0] -> c[0]; reset q[0]; barrier; measure q[1] -> c[1];"  # noqa: E501
    )
    assert [op.name for op in c.ops] == [
        "h",
        "h",
        "barrier",
        "measure",
        "reset",
        "barrier",
        "measure",
    ]
    assert not c.measurements_are_terminal()


def test_if_on_multi_bit_register_reads_the_register_value() -> None:
    c = parse_qasm("qreg q[1]; creg a[1]; creg c[2]; if (c==2) x q[0];")
    op = c.ops[0]
    assert op.condition is not None
    assert op.condition.clbits == (1, 2)
    assert op.condition.value == 2


def test_opaque_declared_is_fine_but_use_is_unsupported() -> None:
    parse_qasm("qreg q[1]; opaque mystery(t) a; h q[0];")
    with pytest.raises(UnsupportedFeatureError, match="unsupported opaque gate 'mystery'"):
        parse_qasm("qreg q[1];\nopaque mystery a;\nmystery q[0];")


def test_qasm3_forms() -> None:
    c = parse_qasm(
        'OPENQASM 3.0;\ninclude "stdgates.inc";\ninput float[64] theta;\nqubit[2] q;\nbit[2] c;\n'
        "rx(theta) q[0];\nc[0] = measure q[0];\nif (c[0] == 1) { x q[1]; }\nc = measure q;\n"
    )
    assert c.free_parameters() == {"theta"}
    assert c.ops[2].condition is not None and c.ops[2].condition.clbits == (0,)
    assert c.bind({"theta": 0.5}).ops[0].params == (0.5,)


def test_broadcasting_over_registers() -> None:
    c = parse_qasm("qreg a[2]; qreg b[2]; cx a, b; h a[0];")
    assert [op.qubits for op in c.ops] == [(0, 2), (1, 3), (0,)]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("qreg q[2];\nh q[5];", 2, "out of range"),
        ("qreg q[1];\n\nfoo q[0];", 3, "unknown gate 'foo'"),
        ("qreg q[2];\ncx q[0];", 2, "takes 0 parameters and 2 qubits"),
        ("qreg q[2];\ncx q[0], q[0];", 2, "one qubit twice"),
        ("qreg q[1]\nh q[0];", 2, "expected ';'"),
        ("qreg q[1];\nrx(bogus) q[0];", 2, "unknown name 'bogus'"),
        ("OPENQASM 4.0;", 1, "unknown OpenQASM version"),
    ],
)
def test_errors_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(QasmError, match=words) as info:
        parse_qasm(text)
    assert info.value.line == line
    assert f"line {line}" in str(info.value)
    assert info.value.retryable is False


@pytest.mark.parametrize(
    "text", ["qubit[2] q; for int i in [0:1] { h q[0]; }", "qubit[2] q; ctrl @ x q[0], q[1];"]
)
def test_unsupported_features_say_so(text: str) -> None:
    with pytest.raises(UnsupportedFeatureError, match="unsupported"):
        parse_qasm(text)


PRELUDE_GATES = [
    ("csx", 2, 0), ("cs", 2, 0), ("csdg", 2, 0), ("rzx", 2, 1), ("ecr", 2, 0), ("iswap", 2, 0),
    ("dcx", 2, 0), ("rccx", 3, 0), ("rc3x", 4, 0), ("xx_plus_yy", 2, 2), ("xx_minus_yy", 2, 2),
    ("c3x", 4, 0), ("c4x", 5, 0), ("c3sqrtx", 4, 0), ("cu3", 2, 3), ("cu1", 2, 1), ("u2", 1, 2),
    ("cu", 2, 4), ("ryy", 2, 1), ("rxx", 2, 1), ("rzz", 2, 1), ("cswap", 3, 0), ("ch", 2, 0),
]  # fmt: skip


@pytest.mark.parametrize(("name", "nq", "np_"), PRELUDE_GATES)
def test_library_gate_matches_qiskit_matrix(name: str, nq: int, np_: int) -> None:
    from qiskit.quantum_info import Operator

    values = [0.3, 0.4, 0.5, 0.6][:np_]
    args = f"({', '.join(map(str, values))})" if values else ""
    text = (
        f'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[{nq}];\n{name}{args} '
        + ", ".join(f"q[{i}]" for i in range(nq))
        + ";\n"
    )
    ours = parse_qasm(text)
    cols = []
    for b in range(2**nq):
        prep = tuple(Op("x", (i,)) for i in range(nq) if b >> i & 1)
        cols.append(statevector(Circuit(nq, 0, prep + ours.ops)))
    theirs = Operator(_qiskit_gate_circuit(name, values, nq))
    assert Operator(np.array(cols).T).equiv(theirs)


def _qiskit_gate_circuit(name: str, values: list[float], nq: int):
    # Qiskit's own QASM 2 importer lacks several of these names, so build from gate classes
    from qiskit import QuantumCircuit
    from qiskit.circuit import library as lib

    special = {
        "c3x": lib.C3XGate, "c4x": lib.C4XGate, "c3sqrtx": lib.C3SXGate, "cu1": lib.CU1Gate,
        "cu3": lib.CU3Gate, "u2": lib.U2Gate, "rc3x": lib.RC3XGate,
    }  # fmt: skip
    cls = special.get(name) or type(lib.get_standard_gate_name_mapping()[name])
    qc = QuantumCircuit(nq)
    qc.append(cls(*values), list(range(nq)))
    return qc
