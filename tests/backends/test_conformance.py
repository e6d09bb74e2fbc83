"""Runs the shared backend conformance suite (tests/backends/conformance.py)."""

from .conformance import *  # noqa: F403
