"""The in-process memo of the results-cache hit path: fast, bounded, never shares state."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from quantumflow.store import open_store
from quantumflow.store.memo import Memo, copier
from quantumflow.store.serialize import dumps, loads


def test_hits_are_fresh_copies(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'm.db'}") as store:
        out = {"counts": {"00": 5, "11": 7}, "metadata": {"gates": {"h": 1}, "t": [1, [2]]}}
        ref = store.put_output(out)
        store.cache_store("k", ref)
        assert store.cache_lookup("k") == ref
        first = store.get_output(ref)
        assert first == out
        first["counts"]["00"] = 999
        first["metadata"]["gates"]["h"] = 0
        first["metadata"]["t"][1].append(3)
        second = store.get_output(store.cache_lookup("k") or "")
        assert second == out and second is not first


def test_the_store_stays_the_source_of_truth(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    with open_store(url) as reader, open_store(url) as writer:
        assert reader.cache_lookup("k") is None  # a miss is not remembered
        writer.cache_store("k", writer.put_output([1, 2]))
        ref = reader.cache_lookup("k")
        assert ref is not None and reader.get_output(ref) == [1, 2]


def test_tagged_values_still_decode_and_plain_json_takes_the_fast_path() -> None:
    value = {"a": np.arange(3), "b": complex(1, 2), "c": (1, 2), "d": "$qf in a string"}
    back = loads(dumps(value))
    assert np.array_equal(back["a"], value["a"]) and back["b"] == value["b"]
    assert back["c"] == (1, 2) and back["d"] == value["d"]
    assert loads(b'{"x": [1, 2]}') == {"x": [1, 2]}


def test_copier_copies_mutable_parts_only() -> None:
    arr = np.zeros(2)
    value = {"x": [1, {"y": arr}], "s": "text"}
    made = copier(value)()
    made["x"][1]["y"][0] = 5
    assert arr[0] == 0 and made["s"] is value["s"]


def test_memo_is_bounded() -> None:
    memo = Memo(max_refs=2, max_values=2, max_value_bytes=1 << 20)
    for i in range(3):
        memo.put_ref(f"k{i}", f"r{i}")
        memo.put_value(f"inline:{i}", i)
    assert memo.ref("k0") is None and memo.ref("k2") == "r2"
    assert memo.value("inline:0") is None and memo.value("inline:2") is not None
