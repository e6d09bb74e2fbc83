"""Quantum backends: one protocol, adapters for Qiskit, Cirq and PennyLane, one result format.

Importing this package imports no quantum SDK; each adapter imports its own when used.
"""

from __future__ import annotations

from .base import Backend, BackendInfo, BatchResult, Capabilities, JobHandle, QuantumJob
from .registry import get_backend, list_backends
from .tasks import check_quantum_task, execute_quantum_task, quantum_cache_key

__all__ = [
    "Backend",
    "BackendInfo",
    "BatchResult",
    "Capabilities",
    "JobHandle",
    "QuantumJob",
    "check_quantum_task",
    "execute_quantum_task",
    "get_backend",
    "list_backends",
    "quantum_cache_key",
]
