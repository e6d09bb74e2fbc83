"""The WorkflowSpec: the one contract every entry point speaks (layer 1).

- :mod:`.models` — the spec classes (plain dataclasses) and input references;
- :mod:`.fields`, :mod:`.checker`, :mod:`.leaves`, :mod:`.fast` — how plain data is checked
  into them (every problem at once, naming task and field; no pydantic on the run path);
- :mod:`.base` — what the classes share (``parse``, ``dump``, ``with_changes``);
- :mod:`.schema` — the pydantic models behind the JSON Schema and the API (imports pydantic);
- :mod:`.loader` — a spec from a file, YAML/JSON text or a dict, and back.
"""

from __future__ import annotations

from .loader import dump_spec, load_spec, spec_from_dict
from .models import (
    SPEC_VERSION,
    TASK_ID_PATTERN,
    ZNE,
    Budget,
    CircuitSource,
    ClassicalTask,
    Mitigation,
    NodePosition,
    ParamRef,
    Policies,
    QuantumTask,
    Ref,
    SecretRef,
    Task,
    WorkflowSpec,
    parse_input,
    upstream_of,
)

__all__ = [
    "SPEC_VERSION",
    "TASK_ID_PATTERN",
    "ZNE",
    "Budget",
    "CircuitSource",
    "ClassicalTask",
    "Mitigation",
    "NodePosition",
    "ParamRef",
    "Policies",
    "QuantumTask",
    "Ref",
    "SecretRef",
    "Task",
    "WorkflowSpec",
    "dump_spec",
    "load_spec",
    "parse_input",
    "spec_from_dict",
    "upstream_of",
]
