"""Memory guard: refuse a statevector that will not fit, BEFORE anything is allocated."""

from __future__ import annotations

from ..config import load_settings
from ..errors import ResourceLimitError


def statevector_bytes(num_qubits: int, *, bytes_per_amplitude: int = 16) -> int:
    """Bytes one statevector of ``num_qubits`` takes (complex128 by default)."""
    return (1 << num_qubits) * bytes_per_amplitude


def memory_limit_bytes() -> int:
    """The configured limit (``QUANTUMFLOW_MAX_MEMORY_GB``) or what the machine has free."""
    configured = load_settings().max_memory_bytes
    if configured is not None:
        return configured
    import psutil  # cheap, and only needed when no limit is configured

    return int(psutil.virtual_memory().available)


def check_memory(num_qubits: int, *, backend: str, bytes_per_amplitude: int = 16) -> None:
    """Raise :class:`ResourceLimitError` if the statevector would not fit.

    Simulators need about twice the statevector (state + scratch), so that is the test.
    """
    need = 2 * statevector_bytes(num_qubits, bytes_per_amplitude=bytes_per_amplitude)
    if need <= 1 << 20:  # a MiB always fits; skip reading settings on the hot path
        return
    limit = memory_limit_bytes()
    if need > limit:
        raise ResourceLimitError(
            f"{num_qubits} qubits need about {_human(need)} for the statevector on {backend} "
            f"but only {_human(limit)} is available; use fewer qubits, a larger machine, or "
            "raise QUANTUMFLOW_MAX_MEMORY_GB",
            backend=backend,
        )


def _human(n: int) -> str:
    units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    value = float(n)
    for unit in units:
        if value < 1024 or unit == units[-1]:
            return f"{value:.1f} {unit} ({n} bytes)"
        value /= 1024
    return f"{n} bytes"  # pragma: no cover
