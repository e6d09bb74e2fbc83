"""One open store per database and process: what the engine, the estimator and the API share.

``shared_store(db)`` takes what users pass as ``db=``: a :class:`~quantumflow.store.Store`
(returned as is), a URL or path, or None for the default (``QUANTUMFLOW_DB``, else the
SQLite file under the Jupyter data dir). Each URL is opened (and migrated) once per process.
"""

from __future__ import annotations

import threading
from pathlib import Path

from .dbapi import resolve_url
from .store import Store, open_store

#: What ``db=`` takes everywhere: an open store, a URL or path, or None for the default.
DbLike = Store | str | Path | None

_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def shared_store(db: DbLike = None) -> Store:
    """The store for ``db``: a Store object, a URL/path, or None for the default.

    Stores are opened once per URL and process (migrations run once).
    """
    if db is not None and not isinstance(db, str | Path):
        return db
    # Key by the resolved URL: QUANTUMFLOW_DB/HOME may change within a process (tests,
    # notebooks), and the default must follow them.
    key = resolve_url(str(db) if db is not None else None)
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = open_store(key)
        return store
