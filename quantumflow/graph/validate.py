"""Check a spec before anything runs: ids, references, params, functions, quantum fields, cycles.

Every problem is collected (not just the first) and each names its task and field. Nothing
is written anywhere; an invalid spec raises :class:`SpecError` (or :class:`CycleError`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .._native import scheduler
from ..config import ModulePolicy, load_settings, module_policy
from ..errors import CycleError, ModuleNotAllowedError, Problem, SpecError
from ..executors.functions import lookup_function
from ..executors.signatures import Signature, describe, input_problems
from ..spec import ClassicalTask, QuantumTask, WorkflowSpec
from .documents import VALUE_LEVEL, document_problems
from .inputs import InputPlan, compile_task
from .resources import resource_problems
from .run_params import run_param_problems


@dataclass
class ValidatedWorkflow:
    """A spec that passed validation, with its graph in index form (positions in ``tasks``).

    Attributes:
        spec: the spec.
        ids: task ids by index.
        index: task id -> index.
        src, dst: edges (``dst`` depends on ``src``).
        upstream: per task, the indices it depends on.
        functions: per task, the resolved callable (None for quantum tasks or when imports
            were not checked).
        inputs: per task, its compiled inputs.
        dag: the native graph (unit costs).
    """

    spec: WorkflowSpec
    ids: list[str]
    index: dict[str, int]
    src: list[int]
    dst: list[int]
    upstream: list[list[int]]
    functions: list[Callable[..., Any] | None]
    inputs: list[InputPlan]
    dag: scheduler.Dag

    def downstream_of(self, task: int) -> set[int]:
        """``task`` and every task that depends on it, directly or not."""
        seen = {task}
        stack = [task]
        while stack:
            for nxt in self.dag.successors(stack.pop()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen


def validate(
    spec: WorkflowSpec,
    *,
    check_imports: bool = True,
    params: Mapping[str, Any] | None = None,
    policy: ModulePolicy | None = None,
) -> ValidatedWorkflow:
    """Validate a spec's graph and fields. Never runs a task function or a circuit callable.

    Args:
        spec: a parsed spec (see ``quantumflow.load_spec``).
        check_imports: find every classical ``fn`` and circuit callable (and check quantum
            tasks with their backend); False checks only the graph. A function that is
            imported has its inputs held against its signature (inspected, never called).
        params: run parameters, which may supply ``{param: X}`` inputs the spec lacks;
            one the workflow has no use for is a problem (``params.NAME``).
        policy: which modules functions may come from (default: this process's). A
            trusting policy imports each ``fn``'s module to find the function; an
            allow-list refuses other modules and only locates allowed ones (``find_spec``).

    A quantum task with ``mitigation`` is first expanded into its sub-circuits and a
    combining step (:mod:`quantumflow.mitigation`); the returned ``spec`` is the expanded one.

    Returns:
        The validated workflow in index form.

    Raises:
        CycleError: the dependencies contain a cycle (its task ids, in order).
        ModuleNotAllowedError: a ``fn`` or circuit callable comes from a module outside the
            allow-list (``err.problems`` lists every problem, ``err.modules`` those).
        SpecError: anything else; ``err.problems`` lists every problem with task and field.
    """
    settings = load_settings()  # read once: each read parses the environment
    policy = policy or module_policy(settings)
    if any(getattr(t, "mitigation", None) is not None for t in spec.tasks):
        from ..mitigation import expand_workflow  # only mitigated specs pay for it

        spec = expand_workflow(spec)  # sub-circuits + a combining step per mitigated task
    problems: list[Problem] = []
    ids = [t.id for t in spec.tasks]
    index: dict[str, int] = {}
    for i, tid in enumerate(ids):
        if tid in index:
            problems.append(Problem("duplicate task id", task=tid, field="id"))
        else:
            index[tid] = i
    known_params = set(spec.params) | set(params or ())
    limit = settings.limits.json_depth
    value_depth = limit - VALUE_LEVEL  # a spec document: spec, tasks, task, inputs, value
    problems.extend(document_problems(spec, params, limit))
    src: list[int] = []
    dst: list[int] = []
    upstream: list[list[int]] = []
    plans: list[InputPlan] = []
    for i, task in enumerate(spec.tasks):
        found = _depends(task.id, task.depends_on, index, problems)
        plans.append(
            compile_task(
                task.id,
                task.inputs,
                index,
                found,
                known_params=known_params,
                problems=problems,
                max_depth=value_depth,
            )
        )
        ups = list(found)
        upstream.append(ups)
        src.extend(ups)
        dst.extend([i] * len(ups))
    functions: list[Callable[..., Any] | None] = (
        _functions(spec, problems, policy) if check_imports else [None] * len(ids)
    )
    if check_imports and any(isinstance(t, QuantumTask) for t in spec.tasks):
        problems.extend(_quantum_problems(spec))
    problems.extend(resource_problems(spec))
    if params:
        problems.extend(run_param_problems(spec, params, plans))
    dag: scheduler.Dag | None = None
    cycle: list[str] | None = None
    try:
        dag = scheduler.Dag(len(ids), src, dst)
    except scheduler.GraphCycleError as err:
        cycle = [ids[i] for i in err.cycle]
    if cycle is not None:
        cycle_err = CycleError(cycle)
        if not problems:
            raise cycle_err
        problems.extend(cycle_err.problems)
    if problems:
        refused = _refused_modules(spec, policy)
        if refused:
            raise ModuleNotAllowedError(problems, refused)
        raise SpecError(problems)
    assert dag is not None
    return ValidatedWorkflow(spec, ids, index, src, dst, upstream, functions, plans, dag)


def _depends(
    task_id: str, depends_on: list[str], index: Mapping[str, int], problems: list[Problem]
) -> dict[int, None]:
    """The indices ``depends_on`` names, in order (a dict: references are added to it)."""
    found: dict[int, None] = {}
    for dep in depends_on:
        if dep == task_id:
            problems.append(Problem("a task cannot depend on itself", task_id, "depends_on"))
        elif dep not in index:
            problems.append(Problem(f"unknown task '{dep}'", task_id, "depends_on"))
        else:
            found.setdefault(index[dep])
    return found


def _functions(
    spec: WorkflowSpec, problems: list[Problem], policy: ModulePolicy
) -> list[Callable[..., Any] | None]:
    """Each classical task's function (None where it is not imported: quantum tasks, a
    module located without importing it, or a problem, which is added). An imported
    function's signature is read (never called) and the task's inputs held against it."""
    resolved: dict[str, tuple[Callable[..., Any] | None, Signature | None] | SpecError] = {}
    out: list[Callable[..., Any] | None] = []
    for task in spec.tasks:
        if not isinstance(task, ClassicalTask):
            out.append(None)
            continue
        found = resolved.get(task.fn)
        if found is None:
            try:
                fn = lookup_function(task.fn, policy=policy, load=policy.trusted)
                found = resolved[task.fn] = (fn, describe(fn) if fn is not None else None)
            except SpecError as err:
                found = resolved[task.fn] = err
        if isinstance(found, SpecError):
            problems.append(Problem(str(found), task.id, "fn"))
            out.append(None)
            continue
        fn, sig = found
        if sig is not None:
            keys = task.inputs.keys()
            # the common case inline (validation's hot loop): every required name given,
            # none unknown; otherwise input_problems says which
            if not (sig.required <= keys and (sig.var_keyword or keys <= sig.names)):
                problems.extend(input_problems(task.id, task.fn, task.inputs, sig))
        out.append(fn)
    return out


def _refused_modules(spec: WorkflowSpec, policy: ModulePolicy) -> list[str]:
    """The modules of ``fn`` s and circuit callables that ``policy`` refuses, in order."""
    if policy.trusted:
        return []
    refused: dict[str, None] = {}
    for task in spec.tasks:
        path = task.fn if isinstance(task, ClassicalTask) else task.circuit.callable
        module, sep, _ = (path or "").partition(":")
        if sep and module and not policy.allows(module):
            refused.setdefault(module)
    return list(refused)


def _quantum_problems(spec: WorkflowSpec) -> list[Problem]:
    if not any(isinstance(t, QuantumTask) for t in spec.tasks):
        return []
    from ..backends import check_quantum_task as check  # only specs with quantum tasks pay

    problems: list[Problem] = []
    for task in spec.tasks:
        if isinstance(task, QuantumTask):
            for p in check(task):
                problems.append(p if p.task else Problem(p.message, task.id, p.field))
    return problems
