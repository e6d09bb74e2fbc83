"""The store's hot path on plain DB-API connections: what a run writes, without SQLAlchemy.

A run writes few statement shapes (the run row, task rows, state changes, metrics), many
times. Going through SQLAlchemy costs its import (~130-180 ms at startup) and a few
microseconds per statement, so those statements are plain SQL over DB-API connections:

- :class:`SqliteDb` opens ``sqlite3`` connections itself (WAL, busy timeout, foreign
  keys, ``BEGIN IMMEDIATE`` for writes) and never imports SQLAlchemy.
- :class:`EngineDb` borrows DB-API connections from a SQLAlchemy engine's pool (PostgreSQL
  and any other URL), with the same SQL rewritten to the driver's parameter style.

The SQL is written once, with ``?`` placeholders and syntax both SQLite and PostgreSQL
accept (``INSERT ... ON CONFLICT``, ``COALESCE``); every value is a bound parameter. The
rest of the store (reads for the API, migrations) uses SQLAlchemy Core (``queries.py``).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from quantumflow._native.json import plain_json
from quantumflow.config import load_settings
from quantumflow.errors import StoreError

log = logging.getLogger(__name__)

#: How long a SQLite writer waits for another process's write lock (milliseconds).
BUSY_TIMEOUT_MS = 30_000
#: Idle SQLite connections kept per store (the writer thread, the run's thread, readers).
POOL_SIZE = 8


def resolve_url(url: str | None) -> str:
    """The database URL to open: ``url`` (a URL or a file path) or ``Settings.db_url``."""
    if url is None:
        return load_settings().db_url
    if "://" in url:
        return url
    return f"sqlite:///{Path(url).expanduser().resolve()}"


def _json_default(value: Any) -> Any:
    # Metrics and metadata may carry numpy scalars/arrays; store them as plain numbers.
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()
    return str(value)


#: Built once: ``json.dumps`` with options builds a new encoder on every call.
_encoder = json.JSONEncoder(default=_json_default, separators=(",", ":"))


def dumps(value: Any) -> str:
    """Compact JSON text as stored in JSON columns (numpy values become plain numbers)."""
    if type(value) is dict or type(value) is list:
        text = plain_json(value)  # plain data, written in Rust: the same text, ~5x faster
        if text is not None:
            return text
    return _encoder.encode(value)


def loads_json(value: Any) -> Any:
    """A JSON column's value as read through DB-API: text on SQLite, decoded on PostgreSQL."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def sqlite_path(url: str) -> str | None:
    """The file behind a plain ``sqlite:///PATH`` URL; None for anything else (memory
    databases, URI filenames, query options), which :class:`EngineDb` handles."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            path = url[len(prefix) :]
            if path and path != ":memory:" and "?" not in path and not path.startswith("file:"):
                return path
    return None


def make_parent_dir(path: str) -> None:
    """Create the directories a SQLite file will live in.

    Raises:
        StoreError: they cannot be created.
    """
    try:
        Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"cannot create the directory for {path}: {err}") from err


def configure_sqlite(conn: sqlite3.Connection) -> None:
    """Every SQLite connection the store opens (here or through SQLAlchemy): no implicit
    BEGIN (we emit ``BEGIN``/``BEGIN IMMEDIATE`` ourselves), WAL, the busy timeout, foreign
    keys on."""
    conn.isolation_level = None
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    limit = load_settings().store_max_bytes
    if limit is not None:  # QUANTUMFLOW_STORE_MAX_MB: past it, writes fail as on a full disk
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {max(1, limit // int(page))}")


def open_sqlite(path: str) -> tuple[sqlite3.Connection, bool]:
    """A configured connection to the SQLite file ``path``, and whether it is read-only.

    A file that cannot be opened for writing (a read-only file, directory or mount) is
    opened read-only instead, so that it can still be read: ``mode=ro``, or where WAL
    files cannot be made next to it, ``immutable=1`` (nothing can write there either).

    Raises:
        sqlite3.Error: it cannot be opened at all.
    """
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        configure_sqlite(conn)
        return conn, False
    except sqlite3.OperationalError as err:
        if not Path(path).is_file():
            raise
        first = err
    for option in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(
                f"file:{quote(path)}?{option}", uri=True, check_same_thread=False
            )
            conn.isolation_level = None
            conn.execute("PRAGMA query_only = ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error:
            continue
        return conn, True
    raise first


def read_only_error(path: str) -> StoreError:
    """What a write to a store opened read-only says."""
    return StoreError(
        f"the store {path} is read-only (its file or directory cannot be written): it can "
        "be read, but nothing can be recorded in it; use a writable copy or location"
    )


class Tx:
    """One transaction: run SQL written with ``?`` placeholders."""

    __slots__ = ("_cur", "_pyformat", "dialect", "integrity")

    def __init__(
        self,
        cursor: Any,
        pyformat: bool,
        integrity: tuple[type[BaseException], ...],
        dialect: str,
    ) -> None:
        self._cur = cursor
        self._pyformat = pyformat
        #: The driver's exception for a violated constraint.
        self.integrity = integrity
        #: ``sqlite``, ``postgresql``, ...
        self.dialect = dialect

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self._pyformat else sql

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Execute one statement; returns the number of rows it changed."""
        self._cur.execute(self._sql(sql), params)
        return int(self._cur.rowcount)

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Execute one statement per row of parameters."""
        if rows:
            self._cur.executemany(self._sql(sql), rows)

    def insert(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Execute ``sql``, one ``INSERT ... VALUES (?, ...)`` (maybe with ``ON CONFLICT``),
        for every row: on SQLite as multi-row INSERTs of :data:`INSERT_CHUNK` rows, which
        cost a third of one step per row through ``executemany``."""
        full = len(rows) - len(rows) % INSERT_CHUNK if self.dialect == "sqlite" else 0
        if full:
            multi = _multi_row(sql)
            execute = self._cur.execute
            for start in range(0, full, INSERT_CHUNK):
                execute(multi, [v for row in rows[start : start + INSERT_CHUNK] for v in row])
        self.many(sql, rows[full:])

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row a query returns."""
        self._cur.execute(self._sql(sql), params)
        return [tuple(r) for r in self._cur.fetchall()]

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None when there is none."""
        self._cur.execute(self._sql(sql), params)
        row = self._cur.fetchone()
        return None if row is None else row[0]


