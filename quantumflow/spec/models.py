"""WorkflowSpec: the one contract every entry point speaks (plain dataclasses + JSON Schema).

A workflow is ``name``, ``params``, ``policies`` and ``tasks``. A task input is a literal, a
reference to an upstream output (``{ref: TASK}`` or ``{ref: TASK.key}``) or a workflow
parameter (``{param: NAME}``); a literal dict whose only key is ``ref``/``param`` is written
``{literal: {...}}``. References imply dependencies.

The classes are stdlib dataclasses: each field's type, default, constraints and description
are written once, here. :mod:`.checker` validates dicts into them (no pydantic: a run does
not pay for it); :mod:`.schema` derives the pydantic models behind the JSON Schema and the
API. How a problem is worded for a user (the task's id or ``#index``, the dotted field) is
decided here, by ``_problems``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from ..errors import ErrorClass, Problem
from .base import SpecModel
from .checker import Loc
from .fields import spec_field

SPEC_VERSION = "1"

TASK_ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_\-]*$"


@dataclass(init=False, repr=False, eq=False)  # SpecModel's, without generating code
class Budget(SpecModel):
    """A limit on a run's predicted/spent wall time (seconds) and money (USD)."""

    seconds: float | None = spec_field(None, gt=0, description="Wall-clock budget.")
    usd: float | None = spec_field(None, ge=0, description="Money budget for cloud QPUs.")


@dataclass(init=False, repr=False, eq=False)  # SpecModel's, without generating code
class Policies(SpecModel):
    """Workflow-wide execution policies; task fields override the per-task ones."""

    max_concurrency: int = spec_field(4, ge=1, le=4096, description="Tasks running at once.")
    retries: int = spec_field(0, ge=0, le=100, description="Retries after a failure.")
    retry_backoff_s: float = spec_field(0.5, ge=0, description="First retry delay; doubles.")
    timeout_s: float | None = spec_field(None, gt=0, description="Per-task time limit.")
    on_failure: Literal["stop", "continue"] = spec_field(
        "stop", description="'continue' keeps running branches that do not depend on it."
    )
    budget: Budget | None = spec_field(None)
    resources: dict[str, int] = spec_field(
        factory=dict,
        item_ge=1,
        description="Slots per resource: at most this many tasks naming it in their "
        "resources run at once, e.g. {qpu_ibm: 2}. Backends have defaults "
        "(sdk:qiskit = SDK workers, qiskit.ibm:NAME = 3 queued jobs).",
    )
    batching: bool = spec_field(
        True,
        description="Pack quantum tasks that are ready together, on one backend with the same "
        "options, into one native SDK call (Aer run, qsim run_batch, qml.execute, one IBM "
        "job with many PUBs). A task's own 'batch' overrides it.",
    )
    batch_window_ms: float | None = spec_field(
        None,
        ge=0,
        le=60_000,
        description="How long a partial batch waits for tasks about to become ready "
        "(default: per backend, from the cost model).",
    )
    batch_max_size: int | None = spec_field(
        None,
        ge=1,
        le=10_000,
        description="Most tasks in one batch (default: per backend, from the cost model: "
        "a local batch is cut near 5 s of predicted work, at most 1000 tasks).",
    )
    retry_on: list[ErrorClass] | None = spec_field(
        None,
        description="Error classes that are retried (while retries are left): 'transient', "
        "'permanent', 'any', or classes such as 'network', 'rate_limit', 'queue_timeout', "
        "'worker_lost', 'invalid_circuit', 'task_error'. Default: transient errors and "
        "exceptions raised by classical tasks.",
    )


def _exactly_one_source(source: CircuitSource) -> str | None:
    given = [k for k in ("qasm", "qasm_file", "builtin", "callable") if getattr(source, k)]
    if len(given) == 1:
        return None
    return "give exactly one of qasm, qasm_file, builtin, callable" + (
        f" (got {', '.join(given)})" if given else ""
    )


@dataclass(init=False, repr=False, eq=False)  # SpecModel's, without generating code
class CircuitSource(SpecModel):
    """Where a quantum task's circuit comes from: exactly one of the fields."""

    _rule = staticmethod(_exactly_one_source)

    qasm: str | None = spec_field(None, description="OpenQASM 2 or 3 text.")
    qasm_file: str | None = spec_field(None, description="Path to an OpenQASM file.")
    builtin: str | None = spec_field(
        None, description="Built-in generator: ghz, qft, random, hardware_efficient, …"
    )
    args: dict[str, Any] = spec_field(factory=dict, description="Generator arguments.")
    callable: str | None = spec_field(
        None, description="'package.module:function' returning a circuit object."
    )


