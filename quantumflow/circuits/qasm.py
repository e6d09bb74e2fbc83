"""OpenQASM 2/3 → IR: the one parsing path every backend goes through.

Handles what real files contain: custom ``gate`` definitions (inlined, argument order
kept), ``opaque`` declarations, ``barrier``, ``reset``, mid-circuit ``measure`` (QASM 2
arrow and QASM 3 assignment forms), ``if (c == k)`` on whole registers or single bits,
register broadcasting, ``input float`` parameters, CRLF line endings, comments and a
missing header. What it cannot express is refused with "unsupported" and the feature name.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import gc
import threading
from collections.abc import Iterator

from ..config import Limits, load_settings
from ..errors import UnsupportedFeatureError
from .ir import Circuit, Condition, Op, Register
from .lexer import UNSUPPORTED_KEYWORDS, QasmError, Token, tokenize
from .qasm_gates import GateDef, Gates
from .stdlib import PRELUDE

_UNSUPPORTED_KEYWORDS = UNSUPPORTED_KEYWORDS


def parse_qasm(text: str) -> Circuit:
    """Parse OpenQASM 2 or 3 text into the IR (recent results are kept, by text).

    Raises:
        QasmError: malformed text (message names the line), or past ``config.Limits``.
        UnsupportedFeatureError: valid QASM this IR cannot express (e.g. ``for`` loops,
            a used ``opaque`` gate, gate modifiers).
    """
    with _cache_lock:
        hit = _cache.get(text)
        if hit is not None:
            _cache.move_to_end(text)
            return hit
    circuit = _parse(text)
    _keep(text, circuit)
    return circuit


#: Parsed circuits kept: at most this many, holding at most CACHE_OPS operations in all
#: (a cache keyed by what clients send must not become the way to fill the memory).
CACHE_ENTRIES = 256
CACHE_OPS = 2_000_000
_cache: collections.OrderedDict[str, Circuit] = collections.OrderedDict()
_cache_ops = 0
_cache_lock = threading.Lock()


def _keep(text: str, circuit: Circuit) -> None:
    global _cache_ops  # noqa: PLW0603 - one cache per process
    size = len(circuit.ops) + 1
    if size > CACHE_OPS // 4:  # a huge circuit is parsed again when asked again
        return
    with _cache_lock:
        if text in _cache:
            return
        _cache[text] = circuit
        _cache_ops += size
        while len(_cache) > CACHE_ENTRIES or _cache_ops > CACHE_OPS:
            _, old = _cache.popitem(last=False)
            _cache_ops -= len(old.ops) + 1


def _parse(text: str) -> Circuit:
    limits = load_settings().limits
    if len(text) > limits.qasm_bytes:
        raise QasmError(
            f"the circuit is {len(text):,} characters, more than the {limits.qasm_bytes:,} "
            "allowed (QUANTUMFLOW_MAX_QASM_MB)"
        )
    if len(text) < _BIG_TEXT:
        return _Parser(tokenize(text), _prelude(), limits).program()
    with _collector_paused():
        return _Parser(tokenize(text), _prelude(), limits).program()


#: Texts at least this long are parsed with the cyclic garbage collector paused.
_BIG_TEXT = 1 << 17
_paused = 0
_was_enabled = True
_paused_lock = threading.Lock()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause CPython's cyclic collector while a big circuit is read: the parser makes
    millions of small objects and no cycles, and the collections their allocations set off
    cost as much as the parsing (4*10^5 gates: ~2.1 s -> ~1.0 s). Nested and concurrent
    parses keep it paused until the last one ends; it is on again afterwards only if it
    was on before."""
    global _paused, _was_enabled  # noqa: PLW0603 - one count per process
    with _paused_lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


@functools.lru_cache(maxsize=1)
def _prelude() -> dict[str, GateDef]:
    parser = _Parser(tokenize(PRELUDE), {}, Limits())
    parser.program()
    return parser.gates