#: Rows per multi-row INSERT (27 columns at most: 864 parameters, under SQLite's old
#: default limit of 999).
INSERT_CHUNK = 32
_multi_sql: dict[str, str] = {}


def _multi_row(sql: str) -> str:
    """``sql`` (``INSERT ... VALUES (?, ...) [ON CONFLICT ...]``) for INSERT_CHUNK rows."""
    multi = _multi_sql.get(sql)
    if multi is None:
        head, _, rest = sql.partition(" VALUES ")
        group, close, tail = rest.partition(")")
        multi = f"{head} VALUES {', '.join([group + close] * INSERT_CHUNK)}{tail}"
        _multi_sql[sql] = multi
    return multi


class Db:
    """Hands out transactions on one database. Thread-safe."""

    #: ``"sqlite"``, ``"postgresql"``, ...
    dialect: str
    #: The DB-API exceptions that mean "busy or connection lost: try again".
    retryable: tuple[type[BaseException], ...]
    #: The DB-API exception for a violated constraint.
    integrity: tuple[type[BaseException], ...]

    @property
    def url(self) -> str:
        """The URL, password hidden."""
        raise NotImplementedError

    def transient(self, err: BaseException) -> bool:
        """Whether ``err`` may go away if the same write is tried again (the database is
        locked, the connection dropped), rather than a full disk, a read-only or corrupt
        database or a refused value, which a retry only delays."""
        return isinstance(err, self.retryable)

    def write(self) -> Any:
        """A context manager yielding a :class:`Tx` that commits on success."""
        raise NotImplementedError

    def read(self) -> Any:
        """A context manager yielding a :class:`Tx` for reads (rolled back at the end)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the connections."""
        raise NotImplementedError


