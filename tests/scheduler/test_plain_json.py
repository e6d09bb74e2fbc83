"""quantumflow._scheduler.plain_json: the same text as json.dumps for plain data, else None."""

from __future__ import annotations

import json
import math
from enum import IntEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quantumflow._native.json import plain_json
from quantumflow.store import dbapi, serialize


def reference(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


leaves = (
    st.none()
    | st.booleans()
    | st.integers()  # beyond 64 bits too
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()  # control characters, non-ASCII, astral planes
)
plain = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text().filter(lambda k: k != "$qf"), inner, max_size=5)
    ),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(st.lists(plain) | st.dictionaries(st.text().filter(lambda k: k != "$qf"), plain))
def test_plain_data_gives_exactly_json_dumps_text(value: Any) -> None:
    assert plain_json(value) == reference(value)
    assert serialize.dumps(value) == reference(value)
    assert serialize.loads(serialize.dumps(value)) == value


def test_escapes_match_json_dumps() -> None:
    value = {'q"\\': ["\n\r\t\b\f\x00\x1f\x7f", "é", "€", "😀", "\u2028"], "n": -(2**70)}
    assert plain_json(value) == reference(value)
    assert plain_json([1e16, 1e-7, 0.1, -0.0, 2.5e300, 123456789.0]) == reference(
        [1e16, 1e-7, 0.1, -0.0, 2.5e300, 123456789.0]
    )


class Level(IntEnum):
    LOW = 1


class Text(str):
    pass


@pytest.mark.parametrize(
    "value",
    [
        [(1, 2)],  # a tuple: the store tags it
        {"a": {1: "x"}},  # a non-str key
        {"$qf": "tuple"},  # the tag key itself
        [math.nan],
        {"x": math.inf},
        ["\ud800"],  # a lone surrogate
        [Level.LOW],  # subclasses are not plain
        [Text("a")],
        [{"a", "b"}],
        [b"bytes"],
        [complex(1, 2)],
    ],
)
def test_anything_else_is_none(value: Any) -> None:
    assert plain_json(value) is None


def test_deep_nesting_is_left_to_python() -> None:
    deep: list[Any] = []
    for _ in range(300):
        deep = [deep]
    assert plain_json(deep) is None
    assert dbapi.dumps(deep) == reference(deep)  # Python's encoder still writes it


def test_store_writers_keep_their_own_rules_for_what_is_not_plain() -> None:
    # serialize tags what JSON lacks; JSON columns write tuples as lists and NaN as NaN
    assert serialize.loads(serialize.dumps({"t": (1, 2), "f": math.nan}))["t"] == (1, 2)
    assert dbapi.dumps({"t": (1, 2), "f": math.nan}) == '{"t":[1,2],"f":NaN}'
    assert dbapi.dumps({"a": [1, "b", None]}) == '{"a":[1,"b",null]}'
