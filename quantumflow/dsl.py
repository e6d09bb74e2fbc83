"""Python DSL: ``@task`` / ``@quantum_task`` and a ``Workflow`` builder that produce a WorkflowSpec.

Inside ``with Workflow("name") as wf:``, calling a decorated function does not run it: it adds
a task and returns a :class:`TaskOutput` handle that later calls take as inputs::

    @task
    def double(x: int) -> int:
        return 2 * x

    with Workflow("demo", params={"x": 21}) as wf:
        a = double(x=wf.param("x"))
        b = double(x=a)
    run = wf.run()            # run.outputs[b.task_id] == 84

Outside a workflow, a decorated function is just the function.
"""

from __future__ import annotations

import contextvars
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, overload

from .errors import SpecError
from .spec import (
    CircuitSource,
    ClassicalTask,
    NodePosition,
    ParamRef,
    Policies,
    QuantumTask,
    Ref,
    WorkflowSpec,
    parse_input,
)
from .spec.loader import dump_spec, load_spec
from .spec.python_code import export_python

__all__ = [
    "Param",
    "QuantumTaskFunction",
    "TaskFunction",
    "TaskOutput",
    "Workflow",
    "export_python",
    "quantum_task",
    "task",
]

if TYPE_CHECKING:
    from .engine import Run
    from .jupyter.designer_link import DesignerLink

P = ParamSpec("P")
R = TypeVar("R")

_current: contextvars.ContextVar[Workflow | None] = contextvars.ContextVar(
    "quantumflow_workflow", default=None
)


class TaskOutput:
    """A handle on a task's output (``out["key"]`` selects one item of a dict output)."""

    def __init__(self, task_id: str, key: str | None = None) -> None:
        self.task_id = task_id
        self.key = key

    def __getitem__(self, key: str) -> TaskOutput:
        return TaskOutput(self.task_id, key)

    def as_input(self) -> dict[str, str]:
        """The spec form: ``{ref: TASK}`` or ``{ref: TASK.key}``."""
        return {"ref": f"{self.task_id}.{self.key}" if self.key else self.task_id}

    def __repr__(self) -> str:
        return f"TaskOutput({self.as_input()['ref']!r})"


class Param:
    """A handle on a workflow parameter."""

    def __init__(self, name: str) -> None:
        self.name = name

    def as_input(self) -> dict[str, str]:
        return {"param": self.name}


def _to_input(value: Any) -> Any:
    if isinstance(value, TaskOutput | Param):
        return value.as_input()
    if isinstance(parse_input(value), Ref | ParamRef):
        return {"literal": value}  # a user dict that would read as a reference
    return value


def _common(
    task_id: str, depends_on: list[TaskOutput | str] | None, inputs: dict[str, Any] | None
) -> dict[str, Any]:
    """The spec fields every task call shares: id, dependencies, inputs in spec form."""
    return {
        "id": task_id,
        "depends_on": [d.task_id if isinstance(d, TaskOutput) else d for d in depends_on or []],
        "inputs": {k: _to_input(v) for k, v in (inputs or {}).items()},
    }


def _fn_path(fn: Callable[..., Any]) -> str:
    if "<" in fn.__qualname__:  # <locals>, <lambda>: not importable by workers
        raise SpecError(f"task function {fn.__qualname__} must be defined at module level")
    return f"{fn.__module__}:{fn.__qualname__}"


class TaskFunction(Generic[P, R]):
    """A function marked with ``@task``: plain call outside a workflow, task builder inside."""

    def __init__(self, fn: Callable[P, R], options: dict[str, Any]) -> None:
        functools.update_wrapper(self, fn)
        self.fn = fn
        self.options = options

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        wf = _current.get()
        if wf is None:
            return self.fn(*args, **kwargs)
        if args:
            raise SpecError(
                f"call task {self.fn.__name__} with keyword arguments inside a workflow"
            )
        inputs: dict[str, Any] = dict(kwargs)
        return wf.add(self, **inputs)  # type: ignore[return-value]


@overload
def task(fn: Callable[P, R], /) -> TaskFunction[P, R]: ...
@overload
def task(
    *,
    id: str | None = None,
    retries: int | None = None,
    timeout_s: float | None = None,
    cache: bool = False,
    resources: dict[str, float] | None = None,
) -> Callable[[Callable[P, R]], TaskFunction[P, R]]: ...


