"""A mitigated quantum task becomes its sub-circuits plus one combining step.

``T`` with ``mitigation`` turns into ordinary quantum tasks ``T__zne0``, ``T__zne1``, …
(the circuit folded to each noise scale, measured in each observable basis), ``T__rem0``
/ ``T__rem1`` (readout calibration), ``T__exact`` (noiseless reference, on request), all
with ``group: T``, and a classical task ``T`` (:func:`.combine.combine`) that reads them
and returns what ``T`` would have, mitigated, with its provenance. Downstream references
to ``T`` are unchanged. The sub-tasks are plain quantum executions: the scheduler runs
them in parallel, the results cache serves repeats, and a batching layer can pack them.
"""

from __future__ import annotations

from typing import Any

from ..backends.registry import get_backend
from ..circuits.qasm_out import to_qasm3
from ..circuits.sources import load_circuit
from ..errors import BackendError, Problem, SpecError
from ..spec import ClassicalTask, QuantumTask, WorkflowSpec
from .folding import fold, foldable_part
from .observables import basis_groups, calibration_circuit, measured_circuit
from .readout import MAX_QUBITS

#: The combining step every mitigated task ends in.
COMBINE_FN = "quantumflow.mitigation.combine:combine"
SEP = "__"


def needs_expansion(spec: WorkflowSpec) -> bool:
    """Whether any task asks for mitigation."""
    return any(isinstance(t, QuantumTask) and t.mitigation is not None for t in spec.tasks)


def expand_workflow(spec: WorkflowSpec) -> WorkflowSpec:
    """``spec`` with each mitigated task expanded (the same object when there is none).

    Raises:
        SpecError: every mitigated task that cannot be expanded, naming task and field.
    """
    if not needs_expansion(spec):
        return spec
    taken = {t.id for t in spec.tasks}
    problems: list[Problem] = []
    tasks: list[ClassicalTask | QuantumTask] = []
    for task in spec.tasks:
        if not isinstance(task, QuantumTask) or task.mitigation is None:
            tasks.append(task)
            continue
        try:
            tasks.extend(expand_task(task, taken=taken))
        except SpecError as err:
            problems.extend(err.problems)
    if problems:
        raise SpecError(problems)
    return spec.with_changes(tasks=tasks)


def _refuse(task: QuantumTask, message: str, field: str) -> SpecError:
    return SpecError(Problem(message, task=task.id, field=field))


def _check(task: QuantumTask) -> None:
    mit = task.mitigation
    assert mit is not None
    if not task.observables:
        raise _refuse(task, "mitigation needs observables (the values it mitigates)", "observables")
    if task.sweep:
        raise _refuse(task, "unsupported: mitigation of a sweep (use one task per point)", "sweep")
    if mit.readout and task.shots is None:
        raise _refuse(task, "readout mitigation needs shots (readout errors exist only "
                      "when bits are read)", "shots")  # fmt: skip
    try:
        caps = get_backend(task.backend).capabilities()
    except BackendError as err:
        raise _refuse(task, str(err), "backend") from None
    if not caps.noise:
        raise _refuse(
            task,
            f"unsupported: error mitigation on '{task.backend}', which cannot run noisy "
            "circuits; use qiskit.aer with noise, qiskit.fake:NAME, cirq.simulator with "
            "noise or pennylane:default.mixed",
            "mitigation",
        )


def _noiseless(task: QuantumTask) -> str:
    """The backend of the exact reference: the same SDK without noise."""
    return "qiskit.aer" if task.backend.startswith("qiskit.fake:") else task.backend


