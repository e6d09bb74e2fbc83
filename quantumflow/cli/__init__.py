"""The ``quantumflow`` command (layer 5): thin wrappers that build a spec, call the engine and
show the result. :func:`main` is the console script's entry point.
"""

from __future__ import annotations

from .main import build_parser, main

__all__ = ["build_parser", "main"]