def task(fn: Any = None, /, **options: Any) -> Any:
    """Mark a module-level function as a classical task (options as in the spec)."""
    if fn is not None:
        return TaskFunction(fn, {})
    return lambda f: TaskFunction(f, options)


class QuantumTaskFunction(TaskFunction[P, R]):
    """A circuit factory marked with ``@quantum_task``: becomes a quantum task in a workflow."""


def quantum_task(
    *, backend: str, shots: int | None = 1024, **options: Any
) -> Callable[[Callable[P, R]], QuantumTaskFunction[P, R]]:
    """Mark a function returning a cirq/qiskit/pennylane circuit as a quantum task."""
    return lambda f: QuantumTaskFunction(f, {"backend": backend, "shots": shots, **options})


class Workflow:
    """Builds a :class:`WorkflowSpec` from Python; ``save``/``load`` round-trip ``.qflow`` files."""

    def __init__(
        self,
        name: str,
        *,
        params: dict[str, Any] | None = None,
        policies: Policies | dict[str, Any] | None = None,
        description: str | None = None,
        layout: dict[str, Any] | None = None,
    ) -> None:
        pol = Policies.parse(policies or {})
        self._spec = WorkflowSpec(
            name=name, params=params or {}, policies=pol, description=description, layout=layout
        )
        self._token: contextvars.Token[Workflow | None] | None = None
        self._ids: set[str] = set()  # the tasks' ids: adding a task stays O(1) at 10^5 tasks
        self._next_suffix: dict[str, int] = {}

    # -- building ---------------------------------------------------------------------------
    def __enter__(self) -> Workflow:
        self._token = _current.set(self)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _current.reset(self._token)
            self._token = None

    def param(self, name: str) -> Param:
        """Reference a workflow parameter as a task input."""
        return Param(name)

    def add(
        self,
        fn: Callable[..., Any] | str,
        *,
        id: str | None = None,
        depends_on: list[TaskOutput | str] | None = None,
        **inputs: Any,
    ) -> TaskOutput:
        """Add a classical (or ``@quantum_task``) step; returns the handle on its output."""
        options = dict(fn.options) if isinstance(fn, TaskFunction) else {}
        target = fn.fn if isinstance(fn, TaskFunction) else fn
        task_id = (
            id
            or options.pop("id", None)
            or self._fresh_id(target if isinstance(target, str) else target.__name__)
        )
        options.pop("id", None)
        deps = [d.task_id if isinstance(d, TaskOutput) else d for d in depends_on or []]
        common: dict[str, Any] = {
            "id": task_id,
            "depends_on": deps,
            "inputs": {k: _to_input(v) for k, v in inputs.items()},
        }
        path = target if isinstance(target, str) else _fn_path(target)
        if isinstance(fn, QuantumTaskFunction):
            new: ClassicalTask | QuantumTask = QuantumTask.parse(
                {**common, "circuit": {"callable": path}, **options}
            )
        else:
            new = ClassicalTask.parse({**common, "fn": path, **options})
        self._append(new)
        return TaskOutput(task_id)

    def quantum(
        self,
        id: str,
        *,
        backend: str,
        circuit: dict[str, Any] | str,
        depends_on: list[TaskOutput | str] | None = None,
        inputs: dict[str, Any] | None = None,
        **options: Any,
    ) -> TaskOutput:
        """Add a quantum task; ``circuit`` is QASM text or a circuit-source dict."""
        source = (
            CircuitSource(qasm=circuit)
            if isinstance(circuit, str)
            else CircuitSource.parse(circuit)
        )
        common = _common(id, depends_on, inputs)
        self._append(
            QuantumTask.parse({**common, "backend": backend, "circuit": source, **options})
        )
        return TaskOutput(id)

    def classical(
        self,
        id: str,
        *,
        fn: str,
        depends_on: list[TaskOutput | str] | None = None,
        inputs: dict[str, Any] | None = None,
        **options: Any,
    ) -> TaskOutput:
        """Add a classical task by its function's name (``module:function`` or a library
        name); ``options`` are the task's other spec fields (``retries``, ``cache``, …).

        Unlike :meth:`add`, inputs are a dict, so an input may be called ``retries``.
        """
        common = _common(id, depends_on, inputs)
        self._append(ClassicalTask.parse({**common, "fn": fn, **options}))
        return TaskOutput(id)

    def place(self, task: TaskOutput | str, *, x: float, y: float) -> None:
        """Put a task at ``(x, y)`` on the designer's canvas (the spec's ``layout``)."""
        task_id = task.task_id if isinstance(task, TaskOutput) else task
        if self._spec.layout is None:
            self._spec.layout = {}
        self._spec.layout[task_id] = NodePosition.parse({"x": x, "y": y})

    def _append(self, new: ClassicalTask | QuantumTask) -> None:
        if new.id in self._ids:
            raise SpecError(f"task '{new.id}' is defined twice (pass id=... to tell them apart)")
        self._spec.tasks.append(new)
        self._ids.add(new.id)

    def _fresh_id(self, base: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_\-]", "_", base.rsplit(":", 1)[-1].rsplit(".", 1)[-1])
        if base not in self._ids:
            return base
        n = self._next_suffix.get(base, 2)  # where the last search ended: ids only grow
        while f"{base}_{n}" in self._ids:
            n += 1
        self._next_suffix[base] = n + 1
        return f"{base}_{n}"

    # -- using ------------------------------------------------------------------------------
    @property
    def spec(self) -> WorkflowSpec:
        """A validated copy of the spec built so far."""
        return WorkflowSpec.parse(self._spec.dump())

    def save(self, path: str | Path) -> Path:
        """Write the spec to ``.qflow``/``.json`` (JSON) or ``.yaml``/``.yml``."""
        return dump_spec(self.spec, path)

    @classmethod
    def load(cls, path: str | Path) -> Workflow:
        """Read a workflow file written by :meth:`save`, the designer, or by hand."""
        return cls.from_spec(load_spec(Path(path)))

    @classmethod
    def from_spec(cls, spec: WorkflowSpec) -> Workflow:
        """Wrap an existing spec (no copy is shared with the caller)."""
        wf = cls(spec.name)
        wf._spec = WorkflowSpec.parse(spec.dump())
        wf._ids = {t.id for t in wf._spec.tasks}
        return wf

    def open(self, path: str | Path | None = None, *, overwrite: bool = False) -> DesignerLink:
        """Open the workflow in JupyterLab's designer (the main-area ``.qflow`` editor).

        Writes the spec to ``path`` (default: ``<name>.qflow`` next to the notebook) and, in
        a notebook, shows a link that the QuantumFlow extension opens in the designer. A
        file that holds something else is never replaced unless ``overwrite=True``; one
        that holds this workflow with the designer's positions is kept as it is.

        Returns:
            The link (``.path`` is the file); outside a notebook its repr names the file.

        Raises:
            QuantumFlowError: the file holds another workflow and ``overwrite`` is False.
        """
        from .jupyter.designer_link import open_in_designer

        return open_in_designer(self.spec, path=path, overwrite=overwrite)

    def to_networkx(self) -> Any:
        """The workflow as a ``networkx.DiGraph``: a node per task (its spec fields, and
        ``pos`` from the layout), an edge per dependency (``inputs`` that read it,
        ``depends_on``); the workflow's own fields in ``g.graph``. Needs networkx
        (``pip install 'quantumflow[networkx]'``)."""
        from .spec.nxgraph import to_networkx

        return to_networkx(self.spec)

    @classmethod
    def from_networkx(cls, graph: Any) -> Workflow:
        """A workflow from a ``networkx.DiGraph`` shaped like :meth:`to_networkx`'s (edges
        that no input references become ``depends_on``); the graph is not changed.

        Raises:
            SpecError: a node or attribute that is no task field, naming it.
        """
        from .spec.nxgraph import from_networkx

        return cls.from_spec(from_networkx(graph))

    def run(self, **options: Any) -> Run:
        """Validate and run (keyword options as for :func:`quantumflow.run`)."""
        from .engine import run

        return run(self.spec, **options)

    def __repr__(self) -> str:
        return f"Workflow({self._spec.name!r}, tasks={len(self._spec.tasks)})"
