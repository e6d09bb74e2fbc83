"""Task outputs as JSON, with a small tagged encoding for what JSON lacks. Never pickle.

Plain JSON values pass through unchanged. Everything else becomes an object with a
``"$qf"`` tag:

==============  ===========================================================
``ndarray``      numpy array: ``dtype``, ``shape``, raw little-endian bytes in ``b64``
``npscalar``     numpy scalar: ``dtype`` and the Python value in ``v``
``tensor``       torch tensor (moved to CPU, detached): torch ``dtype`` name, ``shape``,
                 raw little-endian bytes in ``b64``; read back as a torch tensor, or as a
                 numpy array where torch is not installed
``complex``      ``re``, ``im``
``float``        ``v`` is ``"nan"``, ``"inf"`` or ``"-inf"``
``bytes``        ``b64``
``tuple``        ``items``
``set``          ``items`` (a frozenset comes back as a set)
``dict``         ``items`` as ``[key, value]`` pairs, for non-string keys or a ``"$qf"`` key
==============  ===========================================================
"""

from __future__ import annotations

import base64
import json
import math
import sys
from typing import Any

from quantumflow._native.json import plain_json
from quantumflow.errors import StoreError

TAG = "$qf"


class OutputSerializationError(StoreError):
    """A task output cannot be stored: its type has no JSON form.

    Attributes:
        type_name: the offending value's type, ``module.qualname``.
        path: where in the output it sits, e.g. ``output['weights'][3]``.
    """

    def __init__(self, type_name: str, path: str) -> None:
        self.type_name = type_name
        self.path = path
        super().__init__(
            f"cannot store {path} of type {type_name}: outputs must be JSON-like values, "
            "numpy arrays/scalars, complex, bytes, tuples or sets; convert it first "
            "(e.g. return a dict or an array)"
        )


def _type_name(value: Any) -> str:
    cls = type(value)
    return f"{cls.__module__}.{cls.__qualname__}"


