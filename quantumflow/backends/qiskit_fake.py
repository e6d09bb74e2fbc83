"""``qiskit.fake:NAME``: a qiskit-ibm-runtime fake backend simulated by Aer with its own
coupling map, basis gates and noise model (circuits are transpiled to it, once)."""

from __future__ import annotations

import functools
from typing import Any

from ..errors import BackendError, UnsupportedFeatureError
from .base import Capabilities, QuantumJob
from .qiskit_backend import AerBackend
from .qiskit_transpile import is_dynamic


@functools.lru_cache(maxsize=16)
def fake_backend(name: str) -> Any:
    """The fake backend called ``name`` (e.g. ``fake_manila`` -> ``FakeManilaV2``).

    Raises:
        BackendError: no such fake backend.
    """
    from qiskit_ibm_runtime import fake_provider

    camel = "".join(p.capitalize() for p in name.removeprefix("fake_").split("_"))
    for cls_name in (f"Fake{camel}V2", f"Fake{camel}"):
        cls = getattr(fake_provider, cls_name, None)
        if isinstance(cls, type):
            return cls()
    known = sorted(
        "fake_" + n[4:].removesuffix("V2").lower()
        for n in dir(fake_provider)
        if n.startswith("Fake") and n.endswith("V2")
    )
    raise BackendError(
        f"unknown fake backend '{name}' (e.g. {', '.join(known[:10])}, …)",
        backend=f"qiskit.fake:{name}",
    )


class FakeBackend(AerBackend):
    """A fake IBM device: transpiled to its target, with its noise."""

    def __init__(self, arg: str | None = None) -> None:
        super().__init__(None)
        if not arg:
            raise BackendError("qiskit.fake needs a device name, e.g. qiskit.fake:fake_manila")
        self.device = fake_backend(arg)
        self.name = f"qiskit.fake:{arg}"

    def capabilities(self) -> Capabilities:
        """The device's qubit count and basis gates; noisy; native batches."""
        return Capabilities(
            max_qubits=int(self.device.num_qubits),
            native_gates=tuple(sorted(self.device.operation_names)),
            noise=True,
            batching="parameter_binds, EstimatorV2 arrays",
        )

    def target_backend(self, job: QuantumJob) -> Any:
        """AerSimulator.from_backend(device) (cached per thread count)."""
        from qiskit_aer import AerSimulator

        if job.noise:
            raise UnsupportedFeatureError(
                f"unsupported: a custom 'noise' on {self.name}; it uses the device's own noise "
                "(use qiskit.aer for a custom noise model)",
                backend=self.name,
            )
        dynamic = is_dynamic(job.circuit)
        key = ("fake", job.threads, dynamic)
        sim = self._sims.get(key)
        if sim is None:
            sim = AerSimulator.from_backend(self.device)
            if job.threads:
                sim.set_options(max_parallel_threads=job.threads)
            if dynamic:
                sim.set_options(shot_branching_enable=True)
            self._sims[key] = sim
        return sim

    def estimator_backend_options(self, job: QuantumJob) -> dict[str, Any]:
        """The device noise model for EstimatorV2."""
        self.target_backend(job)
        return {"noise_model": self.noise_model()}

    @functools.cache  # noqa: B019 - one instance per backend name, kept for the process
    def noise_model(self) -> Any:
        """The device's noise model (built once: it takes a while)."""
        from qiskit_aer.noise import NoiseModel

        return NoiseModel.from_backend(self.device)
