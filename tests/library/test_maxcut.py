"""MaxCut library steps."""

from __future__ import annotations

import pytest

from quantumflow.library.maxcut import (
    best_cut_from_counts,
    brute_force_maxcut,
    cut_value,
    expected_cut_sweep,
    zz_terms,
)

TRIANGLE = [[0, 1], [1, 2], [2, 0]]


def test_cut_value_reads_qubit_0_rightmost() -> None:
    assert cut_value("001", [[0, 1]]) == 1
    assert cut_value("001", [[1, 2]]) == 0


def test_brute_force() -> None:
    out = brute_force_maxcut(TRIANGLE)
    assert out["value"] == 2 and len(out["cuts"]) == 6
    square = brute_force_maxcut([[0, 1], [1, 2], [2, 3], [3, 0]])
    assert square["value"] == 4 and sorted(square["cuts"]) == ["0101", "1010"]


def test_expected_cut_sweep_and_counts() -> None:
    terms = zz_terms(TRIANGLE)
    sweep = {
        "points": [{"g": 0.0}, {"g": 1.0}],
        "results": [
            {"expectations": dict.fromkeys(terms, 1.0)},
            {"expectations": dict.fromkeys(terms, -1 / 3)},
        ],
    }
    out = expected_cut_sweep(sweep, TRIANGLE)
    assert out["values"] == pytest.approx([0.0, 2.0])
    assert out["best"]["point"] == {"g": 1.0}
    best = best_cut_from_counts({"000": 10, "011": 30}, TRIANGLE)
    assert best == {"bits": "011", "value": 2, "mean": 1.5}
    with pytest.raises(ValueError, match="lack"):
        expected_cut_sweep({"points": [{}], "results": [{"expectations": {}}]}, TRIANGLE)
