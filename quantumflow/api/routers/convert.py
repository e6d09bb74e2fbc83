"""Store records -> API model dicts (the one place that knows both shapes)."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...store.records import RunRecord, TaskRunRecord
    from ...store.store import Store

from ...config import clip_depth, load_settings
from ..schemas import RunSummary

log = logging.getLogger(__name__)

#: Output previews are read for runs up to this many tasks (each is a store read).
PREVIEW_MAX_TASKS = 500
PREVIEW_CHARS = 200


def run_summary(run: RunRecord, *, cost_usd: float | None = None) -> dict[str, Any]:
    """A ``RunSummary`` dict from a store ``RunRecord`` (``cost_usd`` from ``api.costs``):
    every field the two share, by name (a new runs column needs no change here)."""
    out = {name: getattr(run, name) for name in RunSummary.model_fields if hasattr(run, name)}
    if not out.get("name") and isinstance(run.spec, dict):
        out["name"] = run.spec.get("name")
    out["cost_usd"] = cost_usd
    return out


def _preview(store: Store, ref: str | None) -> str | None:
    if not ref:
        return None
    try:
        value = store.get_output(ref)
    except Exception as err:  # a missing artifact must not break the run view
        log.warning("cannot read output %s: %s", ref, err)
        return None
    try:
        text = json.dumps(value, default=repr)
    except (TypeError, ValueError, RecursionError):
        text = "(cannot be shown)"
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def task_info(task_id: str, task: TaskRunRecord, store: Store, *, preview: bool) -> dict[str, Any]:
    """A ``TaskRunInfo`` dict from a store ``TaskRunRecord``."""
    started = getattr(task, "started_at", None)
    finished = getattr(task, "finished_at", None)
    duration = getattr(task, "duration", None)
    if duration is None and started is not None and finished is not None:
        duration = finished - started
    ref = getattr(task, "output_ref", None)
    return {
        "task_id": task_id,
        "status": task.status,
        "attempts": getattr(task, "attempts", None) or getattr(task, "attempt", 0) or 0,
        "started_at": started,
        "finished_at": finished,
        "duration": duration,
        "error": getattr(task, "error", None),
        "cache_hit": bool(getattr(task, "cache_hit", False)),
        "output_summary": _preview(store, ref) if preview else None,
    }


def run_detail(run: RunRecord, store: Store, *, cost_usd: float | None = None) -> dict[str, Any]:
    """A ``RunDetail`` dict (tasks in spec order where the spec is known, and the spec)."""
    tasks: dict[str, Any] = dict(run.tasks)
    preview = len(tasks) <= PREVIEW_MAX_TASKS
    spec = getattr(run, "spec", None)
    order = [t.get("id") for t in spec.get("tasks", [])] if isinstance(spec, dict) else []
    ordered = [t for t in order if t in tasks] + [t for t in tasks if t not in set(order)]
    return {
        **run_summary(run, cost_usd=cost_usd),
        "params": shown(getattr(run, "params", None) or {}),
        "tasks": [task_info(t, tasks[t], store, preview=preview) for t in ordered],
        "spec": shown(spec) if isinstance(spec, dict) else None,
        "mitigation": mitigation_records(spec, tasks, store),
    }


def mitigation_records(spec: Any, tasks: dict[str, Any], store: Any) -> dict[str, Any]:
    """The provenance of each finished mitigated task: its combining step's output (the
    spec names which tasks those are, so no other output is read)."""
    from ...mitigation import COMBINE_FN

    found: dict[str, Any] = {}
    items = spec.get("tasks", []) if isinstance(spec, dict) else []
    for item in items:
        task_id = item.get("id") if isinstance(item, dict) else None
        if item.get("fn") != COMBINE_FN or task_id not in tasks:
            continue
        ref = getattr(tasks[task_id], "output_ref", None)
        if not ref:
            continue
        try:
            value = store.get_output(ref)
        except Exception as err:  # a missing artifact must not break the run view
            log.warning("cannot read output %s: %s", ref, err)
            continue
        if isinstance(value, dict) and isinstance(value.get("mitigation"), dict):
            found[task_id] = {
                **value["mitigation"],
                "expectations": value.get("expectations"),
                "uncertainty": value.get("uncertainty"),
                "unmitigated": value.get("unmitigated"),
            }
    return found


def shown(value: Any) -> Any:
    """A stored JSON document as answered: what nests deeper than ``Limits.json_depth``
    (only records stored before the limit existed) is replaced by a note, so reading a
    record never fails."""
    return clip_depth(value, load_settings().limits.json_depth)


def event_json(event: Any) -> dict[str, Any]:
    """A ``RunEvent`` dict from a store ``EventRecord``."""
    data = getattr(event, "data", None)
    return {
        "id": event.id,
        "run_id": event.run_id,
        "task_id": event.task_id,
        "kind": event.kind,
        "data": data if isinstance(data, dict) else ({} if data is None else {"value": data}),
        "at": event.at,
    }
