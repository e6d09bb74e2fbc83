"""PennyLane adapter: ``pennylane:DEVICE`` for any installed device (``default.qubit``,
``lightning.qubit``, plugin/remote devices).

Sweeps use PennyLane parameter broadcasting: the QNode is called once with arrays.
Circuits with mid-circuit measurement, reset or conditions use ``qml.measure``/``qml.cond``
with the tree-traversal method on the devices that have it (it explores each measurement
branch once, skipping impossible ones, instead of simulating every shot), else one-shot.
Batches of tasks run as one ``qml.execute`` over tapes (:mod:`.pennylane_batch`).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..errors import BackendError, UnsupportedFeatureError
from .base import BatchResult, Capabilities, PointResult, QuantumJob
from .exact import probabilities_over_clbits
from .local import LocalSimulator
from .noise_models import rates
from .results import place_bits

#: Devices whose tree-traversal method runs mid-circuit measurements (PennyLane 0.38+).
TREE_TRAVERSAL = frozenset(
    {"default.qubit", "lightning.qubit", "lightning.kokkos", "lightning.gpu"}
)
#: PennyLane devices that simulate mixed states, so noise channels apply.
NOISY_DEVICES = ("default.mixed",)


class PennyLaneBackend(LocalSimulator):
    """``pennylane:DEVICE``."""

    sdk = "pennylane"

    def __init__(self, arg: str | None = None) -> None:
        self.device_name = arg or "default.qubit"
        self.name = f"pennylane:{self.device_name}"
        self._devices: dict[tuple[int, int | None], Any] = {}

    def capabilities(self) -> Capabilities:
        """Broadcasting sweeps; mid-circuit measurement via the one-shot method; noise
        models on the mixed-state device ``default.mixed``."""
        return Capabilities(
            max_qubits=None,
            batching="parameter broadcasting",
            noise=self.device_name in NOISY_DEVICES,
        )

    def _noisy(self, job: QuantumJob, qnode: Any) -> Any:
        """``qnode`` with the job's gate noise added (``qml.add_noise``)."""
        if not job.noise:
            return qnode
        import pennylane as qml

        from .noise_models import pennylane_noise_model

        return qml.add_noise(qnode, pennylane_noise_model(job.noise))

    def device(self, wires: int, seed: int | None) -> Any:
        """The device (cached per width and seed; PennyLane seeds a device once)."""
        import pennylane as qml

        key = (wires, seed)
        dev = self._devices.get(key)
        if dev is None:
            try:
                dev = qml.device(self.device_name, wires=wires, seed=seed)
            except TypeError:
                dev = qml.device(self.device_name, wires=wires)
            except Exception as exc:
                raise BackendError(
                    f"unknown or unusable PennyLane device '{self.device_name}': {exc}",
                    backend=self.name,
                ) from exc
            self._devices[key] = dev
        return dev

    def run_batch(self, jobs: list[QuantumJob]) -> list[BatchResult | BackendError]:
        """Several tasks' jobs as one ``qml.execute`` per device (see :mod:`.pennylane_batch`)."""
        from .pennylane_batch import pennylane_run_batch

        return pennylane_run_batch(self, jobs)

    def run(self, job: QuantumJob) -> BatchResult:
        """One QNode call per mode, parameters broadcast over the sweep points."""
        import pennylane as qml

        from .to_pennylane import apply_ops

        circuit = job.circuit
        free = sorted(circuit.free_parameters())
        job.require_values(free, backend=self.name)
        batched = len(job.points) > 1 and bool(free)
        values: dict[str, Any] = {
            n: np.array([p[n] for p in job.points]) if batched else job.points[0][n] for n in free
        }
        # fresh device per run so a seed gives the same samples every time
        dev = self.device(circuit.num_qubits, job.seed)
        if job.seed is not None:
            self._devices.pop((circuit.num_qubits, job.seed), None)
        results = [PointResult() for _ in job.points]
        start = time.perf_counter()
        mid = not circuit.measurements_are_terminal()
        measured = sorted({op.clbits[0] for op in circuit.ops if op.name == "measure"})
        width = circuit.num_clbits
        if width and (job.shots or not job.observables):
            if job.shots is None:

                @qml.qnode(dev)  # type: ignore[untyped-decorator]
                def probs_fn() -> Any:
                    apply_ops(circuit, values, mid_circuit=False)
                    return qml.state()

                if job.noise:
                    raise UnsupportedFeatureError(
                        f"unsupported on {self.name}: exact probabilities with noise (give shots)",
                        backend=self.name,
                    )
                states = np.asarray(probs_fn())
                states = states.reshape(-1, 1 << circuit.num_qubits)
                for i in range(len(job.points)):
                    st = _little_endian(states[i if batched else 0], circuit.num_qubits)
                    results[i].probabilities = probabilities_over_clbits(
                        st, circuit, backend=self.name
                    )
            else:
                counts = self._sample(job, dev, values, measured, mid=mid)
                per_point = counts if batched else [counts] * len(job.points)
                for i, raw in enumerate(per_point):
                    keyed = {str(k): int(v) for k, v in raw.items()}
                    results[i].counts = place_bits(keyed, measured[::-1], width)
        if job.observables:
            from .to_pennylane import observable

            obs = [observable(o, circuit.num_qubits) for o in job.observables]

            @qml.qnode(dev)  # type: ignore[untyped-decorator]
            def expval_fn() -> Any:
                apply_ops(circuit.without_measurements(), values, mid_circuit=False)
                return [qml.expval(o) for o in obs]

            # simulator expectations are exact, as on the other SDKs' simulators
            evs = np.asarray(self._noisy(job, expval_fn)(), dtype=float).reshape(len(obs), -1)
            for i in range(len(job.points)):
                col = evs[:, i if batched else 0]
                results[i].expectations = {
                    o: float(v) for o, v in zip(job.observables, col, strict=True)
                }
        execute = time.perf_counter() - start
        return BatchResult(results, timings={"transpile": 0.0, "execute": execute})

    def _sample(
        self, job: QuantumJob, dev: Any, values: dict[str, Any], measured: list[int], *, mid: bool
    ) -> Any:
        import pennylane as qml

        from .to_pennylane import apply_ops

        circuit = job.circuit
        wires = [circuit.measured_qubit_of()[c] for c in measured[::-1]]

        if mid:
            method = "tree-traversal" if self.device_name in TREE_TRAVERSAL else "one-shot"

            @qml.qnode(dev, mcm_method=method)  # type: ignore[untyped-decorator]
            def fn() -> Any:
                mvs = apply_ops(circuit, values, mid_circuit=True)
                return qml.counts(op=[mvs[c] for c in measured[::-1]])
        else:
            flip = rates(job.noise)[2] if job.noise else 0.0

            @qml.qnode(dev)  # type: ignore[untyped-decorator]
            def fn() -> Any:
                apply_ops(circuit, values, mid_circuit=False)
                for w in wires if flip else ():  # readout error: a bit flip before reading
                    qml.BitFlip(flip, wires=w)
                return qml.counts(wires=wires)

        return qml.set_shots(self._noisy(job, fn), job.shots)()


def _little_endian(state: Any, n: int) -> Any:
    """PennyLane puts wire 0 in the most significant bit; reverse to qubit 0 = LSB."""
    return np.asarray(state).reshape((2,) * n).transpose(list(range(n))[::-1]).reshape(-1)
