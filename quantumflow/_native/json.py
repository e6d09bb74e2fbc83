"""``plain_json``: JSON text of plain data, written in Rust (byte-identical to ``json.dumps``
with compact separators; ``None`` for anything that is not plain). The store writes specs,
plans and outputs with it."""

from __future__ import annotations

from ._core import plain_json

__all__ = ["plain_json"]
