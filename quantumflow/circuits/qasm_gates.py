"""QASM gate definitions and calls: inlining user and prelude gates, the fast path for
native gates, and the expansion limits (``config.Limits``) priced before anything expands."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Limits
from ..errors import UnsupportedFeatureError
from .ir import GATES, Angle, Condition, Op
from .lexer import IGNORED_TYPES, QasmError, Token
from .qasm_reader import Reader, subst
from .stdlib import ALIASES


@dataclass(frozen=True)
class BodyOp:
    """One statement of a gate body, as written (angles may name the gate's parameters)."""

    name: str
    params: tuple[Angle, ...]
    args: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class GateDef:
    """A ``gate`` definition."""

    params: tuple[str, ...]
    qargs: tuple[str, ...]
    body: tuple[BodyOp, ...]


class Gates(Reader):
    """Defines gates and applies gate calls (inlined down to :data:`ir.GATES`)."""

    def __init__(self, tokens: list[Token], prelude: dict[str, GateDef], limits: Limits) -> None:
        super().__init__(tokens, limits)
        self.prelude = prelude
        self.gates: dict[str, GateDef] = {}
        self.opaque: set[str] = set()
        #: gate name -> (operations one call expands to, nesting depth); see ``cost``
        self.costs: dict[str, tuple[int, int]] = {}

    def grow(self, count: int, line: int) -> None:
        """Refuse ``count`` more operations past ``limits.qasm_ops`` (before making them)."""
        if len(self.ops) + count > self.limits.qasm_ops:
            raise QasmError(
                f"the circuit expands to more than {self.limits.qasm_ops:,} operations "
                "(gate definitions inlined, registers broadcast); the limit is "
                "QUANTUMFLOW_MAX_QASM_OPS",
                line=line,
            )

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
        body: list[BodyOp] = []
        while not self.accept("}"):
            body.extend(self.body_stmt(set(params), set(qargs)))
        self.gates[name.text] = GateDef(tuple(params), tuple(qargs), tuple(body))

    def body_stmt(self, params: set[str], qargs: set[str]) -> list[BodyOp]:
        if self.peek().kind == "call":  # a plain line inside a gate body
            tok = self.next()
            angles, operands = tok.data
            for name, index in operands:
                if index is not None or name not in qargs:
                    raise QasmError(f"'{name}' is not an argument of this gate", line=tok.line)
            return [BodyOp(tok.text, angles, tuple(n for n, _ in operands), tok.line)]
        tok = self.ident()
        if tok.text == "barrier":
            self.skip_statement()
            return []
        if tok.text == "gphase" or self.peek().text == "@":
            if tok.text != "gphase":
                raise UnsupportedFeatureError(
                    f"unsupported OpenQASM feature gate modifier '{tok.text} @' (line {tok.line})"
                )
            self.skip_statement()
            return []
        angles = self.angle_list(params) if self.peek().text == "(" else []
        args: list[str] = []
        while not self.accept(";"):
            arg = self.ident()
            if arg.text not in qargs:
                raise QasmError(f"'{arg.text}' is not an argument of this gate", line=arg.line)
            args.append(arg.text)
            self.accept(",")
        return [BodyOp(tok.text, tuple(angles), tuple(args), tok.line)]

    def opaque_decl(self) -> None:
        self.next()
        self.opaque.add(self.ident().text)
        self.skip_statement()

    def gate_call(self, cond: Condition | None) -> None:
        tok = self.ident()
        if tok.text in IGNORED_TYPES:
            raise UnsupportedFeatureError(
                f"unsupported classical declaration '{tok.text}' (line {tok.line})"
            )
        angles = self.angle_list(set()) if self.peek().text == "(" else []
        groups = self.arglist(self.qregs, ";")
        self.expect(";")
        self.call(tok.text, angles, groups, cond, tok.line)

    def native_call(self, tok: Token) -> bool:
        """Apply a ``call`` token of one native gate on single qubits, unconditioned; False
        (nothing done) for anything else, which :meth:`plain_call` reads and words."""
        angles, operands = tok.data
        name = tok.text
        if GATES.get(name) != (len(operands), len(angles)) or name in self.gates:
            return False
        qubits = []
        qregs = self.qregs
        for reg_name, index in operands:
            reg = qregs.get(reg_name)
            if reg is None or index is None or index >= reg.size:
                return False
            qubits.append(reg.start + index)
        if len(qubits) > 1 and len(set(qubits)) != len(qubits):
            return False
        if len(self.ops) >= self.limits.qasm_ops:
            return False
        self.ops.append(Op(name, tuple(qubits), angles))
        return True

    def plain_call(self, tok: Token, cond: Condition | None) -> None:
        """A ``call`` token: what :meth:`gate_call` reads, already split by the lexer."""
        angles, operands = tok.data
        groups: list[list[int]] = []
        for name, index in operands:
            reg = self.qregs.get(name)
            if reg is None:
                raise QasmError(f"unknown qubit register '{name}'", line=tok.line)
            if index is None:
                groups.append(list(range(reg.start, reg.start + reg.size)))
            elif index >= reg.size:
                raise QasmError(
                    f"index {index} out of range for '{name}[{reg.size}]'", line=tok.line
                )
            else:
                groups.append([reg.start + index])
        self.call(tok.text, list(angles), groups, cond, tok.line)

    def call(
        self, name: str, angles: list[Angle], groups: list[list[int]], cond: Condition | None,
        line: int,
    ) -> None:  # fmt: skip
        """Apply gate ``name`` to each broadcast combination of ``groups``."""
        width = max(len(g) for g in groups)
        for g in groups:
            if len(g) not in (1, width):
                raise QasmError("registers of different sizes in one gate call", line=line)
        ops, nesting = self.cost(name, line)
        if nesting > self.limits.qasm_nesting:
            raise QasmError(
                f"gate '{name}' nests gate definitions {nesting} deep, more than the "
                f"{self.limits.qasm_nesting} allowed (QUANTUMFLOW_MAX_QASM_NESTING)",
                line=line,
            )
        self.grow(ops * width, line)  # checked before a single operation is made
        if width == 1:
            qubits = [g[0] for g in groups]
            native = GATES.get(name)
            if (
                native is not None  # the common case, without apply()'s lookups
                and name not in self.gates
                and native == (len(qubits), len(angles))
                and (len(qubits) == 1 or len(set(qubits)) == len(qubits))
            ):
                self.ops.append(Op(name, tuple(qubits), tuple(angles), condition=cond))
                return
            self.apply(name, qubits, angles, cond, line, depth=0)
            return
        for k in range(width):
            qubits = [g[0] if len(g) == 1 else g[k] for g in groups]
            self.apply(name, qubits, angles, cond, line, depth=0)

    def apply(
        self, name: str, qubits: list[int], angles: list[Angle], cond: Condition | None,
        line: int, *, depth: int,
    ) -> None:  # fmt: skip
        if len(set(qubits)) != len(qubits):
            raise QasmError(f"gate '{name}' uses one qubit twice", line=line)
        if depth > self.limits.qasm_nesting:  # cost() refused deeper calls already
            raise QasmError(f"gate '{name}' nests too deeply", line=line)
        definition = self.definition(name)
        if definition is not None:
            self._check_arity(name, definition, angles, qubits, line)
            env = dict(zip(definition.params, angles, strict=True))
            where = dict(zip(definition.qargs, qubits, strict=True))
            for b in definition.body:
                sub = [subst(a, env) for a in b.params]
                self.apply(b.name, [where[a] for a in b.args], sub, cond, line, depth=depth + 1)
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

    def definition(self, name: str) -> GateDef | None:
        """The definition a call of ``name`` inlines (None: a native gate or unknown)."""
        return self.gates.get(name) or (
            None if name in GATES or name in ALIASES else self.prelude.get(name)
        )

    def cost(self, name: str, line: int) -> tuple[int, int]:
        """How many operations one call of ``name`` expands to and how deeply its gate
        definitions nest, from the definitions alone (memoized: linear in their size, so a
        definition that doubles at each level is priced, not expanded)."""
        known = self.costs.get(name)
        if known is not None:
            if known[0] < 0:
                raise QasmError(f"gate '{name}' is defined recursively", line=line)
            return known
        definition = self.definition(name)
        if definition is None:
            return 1, 0
        self.costs[name] = (-1, 0)  # in progress: meeting it again is recursion
        ops, nesting = 0, 0
        for b in definition.body:
            sub_ops, sub_nesting = self.cost(b.name, b.line)
            ops += sub_ops
            nesting = max(nesting, sub_nesting)
        self.costs[name] = (ops, nesting + 1)
        return ops, nesting + 1

    @staticmethod
    def _check_arity(
        name: str, d: GateDef, angles: list[Angle], qubits: list[int], line: int
    ) -> None:
        if len(angles) != len(d.params) or len(qubits) != len(d.qargs):
            raise QasmError(
                f"gate '{name}' takes {len(d.params)} parameters and {len(d.qargs)} qubits "
                f"(got {len(angles)} and {len(qubits)})",
                line=line,
            )
