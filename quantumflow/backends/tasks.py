"""The engine-facing functions: check, execute and cache-key a quantum task."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from typing import Any

from .._cache import IdentityCache
from ..circuits.binding import parameter_values
from ..circuits.ir import Circuit
from ..circuits.qasm_out import to_qasm3
from ..circuits.sources import load_circuit, locate_callable
from ..circuits.sweeps import expand_sweep
from ..errors import BackendError, Problem, ResourceLimitError, SpecError
from ..spec import QuantumTask
from .base import BatchResult, Capabilities, ExecutionMode, QuantumJob
from .memory import check_memory
from .registry import Family, get_backend, resolve_family, sdk_installed
from .results import parse_observable
from .sdks import sdk_versions

CACHE_KEY_VERSION = "qf-quantum-1"


def _source_field(task: QuantumTask) -> str:
    src = task.circuit
    for name in ("qasm", "qasm_file", "builtin", "callable"):
        if getattr(src, name) is not None:
            return f"circuit.{name}"
    return "circuit"  # pragma: no cover


def check_size(circuit: Circuit, caps: Capabilities, *, backend: str) -> None:
    """Refuse a circuit that is too wide for the backend or for memory (no allocation)."""
    if caps.max_qubits is not None and circuit.num_qubits > caps.max_qubits:
        raise ResourceLimitError(
            f"circuit has {circuit.num_qubits} qubits but {backend} has {caps.max_qubits}",
            backend=backend,
        )
    if not caps.remote:
        check_memory(
            circuit.num_qubits, backend=backend, bytes_per_amplitude=caps.bytes_per_amplitude
        )


def check_quantum_task(task: QuantumTask) -> list[Problem]:
    """Everything wrong with a quantum task, found before anything runs.

    Checks the backend is known and its SDK installed, the circuit loads (bad QASM names
    its line), qubits fit the backend and memory, sweep and observables parse.
    """
    problems: list[Problem] = []

    def add(message: str, field: str) -> None:
        problems.append(Problem(message, task=task.id, field=field))

    try:
        fam = resolve_family(task.backend)
        if isinstance(fam, Family) and not sdk_installed(fam):
            add(f"backend '{task.backend}' needs `pip install quantumflow[{fam.extra}]`", "backend")
            fam = None
    except BackendError as exc:
        add(str(exc), "backend")
        fam = None
    circuit = None
    try:
        if task.circuit.callable is not None:  # never called before the run: only located
            locate_callable(task.circuit.callable)
        else:
            circuit = load_circuit(task.circuit)
    except (BackendError, SpecError) as exc:  # QasmError, ModuleNotAllowedError among them
        add(str(exc), _source_field(task))
    try:
        expand_sweep(task.sweep)
    except BackendError as exc:
        add(str(exc), "sweep")
    if circuit is not None:
        for obs in task.observables or []:
            try:
                parse_observable(obs, circuit.num_qubits)
            except BackendError as exc:
                add(str(exc), "observables")
        if fam is not None:
            try:
                check_size(circuit, get_backend(task.backend).capabilities(), backend=task.backend)
            except BackendError as exc:
                add(str(exc), "circuit")
    return problems


def build_job(
    task: QuantumTask,
    *,
    inputs: Mapping[str, Any],
    params: Mapping[str, Any] | None,
    threads: int | None = None,
    mode: ExecutionMode | None = None,
) -> tuple[QuantumJob, list[dict[str, float]]]:
    """The backend job for a task, plus the sweep points as given (for the output)."""
    circuit = load_circuit(task.circuit)
    values = parameter_values(circuit, inputs, params)
    sweep_points = expand_sweep(task.sweep)
    points = tuple({**values, **p} for p in sweep_points)
    job = QuantumJob(
        circuit=circuit,
        points=points,
        shots=task.shots,
        seed=task.seed,
        observables=tuple(task.observables or ()),
        noise=task.noise,
        transpile=task.transpile,
        threads=threads,
        mode=mode,
    )
    return job, sweep_points


def execute_quantum_task(
    task: QuantumTask,
    *,
    inputs: Mapping[str, Any],
    params: Mapping[str, Any] | None = None,
    threads: int | None = None,
) -> dict[str, Any]:
    """Run a quantum task and return its JSON-able result.

    ``{"counts", "shots", "expectations"?, "probabilities"?, "metadata"}``; with a sweep
    ``{"sweep": {"points": [...], "results": [...]}, "metadata"}``. Counts are keyed with
    classical bit 0 as the RIGHTMOST character.

    Raises:
        BackendError: (and subclasses) with ``retryable`` set for provider/queue errors.
    """
    start = time.perf_counter()
    backend = get_backend(task.backend)
    job, sweep_points = build_job(task, inputs=inputs, params=params, threads=threads)
    check_size(job.circuit, backend.capabilities(), backend=task.backend)
    handle = backend.submit(job)
    batch = backend.result(handle, timeout=task.timeout_s)
    return format_output(task, job, batch, sweep_points, started=start, job_id=handle.job_id)


def format_output(
    task: QuantumTask,
    job: QuantumJob,
    batch: BatchResult,
    sweep_points: list[dict[str, float]],
    *,
    started: float,
    job_id: str | None,
) -> dict[str, Any]:
    """Assemble the normalized output dict (one result per point for sweeps)."""
    per_point = []
    for r in batch.points:
        item: dict[str, Any] = {}
        if r.counts is not None:
            item["counts"] = r.counts
            item["shots"] = job.shots
        if r.probabilities is not None:
            item["probabilities"] = r.probabilities
            item["shots"] = None
        if r.expectations is not None:
            item["expectations"] = r.expectations
        per_point.append(item)
    timings = {"transpile": 0.0, "queue": 0.0, "execute": 0.0, **batch.timings}
    timings["total"] = time.perf_counter() - started
    metadata: dict[str, Any] = {
        "backend": task.backend,
        "sdk": _sdk_of(task.backend),
        "sdk_versions": sdk_versions(_sdk_of(task.backend)),
        "seed": job.seed,
        "qubits": job.circuit.num_qubits,
        "clbits": job.circuit.num_clbits,
        "depth": job.circuit.depth(),
        "gates": job.circuit.gate_counts(),
        "transpiled": batch.transpiled or None,
        "timings": timings,
        "job_id": batch.job_id or job_id,
        "bit_order": "clbit 0 is the rightmost character",
        **batch.extra,
    }
    if task.sweep:
        return {"sweep": {"points": sweep_points, "results": per_point}, "metadata": metadata}
    return {**per_point[0], "metadata": metadata}


def _sdk_of(name: str) -> str:
    fam = resolve_family(name)
    return fam.sdk if isinstance(fam, Family) else str(getattr(get_backend(name), "sdk", "plugin"))


def quantum_cache_key(
    task: QuantumTask, *, inputs: Mapping[str, Any], params: Mapping[str, Any] | None = None
) -> str:
    """Content hash of what determines the result: the canonical OpenQASM 3 text after
    binding inputs, the backend, shots, seed, noise, transpile options, observables and
    sweep points. Register names, comments and whitespace do not change it."""
    circuit = load_circuit(task.circuit)
    values = parameter_values(circuit, inputs, params)
    payload = {
        "v": CACHE_KEY_VERSION,
        "qasm3": _canonical_text(circuit, values),
        "backend": task.backend,
        "shots": task.shots,
        "seed": task.seed,
        "noise": task.noise,
        "transpile": task.transpile,
        "observables": task.observables,
        "sweep": expand_sweep(task.sweep) if task.sweep else None,
    }
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


#: The canonical text of an unbound circuit, per circuit object (a sweep reuses one).
_TEXT: IdentityCache[Circuit, str] = IdentityCache(to_qasm3)


def _canonical_text(circuit: Circuit, values: Mapping[str, float]) -> str:
    return to_qasm3(circuit.bind(values)) if values else _TEXT(circuit)
