"""Comparing count distributions across backends."""

from __future__ import annotations

import pytest

from quantumflow.library.compare import fidelity_to_ideal, tvd_table


def test_tvd_table() -> None:
    out = tvd_table(
        a={"counts": {"0": 50, "1": 50}}, b={"0": 100}, c={"counts": {"0": 50, "1": 50}}
    )
    assert out["names"] == ["a", "b", "c"]
    assert out["matrix"][0][1] == pytest.approx(0.5)
    assert out["matrix"][0][2] == 0.0
    assert out["max"] == pytest.approx(0.5)
    assert out["probabilities"]["a"] == {"0": 0.5, "1": 0.5}
    with pytest.raises(ValueError, match="at least two"):
        tvd_table(a={"0": 1})


def test_fidelity_to_ideal() -> None:
    ideal = {"000": 0.5, "111": 0.5}
    assert fidelity_to_ideal({"000": 500, "111": 500}, ideal) == pytest.approx(1.0)
    assert fidelity_to_ideal({"010": 10}, ideal) == 0.0
