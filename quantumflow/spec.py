"""WorkflowSpec: the one contract every entry point speaks (pydantic models + JSON Schema).

A workflow is ``name``, ``params``, ``policies`` and ``tasks``. A task input is a literal, a
reference to an upstream output (``{ref: TASK}`` or ``{ref: TASK.key}``) or a workflow
parameter (``{param: NAME}``); a literal dict whose only key is ``ref``/``param`` is written
``{literal: {...}}``. References imply dependencies.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SPEC_VERSION = "1"

TASK_ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_\-]*$"


# Default factories are plain Python functions, not the ``dict``/``list`` builtins: pydantic
# inspects each factory's signature, and a builtin's costs ~0.2 ms (14 of them at import).
def _empty_dict() -> dict[str, Any]:
    return {}


def _empty_list() -> list[Any]:
    return []


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Budget(_Strict):
    """A limit on a run's predicted/spent wall time (seconds) and money (USD)."""

    seconds: float | None = Field(default=None, gt=0, description="Wall-clock budget.")
    usd: float | None = Field(default=None, ge=0, description="Money budget for cloud QPUs.")


class Policies(_Strict):
    """Workflow-wide execution policies; task fields override the per-task ones."""

    max_concurrency: int = Field(default=4, ge=1, le=4096, description="Tasks running at once.")
    retries: int = Field(default=0, ge=0, le=100, description="Retries after a failure.")
    retry_backoff_s: float = Field(default=0.5, ge=0, description="First retry delay; doubles.")
    timeout_s: float | None = Field(default=None, gt=0, description="Per-task time limit.")
    on_failure: Literal["stop", "continue"] = Field(
        default="stop", description="'continue' keeps running branches that do not depend on it."
    )
    budget: Budget | None = None
    resources: dict[str, Annotated[int, Field(ge=1)]] = Field(
        default_factory=_empty_dict,
        description="Slots per resource: at most this many tasks naming it in their "
        "resources run at once, e.g. {qpu_ibm: 2}. Backends have defaults "
        "(sdk:qiskit = SDK workers, qiskit.ibm:NAME = 3 queued jobs).",
    )


