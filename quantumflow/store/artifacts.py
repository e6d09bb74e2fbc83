"""Output references: small outputs inline, large ones as content-addressed files.

A reference is a string. ``inline:<json>`` holds the encoded output itself;
``sha256:<hex>`` names a file ``<artifacts_dir>/<hex[:2]>/<hex>.json`` whose bytes hash to
``<hex>``. Identical outputs share one file; files are written atomically.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from quantumflow.errors import StoreError

from .serialize import dumps, loads

#: Encoded outputs up to this many bytes are stored inline in the database.
INLINE_LIMIT = 64 * 1024
INLINE = "inline:"
SHA = "sha256:"


class ArtifactStore:
    """Reads and writes output references under one artifacts directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, value: Any) -> str:
        """Store ``value``; returns its reference.

        Raises:
            OutputSerializationError: ``value`` has a part without a JSON form.
            StoreError: the artifact file cannot be written.
        """
        cls = type(value)
        if value is None or (cls is int and -(2**63) <= value < 2**63):  # common: no walk
            return INLINE + ("null" if value is None else str(value))
        text = dumps(value)
        data = text.encode()
        if len(data) <= INLINE_LIMIT:
            return INLINE + text
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if not path.exists():
            self._write(path, data)
        return SHA + digest

    def get(self, ref: str) -> Any:
        """The value behind ``ref``.

        Raises:
            StoreError: the reference is malformed, or its file is missing or corrupt.
        """
        if ref.startswith(INLINE):
            return loads(ref[len(INLINE) :])
        if not ref.startswith(SHA):
            raise StoreError(f"not an output reference: {ref[:40]!r}")
        digest = ref[len(SHA) :]
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise StoreError(f"not an output reference: {ref[:80]!r}")
        path = self._path(digest)
        try:
            data = path.read_bytes()
        except FileNotFoundError as err:
            raise StoreError(f"output artifact {path} is missing") from err
        if hashlib.sha256(data).hexdigest() != digest:
            raise StoreError(f"output artifact {path} is corrupt (hash mismatch)")
        return loads(data)

    def delete(self, refs: list[str]) -> int:
        """Remove the files behind ``sha256:`` references (the caller made sure nothing
        else uses them); returns how many were removed. Inline references have none."""
        removed = 0
        for ref in refs:
            digest = ref[len(SHA) :] if ref.startswith(SHA) else ""
            if len(digest) == 64 and all(c in "0123456789abcdef" for c in digest):
                try:
                    self._path(digest).unlink()
                    removed += 1
                except FileNotFoundError:
                    pass
        return removed

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / f"{digest}.json"

    def _write(self, path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as err:
            raise StoreError(f"cannot write output artifact {path}: {err}") from err
