"""Read a WorkflowSpec from a file, YAML/JSON text or a dict; errors name the task and field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import SpecError
from .models import WorkflowSpec

SPEC_SUFFIXES = (".yaml", ".yml", ".json", ".qflow")


#: What every entry point takes as a workflow: a spec, its dict, a file path or YAML/JSON text.
SpecLike = WorkflowSpec | dict[str, Any] | str | Path


def load_spec(source: SpecLike) -> WorkflowSpec:
    """Load a spec from a model, a dict, a path, or YAML/JSON text.

    Args:
        source: a :class:`WorkflowSpec`, a plain dict, a path to a ``.yaml``/``.yml``/
            ``.json``/``.qflow`` file, or the text of one.

    Returns:
        The parsed spec (structure only; see ``quantumflow.graph.validate`` for the graph).

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
    """Check a plain dict into a spec; every problem names its task and field (SpecError)."""
    return WorkflowSpec.parse(data)


def dump_spec(spec: WorkflowSpec, path: str | Path) -> Path:
    """Write a spec to ``path`` as JSON (``.json``/``.qflow``) or YAML (``.yaml``/``.yml``)."""
    path = Path(path)
    if path.suffix in (".yaml", ".yml"):
        import yaml

        path.write_text(yaml.safe_dump(spec.to_dict(), sort_keys=False), encoding="utf-8")
    else:
        path.write_text(spec.to_json(), encoding="utf-8")
    return path
