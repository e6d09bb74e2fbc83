"""The store's hand-written SQL (the lean run path does not import SQLAlchemy) is checked
against the schema that tables.py defines and the migrations create.

Each statement is compiled by SQLite (``EXPLAIN``) on a freshly migrated database, so a
misspelt or dropped table or column fails here, not in a user's run.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from types import ModuleType

import pytest

from quantumflow.cost import history
from quantumflow.store import events_sql, run_sql, tables
from quantumflow.store.store import open_store

_SQL = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _statements(module: ModuleType) -> dict[str, str]:
    return {
        f"{module.__name__}.{name}": value
        for name, value in vars(module).items()
        if isinstance(value, str) and _SQL.match(value)
    }


def _hand_sql() -> dict[str, str]:
    found: dict[str, str] = {}
    for module in (run_sql, events_sql, history):
        found |= _statements(module)
    every = (*events_sql._FIXED, *events_sql.METRIC_COLUMNS, "extra")
    found["events_sql.metrics_insert(every column)"] = events_sql.metrics_insert(every)
    found["history: recent rows"] = (
        f"SELECT {history._COLUMNS}, extra FROM performance_metrics"
        f" WHERE id > ? AND {history._SUCCEEDED} ORDER BY id DESC LIMIT ?"
    )
    return found


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path: Path = tmp_path_factory.mktemp("hand_sql") / "schema.db"
    open_store(f"sqlite:///{path}", artifacts_dir=path.parent).close()
    return sqlite3.connect(path)


def test_there_is_hand_sql_to_check() -> None:
    assert len(_hand_sql()) >= 15


@pytest.mark.parametrize("name", sorted(_hand_sql()))
def test_statement_compiles_against_the_schema(migrated: sqlite3.Connection, name: str) -> None:
    sql = _hand_sql()[name]
    migrated.execute(f"EXPLAIN {sql}", [None] * sql.count("?"))


def test_metric_columns_are_the_tables_columns() -> None:
    declared = {c.name for c in tables.performance_metrics.columns} - {"id"}
    hand = {*events_sql._FIXED, *events_sql.METRIC_COLUMNS, "extra"}
    assert hand == declared
