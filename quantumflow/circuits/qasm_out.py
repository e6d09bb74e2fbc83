"""IR → canonical OpenQASM 3 text (the cache key's circuit part, and a portable export)."""

from __future__ import annotations

from .ir import Circuit, Op, angle_text

# IR names whose OpenQASM 3 (stdgates.inc) spelling differs
_QASM3_NAME = {"u": "U", "c3x": "c3x", "c4x": "c4x", "c3sqrtx": "c3sqrtx"}
_EXTRA_DEFS = {
    "rxx": "gate rxx(t) a, b { h a; h b; cx a, b; rz(t) b; cx a, b; h a; h b; }",
    "ryy": "gate ryy(t) a, b { rx(pi/2) a; rx(pi/2) b; cx a, b; rz(t) b; cx a, b; "
    "rx(-pi/2) a; rx(-pi/2) b; }",
    "rzz": "gate rzz(t) a, b { cx a, b; rz(t) b; cx a, b; }",
    "c3x": "gate c3x a, b, c, d { ctrl(3) @ x a, b, c, d; }",
    "c4x": "gate c4x a, b, c, d, e { ctrl(4) @ x a, b, c, d, e; }",
    "c3sqrtx": "gate c3sqrtx a, b, c, d { ctrl(3) @ sx a, b, c, d; }",
    "cu": "",  # in stdgates.inc
}


def to_qasm3(circuit: Circuit) -> str:
    """Deterministic OpenQASM 3 for ``circuit``: one flat ``q``/``c`` register pair.

    Two circuits that differ only in register names, whitespace, comments or how a custom
    gate was spelled give the same text, so the text is a good content hash.
    """
    used = {op.name for op in circuit.ops}
    lines = ["OPENQASM 3.0;", 'include "stdgates.inc";']
    lines += [_EXTRA_DEFS[n] for n in sorted(used) if _EXTRA_DEFS.get(n)]
    lines += [f"input float[64] {p};" for p in sorted(circuit.free_parameters())]
    if circuit.num_qubits:
        lines.append(f"qubit[{circuit.num_qubits}] q;")
    if circuit.num_clbits:
        lines.append(f"bit[{circuit.num_clbits}] c;")
    lines += [_op_line(op) for op in circuit.ops]
    return "\n".join(lines) + "\n"


def _op_line(op: Op) -> str:
    qs = ", ".join(f"q[{q}]" for q in op.qubits)
    if op.name == "measure":
        body = f"c[{op.clbits[0]}] = measure {qs};"
    elif op.name in ("reset", "barrier"):
        body = f"{op.name} {qs};"
    else:
        name = _QASM3_NAME.get(op.name, op.name)
        params = f"({', '.join(angle_text(p) for p in op.params)})" if op.params else ""
        body = f"{name}{params} {qs};"
    if op.condition is None:
        return body
    bits = op.condition.clbits
    if len(bits) == 1:
        return f"if (c[{bits[0]}] == {op.condition.value}) {{ {body} }}"
    # a multi-bit condition reads the bits as an unsigned integer, bit 0 least significant
    word = " + ".join(f"{1 << i} * int(c[{b}])" for i, b in enumerate(bits))
    return f"if ({word} == {op.condition.value}) {{ {body} }}"
