"""Circuits (layer 1): the IR, the OpenQASM 2/3 parser into it, exports, generators, sources,
sweeps and parameter binding. No SDK is imported here: the SDK converters are adapters
(:mod:`quantumflow.backends`)."""

from __future__ import annotations

from .generators import generate
from .ir import Circuit, Op
from .lexer import QasmError
from .qasm import parse_qasm
from .qasm_out import to_qasm3
from .sources import from_object, load_circuit

__all__ = [
    "Circuit",
    "Op",
    "QasmError",
    "from_object",
    "generate",
    "load_circuit",
    "parse_qasm",
    "to_qasm3",
]
