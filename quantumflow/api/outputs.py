"""A task's full output as plain JSON for ``GET /api/runs/{run_id}/tasks/{task_id}/output``.

The store keeps outputs in a tagged JSON encoding (``quantumflow/store/serialize.py``) that
round-trips numpy arrays exactly. Browsers want plain JSON instead: arrays become nested
lists, complex numbers ``{"re", "im"}``, non-finite floats the strings ``"nan"``/``"inf"``.
The answer is capped at ``max_bytes`` of JSON text; a bigger output answers 413 rather than
a silently cut value.
"""

from __future__ import annotations

import base64
import json
import math
from typing import TYPE_CHECKING, Any

from ..config import load_settings, too_deep
from .errors import OutputNotFoundError, OutputTooDeepError, OutputTooLargeError, TaskNotFoundError

if TYPE_CHECKING:
    from ..store.store import Store

#: Default and largest ``max_bytes`` a client may ask for.
DEFAULT_MAX_BYTES = 1 * 2**20
LIMIT_MAX_BYTES = 16 * 2**20
#: Artifact files this many times over ``max_bytes`` are refused before they are read.
_STORED_SLACK = 4
_SHA = "sha256:"


def plain(value: Any) -> Any:  # noqa: PLR0911 - one branch per type
    """``value`` (a decoded task output) as plain JSON data."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, dict):
        return {
            k if isinstance(k, str) else json.dumps(plain(k)): plain(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((plain(v) for v in value), key=lambda x: json.dumps(x, sort_keys=True))
    if isinstance(value, complex):
        return {"re": plain(value.real), "im": plain(value.imag)}
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    tolist = getattr(value, "tolist", None)  # numpy arrays and scalars
    if callable(tolist):
        return plain(tolist())
    return repr(value)


def _stored_size(store: Store, ref: str) -> int | None:
    """Bytes of the artifact file behind a ``sha256:`` reference (layout in artifacts.py)."""
    if not ref.startswith(_SHA):
        return None
    digest = ref[len(_SHA) :]
    path = store.artifacts.root / digest[:2] / f"{digest}.json"
    try:
        return int(path.stat().st_size)
    except OSError:
        return None


def task_output(store: Store, run_id: str, task_id: str, *, max_bytes: int) -> dict[str, Any]:
    """A ``TaskOutput`` dict for one task of a run.

    Raises:
        RunNotFoundError: no such run.
        TaskNotFoundError: the run has no such task.
        OutputNotFoundError: the task has no stored output (yet).
        OutputTooLargeError: the output is more than ``max_bytes`` of JSON.
    """
    run = store.get_run(run_id)
    task = run.tasks.get(task_id)
    if task is None:
        raise TaskNotFoundError(f"run '{run_id}' has no task '{task_id}'")
    ref = task.output_ref
    if not ref:
        raise OutputNotFoundError(
            f"task '{task_id}' of run '{run_id}' has no output (status: {task.status})"
        )
    hint = (
        f"ask for more with ?max_bytes= (up to {LIMIT_MAX_BYTES}) or read it in Python: "
        f"quantumflow.engine.open_db(...).get_output(<run's task output_ref>)"
    )
    stored = _stored_size(store, ref)
    if stored is not None and stored > _STORED_SLACK * max_bytes:
        raise OutputTooLargeError(
            f"the output of task '{task_id}' is about {stored} bytes, over max_bytes="
            f"{max_bytes}; {hint}",
            size_bytes=stored,
            max_bytes=max_bytes,
        )
    depth = load_settings().limits.json_depth
    try:
        raw = store.get_output(ref)
        too_deep_to_show = too_deep(raw, depth)
    except RecursionError:
        too_deep_to_show = True
    if too_deep_to_show:
        raise OutputTooDeepError(
            f"the output of task '{task_id}' nests deeper than {depth} levels, too deep to "
            f"answer as JSON; read it in Python: quantumflow.engine.open_db(...).get_output"
            "(<run's task output_ref>)"
        )
    value = plain(raw)
    size = len(json.dumps(value, separators=(",", ":")).encode())
    if size > max_bytes:
        raise OutputTooLargeError(
            f"the output of task '{task_id}' is {size} bytes of JSON, over max_bytes="
            f"{max_bytes}; {hint}",
            size_bytes=size,
            max_bytes=max_bytes,
        )
    return {
        "run_id": run_id,
        "task_id": task_id,
        "status": task.status,
        "output": value,
        "size_bytes": size,
    }
