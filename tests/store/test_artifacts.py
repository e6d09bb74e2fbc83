"""Output references: inline below 64 KiB, content-addressed files above, verified on read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from quantumflow.errors import StoreError
from quantumflow.store import Store
from quantumflow.store.artifacts import INLINE_LIMIT, ArtifactStore


def test_small_output_is_inline(tmp_path: Path) -> None:
    arts = ArtifactStore(tmp_path / "a")
    ref = arts.put({"counts": {"00": 500, "11": 524}})
    assert ref.startswith("inline:")
    assert arts.get(ref) == {"counts": {"00": 500, "11": 524}}
    assert not (tmp_path / "a").exists()


def test_large_output_is_one_content_addressed_file(tmp_path: Path) -> None:
    arts = ArtifactStore(tmp_path / "a")
    big = np.random.default_rng(1).random(20_000)  # ~210 KiB of base64
    ref = arts.put(big)
    assert ref.startswith("sha256:") and len(ref) == len("sha256:") + 64
    assert arts.put(big.copy()) == ref  # same content, same file
    files = [p for p in (tmp_path / "a").rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].name == ref[7:] + ".json"
    assert files[0].stat().st_size > INLINE_LIMIT
    np.testing.assert_array_equal(arts.get(ref), big)


def test_corrupt_or_missing_artifact_is_a_clear_error(tmp_path: Path) -> None:
    arts = ArtifactStore(tmp_path / "a")
    ref = arts.put("x" * (INLINE_LIMIT + 1))
    path = next(p for p in (tmp_path / "a").rglob("*.json"))
    path.write_text('"tampered"')
    with pytest.raises(StoreError, match="corrupt"):
        arts.get(ref)
    path.unlink()
    with pytest.raises(StoreError, match="missing"):
        arts.get(ref)
    with pytest.raises(StoreError, match="not an output reference"):
        arts.get("pickle:abc")
    with pytest.raises(StoreError, match="not an output reference"):
        arts.get("sha256:../../etc/passwd")


def test_store_uses_settings_artifacts_dir_by_default(tmp_path: Path) -> None:
    from quantumflow.store import open_store

    qf_home = tmp_path / "qf-home"  # QUANTUMFLOW_HOME, set by tests/conftest.py
    with open_store(f"sqlite:///{tmp_path / 'x.db'}") as store:
        ref = store.put_output(list(range(20_000)))
        assert store.get_output(ref) == list(range(20_000))
    assert list((qf_home / "artifacts").rglob("*.json"))


def test_outputs_work_through_the_store(store: Store) -> None:
    value = {"energy": np.float64(-1.137), "state": np.array([0.5, 0.5j])}
    back = store.get_output(store.put_output(value))
    assert back["energy"] == value["energy"]
    np.testing.assert_array_equal(back["state"], value["state"])
