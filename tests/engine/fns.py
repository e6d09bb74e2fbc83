"""Task functions used by the engine tests (importable by worker processes too)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any


def one() -> int:
    return 1


def add(a: float, b: float) -> float:
    return a + b


def inc(x: float = 0) -> float:
    return x + 1


def total(**inputs: float) -> float:
    return sum(inputs.values()) + 1


def pair(a: int) -> dict[str, int]:
    return {"lo": a, "hi": a * 10}


def fail(**_: Any) -> None:
    raise ValueError("this task always fails")


def mark(path: str, name: str, sleep_s: float = 0.0, **_: Any) -> str:
    """Append ``name`` to the file at ``path`` (one line per execution), then sleep."""
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(name + "\n")
    time.sleep(sleep_s)
    return name


def flaky(path: str, fails: int) -> int:
    """Fail the first ``fails`` calls (counted in a file), then return the call count."""
    p = Path(path)
    count = int(p.read_text()) if p.exists() else 0
    p.write_text(str(count + 1))
    if count < fails:
        raise RuntimeError(f"flaky failure {count + 1}")
    return count + 1


def sleep(s: float, **_: Any) -> float:
    time.sleep(s)
    return s


def pid(**_: Any) -> int:
    return os.getpid()


def unstorable() -> object:
    return object()


def slow_first(path: str, s: float) -> int:
    """Sleep ``s`` on the first call only (counted in a file); return the call number."""
    p = Path(path)
    count = int(p.read_text()) + 1 if p.exists() else 1
    p.write_text(str(count))
    if count == 1:
        time.sleep(s)
    return count


def positional(a: int, /, b: int = 0) -> int:
    return a + b


def explode(path: str) -> None:
    """Writes ``path``: proof that something called it."""
    Path(path).write_text("called", encoding="utf-8")


def keyed(api_key: str, x: float = 0) -> float:
    """Uses a credential without returning it: its length plus ``x``."""
    if not isinstance(api_key, str):
        raise TypeError(f"api_key must be a str, got {type(api_key).__name__}")
    return len(api_key) + x


def leaky(api_key: str) -> None:
    """An error that quotes the credential it got (the task's error must not keep it)."""
    raise ValueError(f"the service refused the key {api_key} and {api_key!r}")


def big(i: int) -> str:
    """A 30 KB output (stored inline in the database: fills a small store quickly)."""
    return f"{i}:" + "x" * 30_000
