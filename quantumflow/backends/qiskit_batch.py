"""Aer batches: many tasks' jobs in as few ``AerSimulator.run`` / ``EstimatorV2`` calls as
their options and seeds allow.

- Counts (one point, no observables): one ``sim.run([circuits…])`` per simulator, shot count
  and *seed chain*. Aer seeds circuit ``i`` of a call with ``seed_simulator + 2113·i``, so a
  seeded task gets the counts it gets alone only at a position where that formula gives its
  own seed: seeded jobs are packed in chains of such seeds (in practice, alone), unseeded
  jobs all together. A call over a list costs little more than a call over one circuit; the
  batch's real savings are the transpiler (one pass manager), the worker round trip and the
  engine's per-task work.
- Expectation values (no sampling): one ``EstimatorV2.run`` with a PUB per job (exact, so
  seeds do not matter), per simulator options.
- Anything else (exact probabilities, sweeps with counts, both counts and observables) runs
  alone through :meth:`AerBackend.run`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import BackendError
from .base import BatchResult, PointResult, QuantumJob
from .batch import Outcome, alone, packed
from .qiskit_transpile import summary
from .results import normalize_qiskit_counts, parse_observable, qiskit_label

#: Aer's seed for circuit ``i`` of one call is ``seed_simulator + SEED_STEP * i``.
SEED_STEP = 2113


def seed_chains(seeds: Sequence[int | None], *, step: int = SEED_STEP) -> list[list[int]]:
    """Positions grouped so that, within a group, the k-th member's seed is the first
    one's plus ``k * step`` (unseeded members form one group of their own)."""
    unseeded = [i for i, s in enumerate(seeds) if s is None]
    chains: list[list[int]] = []
    open_at: dict[int, int] = {}  # next seed a chain accepts -> chain index
    for seed, i in sorted((s, i) for i, s in enumerate(seeds) if s is not None):
        c = open_at.pop(seed, None)
        if c is None:
            c = len(chains)
            chains.append([])
        chains[c].append(i)
        open_at[seed + step] = c
    return ([unseeded] if unseeded else []) + chains


def _samples_only(job: QuantumJob) -> bool:
    return bool(job.circuit.num_clbits) and job.shots is not None and not job.observables


def _estimates_only(job: QuantumJob) -> bool:
    return bool(job.observables) and not (job.circuit.num_clbits and job.shots)


def aer_run_batch(backend: Any, jobs: Sequence[QuantumJob]) -> list[Outcome]:
    """One result or error per job (see the module docstring for how they are packed)."""
    out: list[Outcome | None] = [None] * len(jobs)
    sample: list[int] = []
    estimate: list[int] = []
    for i, job in enumerate(jobs):
        try:
            backend.check(job)
        except BackendError as exc:
            out[i] = exc
            continue
        if _samples_only(job) and len(job.points) == 1:
            sample.append(i)
        elif _estimates_only(job):
            estimate.append(i)
        else:
            out[i] = alone(backend, job)
    _sample(backend, jobs, sample, out)
    _estimate(backend, jobs, estimate, out)
    return [o if o is not None else BackendError("not run", backend=backend.name) for o in out]


