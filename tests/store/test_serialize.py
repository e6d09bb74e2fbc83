"""Tagged JSON for task outputs: everything documented round-trips, nothing else is stored."""

from __future__ import annotations

import json
import math
import threading

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from quantumflow.store.serialize import OutputSerializationError, dumps, encode, loads

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_plain_json_is_unchanged(value: object) -> None:
    assert encode(value) == value
    assert loads(dumps(value)) == value


@pytest.mark.parametrize(
    "value",
    [
        (1, "a", (2.5, None)),
        {1: "one", (2, 3): [4j]},
        {"$qf": "not a tag"},
        b"\x00\xffbytes",
        {1, 2, 3},
        complex(1.5, -2),
        [float("inf"), float("-inf")],
    ],
)
def test_tagged_values_roundtrip(value: object) -> None:
    back = loads(dumps(value))
    assert back == value and type(back) is type(value)


def test_nan_roundtrips_and_text_is_strict_json() -> None:
    text = dumps({"x": float("nan")})
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))
    assert math.isnan(loads(text)["x"])


@pytest.mark.parametrize(
    "array",
    [
        np.arange(12, dtype=np.int64).reshape(3, 4),
        np.linspace(0, 1, 7, dtype=np.float32),
        np.array([1 + 2j, 3 - 4j], dtype=np.complex128),
        np.array([True, False]),
        np.arange(6, dtype=">i4"),  # big-endian in, little-endian stored
        np.asfortranarray(np.arange(6.0).reshape(2, 3)),
        np.zeros((0, 3)),
    ],
)
def test_numpy_arrays_roundtrip(array: np.ndarray) -> None:
    back = loads(dumps({"a": array}))["a"]
    assert isinstance(back, np.ndarray)
    assert back.shape == array.shape and back.dtype.kind == array.dtype.kind
    np.testing.assert_array_equal(back, array)
    back[...] = 0  # a writable copy, not a view of the decoded bytes


@pytest.mark.parametrize(
    "scalar", [np.float64(0.25), np.int32(-7), np.complex64(1j), np.bool_(True)]
)
def test_numpy_scalars_keep_their_dtype(scalar: np.generic) -> None:
    back = loads(dumps(scalar))
    assert back == scalar and type(back) is type(scalar)


@pytest.mark.parametrize(
    ("value", "type_name", "path"),
    [
        (threading.Lock(), "_thread.lock", "output"),
        ({"model": {"w": [1, object()]}}, "builtins.object", "output['model']['w'][1]"),
        (np.array([object()]), "numpy.ndarray of dtype object", "output"),
    ],
)
def test_unserializable_outputs_name_the_type_and_place(
    value: object, type_name: str, path: str
) -> None:
    with pytest.raises(OutputSerializationError) as info:
        dumps(value)
    assert info.value.type_name == type_name and info.value.path == path
    assert type_name in str(info.value) and path in str(info.value)