#: SQLITE_BUSY and SQLITE_LOCKED (primary result codes): another connection holds a lock.
_SQLITE_BUSY = (5, 6)


class SqliteDb(Db):
    """A SQLite file through the ``sqlite3`` module, with a small connection pool."""

    dialect = "sqlite"
    retryable = (sqlite3.OperationalError,)
    integrity = (sqlite3.IntegrityError,)

    def __init__(self, path: str) -> None:
        self.path = path
        make_parent_dir(path)
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._pid = os.getpid()
        #: True once the file had to be opened read-only (``open_sqlite``).
        self.read_only = False

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def transient(self, err: BaseException) -> bool:
        if not isinstance(err, sqlite3.OperationalError):
            return False
        code = getattr(err, "sqlite_errorcode", None)  # Python 3.11+
        if code is not None:
            return code & 0xFF in _SQLITE_BUSY
        text = str(err).lower()
        return "locked" in text or "busy" in text

    def _connect(self) -> sqlite3.Connection:
        try:
            conn, read_only = open_sqlite(self.path)
        except sqlite3.Error as err:
            raise StoreError(f"cannot open the SQLite database {self.path}: {err}") from err
        if read_only and not self.read_only:
            log.warning("the store %s is read-only: it is opened for reading only", self.path)
        self.read_only = self.read_only or read_only
        return conn

    def _take(self) -> sqlite3.Connection:
        with self._lock:
            if self._pid != os.getpid():  # forked: the parent's connections are not ours
                self._idle, self._pid = [], os.getpid()
            if self._idle:
                return self._idle.pop()
        return self._connect()

    def _give(self, conn: sqlite3.Connection) -> None:
        with self._lock:
            if len(self._idle) < POOL_SIZE and self._pid == os.getpid():
                self._idle.append(conn)
                return
        conn.close()

    @contextmanager
    def _tx(self, begin: str, commit: bool) -> Iterator[Tx]:
        conn = self._take()
        try:
            conn.execute(begin)
            try:
                yield Tx(conn.cursor(), False, self.integrity, self.dialect)
            except BaseException:
                if conn.in_transaction:  # SQLite rolls back itself on a full disk, I/O error
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT" if commit else "ROLLBACK")
        except sqlite3.Error:
            if conn.in_transaction:  # a failed COMMIT leaves it open
                conn.execute("ROLLBACK")
            raise
        finally:
            self._give(conn)

    def write(self) -> Any:
        if self.read_only:
            raise read_only_error(self.path)
        return self._tx("BEGIN IMMEDIATE", True)

    def read(self) -> Any:
        return self._tx("BEGIN", False)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


class EngineDb(Db):
    """DB-API connections borrowed from a SQLAlchemy engine's pool."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        dbapi = engine.dialect.dbapi
        self.retryable = (dbapi.OperationalError, dbapi.InterfaceError)
        self.integrity = (dbapi.IntegrityError,)
        self._pyformat = dbapi.paramstyle in ("format", "pyformat")

    @property
    def url(self) -> str:
        return str(self.engine.url.render_as_string(hide_password=True))

    def transient(self, err: BaseException) -> bool:
        if not isinstance(err, self.retryable):
            return False
        # PostgreSQL: class 53 is "insufficient resources" (disk full, out of memory)
        state = str(getattr(err, "sqlstate", None) or getattr(err, "pgcode", None) or "")
        return not state.startswith("53")

    @contextmanager
    def _tx(self, commit: bool) -> Iterator[Tx]:
        conn = self.engine.raw_connection()
        try:
            cur = conn.cursor()
            if self.dialect == "sqlite":  # the engine's connections do not BEGIN (db.py)
                cur.execute("BEGIN IMMEDIATE" if commit else "BEGIN")
            try:
                yield Tx(cur, self._pyformat, self.integrity, self.dialect)
            except BaseException:
                conn.rollback()
                raise
            if commit:
                conn.commit()
            else:
                conn.rollback()
        finally:
            conn.close()  # back to the pool

    def write(self) -> Any:
        return self._tx(True)

    def read(self) -> Any:
        return self._tx(False)

    def close(self) -> None:
        self.engine.dispose()
