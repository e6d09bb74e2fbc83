"""The QuantumFlow REST API (FastAPI): ``create_app()`` builds it, ``serve()`` runs it."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