@dataclass(init=False, repr=False, eq=False)  # SpecModel's, without generating code
class _TaskBase(SpecModel):
    """The fields every task has."""

    id: str = spec_field(pattern=TASK_ID_PATTERN, max_length=200, description="Unique task id.")
    description: str | None = spec_field(None)
    depends_on: list[str] = spec_field(factory=list, description="Extra ordering edges.")
    inputs: dict[str, Any] = spec_field(
        factory=dict,
        description="name -> literal | {ref: TASK[.key]} | {param: NAME} | {secret: NAME}"
        " | {literal: VALUE}",
    )
    retries: int | None = spec_field(None, ge=0, le=100)
    timeout_s: float | None = spec_field(None, gt=0)
    resources: dict[str, float] = spec_field(
        factory=dict, description="Resource needs, e.g. {cpu: 1} or {qpu_ibm: 1}."
    )
    group: str | None = spec_field(None, description="Label used to aggregate big runs.")

    @classmethod
    def _problems(cls, data: Any, found: list[tuple[Loc, str]]) -> list[Problem]:
        own = data.get("id") if isinstance(data, dict) else None
        task = None if own is None else str(own)
        return [Problem(msg, task=task, field=_dotted(loc)) for loc, msg in found]


@dataclass(init=False, repr=False, eq=False)  # SpecModel's, without generating code
class ClassicalTask(_TaskBase):
    """A Python step: ``fn`` is called with the resolved inputs as keyword arguments."""

    kind: Literal["classical"] = spec_field("classical")
    fn: str = spec_field(description="'package.module:function' or a built-in library name.")
    cache: bool = spec_field(False, description="Serve repeated identical calls from store.")


def _zne_rule(zne: ZNE) -> str | None:
    scales = zne.scale_factors
    if len(scales) < 2 or len(set(scales)) != len(scales):
        return "scale_factors needs at least two different values, e.g. [1, 3, 5]"
    if min(scales) < 1:
        return "scale_factors must be >= 1 (1 is the circuit as written)"
    if zne.factory == "poly" and (zne.order is None or zne.order >= len(scales)):
        return "factory 'poly' needs an order below the number of scale_factors"
    return None


@dataclass(init=False, repr=False, eq=False)  # SpecModel's, without generating code
class ZNE(SpecModel):
    """Zero-noise extrapolation (mitiq): the circuit folded to each noise scale, then the
    expectation values extrapolated to scale 0."""

    _rule = staticmethod(_zne_rule)

    scale_factors: list[float] = spec_field(
        factory=lambda: [1.0, 3.0, 5.0],
        description="Noise scales to run (1 = the circuit as written; folding makes 3, 5, …).",
    )
    folding: Literal["global", "gates_at_random"] = spec_field(
        "global", description="mitiq unitary folding: the whole circuit, or random gates."
    )
    factory: Literal["richardson", "linear", "poly", "exp"] = spec_field(
        "richardson", description="mitiq extrapolation factory."
    )
    order: int | None = spec_field(None, ge=1, le=10, description="Order of factory 'poly'.")


def _some_mitigation(m: Mitigation) -> str | None:
    if m.zne is None and not m.readout:
        return "give zne and/or readout: true"
    return None


@dataclass(init=False, repr=False, eq=False)  # SpecModel's, without generating code
class Mitigation(SpecModel):
    """Error-mitigation stages of a quantum task; the engine expands the task into its
    sub-circuits and one combining step (see docs/user-guide/mitigation.md)."""

    _rule = staticmethod(_some_mitigation)

    zne: ZNE | None = spec_field(None, description="Zero-noise extrapolation.")
    readout: bool = spec_field(
        False,
        description="Readout-error mitigation: two calibration circuits (all 0, all 1) "
        "measure each qubit's confusion matrix; mitiq inverts it.",
    )
    reference: bool = spec_field(
        False,
        description="Also run the circuit noiselessly and exactly, to report each "
        "value's error against it.",
    )


