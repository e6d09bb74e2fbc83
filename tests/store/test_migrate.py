"""Alembic migrations: the migrated schema is the tables' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from quantumflow.errors import StoreError
from quantumflow.store import aggregates, open_store
from quantumflow.store.db import make_engine
from quantumflow.store.migrate import HEAD, MIGRATIONS_DIR, current_revision
from quantumflow.store.tables import metadata


def test_head_constant_matches_the_migration_scripts() -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(cfg).get_heads() == [HEAD]


def test_migrated_schema_matches_tables(store_url: str, tmp_path: Path) -> None:
    open_store(store_url, artifacts_dir=tmp_path).close()
    engine = make_engine(store_url)
    with engine.connect() as conn:
        assert current_revision(conn) == HEAD
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, metadata)
    engine.dispose()
    assert diff == []


def test_sqlite_pragmas(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'deep' / 'dir' / 'q.db'}"  # parents are created
    with open_store(url, artifacts_dir=tmp_path) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000


def test_default_url_and_quantumflow_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store() as store:  # QUANTUMFLOW_HOME is a temp dir (tests/conftest.py)
        assert store.url.endswith("qf-home/quantumflow.db")
    assert (tmp_path / "qf-home" / "quantumflow.db").exists()
    monkeypatch.setenv("QUANTUMFLOW_DB", str(tmp_path / "elsewhere.db"))
    with open_store() as store:
        assert store.url == f"sqlite:///{tmp_path / 'elsewhere.db'}"
    with open_store(str(tmp_path / "explicit.db")) as store:  # a bare path works too
        assert store.url.endswith("explicit.db")


def test_reopen_skips_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'q.db'}"
    open_store(url, artifacts_dir=tmp_path).close()
    code = (
        "import sys; from quantumflow.store import open_store; "
        f"open_store({url!r}, artifacts_dir={str(tmp_path)!r}).close(); "
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_reopen_and_run_never_import_sqlalchemy(tmp_path: Path) -> None:
    """A SQLite store that is up to date runs a workflow on plain sqlite3 (store/dbapi.py)."""
    url = f"sqlite:///{tmp_path / 'q.db'}"
    open_store(url, artifacts_dir=tmp_path).close()
    code = (
        "import sys, quantumflow; "
        "spec = {'name': 's', 'tasks': [{'id': 'a', 'kind': 'classical', 'fn': 'json:dumps', "
        "'inputs': {'obj': 4}}]}; "
        f"run = quantumflow.run(spec, db={url!r}); "
        "print(run.status, run.outputs['a'], 'sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["succeeded", "4", "False"]


def test_a_0001_database_is_upgraded(tmp_path: Path) -> None:
    from alembic.command import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = make_engine(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        upgrade(cfg, "0001")
    engine.dispose()
    with open_store(url, artifacts_dir=tmp_path) as store:
        rid = store.create_run(spec={"name": "old"}, task_ids=["a"])
        with store.engine.connect() as conn:
            assert current_revision(conn) == HEAD
            names = {i["name"] for i in sa.inspect(conn).get_indexes("performance_metrics")}
    assert "ix_performance_metrics_run_id" not in names
    assert "ix_performance_metrics_task_id" not in names
    assert store.url.endswith("old.db") and rid


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'q.db'}"
    open_store(url, artifacts_dir=tmp_path).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    code = f"from quantumflow.store import open_store; open_store({url!r})"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode != 0 and "revision 9999, newer than this" in out.stderr


def test_bad_urls_are_store_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="driver missing"):
        open_store("mysql+nosuchdriver://u@h/db")
    with pytest.raises(StoreError, match="not a database URL"):
        open_store("://nonsense")


def test_two_processes_create_the_same_fresh_database(store_url: str, tmp_path: Path) -> None:
    code = (
        "import sys; from quantumflow.store import open_store; "
        "s = open_store(sys.argv[1], artifacts_dir=sys.argv[2]); "
        "s.create_run(spec={'name': 'x'}, task_ids=['a']); s.close()"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, store_url, str(tmp_path)]) for _ in range(3)
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0]
    with open_store(store_url, artifacts_dir=tmp_path) as store:
        assert len(store.list_runs()) == 3


def test_reopening_a_deleted_database_recreates_it(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    with open_store(str(db), artifacts_dir=tmp_path) as store:
        store.create_run(spec={"name": "x"}, task_ids=[])
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with open_store(str(db), artifacts_dir=tmp_path) as store:
        assert store.list_runs() == []
        store.create_run(spec={"name": "x"}, task_ids=[])


def test_0006_fills_the_budget_of_existing_runs(tmp_path: Path) -> None:
    from alembic.command import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = make_engine(url)
    insert = sa.text(
        "INSERT INTO runs (id, name, status, spec, params, created_at)"
        " VALUES (:id, 'r', 'succeeded', :spec, '{}', 0)"
    )
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        upgrade(cfg, "0005")
        conn.execute(insert, {"id": "with", "spec": '{"policies": {"budget": {"usd": 2.5}}}'})
        conn.execute(insert, {"id": "text", "spec": '{"policies": {"budget": {"usd": "0.5"}}}'})
        conn.execute(insert, {"id": "none", "spec": '{"policies": {}}'})
    engine.dispose()
    with open_store(url, artifacts_dir=tmp_path) as store:
        budgets = {r: aggregates.run_budget(store.engine, r) for r in ("with", "text", "none")}
    assert budgets == {"with": 2.5, "text": 0.5, "none": None}