class CircuitSource(_Strict):
    """Where a quantum task's circuit comes from: exactly one of the fields."""

    qasm: str | None = Field(default=None, description="OpenQASM 2 or 3 text.")
    qasm_file: str | None = Field(default=None, description="Path to an OpenQASM file.")
    builtin: str | None = Field(
        default=None, description="Built-in generator: ghz, qft, random, hardware_efficient, …"
    )
    args: dict[str, Any] = Field(default_factory=_empty_dict, description="Generator arguments.")
    callable: str | None = Field(
        default=None, description="'package.module:function' returning a circuit object."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> CircuitSource:
        given = [k for k in ("qasm", "qasm_file", "builtin", "callable") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of qasm, qasm_file, builtin, callable"
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self


class _TaskBase(_Strict):
    id: str = Field(pattern=TASK_ID_PATTERN, max_length=200, description="Unique task id.")
    description: str | None = None
    depends_on: list[str] = Field(default_factory=_empty_list, description="Extra ordering edges.")
    inputs: dict[str, Any] = Field(
        default_factory=_empty_dict,
        description="name -> literal | {ref: TASK[.key]} | {param: NAME} | {literal: VALUE}",
    )
    retries: int | None = Field(default=None, ge=0, le=100)
    timeout_s: float | None = Field(default=None, gt=0)
    resources: dict[str, float] = Field(
        default_factory=_empty_dict, description="Resource needs, e.g. {cpu: 1} or {qpu_ibm: 1}."
    )
    group: str | None = Field(default=None, description="Label used to aggregate big runs.")


class ClassicalTask(_TaskBase):
    """A Python step: ``fn`` is called with the resolved inputs as keyword arguments."""

    kind: Literal["classical"] = "classical"
    fn: str = Field(description="'package.module:function' or a built-in library name.")
    cache: bool = Field(default=False, description="Serve repeated identical calls from store.")


class QuantumTask(_TaskBase):
    """A circuit run on a backend (counts and/or expectation values)."""

    kind: Literal["quantum"] = "quantum"
    backend: str = Field(description="e.g. qiskit.aer, cirq.qsim, pennylane:default.qubit")
    circuit: CircuitSource
    shots: int | None = Field(default=1024, ge=1, le=10_000_000, description="None = exact.")
    seed: int | None = Field(default=None, ge=0)
    sweep: dict[str, Any] | None = Field(
        default=None, description="{name: [values]} or {name: {linspace: [a, b, n]}}."
    )
    observables: list[str] | None = Field(default=None, description="Pauli strings, 'Z0 Z1'.")
    noise: dict[str, Any] | None = None
    transpile: dict[str, Any] | None = None
    cache: bool = Field(default=True, description="Serve repeated identical circuits from store.")


class NodePosition(_Strict):
    """Where the designer draws a task."""

    x: float
    y: float


Task = Annotated[ClassicalTask | QuantumTask, Field(discriminator="kind")]


def _default_policies() -> Policies:
    return Policies()


class WorkflowSpec(_Strict):
    """A whole workflow. ``WorkflowSpec.model_json_schema()`` is the published schema."""

    version: str = Field(default=SPEC_VERSION, description="Spec format version.")
    name: str = Field(min_length=1, max_length=200)
    description: str | None = None
    params: dict[str, Any] = Field(default_factory=_empty_dict, description="Workflow parameters.")
    policies: Policies = Field(default_factory=_default_policies)
    tasks: list[Task] = Field(default_factory=_empty_list)
    layout: dict[str, NodePosition] | None = Field(
        default=None, description="Designer node positions (task id -> {x, y}); not used to run."
    )

    @field_validator("version")
    @classmethod
    def _known_version(cls, v: str) -> str:
        if v != SPEC_VERSION:
            raise ValueError(f"unsupported spec version '{v}' (this QuantumFlow reads '1')")
        return v

    def task(self, task_id: str) -> ClassicalTask | QuantumTask:
        """The task with this id (KeyError if none)."""
        for t in self.tasks:
            if t.id == task_id:
                return t
        raise KeyError(task_id)

    def to_json(self, *, indent: int | None = 2) -> str:
        """Canonical JSON (defaults omitted) as written to ``.qflow`` files."""
        return json.dumps(self.to_dict(), indent=indent, sort_keys=False) + "\n"

    def to_dict(self) -> dict[str, Any]:
        """Plain dict without default-valued fields (``kind`` is always kept)."""
        data = self.model_dump(mode="json", exclude_defaults=True)
        for raw, task in zip(data.get("tasks", []), self.tasks, strict=True):
            raw["kind"] = task.kind
        data.setdefault("name", self.name)
        return data


# ----------------------------------------------------------------------------- inputs


# Named tuples, not dataclasses: one is made per input per validation (5,000-task graphs).
class Ref(NamedTuple):
    """An input that reads an upstream task's output (``key`` picks one item of it)."""

    task: str
    key: str | None = None


class ParamRef(NamedTuple):
    """An input that reads a workflow parameter."""

    name: str


def parse_input(value: Any) -> Ref | ParamRef | Any:
    """Classify one input value: a :class:`Ref`, a :class:`ParamRef`, or a literal."""
    if isinstance(value, dict) and len(value) == 1:
        ((key, inner),) = value.items()
        if key == "ref" and isinstance(inner, str):
            task, _, sub = inner.partition(".")
            return Ref(task, sub or None)
        if key == "param" and isinstance(inner, str):
            return ParamRef(inner)
        if key == "literal":
            return inner
    return value


def upstream_of(task: ClassicalTask | QuantumTask) -> list[str]:
    """Every task id this task depends on: ``depends_on`` plus referenced tasks, in order."""
    seen: dict[str, None] = dict.fromkeys(task.depends_on)
    for value in task.inputs.values():
        parsed = parse_input(value)
        if isinstance(parsed, Ref):
            seen.setdefault(parsed.task)
    return list(seen)


def json_schema() -> dict[str, Any]:
    """The WorkflowSpec JSON Schema (what ``quantumflow schema`` prints)."""
    schema = WorkflowSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://quantumflow.dev/schema/workflow-1.json"
    return schema
