"""OpenQASM 2/3 → IR: the one parsing path every backend goes through.

Handles what real files contain: custom ``gate`` definitions (inlined, argument order
kept), ``opaque`` declarations, ``barrier``, ``reset``, mid-circuit ``measure`` (QASM 2
arrow and QASM 3 assignment forms), ``if (c == k)`` on whole registers or single bits,
register broadcasting, ``input float`` parameters, CRLF line endings, comments and a
missing header. What it cannot express is refused with "unsupported" and the feature name.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from ..errors import UnsupportedFeatureError
from .ir import FUNCTIONS as _FUNCS
from .ir import GATES, Angle, Circuit, Condition, Expr, Op, Register
from .lexer import QasmError, Token, tokenize
from .stdlib import ALIASES, PRELUDE

_CONSTANTS = {"pi": math.pi, "π": math.pi, "tau": 2 * math.pi, "euler": math.e}
_UNSUPPORTED_KEYWORDS = {
    "for", "while", "def", "defcal", "cal", "let", "box", "delay", "switch", "extern",
    "ctrl", "negctrl", "inv", "pow", "return", "break", "continue", "array", "duration",
}  # fmt: skip
_IGNORED_TYPES = {"int", "uint", "bool", "float", "angle", "complex"}


@dataclass(frozen=True)
class _BodyOp:
    name: str
    params: tuple[Angle, ...]
    args: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class _GateDef:
    params: tuple[str, ...]
    qargs: tuple[str, ...]
    body: tuple[_BodyOp, ...]


def parse_qasm(text: str) -> Circuit:
    """Parse OpenQASM 2 or 3 text into the IR (result cached by text).

    Raises:
        QasmError: malformed text (message names the line).
        UnsupportedFeatureError: valid QASM this IR cannot express (e.g. ``for`` loops,
            a used ``opaque`` gate, gate modifiers).
    """
    return _parse_cached(text)


@functools.lru_cache(maxsize=256)
def _parse_cached(text: str) -> Circuit:
    return _Parser(tokenize(text), _prelude()).program()


@functools.lru_cache(maxsize=1)
def _prelude() -> dict[str, _GateDef]:
    parser = _Parser(tokenize(PRELUDE), {})
    parser.program()
    return parser.gates


def _fold(op: str, a: Angle, b: Angle | None = None) -> Angle:
    args = (a,) if b is None else (a, b)
    expr = Expr(op, args)
    if all(not isinstance(x, Expr) for x in args):
        return float(expr.evaluate({}, _FUNCS))
    return expr


def _subst(a: Angle, env: dict[str, Angle]) -> Angle:
    """Replace gate-parameter names inside ``a`` with the call's actual angles."""
    if not isinstance(a, Expr):
        return a
    if a.op == "var":
        return env.get(a.name, a)
    args = [_subst(x, env) for x in a.args]
    return _fold(a.op, args[0], args[1] if len(args) > 1 else None)