@dataclass(init=False, repr=False, eq=False)  # SpecModel's, without generating code
class QuantumTask(_TaskBase):
    """A circuit run on a backend (counts and/or expectation values)."""

    kind: Literal["quantum"] = spec_field("quantum")
    backend: str = spec_field(description="e.g. qiskit.aer, cirq.qsim, pennylane:default.qubit")
    circuit: CircuitSource = spec_field()
    shots: int | None = spec_field(1024, ge=1, le=10_000_000, description="None = exact.")
    seed: int | None = spec_field(None, ge=0)
    sweep: dict[str, Any] | None = spec_field(
        None, description="{name: [values]} or {name: {linspace: [a, b, n]}}."
    )
    observables: list[str] | None = spec_field(None, description="Pauli strings, 'Z0 Z1'.")
    noise: dict[str, Any] | None = spec_field(None)
    transpile: dict[str, Any] | None = spec_field(None)
    cache: bool = spec_field(True, description="Serve repeated identical circuits from store.")
    batch: bool | None = spec_field(
        None,
        description="Run in one native call with other ready tasks of the same backend and "
        "options (default: policies.batching); false runs this task on its own.",
    )
    mitigation: Mitigation | None = spec_field(
        None,
        description="Error mitigation (zne, readout): needs observables and a backend "
        "that runs noisy circuits.",
    )


@dataclass(init=False, repr=False, eq=False)  # SpecModel's, without generating code
class NodePosition(SpecModel):
    """Where the designer draws a task."""

    x: float = spec_field()
    y: float = spec_field()


Task = ClassicalTask | QuantumTask
#: The ``kind`` of each task class in :data:`Task` (the spec's task discriminator).
TASK_KINDS: tuple[str, ...] = tuple(
    str(cls.__dataclass_fields__["kind"].default) for cls in (ClassicalTask, QuantumTask)
)


def _known_version(version: str) -> str | None:
    if version == SPEC_VERSION:
        return None
    return f"unsupported spec version '{version}' (this QuantumFlow reads '1')"


@dataclass(init=False, repr=False, eq=False)  # SpecModel's, without generating code
class WorkflowSpec(SpecModel):
    """A whole workflow. :func:`quantumflow.spec.schema.json_schema` is the published schema."""

    version: str = spec_field(SPEC_VERSION, rule=_known_version, description="Spec format version.")
    name: str = spec_field(min_length=1, max_length=200)
    description: str | None = spec_field(None)
    params: dict[str, Any] = spec_field(factory=dict, description="Workflow parameters.")
    policies: Policies = spec_field(factory=Policies)
    tasks: list[ClassicalTask | QuantumTask] = spec_field(factory=list, discriminator="kind")
    layout: dict[str, NodePosition] | None = spec_field(
        None, description="Designer node positions (task id -> {x, y}); not used to run."
    )

    @classmethod
    def _problems(cls, data: Any, found: list[tuple[Loc, str]]) -> list[Problem]:
        """Problems inside ``tasks[i]`` name the task (its id, else ``#i``) and the field in it."""
        raw = data.get("tasks") if isinstance(data, dict) else None
        tasks: list[Any] = raw if isinstance(raw, list) else []
        problems: list[Problem] = []
        for loc, message in found:
            task: str | None = None
            path = loc
            if tasks and len(loc) >= 2 and loc[0] == "tasks" and isinstance(loc[1], int):
                index = loc[1]
                item = tasks[index] if index < len(tasks) else None
                item_id = item.get("id") if isinstance(item, dict) else None
                task = str(item_id) if item_id is not None else f"#{index}"
                path = loc[2:]
            problems.append(Problem(message, task=task, field=_dotted(path)))
        return problems

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
        data = self.dump(json_mode=True, exclude_defaults=True)
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


class SecretRef(NamedTuple):
    """An input that reads a secret when the task runs (never stored, shown as ``***``)."""

    name: str


def parse_input(value: Any) -> Ref | ParamRef | SecretRef | Any:
    """Classify one input value: a :class:`Ref`, :class:`ParamRef`, :class:`SecretRef`, or
    a literal."""
    if isinstance(value, dict) and len(value) == 1:
        ((key, inner),) = value.items()
        if key == "ref" and isinstance(inner, str):
            task, _, sub = inner.partition(".")
            return Ref(task, sub or None)
        if key == "param" and isinstance(inner, str):
            return ParamRef(inner)
        if key == "secret" and isinstance(inner, str):
            return SecretRef(inner)
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


def _dotted(loc: Loc) -> str | None:
    return ".".join(str(p) for p in loc) or None
