"""Tokenizer for OpenQASM 2/3 text (CRLF, comments and a missing header are all fine)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import BackendError


class QasmError(BackendError):
    """OpenQASM text that cannot be read; ``line`` is 1-based (0 when unknown)."""

    default_class = "invalid_circuit"

    def __init__(self, message: str, *, line: int = 0) -> None:
        self.line = line
        where = f"line {line}: " if line else ""
        super().__init__(f"bad OpenQASM: {where}{message}", retryable=False)


@dataclass(frozen=True)
class Token:
    """One token: ``kind`` is 'num', 'id', 'str', 'op' or 'eof'."""

    kind: str
    text: str
    line: int


_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\f\v]+)
  | (?P<nl>\n)
  | (?P<lcomment>//[^\n]*)
  | (?P<bcomment>/\*.*?\*/)
  | (?P<num>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<id>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<str>"[^"\n]*")
  | (?P<op>->|==|!=|<=|>=|\*\*|&&|\|\||[@\[\](){};,+\-*/^=<>:!~&|.])
    """,
    re.VERBOSE | re.DOTALL,
)


def tokenize(text: str) -> list[Token]:
    """Split QASM text into tokens, dropping whitespace and comments.

    Raises:
        QasmError: on a character that cannot start any token.
    """
    tokens: list[Token] = []
    line = 1
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise QasmError(f"unexpected character {text[pos]!r}", line=line)
        kind = m.lastgroup or ""
        chunk = m.group()
        if kind in ("num", "id", "str", "op"):
            tokens.append(Token(kind, chunk, line))
        line += chunk.count("\n")
        pos = m.end()
    tokens.append(Token("eof", "", line))
    return tokens
