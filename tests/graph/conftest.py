"""Graph test helpers: the engine tests' spec builders and store fixture."""

from __future__ import annotations

from tests.engine.conftest import ctask, store, wf

__all__ = ["ctask", "store", "wf"]