def expand_task(task: QuantumTask, *, taken: set[str]) -> list[ClassicalTask | QuantumTask]:
    """The sub-tasks and the combining task of one mitigated task (see the module doc).

    Raises:
        SpecError: the task cannot be mitigated (the problem names the field).
    """
    mit = task.mitigation
    assert mit is not None
    _check(task)
    try:
        circuit = load_circuit(task.circuit)
        unitary = foldable_part(circuit)
    except BackendError as err:
        raise _refuse(task, str(err), "circuit") from None
    n = circuit.num_qubits
    if mit.readout and n > MAX_QUBITS:
        raise _refuse(task, f"readout mitigation supports at most {MAX_QUBITS} qubits, "
                      f"the circuit has {n}", "mitigation.readout")  # fmt: skip
    try:
        groups = basis_groups(task.observables or [], n)
    except BackendError as err:
        raise _refuse(task, str(err), "observables") from None
    zne = mit.zne
    scales = list(zne.scale_factors) if zne is not None else [1.0]
    base = task.dump()
    for key in ("id", "mitigation", "observables", "circuit", "group", "description"):
        base.pop(key, None)
    if task.backend.startswith("qiskit"):
        # level 0: the transpiler's optimisations would cancel the folded G G† pairs
        base["transpile"] = {**(task.transpile or {}), "optimization_level": 0}

    def sub(suffix: str, circ: Any, k: int, **changes: Any) -> QuantumTask:
        sub_id = f"{task.id}{SEP}{suffix}"
        if sub_id in taken:
            raise _refuse(task, f"mitigation needs the task id '{sub_id}', which is taken", "id")
        seed = None if task.seed is None else task.seed + k
        fields = {**base, "seed": seed, **changes}
        return QuantumTask.parse({**fields, "id": sub_id, "group": task.id,
                                  "circuit": {"qasm": to_qasm3(circ)}})  # fmt: skip

    subs: list[QuantumTask] = []
    layout: list[dict[str, Any]] = []
    try:
        for i, scale in enumerate(scales):
            folded = fold(unitary, scale, method=zne.folding if zne else "global", seed=task.seed)
            for j, (basis, members) in enumerate(groups):
                name = (f"zne{i}" if zne else "run") + (f"_b{j}" if len(groups) > 1 else "")
                subs.append(sub(name, measured_circuit(folded, basis), len(subs)))
                layout.append({"input": name, "scale": scale, "group": j,
                               "ops": len(folded.ops), "observables": members})  # fmt: skip
    except (BackendError, ValueError) as err:
        raise _refuse(task, str(err), "mitigation.zne") from None
    except ModuleNotFoundError as err:
        raise _refuse(task, f"mitigation needs mitiq: pip install 'quantumflow[mitigation]' "
                      f"({err})", "mitigation") from None  # fmt: skip
    if mit.readout:
        for bit in (0, 1):
            subs.append(sub(f"rem{bit}", calibration_circuit(n, ones=bool(bit)), len(subs),
                            inputs={}, depends_on=[]))  # fmt: skip
    if mit.reference:
        subs.append(sub("exact", unitary, len(subs), backend=_noiseless(task), shots=None,
                        noise=None, observables=list(task.observables or [])))  # fmt: skip
    combine = _combine_task(task, subs, layout=layout, groups=groups, unitary=unitary)
    return [*subs, combine]


def _combine_task(
    task: QuantumTask,
    subs: list[QuantumTask],
    *,
    layout: list[dict[str, Any]],
    groups: list[tuple[dict[int, str], list[str]]],
    unitary: Any,
) -> ClassicalTask:
    """The classical task ``T`` that combines the sub-circuits (its config records what
    each input is: scale, basis, observables)."""
    mit = task.mitigation
    assert mit is not None
    zne = mit.zne
    config = {
        "task": task.id,
        "backend": task.backend,
        "noise": task.noise,
        "shots": task.shots,
        "qubits": unitary.num_qubits,
        "observables": list(task.observables or []),
        "groups": [
            {"basis": {str(q): p for q, p in b.items()}, "observables": m} for b, m in groups
        ],
        "runs": layout,
        "base_ops": len(unitary.ops),
        "zne": zne.dump(json_mode=True) if zne is not None else None,
        "readout": mit.readout,
        "reference": mit.reference,
    }
    inputs: dict[str, Any] = {"config": {"literal": config}}
    for s in subs:
        inputs[s.id.removeprefix(task.id + SEP)] = {"ref": s.id}
    combine = ClassicalTask.parse({
        "id": task.id,
        "fn": COMBINE_FN,
        "inputs": inputs,
        "group": task.id,
        "description": task.description or f"mitigated {task.id}",
        "cache": False,
        **({"timeout_s": task.timeout_s} if task.timeout_s else {}),
    })  # fmt: skip
    return combine
