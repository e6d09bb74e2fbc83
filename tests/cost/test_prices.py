"""Price tables: every entry dated and sourced; backends map to the right provider."""

from __future__ import annotations

import datetime as dt

import pytest

from quantumflow.cost import prices
from quantumflow.cost.prices import price_for


def _all() -> list[prices.Price]:
    return [
        prices.IBM,
        prices.GOOGLE,
        prices.IONQ_DIRECT,
        prices.BRAKET_SIMULATOR,
        *prices.BRAKET.values(),
    ]


@pytest.mark.parametrize("price", _all(), ids=lambda p: f"{p.provider}:{p.note[:20]}")
def test_every_price_has_a_source_and_a_date(price: prices.Price) -> None:
    assert price.source.startswith("https://")
    assert dt.date.fromisoformat(price.as_of) <= dt.date.today()


def test_local_and_fake_backends_are_free() -> None:
    for name in (
        "qiskit.aer",
        "cirq.qsim",
        "pennylane:default.qubit",
        "qiskit.ibm:fake_manila",
        "qiskit.fake:fake_manila",
    ):
        assert price_for(name) is None, name


def test_ibm_bills_seconds_and_braket_tasks_plus_shots() -> None:
    ibm = price_for("qiskit.ibm:ibm_brisbane")
    assert ibm is prices.IBM
    assert ibm.usd(shots=4000, points=1, qpu_seconds=10.0) == pytest.approx(16.0)
    aria = price_for("pennylane:braket.aws.qubit:arn:aws:braket:us-east-1::device/qpu/ionq/Aria-1")
    assert aria is prices.BRAKET["ionq"]
    assert aria.usd(shots=1000, points=2, qpu_seconds=0.0) == pytest.approx(0.30 + 0.03 * 2000)
    assert price_for("cirq.google:rainbow") is prices.GOOGLE
    assert prices.GOOGLE.usd(shots=1000, points=1, qpu_seconds=5) == 0.0