#: Statements that declare something: the parser method for each (top level only).
_DECLARATIONS = {
    "include": "include", "qreg": "qreg", "creg": "creg", "qubit": "qubit_decl",
    "bit": "bit_decl", "input": "input_decl", "gate": "gate_def", "opaque": "opaque_decl",
    "const": "const_decl",
}  # fmt: skip


class _Parser(Gates):
    """The program: header, statements, declarations, ``if``, ``measure``."""

    # ------------------------------------------------------------------ program
    def program(self) -> Circuit:
        if self.peek().text == "OPENQASM":
            self.next()
            version = self.next()
            if version.kind != "num" or version.text.split(".")[0] not in ("2", "3"):
                raise QasmError(f"unknown OpenQASM version '{version.text}'", line=version.line)
            self.expect(";")
        toks, native = self.toks, self.native_call
        while (tok := toks[self.i]).kind != "eof":
            if tok.kind == "call" and native(tok):  # most statements of a big circuit
                self.i += 1
            else:
                self.statement(top=True)
        return Circuit(
            num_qubits=self.nq,
            num_clbits=self.nc,
            ops=tuple(self.ops),
            qregs=tuple(self.qregs.values()),
            cregs=tuple(self.cregs.values()),
            parameters=tuple(self.inputs),
        )

    def statement(self, *, top: bool, cond: Condition | None = None) -> None:  # noqa: PLR0912
        tok = self.peek()
        if tok.kind == "call":  # a plain gate-call line, read by the lexer in one match
            self.i += 1
            self.plain_call(tok, cond)
            return
        word = tok.text
        if tok.kind != "id":
            raise QasmError(f"unexpected '{word or 'end of file'}'", line=tok.line)
        if word in _UNSUPPORTED_KEYWORDS or self.peek(1).text == "@":
            feature = f"gate modifier '{word} @'" if self.peek(1).text == "@" else f"'{word}'"
            raise UnsupportedFeatureError(
                f"unsupported OpenQASM feature {feature} (line {tok.line}); "
                "unroll it (e.g. qiskit.transpile) before passing the circuit"
            )
        declaration = _DECLARATIONS.get(word)
        if declaration is not None:
            if not top or cond is not None:
                raise QasmError(f"'{word}' is only allowed at top level", line=tok.line)
            getattr(self, declaration)()
            return
        if word == "if":
            self.if_stmt(cond)
        elif word == "measure":
            self.measure_arrow(cond)
        elif word in self.cregs and self.peek(1).text in ("=", "["):
            self.measure_assign(cond)
        elif word == "reset":
            self.next()
            groups = self.arglist(self.qregs, ";")
            self.grow(sum(len(g) for g in groups), tok.line)
            for group in groups:
                for q in group:
                    self.ops.append(Op("reset", (q,), condition=cond))
            self.expect(";")
        elif word == "barrier":
            self.next()
            groups = self.arglist(self.qregs, ";") if self.peek().text != ";" else []
            qubits = sorted({q for g in groups for q in g}) if groups else list(range(self.nq))
            if cond is None and qubits:
                self.ops.append(Op("barrier", tuple(qubits)))
            self.expect(";")
        elif word == "gphase":  # a global phase changes no measurable quantity
            self.skip_statement()
        else:
            self.gate_call(cond)

    # ------------------------------------------------------------------ declarations
    def include(self) -> None:
        self.next()
        name = self.next()
        if name.kind != "str":
            raise QasmError("include needs a quoted file name", line=name.line)
        if name.text.strip('"') not in ("qelib1.inc", "stdgates.inc"):
            raise UnsupportedFeatureError(
                f"unsupported include {name.text} (line {name.line}); inline its gates"
            )
        self.expect(";")

    def _declare(
        self, table: dict[str, Register], name: Token, size: int, *, quantum: bool
    ) -> None:
        if name.text in self.qregs or name.text in self.cregs:
            raise QasmError(f"'{name.text}' is declared twice", line=name.line)
        total = (self.nq if quantum else self.nc) + size
        if total > self.limits.qasm_qubits:  # before any register is built
            kind = "qubits" if quantum else "bits"
            raise QasmError(
                f"the circuit declares {total:,} {kind}, more than the "
                f"{self.limits.qasm_qubits:,} allowed (QUANTUMFLOW_MAX_QASM_QUBITS)",
                line=name.line,
            )
        start = self.nq if quantum else self.nc
        table[name.text] = Register(name.text, start, size)
        if quantum:
            self.nq += size
        else:
            self.nc += size

    def qreg(self) -> None:
        self.next()
        name = self.ident()
        self.expect("[")
        size = self.integer()
        self.expect("]")
        self.expect(";")
        self._declare(self.qregs, name, size, quantum=True)

    def creg(self) -> None:
        self.next()
        name = self.ident()
        self.expect("[")
        size = self.integer()
        self.expect("]")
        self.expect(";")
        self._declare(self.cregs, name, size, quantum=False)

    def _sized_decl(self, table: dict[str, Register], *, quantum: bool) -> None:
        self.next()
        size = 1
        if self.accept("["):
            size = self.integer()
            self.expect("]")
        name = self.ident()
        self.expect(";")
        self._declare(table, name, size, quantum=quantum)

    def qubit_decl(self) -> None:
        self._sized_decl(self.qregs, quantum=True)

    def bit_decl(self) -> None:
        self._sized_decl(self.cregs, quantum=False)

    def input_decl(self) -> None:
        self.next()
        kind = self.ident()
        if kind.text not in ("float", "angle"):
            raise UnsupportedFeatureError(
                f"unsupported input type '{kind.text}' (line {kind.line}); use float or angle"
            )
        if self.accept("["):
            self.integer()
            self.expect("]")
        name = self.ident()
        self.expect(";")
        self.inputs.append(name.text)

    def const_decl(self) -> None:
        tok = self.next()
        raise UnsupportedFeatureError(f"unsupported OpenQASM feature 'const' (line {tok.line})")

    # ------------------------------------------------------------------ statements
    def if_stmt(self, outer: Condition | None) -> None:
        tok = self.next()
        if outer is not None:
            raise UnsupportedFeatureError(f"unsupported nested 'if' (line {tok.line})")
        self.expect("(")
        name = self.ident()
        reg = self.cregs.get(name.text)
        if reg is None:
            raise QasmError(f"unknown classical register '{name.text}'", line=name.line)
        bits = tuple(range(reg.start, reg.start + reg.size))
        label = name.text
        if self.accept("["):
            idx = self.integer()
            self.expect("]")
            bits = (reg.start + idx,)
            label = f"{name.text}[{idx}]"
        self.expect("==")
        value = self.integer()
        self.expect(")")
        cond = Condition(label, bits, value)
        if self.accept("{"):
            while not self.accept("}"):
                self.statement(top=False, cond=cond)
        else:
            self.statement(top=False, cond=cond)

    def _measure(
        self, qubits: list[list[int]], clbits: list[list[int]], line: int, cond: Condition | None
    ) -> None:
        q, c = qubits[0], clbits[0]
        if len(q) != len(c):
            raise QasmError(f"measure of {len(q)} qubits into {len(c)} bits", line=line)
        self.grow(len(q), line)
        for qi, ci in zip(q, c, strict=True):
            self.ops.append(Op("measure", (qi,), clbits=(ci,), condition=cond))

    def measure_arrow(self, cond: Condition | None) -> None:
        tok = self.next()
        qubits = self.arglist(self.qregs, "->")
        self.expect("->")
        clbits = self.arglist(self.cregs, ";")
        self.expect(";")
        self._measure(qubits, clbits, tok.line, cond)

    def measure_assign(self, cond: Condition | None) -> None:
        line = self.peek().line
        clbits = [self.operand(self.cregs)]
        self.expect("=")
        self.expect("measure")
        qubits = self.arglist(self.qregs, ";")
        self.expect(";")
        self._measure(qubits, clbits, line, cond)