def _sample(backend: Any, jobs: Sequence[QuantumJob], members: list[int], out: list[Any]) -> None:
    ready: dict[tuple[int, int], list[tuple[int, Any, float]]] = {}
    sims: dict[int, Any] = {}
    for i in members:
        job = jobs[i]
        try:
            tqc, params, t = backend.prepared(job, measured=True)
            if params:
                job.require_values(params, backend=backend.name)
                tqc = tqc.assign_parameters({params[n]: job.points[0][n] for n in params})
            sim = backend.target_backend(job)
        except BackendError as exc:
            out[i] = exc
            continue
        except Exception as exc:  # conversion or transpilation refused this circuit
            out[i] = BackendError(f"{backend.name} failed: {type(exc).__name__}: {exc}")
            continue
        sims[id(sim)] = sim
        assert job.shots is not None
        ready.setdefault((id(sim), job.shots), []).append((i, tqc, t))
    for (sim_id, shots), group in ready.items():
        sim = sims[sim_id]
        for chain in seed_chains([jobs[i].seed for i, _, _ in group]):
            picked = [group[k] for k in chain]
            pj = [jobs[i] for i, _, _ in picked]
            circuits = [tqc for _, tqc, _ in picked]
            seed = pj[0].seed

            def call(sim: Any = sim, circuits: list[Any] = circuits, pj: list[QuantumJob] = pj,
                     seed: int | None = seed, shots: int = shots) -> list[BatchResult]:  # fmt: skip
                kwargs: dict[str, Any] = {"shots": shots}
                if seed is not None:
                    kwargs["seed_simulator"] = seed
                result = sim.run(circuits, **kwargs).result()
                if not result.success:
                    raise BackendError(f"{backend.name} failed: {result.status}")
                return [
                    BatchResult(
                        [
                            PointResult(
                                counts=normalize_qiskit_counts(
                                    result.get_counts(k), job.circuit.num_clbits
                                )
                            )
                        ],
                        transpiled=summary(circuits[k]),
                        timings={"transpile": 0.0},
                    )
                    for k, job in enumerate(pj)
                ]

            for (i, _, t), res in zip(picked, packed(pj, call, backend=backend), strict=True):
                if isinstance(res, BatchResult):
                    res.timings["transpile"] = t
                out[i] = res


def _estimate(backend: Any, jobs: Sequence[QuantumJob], members: list[int], out: list[Any]) -> None:
    from qiskit.quantum_info import SparsePauliOp
    from qiskit_aer.primitives import EstimatorV2

    groups: dict[tuple[Any, ...], list[tuple[int, Any, float, Any]]] = {}
    for i in members:
        job = jobs[i]
        try:
            tqc, params, t = backend.prepared(job, measured=False)
            n = job.circuit.num_qubits
            obs = [SparsePauliOp(qiskit_label(parse_observable(o, n), n)) for o in job.observables]
            if tqc.layout is not None:
                obs = [o.apply_layout(tqc.layout) for o in obs]
            names = list(params)
            backend._binds(job, params)
            pub: tuple[Any, ...] = (tqc, obs)
            if names:
                values = np.array([[p[nm] for nm in names] for p in job.points])
                pub = (tqc, obs, values.reshape(-1, 1, len(names)))
            options = backend.estimator_backend_options(job)
        except BackendError as exc:
            out[i] = exc
            continue
        except Exception as exc:
            out[i] = BackendError(f"{backend.name} failed: {type(exc).__name__}: {exc}")
            continue
        key = (job.threads, repr(sorted((job.noise or {}).items())), job.seed)
        groups.setdefault(key, []).append((i, pub, t, options))
    for (threads, _, seed), group in groups.items():
        opts: dict[str, Any] = {"backend_options": dict(group[0][3]), "run_options": {}}
        if threads:
            opts["backend_options"]["max_parallel_threads"] = threads
        if seed is not None:
            opts["run_options"]["seed"] = seed
        pj = [jobs[i] for i, _, _, _ in group]
        pubs = [pub for _, pub, _, _ in group]

        def call(opts: dict[str, Any] = opts, pubs: list[Any] = pubs,
                 pj: list[QuantumJob] = pj) -> list[BatchResult]:  # fmt: skip
            est = EstimatorV2(options={**opts, "default_precision": 0.0})
            results = est.run(pubs).result()
            made = []
            for job, pub, res in zip(pj, pubs, results, strict=True):
                evs = np.asarray(res.data.evs).reshape(len(job.points), len(job.observables))
                names = job.observables
                points = [
                    PointResult(expectations={o: float(v) for o, v in zip(names, row, strict=True)})
                    for row in evs
                ]
                made.append(BatchResult(points, transpiled=summary(pub[0]), timings={}))
            return made

        for (i, _, t, _), res in zip(group, packed(pj, call, backend=backend), strict=True):
            if isinstance(res, BatchResult):
                res.timings["transpile"] = t
            out[i] = res
