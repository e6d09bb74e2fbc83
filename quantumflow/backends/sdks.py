"""The quantum SDKs QuantumFlow drives, in one table: what a warm worker imports, which packages
a result's metadata reports, and which pip extra installs them.

Read by the backend registry (:mod:`.registry`, whose families name their SDK), the result
metadata (:mod:`.tasks`) and the SDK worker processes
(:mod:`quantumflow.executors.sdk_workers`). A third-party backend declares its SDK with a
class attribute ``sdk = "name"`` (and may list ``warm_imports``); local plugins with an SDK
then run in warm worker processes of their own, like the built-in simulators.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Sdk:
    """One SDK.

    Attributes:
        name: the worker and route name (``sdk:<name>`` is its backend slot).
        packages: ``(import name, distribution name)`` of the packages whose versions every
            result reports; a missing optional one is left out.
        warm: modules a warm worker imports before its first task.
        extra: the pip extra that installs it (``pip install quantumflow[<extra>]``).
    """

    name: str
    packages: tuple[tuple[str, str], ...]
    warm: tuple[str, ...]
    extra: str


SDKS: dict[str, Sdk] = {
    "qiskit": Sdk(
        "qiskit",
        (("qiskit", "qiskit"), ("qiskit_aer", "qiskit-aer")),
        ("qiskit", "qiskit_aer", "quantumflow.backends.qiskit_backend"),
        "qiskit",
    ),
    "cirq": Sdk(
        "cirq",
        (("cirq", "cirq"), ("qsimcirq", "qsimcirq")),
        ("cirq", "qsimcirq", "quantumflow.backends.cirq_backend"),
        "cirq",
    ),
    "pennylane": Sdk(
        "pennylane",
        (("pennylane", "pennylane"), ("pennylane_lightning", "pennylane-lightning")),
        ("pennylane", "quantumflow.backends.pennylane_backend"),
        "pennylane",
    ),
}


def warm_modules(sdk: str) -> tuple[str, ...]:
    """What a warm worker of ``sdk`` imports up front (nothing for a plugin's own SDK)."""
    known = SDKS.get(sdk)
    return known.warm if known is not None else ()


_VERSIONS: dict[str, dict[str, str]] = {}


def sdk_versions(sdk: str) -> dict[str, str]:
    """Distribution name -> version of the SDK's packages that are installed (cached)."""
    if sdk not in _VERSIONS:
        known = SDKS.get(sdk)
        out: dict[str, str] = {}
        for module, dist in known.packages if known is not None else ():
            try:
                version = getattr(importlib.import_module(module), "__version__", None)
            except ImportError:  # an optional part of the SDK (qsim, lightning)
                continue
            if isinstance(version, str):
                out[dist] = version
        _VERSIONS[sdk] = out
    return _VERSIONS[sdk]
