"""Store tests run against a real SQLite file and, marked ``postgres``, a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quantumflow.store import Store, open_store


@pytest.fixture(
    params=["sqlite", "sqlite-thread", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A fresh, empty database URL: a SQLite file (its events committed by the writer
    process, or with ``sqlite-thread`` by a writer thread), or a new PostgreSQL database."""
    if request.param.startswith("sqlite"):
        writer = "thread" if request.param == "sqlite-thread" else "process"
        monkeypatch.setenv("QUANTUMFLOW_STORE_WRITER", writer)
        return f"sqlite:///{tmp_path / 'store.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(store_url: str, tmp_path: Path) -> Iterator[Store]:
    """An open store on ``store_url`` with its own artifacts directory."""
    s = open_store(store_url, artifacts_dir=tmp_path / "artifacts")
    yield s
    s.close()
