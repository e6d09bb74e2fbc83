"""Cloud QPU price tables, each with its source and the date it was read.

Prices change; every entry names the page it came from and when, so a stale one is easy to
spot and update. Local simulators and fake/local-testing backends cost nothing. When a
provider publishes no price (Google Quantum AI runs through an access programme), the
estimate says so (``usd`` 0 with a ``note``) rather than inventing a number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Price:
    """How one provider charges for one device class.

    Attributes:
        provider: who bills (``ibm``, ``braket``, ``ionq``, ``google``).
        per_second: USD per second of QPU usage (IBM bills runtime seconds).
        per_task: USD per task (one submitted circuit batch).
        per_shot: USD per shot.
        source: where the numbers come from.
        as_of: when they were read (ISO date).
        note: caveats shown with the estimate.
        qpu_overhead_s: seconds of QPU time per task besides shots (setup, readout).
        shot_s: seconds of QPU time per shot (repetition delay + circuit).
    """

    provider: str
    per_second: float = 0.0
    per_task: float = 0.0
    per_shot: float = 0.0
    source: str = ""
    as_of: str = ""
    note: str = ""
    qpu_overhead_s: float = 2.0
    shot_s: float = 2.5e-4

    def usd(self, *, shots: int, points: int, qpu_seconds: float) -> float:
        """Money for one task: ``points`` circuits of ``shots`` each using ``qpu_seconds``."""
        return (
            self.per_second * qpu_seconds
            + self.per_task
            + self.per_shot * max(0, shots) * max(1, points)
        )

    def qpu_seconds(self, *, shots: int, points: int) -> float:
        """Predicted QPU time (queue excluded) for ``points`` circuits of ``shots`` each."""
        return self.qpu_overhead_s + self.shot_s * max(1, shots) * max(1, points)


_IBM_SRC = "https://www.ibm.com/quantum/pricing (Pay-As-You-Go plan: USD 96 per minute)"
_BRAKET_SRC = "https://aws.amazon.com/braket/pricing/ (QPU per-task + per-shot)"

IBM = Price(
    "ibm",
    per_second=1.60,
    source=_IBM_SRC,
    as_of="2024-06-01",
    note="IBM bills QPU runtime seconds; queue time is free",
)
BRAKET: dict[str, Price] = {
    "ionq": Price(
        "braket",
        per_task=0.30,
        per_shot=0.03,
        source=_BRAKET_SRC,
        as_of="2024-06-01",
        note="IonQ Aria on Amazon Braket",
        qpu_overhead_s=30.0,
        shot_s=0.1,
    ),
    "forte": Price(
        "braket",
        per_task=0.30,
        per_shot=0.08,
        source=_BRAKET_SRC,
        as_of="2024-06-01",
        note="IonQ Forte on Amazon Braket",
        qpu_overhead_s=30.0,
        shot_s=0.1,
    ),
    "iqm": Price(
        "braket",
        per_task=0.30,
        per_shot=0.00145,
        source=_BRAKET_SRC,
        as_of="2024-06-01",
        note="IQM Garnet on Amazon Braket",
    ),
    "rigetti": Price(
        "braket",
        per_task=0.30,
        per_shot=0.0009,
        source=_BRAKET_SRC,
        as_of="2024-06-01",
        note="Rigetti Ankaa on Amazon Braket",
    ),
    "quera": Price(
        "braket",
        per_task=0.30,
        per_shot=0.01,
        source=_BRAKET_SRC,
        as_of="2024-06-01",
        note="QuEra Aquila on Amazon Braket",
    ),
}
#: Amazon Braket managed simulators bill per minute (SV1/DM1/TN1: 0.075 / 0.075 / 0.275 USD).
BRAKET_SIMULATOR = Price(
    "braket",
    per_second=0.075 / 60,
    source=_BRAKET_SRC,
    as_of="2024-06-01",
    note="Braket SV1 managed simulator (billed per minute, 3 s minimum)",
    qpu_overhead_s=3.0,
    shot_s=1e-4,
)
IONQ_DIRECT = Price(
    "ionq",
    per_task=0.30,
    per_shot=0.03,
    source="https://ionq.com/pricing (no public list price; Braket's Aria rate used)",
    as_of="2024-06-01",
    note="IonQ direct pricing is by contract; Amazon Braket's Aria rate is used as a guide",
    qpu_overhead_s=30.0,
    shot_s=0.1,
)
GOOGLE = Price(
    "google",
    source="https://quantumai.google/cirq/google/concepts (access by programme, no list price)",
    as_of="2024-06-01",
    note="Google Quantum AI publishes no price; the estimate shows 0 USD",
)


def price_for(backend: str) -> Price | None:
    """The price of running on ``backend``, or None when it is free (local, fake, simulator)."""
    family, _, arg = backend.partition(":")
    arg_l = arg.lower()
    if family == "qiskit.ibm":
        return None if arg_l.startswith("fake") else IBM
    if family == "cirq.google":
        return GOOGLE
    if family == "pennylane":
        if arg_l.startswith("braket.aws"):
            return _braket_device(arg_l)
        if arg_l.startswith("ionq.") and "simulator" not in arg_l:
            return IONQ_DIRECT
    if family.startswith("braket"):
        return _braket_device(arg_l)
    return None


def _braket_device(arg: str) -> Price:
    for key, price in BRAKET.items():
        if key in arg:
            return price
    if any(s in arg for s in ("sv1", "dm1", "tn1", "simulator")):
        return BRAKET_SIMULATOR
    return BRAKET["forte"]  # unknown device: the highest QPU rate, so budgets err on the safe side


def is_remote(backend: str) -> bool:
    """True when the backend is a provider's device (it has a price entry, even 0 USD)."""
    return price_for(backend) is not None


def spent_usd(backend: str, metrics: Mapping[str, Any]) -> float:
    """Money one attempt cost, from the price tables (0 for local and fake backends)."""
    price = price_for(backend)
    if price is None:
        return 0.0
    shots, points = int(metrics.get("shots") or 0), int(metrics.get("sweep_size") or 1)
    qpu_s = metrics.get("execute_s")
    if not isinstance(qpu_s, int | float) or qpu_s <= 0:
        qpu_s = price.qpu_seconds(shots=shots, points=points)
    return round(price.usd(shots=shots, points=points, qpu_seconds=float(qpu_s)), 6)
