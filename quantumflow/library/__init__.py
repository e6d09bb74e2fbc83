"""The built-in library of classical steps, usable by name as a task's ``fn``.

``fn: parity`` is the same as ``fn: quantumflow.library.postprocess:parity``. The designer's
palette lists :data:`REGISTRY`; each entry points at a plain, importable function.
"""

from __future__ import annotations

REGISTRY: dict[str, str] = {
    # post-processing of quantum results
    "parity": "quantumflow.library.postprocess:parity",
    "marginal_counts": "quantumflow.library.postprocess:marginal_counts",
    "expectation_from_counts": "quantumflow.library.postprocess:expectation_from_counts",
    "most_frequent": "quantumflow.library.postprocess:most_frequent",
    "total_variation_distance": "quantumflow.library.postprocess:total_variation_distance",
    # optimisation over sweeps and parameters
    "best_sweep_point": "quantumflow.library.optimize:best_sweep_point",
    "minimize": "quantumflow.library.optimize:minimize",
    # variational eigensolvers (quantumflow/library/vqe.py)
    "exact_ground_energy": "quantumflow.library.vqe:exact_ground_energy",
    "energy_from_sweep": "quantumflow.library.vqe:energy_from_sweep",
    "pauli_energy": "quantumflow.library.vqe:pauli_energy",
    # MaxCut / QAOA (quantumflow/library/maxcut.py)
    "brute_force_maxcut": "quantumflow.library.maxcut:brute_force_maxcut",
    "expected_cut_sweep": "quantumflow.library.maxcut:expected_cut_sweep",
    "best_cut_from_counts": "quantumflow.library.maxcut:best_cut_from_counts",
    # comparing backends (quantumflow/library/compare.py)
    "tvd_table": "quantumflow.library.compare:tvd_table",
    "fidelity_to_ideal": "quantumflow.library.compare:fidelity_to_ideal",
    # data
    "constant": "quantumflow.library.data:constant",
    "linspace": "quantumflow.library.data:linspace",
    "collect": "quantumflow.library.data:collect",
}

#: The library by what a user wants to do, in the order the designer's palette shows it.
PURPOSES: dict[str, tuple[str, ...]] = {
    "post-process": (
        "parity",
        "marginal_counts",
        "expectation_from_counts",
        "most_frequent",
        "best_cut_from_counts",
    ),
    "optimise": ("minimize", "exact_ground_energy", "pauli_energy", "brute_force_maxcut"),
    "sweep": ("best_sweep_point", "energy_from_sweep", "expected_cut_sweep", "linspace"),
    "compare": ("total_variation_distance", "tvd_table", "fidelity_to_ideal"),
    "data": ("constant", "collect"),
}

__all__ = ["PURPOSES", "REGISTRY"]