class _Parser:
    def __init__(self, tokens: list[Token], prelude: dict[str, _GateDef]) -> None:
        self.toks = tokens
        self.i = 0
        self.prelude = prelude
        self.gates: dict[str, _GateDef] = {}
        self.opaque: set[str] = set()
        self.qregs: dict[str, Register] = {}
        self.cregs: dict[str, Register] = {}
        self.nq = 0
        self.nc = 0
        self.inputs: list[str] = []
        self.ops: list[Op] = []

    # ------------------------------------------------------------------ token helpers
    def peek(self, k: int = 0) -> Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def next(self) -> Token:
        tok = self.peek()
        self.i += 1
        return tok

    def accept(self, text: str) -> bool:
        if self.peek().text == text and self.peek().kind != "str":
            self.i += 1
            return True
        return False

    def expect(self, text: str) -> Token:
        tok = self.next()
        if tok.text != text:
            shown = tok.text or "end of file"
            raise QasmError(f"expected '{text}' but found '{shown}'", line=tok.line)
        return tok

    def ident(self) -> Token:
        tok = self.next()
        if tok.kind != "id":
            raise QasmError(f"expected a name but found '{tok.text}'", line=tok.line)
        return tok

    def integer(self) -> int:
        tok = self.next()
        if tok.kind != "num" or not tok.text.isdigit():
            raise QasmError(f"expected an integer but found '{tok.text}'", line=tok.line)
        return int(tok.text)

    # ------------------------------------------------------------------ program
    def program(self) -> Circuit:
        if self.peek().text == "OPENQASM":
            self.next()
            version = self.next()
            if version.kind != "num" or version.text.split(".")[0] not in ("2", "3"):
                raise QasmError(f"unknown OpenQASM version '{version.text}'", line=version.line)
            self.expect(";")
        while self.peek().kind != "eof":
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
        word = tok.text
        if tok.kind != "id":
            raise QasmError(f"unexpected '{word or 'end of file'}'", line=tok.line)
        if word in _UNSUPPORTED_KEYWORDS or self.peek(1).text == "@":
            feature = f"gate modifier '{word} @'" if self.peek(1).text == "@" else f"'{word}'"
            raise UnsupportedFeatureError(
                f"unsupported OpenQASM feature {feature} (line {tok.line}); "
                "unroll it (e.g. qiskit.transpile) before passing the circuit"
            )
        handler = {
            "include": self.include, "qreg": self.qreg, "creg": self.creg,
            "qubit": self.qubit_decl, "bit": self.bit_decl, "input": self.input_decl,
            "gate": self.gate_def, "opaque": self.opaque_decl, "const": self.const_decl,
        }.get(word)  # fmt: skip
        if handler is not None:
            if not top or cond is not None:
                raise QasmError(f"'{word}' is only allowed at top level", line=tok.line)
            handler()
            return
        if word == "if":
            self.if_stmt(cond)
        elif word == "measure":
            self.measure_arrow(cond)
        elif word in self.cregs and self.peek(1).text in ("=", "["):
            self.measure_assign(cond)
        elif word == "reset":
            self.next()
            for group in self.arglist(self.qregs, ";"):
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
            while self.next().text != ";":
                pass
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

    def gate_def(self) -> None:
        self.next()
        name = self.ident()
        params: list[str] = []
        if self.accept("("):
            while not self.accept(")"):
                params.append(self.ident().text)
                self.accept(",")
        qargs: list[str] = []
        while self.peek().text != "{":
            qargs.append(self.ident().text)
            self.accept(",")
        self.expect("{")
        body: list[_BodyOp] = []
        while not self.accept("}"):
            body.extend(self.body_stmt(set(params), set(qargs)))
        self.gates[name.text] = _GateDef(tuple(params), tuple(qargs), tuple(body))

    def body_stmt(self, params: set[str], qargs: set[str]) -> list[_BodyOp]:
        tok = self.ident()
        if tok.text == "barrier":
            while self.next().text != ";":
                pass
            return []
        if tok.text == "gphase" or self.peek().text == "@":
            if tok.text != "gphase":
                raise UnsupportedFeatureError(
                    f"unsupported OpenQASM feature gate modifier '{tok.text} @' (line {tok.line})"
                )
            while self.next().text != ";":
                pass
            return []
        angles = self.angle_list(params) if self.peek().text == "(" else []
        args: list[str] = []
        while not self.accept(";"):
            arg = self.ident()
            if arg.text not in qargs:
                raise QasmError(f"'{arg.text}' is not an argument of this gate", line=arg.line)
            args.append(arg.text)
            self.accept(",")
        return [_BodyOp(tok.text, tuple(angles), tuple(args), tok.line)]

    def opaque_decl(self) -> None:
        self.next()
        self.opaque.add(self.ident().text)
        while self.next().text != ";":
            pass

    # ------------------------------------------------------------------ operands
    def operand(self, table: dict[str, Register]) -> list[int]:
        name = self.ident()
        reg = table.get(name.text)
        if reg is None:
            kind = "qubit" if table is self.qregs else "bit"
            raise QasmError(f"unknown {kind} register '{name.text}'", line=name.line)
        if self.accept("["):
            idx = self.integer()
            self.expect("]")
            if idx >= reg.size:
                raise QasmError(
                    f"index {idx} out of range for '{name.text}[{reg.size}]'", line=name.line
                )
            return [reg.start + idx]
        return list(range(reg.start, reg.start + reg.size))

    def arglist(self, table: dict[str, Register], end: str) -> list[list[int]]:
        groups = [self.operand(table)]
        while self.accept(","):
            groups.append(self.operand(table))
        if self.peek().text != end:
            raise QasmError(
                f"expected '{end}' but found '{self.peek().text}'", line=self.peek().line
            )
        return groups

    # ------------------------------------------------------------------ expressions
    def angle_list(self, params: set[str]) -> list[Angle]:
        self.expect("(")
        out: list[Angle] = []
        while not self.accept(")"):
            out.append(self.expr(params))
            if not self.accept(","):
                self.expect(")")
                break
        return out

    def expr(self, params: set[str]) -> Angle:
        left = self.term(params)
        while self.peek().text in ("+", "-"):
            op = self.next().text
            left = _fold(op, left, self.term(params))
        return left

    def term(self, params: set[str]) -> Angle:
        left = self.unary(params)
        while self.peek().text in ("*", "/"):
            op = self.next().text
            left = _fold(op, left, self.unary(params))
        return left

    def unary(self, params: set[str]) -> Angle:
        if self.accept("-"):
            return _fold("neg", self.unary(params))
        if self.accept("+"):
            return self.unary(params)
        base = self.primary(params)
        if self.peek().text in ("^", "**"):
            self.next()
            return _fold("^", base, self.unary(params))
        return base

    def primary(self, params: set[str]) -> Angle:
        tok = self.next()
        if tok.kind == "num":
            return float(tok.text)
        if tok.text == "(":
            inner = self.expr(params)
            self.expect(")")
            return inner
        if tok.kind == "id":
            if tok.text in _CONSTANTS:
                return _CONSTANTS[tok.text]
            if tok.text in _FUNCS and self.peek().text == "(":
                self.next()
                arg = self.expr(params)
                self.expect(")")
                return _fold(tok.text, arg)
            if tok.text in params or tok.text in self.inputs:
                return Expr("var", name=tok.text)
            raise QasmError(f"unknown name '{tok.text}' in expression", line=tok.line)
        raise QasmError(f"unexpected '{tok.text}' in expression", line=tok.line)

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

    def gate_call(self, cond: Condition | None) -> None:
        tok = self.ident()
        if tok.text in _IGNORED_TYPES:
            raise UnsupportedFeatureError(
                f"unsupported classical declaration '{tok.text}' (line {tok.line})"
            )
        angles = self.angle_list(set()) if self.peek().text == "(" else []
        groups = self.arglist(self.qregs, ";")
        self.expect(";")
        width = max(len(g) for g in groups)
        for g in groups:
            if len(g) not in (1, width):
                raise QasmError("registers of different sizes in one gate call", line=tok.line)
        for k in range(width):
            qubits = [g[0] if len(g) == 1 else g[k] for g in groups]
            self.apply(tok.text, angles, qubits, cond, tok.line, depth=0)

    def apply(
        self, name: str, angles: list[Angle], qubits: list[int], cond: Condition | None,
        line: int, *, depth: int,
    ) -> None:  # fmt: skip
        if len(set(qubits)) != len(qubits):
            raise QasmError(f"gate '{name}' uses one qubit twice", line=line)
        if depth > 64:
            raise QasmError(f"gate '{name}' is defined recursively", line=line)
        definition = self.gates.get(name) or (
            None if name in GATES or name in ALIASES else self.prelude.get(name)
        )
        if definition is not None:
            self._check_arity(name, definition, angles, qubits, line)
            env = dict(zip(definition.params, angles, strict=True))
            where = dict(zip(definition.qargs, qubits, strict=True))
            for b in definition.body:
                sub = [_subst(a, env) for a in b.params]
                self.apply(b.name, sub, [where[a] for a in b.args], cond, line, depth=depth + 1)
            return
        target, nparams, transform = ALIASES.get(name, (name, -1, None))
        if target in GATES:
            nq, np_ = GATES[target]
            expected = np_ if transform is None else nparams
            if len(angles) != expected or len(qubits) != nq:
                raise QasmError(
                    f"gate '{name}' takes {expected} parameters and {nq} qubits "
                    f"(got {len(angles)} and {len(qubits)})",
                    line=line,
                )
            params = angles if transform is None else transform(angles)
            self.ops.append(Op(target, tuple(qubits), tuple(params), condition=cond))
            return
        if name in self.opaque:
            raise UnsupportedFeatureError(
                f"unsupported opaque gate '{name}' (line {line}): it has no definition a "
                "simulator can run; give it a 'gate' body"
            )
        raise QasmError(f"unknown gate '{name}' (define it with 'gate')", line=line)

    @staticmethod
    def _check_arity(
        name: str, d: _GateDef, angles: list[Angle], qubits: list[int], line: int
    ) -> None:
        if len(angles) != len(d.params) or len(qubits) != len(d.qargs):
            raise QasmError(
                f"gate '{name}' takes {len(d.params)} parameters and {len(d.qargs)} qubits "
                f"(got {len(angles)} and {len(qubits)})",
                line=line,
            )
