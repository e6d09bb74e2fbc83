"""Read a WorkflowSpec from a file, YAML/JSON text or a dict; errors name the task and field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import Problem, SpecError
from .spec import WorkflowSpec

SPEC_SUFFIXES = (".yaml", ".yml", ".json", ".qflow")


def load_spec(source: WorkflowSpec | dict[str, Any] | str | Path) -> WorkflowSpec:
    """Load a spec from a model, a dict, a path, or YAML/JSON text.

    Args:
        source: a :class:`WorkflowSpec`, a plain dict, a path to a ``.yaml``/``.yml``/
            ``.json``/``.qflow`` file, or the text of one.

    Returns:
        The parsed spec (structure only; see ``quantumflow.engine.validate`` for the graph).

    Raises:
        SpecError: unreadable file, bad YAML/JSON, or fields of the wrong shape or type.
    """
    if isinstance(source, WorkflowSpec):
        return source
    if isinstance(source, dict):
        return spec_from_dict(source)
    if isinstance(source, Path) or _looks_like_path(source):
        path = Path(source).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise SpecError(f"cannot read workflow file '{path}': {err.strerror}") from err
        return spec_from_text(text, origin=str(path))
    return spec_from_text(source)


def _looks_like_path(text: str) -> bool:
    return "\n" not in text and text.strip().endswith(SPEC_SUFFIXES)


def spec_from_text(text: str, *, origin: str = "<text>") -> WorkflowSpec:
    """Parse YAML or JSON text (JSON is YAML, but JSON errors read better from json)."""
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise SpecError(f"{origin}: invalid JSON at line {err.lineno}: {err.msg}") from err
    else:
        data = _load_yaml(text, origin)
    if not isinstance(data, dict):
        raise SpecError(f"{origin}: a workflow must be a mapping with 'name' and 'tasks'")
    return spec_from_dict(data)


def _load_yaml(text: str, origin: str) -> Any:
    import yaml  # ~10 ms: only YAML text pays for it (dicts and JSON never do)

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        raise SpecError(f"{origin}: invalid YAML{where}: {problem}") from err


def spec_from_dict(data: dict[str, Any]) -> WorkflowSpec:
    """Validate a plain dict into a spec, turning pydantic errors into named problems."""
    try:
        return WorkflowSpec.model_validate(data)
    except ValidationError as err:
        raise SpecError(_problems(err, data)) from None


def _problems(err: ValidationError, data: dict[str, Any]) -> list[Problem]:
    raw_tasks = data.get("tasks")
    tasks: list[Any] = raw_tasks if isinstance(raw_tasks, list) else []
    problems: list[Problem] = []
    for e in err.errors():
        loc = list(e["loc"])
        task_name: str | None = None
        if len(loc) >= 2 and loc[0] == "tasks" and isinstance(loc[1], int):
            index = loc[1]
            raw = tasks[index] if index < len(tasks) else None
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            task_name = str(raw_id) if raw_id is not None else f"#{index}"
            loc = loc[2:]
            if loc and loc[0] in ("classical", "quantum"):  # discriminator tag
                loc = loc[1:]
        field = ".".join(str(p) for p in loc) or None
        problems.append(Problem(_message(e), task=task_name, field=field))
    return problems


def _message(e: Any) -> str:
    if e["type"] == "extra_forbidden":
        return "unknown field (check the spelling; see `quantumflow schema`)"
    if e["type"] == "union_tag_invalid":
        return "kind must be 'classical' or 'quantum'"
    if e["type"] == "union_tag_not_found":
        return "missing 'kind' ('classical' or 'quantum')"
    if e["type"] == "missing":
        return "required field is missing"
    msg = str(e["msg"])
    return msg.removeprefix("Value error, ")


def dump_spec(spec: WorkflowSpec, path: str | Path) -> Path:
    """Write a spec to ``path`` as JSON (``.json``/``.qflow``) or YAML (``.yaml``/``.yml``)."""
    path = Path(path)
    if path.suffix in (".yaml", ".yml"):
        import yaml

        path.write_text(yaml.safe_dump(spec.to_dict(), sort_keys=False), encoding="utf-8")
    else:
        path.write_text(spec.to_json(), encoding="utf-8")
    return path
