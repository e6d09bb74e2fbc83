"""Tokenizer for OpenQASM 2/3 text (CRLF, comments and a missing header are all fine)."""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

from ..errors import BackendError


class QasmError(BackendError):
    """OpenQASM text that cannot be read; ``line`` is 1-based (0 when unknown)."""

    default_class = "invalid_circuit"

    def __init__(self, message: str, *, line: int = 0) -> None:
        self.line = line
        where = f"line {line}: " if line else ""
        super().__init__(f"bad OpenQASM: {where}{message}", retryable=False)


class Token(NamedTuple):
    """One token: ``kind`` is 'num', 'id', 'str', 'op', 'eof', or 'call': a whole line
    that is one plain gate call (``name(numbers) reg[i], reg;``), with ``data`` =
    ``(angles, ((register, index or None), ...))``."""

    kind: str
    text: str
    line: int
    data: Any = None


_UNSEEN: Any = object()
#: Distinct lines whose reading is remembered within one text.
_SEEN_LINES = 100_000
#: Copies of the end token after the last: the parser looks a few tokens ahead without
#: checking for the end each time.
EOF_PADDING = 4

#: Words that start statements other than gate calls (never read as a plain call).
UNSUPPORTED_KEYWORDS = frozenset({
    "for", "while", "def", "defcal", "cal", "let", "box", "delay", "switch", "extern",
    "ctrl", "negctrl", "inv", "pow", "return", "break", "continue", "array", "duration",
})  # fmt: skip
IGNORED_TYPES = frozenset({"int", "uint", "bool", "float", "angle", "complex"})
_NOT_CALLS = UNSUPPORTED_KEYWORDS | IGNORED_TYPES | {
    "OPENQASM", "include", "qreg", "creg", "qubit", "bit", "input", "gate", "opaque", "const",
    "if", "measure", "reset", "barrier", "gphase",
}  # fmt: skip

_TOKEN = re.compile(
    r"""
    (?P<nl>\n)
  | [ \t\r\f\v]+
  | //[^\n]*
  | (?P<bcomment>/\*.*?\*/)
  | (?P<num>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<id>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<str>"[^"\n]*")
  | (?P<op>->|==|!=|<=|>=|\*\*|&&|\|\||[@\[\](){};,+\-*/^=<>:!~&|.])
  | (?P<bad>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_S = r"[ \t\r\f\v]*"
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_ARG = rf"{_NAME}(?:{_S}\[{_S}\d+{_S}\])?"
#: A line holding exactly one plain gate call (most lines of a big circuit).
_PLAIN = re.compile(
    rf"{_S}({_NAME})(?:{_S}\(([^()]*)\){_S}|[ \t\r\f\v]+)({_ARG}(?:{_S},{_S}{_ARG})*){_S};"
    rf"{_S}(?://.*)?"
)
_OPERAND = re.compile(rf"({_NAME})(?:{_S}\[{_S}(\d+){_S}\])?")
_NUM = r"(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?"
#: An angle the fast path reads: ``[-](N | pi | N*pi)[/N]``; anything else goes the
#: general way (the same value either way: the same operations in the same order).
_ANGLE = re.compile(rf"{_S}(-)?{_S}(?:({_NUM})(?:{_S}\*{_S}(pi))?|(pi)){_S}(?:/{_S}({_NUM}))?{_S}")


def tokenize(text: str) -> list[Token]:
    """Split QASM text into tokens, dropping whitespace and comments; the list ends with
    :data:`EOF_PADDING` + 1 ``eof`` tokens. Linear in the text's length: a line that is one
    plain gate call becomes a single ``call`` token (one regular expression match instead
    of a dozen tokens), everything else is scanned token by token.

    Raises:
        QasmError: on a character that cannot start any token.
    """
    tokens: list[Token] = []
    if "/*" in text:  # a block comment may span lines: no line-wise fast path
        line = _scan(text, 1, tokens)
    else:
        line = 0
        seen: dict[str, tuple[str, Any] | None] = {}  # big circuits repeat lines
        for line, chunk in enumerate(text.split("\n"), 1):
            known = seen.get(chunk, _UNSEEN)
            if known is _UNSEEN:
                m = _PLAIN.fullmatch(chunk)
                known = None
                if m is not None and m.group(1) not in _NOT_CALLS:
                    known = _plain_call(m)
                if len(seen) < _SEEN_LINES:
                    seen[chunk] = known
            if known is not None:
                tokens.append(Token("call", known[0], line, known[1]))
            else:
                _scan(chunk, line, tokens)
    end = Token("eof", "", max(line, 1))
    tokens.extend([end] * (EOF_PADDING + 1))
    return tokens


def _plain_call(m: re.Match[str]) -> tuple[str, Any] | None:
    """The name and data of a plain gate-call line's ``call`` token (None: angles the
    fast path leaves to the general parser)."""
    name, params, args = m.groups()
    angles: list[float] = []
    if params is not None and params.strip():
        for part in params.split(","):
            a = _ANGLE.fullmatch(part)
            if a is None:
                return None
            minus, number, times_pi, _pi, divisor = a.groups()
            value = math.pi if number is None else float(number)
            if times_pi is not None:
                value = value * math.pi
            if divisor is not None:
                value = value / float(divisor)
            angles.append(-value if minus else value)
    operands = tuple((reg, int(idx) if idx else None) for reg, idx in _OPERAND.findall(args))
    return name, (tuple(angles), operands)


def _scan(text: str, line: int, tokens: list[Token]) -> int:
    """Append the tokens of ``text`` (starting on ``line``); returns the last line."""
    append = tokens.append
    make = Token
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind is None:
            continue
        if kind == "nl":
            line += 1
        elif kind == "bcomment":
            line += m.group().count("\n")
        elif kind == "bad":
            raise QasmError(f"unexpected character {m.group()!r}", line=line)
        else:
            append(make(kind, m.group(), line))
    return line
