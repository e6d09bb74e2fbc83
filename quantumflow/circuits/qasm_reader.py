"""Reading QASM tokens: the cursor, operands and angle expressions (the base of the
parser in ``qasm.py``, which gate definitions and calls in ``qasm_gates.py`` extend)."""

from __future__ import annotations

import math

from ..config import Limits
from .ir import FUNCTIONS as _FUNCS
from .ir import Angle, Expr, Op, Register
from .lexer import QasmError, Token

_CONSTANTS = {"pi": math.pi, "π": math.pi, "tau": 2 * math.pi, "euler": math.e}


def fold(op: str, a: Angle, b: Angle | None = None) -> Angle:
    """``a op b`` (or ``op a``): a number when both are numbers, else an expression."""
    args = (a,) if b is None else (a, b)
    expr = Expr(op, args)
    if all(not isinstance(x, Expr) for x in args):
        return float(expr.evaluate({}, _FUNCS))
    return expr


def subst(a: Angle, env: dict[str, Angle]) -> Angle:
    """Replace gate-parameter names inside ``a`` with the call's actual angles."""
    if not isinstance(a, Expr):
        return a
    if a.op == "var":
        return env.get(a.name, a)
    args = [subst(x, env) for x in a.args]
    return fold(a.op, args[0], args[1] if len(args) > 1 else None)


class Reader:
    """The parser's state and its token-level reading."""

    def __init__(self, tokens: list[Token], limits: Limits) -> None:
        self.toks = tokens
        self.i = 0
        self.limits = limits
        self.qregs: dict[str, Register] = {}
        self.cregs: dict[str, Register] = {}
        self.nq = 0
        self.nc = 0
        self.inputs: list[str] = []
        self.ops: list[Op] = []

    # ------------------------------------------------------------------ tokens
    def peek(self, k: int = 0) -> Token:
        # the token list ends with EOF_PADDING + 1 end tokens: no bounds check needed
        return self.toks[self.i + k]

    def next(self) -> Token:
        tok = self.toks[self.i]
        if tok.kind != "eof":  # stay on the end token however often it is read
            self.i += 1
        return tok

    def accept(self, text: str) -> bool:
        tok = self.toks[self.i]
        if tok.text == text and tok.kind != "str":
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

    def skip_statement(self) -> None:
        """Skip to just after the next ``;``."""
        while (tok := self.next()).text != ";":
            if tok.kind == "eof":
                raise QasmError("expected ';' but found end of file", line=tok.line)

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
            left = fold(op, left, self.term(params))
        return left

    def term(self, params: set[str]) -> Angle:
        left = self.unary(params)
        while self.peek().text in ("*", "/"):
            op = self.next().text
            left = fold(op, left, self.unary(params))
        return left

    def unary(self, params: set[str]) -> Angle:
        if self.accept("-"):
            return fold("neg", self.unary(params))
        if self.accept("+"):
            return self.unary(params)
        base = self.primary(params)
        if self.peek().text in ("^", "**"):
            self.next()
            return fold("^", base, self.unary(params))
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
                return fold(tok.text, arg)
            if tok.text in params or tok.text in self.inputs:
                return Expr("var", name=tok.text)
            raise QasmError(f"unknown name '{tok.text}' in expression", line=tok.line)
        raise QasmError(f"unexpected '{tok.text}' in expression", line=tok.line)
