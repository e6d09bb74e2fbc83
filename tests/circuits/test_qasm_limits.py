"""Hostile QASM is refused quickly and in little memory (config.Limits): expansion bombs,
deep nesting, huge registers, endless statements; big honest circuits parse in time linear
in their length, and the lexer's fast path for plain gate-call lines reads exactly what the
general path reads."""

from __future__ import annotations

import resource
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quantumflow.circuits.lexer import QasmError
from quantumflow.circuits.qasm import parse_qasm


def bomb(levels: int = 21) -> str:
    """Each gate calls the one before twice: ~800 bytes that expand to 2**levels gates."""
    lines = ["OPENQASM 2.0;", "qreg q[1];", "gate g0 a { x a; }"]
    lines += [f"gate g{k} a {{ g{k - 1} a; g{k - 1} a; }}" for k in range(1, levels + 1)]
    return "\n".join([*lines, f"g{levels} q[0];"])


def test_the_expansion_bomb_is_refused_at_once_without_memory() -> None:
    text = bomb()
    assert len(text) < 900
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    with pytest.raises(QasmError, match=r"more than 1,000,000 operations.*QASM_OPS"):
        parse_qasm(text)
    assert time.perf_counter() - t0 < 0.1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss < 20_000  # KiB


def test_a_bomb_spread_over_registers_is_priced_with_its_width() -> None:
    text = "qreg q[4000];\ngate g a { x a; x a; x a; }\n" + "g q;\n" * 100
    with pytest.raises(QasmError, match="more than 1,000,000 operations"):
        parse_qasm(text)


def test_nesting_is_limited_and_recursion_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["qreg q[1];", "gate g0 a { x a; }"]
    lines += [f"gate g{k} a {{ g{k - 1} a; }}" for k in range(1, 40)]
    with pytest.raises(QasmError, match=r"nests gate definitions 40 deep.*NESTING"):
        parse_qasm("\n".join([*lines, "g39 q[0];"]))
    monkeypatch.setenv("QUANTUMFLOW_MAX_QASM_NESTING", "64")
    assert len(parse_qasm("\n".join([*lines, "g39 q[0];", "// limit 64"])).ops) == 1
    with pytest.raises(QasmError, match="defined recursively"):
        parse_qasm("qreg q[1];\ngate a x { b x; }\ngate b x { a x; }\na q[0];")


def test_qubits_are_counted_at_the_declaration() -> None:
    with pytest.raises(QasmError, match=r"declares 100,000,000,000 qubits.*QASM_QUBITS"):
        parse_qasm("qreg q[100000000000];\nh q;")
    with pytest.raises(QasmError, match="bits"):
        parse_qasm("qreg q[2];\ncreg c[3000];\ncreg d[3000];")


@pytest.mark.parametrize(
    "text",
    ["qreg q[1];\nopaque g a", "qreg q[1];\ngphase(0.1)", "qreg q[1];\ngate g a { barrier a"],
)
def test_a_statement_without_its_end_is_an_error_not_a_hang(text: str) -> None:
    with pytest.raises(QasmError, match=r"end of file|expected"):
        parse_qasm(text)


def test_text_size_is_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUANTUMFLOW_MAX_QASM_MB", "0.001")
    with pytest.raises(QasmError, match="QUANTUMFLOW_MAX_QASM_MB"):
        parse_qasm("qreg q[1];\n" + "x q[0];\n" * 200)


def circuit(gates: int, qubits: int = 20) -> str:
    lines = ["OPENQASM 2.0;", 'include "qelib1.inc";', f"qreg q[{qubits}];"]
    for i in range(gates):
        a, b = i % qubits, (i * 7 + 1) % qubits
        b = b if b != a else (a + 1) % qubits
        lines.append(("h q[%d];", "cx q[%d],q[%d];", "rz(%.6f) q[%d];", "x q[%d];")[i % 4]
                     % ((a,), (a, b), (i / 1e5, a), (a,))[i % 4])  # fmt: skip
    return "\n".join(lines)


def _seconds(text: str) -> float:
    t0 = time.perf_counter()
    parse_qasm(text)
    return time.perf_counter() - t0


@pytest.mark.slow
def test_parse_time_is_linear_in_the_number_of_gates() -> None:
    small, big = circuit(50_000), circuit(400_000)
    # the fastest of a few tries (each text differs: parses are cached by text), so a
    # neighbour's burst of work on a shared machine does not decide the outcome
    t_small = min(_seconds(f"{small}\n// {k}") for k in range(3))
    t_big = min(_seconds(f"{big}\n// {k}") for k in range(2))
    assert t_big < 12 * t_small + 0.5  # 8x the gates: linear, with room for noise
    assert t_big < 6.0  # docs/benchmarks.md: ~1.2 s on an idle 2-core machine


_GATES_1Q = ["h", "x", "y", "z", "s", "t", "sx"]
_ANGLED = ["rz", "rx", "ry", "p"]
_ANGLES = st.sampled_from(
    ["0.5", "-0.25", "pi", "-pi", "pi/2", "-pi/4", "2*pi", "3*pi/8", "1e-3", ".5"]
)


@st.composite
def plain_lines(draw: st.DrawFn) -> str:
    a = draw(st.integers(0, 4))
    b = draw(st.integers(0, 4).filter(lambda x: x != a))
    kind = draw(st.integers(0, 3))
    space = draw(st.sampled_from(["", " ", "  "]))
    if kind == 0:
        return f"{draw(st.sampled_from(_GATES_1Q))} q[{a}];"
    if kind == 1:
        return f"cx q[{a}],{space}q[{b}];"
    if kind == 2:
        return f"{draw(st.sampled_from(_ANGLED))}({draw(_ANGLES)}){space} q[{a}];"
    return f"u({draw(_ANGLES)},{space}{draw(_ANGLES)},{draw(_ANGLES)}) q[{a}]; // note"


@settings(max_examples=150, deadline=None)
@given(st.lists(plain_lines(), min_size=1, max_size=30), st.booleans())
def test_the_fast_path_reads_what_the_general_path_reads(lines: list[str], g: bool) -> None:
    head = ["OPENQASM 2.0;", "qreg q[5];"]
    if g:  # a user gate body made of plain lines too
        head.append("gate pair a, b {\n h a;\n cx a, b;\n rz(pi/2) b;\n}")
        lines = [*lines, "pair q[0], q[1];", "pair q[2],q[3];"]
    fast = parse_qasm("\n".join([*head, *lines]))
    general = parse_qasm(
        "\n".join([*head, *lines, "/* a block comment turns the fast path off */"])
    )
    assert fast == general
