"""Built-in post-processing steps on hand-computable counts (bit 0 is the rightmost character)."""

from __future__ import annotations

import pytest

from quantumflow.executors.functions import LIBRARY as REGISTRY
from quantumflow.executors.functions import resolve_function
from quantumflow.library.data import collect, constant, linspace
from quantumflow.library.optimize import best_sweep_point, minimize
from quantumflow.library.postprocess import (
    expectation_from_counts,
    marginal_counts,
    most_frequent,
    parity,
    total_variation_distance,
)

COUNTS = {"000": 40, "001": 10, "011": 30, "111": 20}


def test_parity() -> None:
    # even: 000 (40), 011 (30) ; odd: 001 (10), 111 (20)
    assert parity(COUNTS) == pytest.approx((40 + 30 - 10 - 20) / 100)


def test_marginal_uses_rightmost_bit_zero() -> None:
    assert marginal_counts(COUNTS, [0]) == {"0": 40, "1": 60}
    assert marginal_counts(COUNTS, [2]) == {"0": 80, "1": 20}
    assert marginal_counts(COUNTS, [0, 2]) == {"00": 40, "01": 40, "11": 20}


def test_expectation_from_counts() -> None:
    assert expectation_from_counts(COUNTS, "Z0") == pytest.approx((40 - 60) / 100)
    assert expectation_from_counts(COUNTS, "Z2 I1") == pytest.approx((80 - 20) / 100)
    with pytest.raises(ValueError, match="only Z/I terms"):
        expectation_from_counts(COUNTS, "X0")


def test_most_frequent_and_tvd() -> None:
    assert most_frequent(COUNTS) == "000"
    assert total_variation_distance(COUNTS, COUNTS) == 0.0
    assert total_variation_distance({"0": 1}, {"1": 5}) == 1.0


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="non-empty mapping"):
        parity({})


def test_best_sweep_point() -> None:
    sweep = {
        "points": [{"t": 0.0}, {"t": 1.0}, {"t": 2.0}],
        "results": [{"expectations": {"Z0": v}} for v in (0.5, -0.9, 0.1)],
    }
    assert best_sweep_point({"sweep": sweep}) == {"point": {"t": 1.0}, "value": -0.9, "index": 1}
    assert best_sweep_point(sweep, maximize=True)["index"] == 0


def quadratic(x: list[float], shift: float = 1.0) -> float:
    return (x[0] - shift) ** 2 + 0.5


def test_minimize_finds_minimum_and_keeps_history() -> None:
    res = minimize("tests.library.test_postprocess:quadratic", [0.0], args={"shift": 2.0})
    assert res["x"][0] == pytest.approx(2.0, abs=1e-3)
    assert res["fun"] == pytest.approx(0.5, abs=1e-6)
    assert len(res["history"]) == res["nfev"]


def test_data_steps() -> None:
    assert constant(3) == 3
    assert linspace(0, 1, 3) == [0.0, 0.5, 1.0]
    assert collect(a=1, b=2) == {"a": 1, "b": 2}


def test_every_registry_name_resolves() -> None:
    for name in REGISTRY:
        assert callable(resolve_function(name))