def encode(value: Any, path: str = "output") -> Any:  # noqa: PLR0911, PLR0912 - one branch per type
    """Turn ``value`` into plain JSON data (see the module docstring for the tags).

    Raises:
        OutputSerializationError: some part of ``value`` has no JSON form.
    """
    cls = type(value)
    if value is None or cls is str or cls is int or cls is bool:
        return value
    if cls is float:
        return value if math.isfinite(value) else {TAG: "float", "v": repr(value)}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and TAG not in value:
            return {k: encode(v, f"{path}[{k!r}]") for k, v in value.items()}
        return {
            TAG: "dict",
            "items": [
                [encode(k, f"{path} key {k!r}"), encode(v, f"{path}[{k!r}]")]
                for k, v in value.items()
            ],
        }
    if isinstance(value, list):
        return [encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, tuple):
        return {TAG: "tuple", "items": [encode(v, f"{path}[{i}]") for i, v in enumerate(value)]}
    # numpy before the builtins: np.float64 and np.complex128 subclass float and complex.
    if "numpy" in sys.modules:  # a numpy value can only exist once numpy is imported
        encoded = _encode_numpy(value, path)
        if encoded is not None:
            return encoded
    if "torch" in sys.modules:  # likewise a tensor
        encoded = _encode_tensor(value)
        if encoded is not None:
            return encoded
    if isinstance(value, (bool, str, int)):  # subclasses such as IntEnum
        return bool(value) if isinstance(value, bool) else value
    if isinstance(value, float):
        return encode(float(value), path)
    if isinstance(value, complex):
        return {TAG: "complex", "re": encode(value.real), "im": encode(value.imag)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {TAG: "bytes", "b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (set, frozenset)):
        items = [encode(v, f"{path} item") for v in value]
        return {TAG: "set", "items": sorted(items, key=lambda x: json.dumps(x, sort_keys=True))}
    raise OutputSerializationError(_type_name(value), path)


def _encode_numpy(value: Any, path: str) -> Any:
    import numpy as np

    if isinstance(value, np.ndarray):
        if value.dtype.hasobject or value.dtype.fields is not None:
            raise OutputSerializationError(f"numpy.ndarray of dtype {value.dtype}", path)
        dtype = value.dtype.newbyteorder("<") if value.dtype.byteorder == ">" else value.dtype
        data = np.ascontiguousarray(value, dtype=dtype).tobytes()
        return {
            TAG: "ndarray",
            "dtype": dtype.str,
            "shape": list(value.shape),
            "b64": base64.b64encode(data).decode("ascii"),
        }
    if isinstance(value, np.generic):
        if isinstance(value, (np.void, np.object_)):
            raise OutputSerializationError(_type_name(value), path)
        return {TAG: "npscalar", "dtype": value.dtype.str, "v": encode(value.item(), path)}
    return None


def _encode_tensor(value: Any) -> Any:
    import torch

    if not isinstance(value, torch.Tensor):
        return None
    flat = value.detach().to("cpu").contiguous()
    raw = flat.reshape(-1).view(torch.uint8).numpy().tobytes() if flat.numel() else b""
    return {
        TAG: "tensor",
        "dtype": str(flat.dtype).removeprefix("torch."),
        "shape": list(flat.shape),
        "b64": base64.b64encode(raw).decode("ascii"),
    }


def _decode_tensor(data: dict[str, Any]) -> Any:
    raw = bytearray(base64.b64decode(data["b64"]))
    shape = data["shape"]
    try:
        import torch
    except ModuleNotFoundError:  # no torch here: the same numbers as a numpy array
        import numpy as np

        return np.frombuffer(bytes(raw), dtype=np.dtype(data["dtype"])).reshape(shape).copy()
    dtype = getattr(torch, data["dtype"], None)
    if not isinstance(dtype, torch.dtype):
        raise StoreError(f"stored tensor has an unknown dtype {data['dtype']!r}")
    if not raw:
        return torch.empty(shape, dtype=dtype)
    return torch.frombuffer(raw, dtype=dtype).reshape(shape).clone()


def decode(data: Any) -> Any:  # noqa: PLR0911 - one branch per tag
    """Inverse of :func:`encode`."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    tag = data.get(TAG)
    if tag is None:
        return {k: decode(v) for k, v in data.items()}
    if tag == "float":
        return float(data["v"])
    if tag == "dict":
        return {_hashable(decode(k)): decode(v) for k, v in data["items"]}
    if tag == "tuple":
        return tuple(decode(v) for v in data["items"])
    if tag == "set":
        return {_hashable(decode(v)) for v in data["items"]}
    if tag == "complex":
        return complex(decode(data["re"]), decode(data["im"]))
    if tag == "bytes":
        return base64.b64decode(data["b64"])
    if tag in ("ndarray", "npscalar"):
        import numpy as np

        dtype = np.dtype(data["dtype"])
        if tag == "npscalar":
            return dtype.type(decode(data["v"]))
        raw = base64.b64decode(data["b64"])
        return np.frombuffer(raw, dtype=dtype).reshape(data["shape"]).copy()
    if tag == "tensor":
        return _decode_tensor(data)
    raise StoreError(f"stored output has an unknown tag {tag!r}; written by a newer QuantumFlow?")


def _hashable(value: Any) -> Any:
    # A list key can only come from a tuple key whose items were lists; keep it hashable.
    return tuple(_hashable(v) for v in value) if isinstance(value, list) else value


def dumps(value: Any) -> str:
    """``encode`` then compact JSON text."""
    if type(value) is dict or type(value) is list:
        text = plain_json(value)  # plain data, written in Rust: the same text, ~20x faster
        if text is not None:
            return text
    return json.dumps(encode(value), separators=(",", ":"), allow_nan=False)


def loads(text: str | bytes) -> Any:
    """Inverse of :func:`dumps`."""
    if (TAG not in text) if isinstance(text, str) else (_TAG_BYTES not in text):
        return json.loads(text)  # plain JSON (no tagged value inside): nothing to decode
    return decode(json.loads(text))


_TAG_BYTES = TAG.encode()
