"""Shared fixtures: every test gets its own real SQLite store and QuantumFlow home."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.pg"]  # pg_server / pg_url: a real PostgreSQL (see tests/pg.py)


def pytest_configure(config: pytest.Config) -> None:
    """Code that runs while tests are collected (example notebooks' cells executed at import)
    gets a scratch home too: never the developer's own store."""
    os.environ["QUANTUMFLOW_HOME"] = tempfile.mkdtemp(prefix="qf-test-home-")
    os.environ.pop("QUANTUMFLOW_DB", None)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """``@pytest.mark.torch`` tests need torch: skipped without it on a developer's
    machine, FAILED in CI (``CI`` set), where ``make install`` installs the torch extra."""
    if item.get_closest_marker("torch") and importlib.util.find_spec("torch") is None:
        if os.environ.get("CI"):
            pytest.fail("torch is not installed but CI is set: CI must run the torch tests")
        pytest.skip("needs torch: pip install 'quantumflow[torch]'")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "qf-home"
    monkeypatch.setenv("QUANTUMFLOW_HOME", str(home))
    monkeypatch.delenv("QUANTUMFLOW_DB", raising=False)
    monkeypatch.delenv("QUANTUMFLOW_TOKEN", raising=False)
    yield home


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh SQLite database file for one test."""
    return f"sqlite:///{tmp_path / 'test.db'}"
