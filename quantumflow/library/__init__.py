"""The built-in library of classical steps: plain, importable functions.

A task may name one by its short name (``fn: parity`` is ``fn:
quantumflow.library.postprocess:parity``); the short names are listed once, in
:data:`quantumflow.executors.functions.LIBRARY`, where a task's ``fn`` is resolved. The
library sits above the executors (layer 3): ``minimize`` resolves its objective through the
same resolver as any task, so the same trust rules apply.
"""

from __future__ import annotations

#: The library by what a user wants to do, in the order the designer's palette shows it
#: (every short name of :data:`quantumflow.executors.functions.LIBRARY` once).
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
    "mitigate": ("zne_extrapolate", "readout_mitigate"),
    "learn": ("train_hybrid_classifier", "predict_accuracy"),
    "data": ("constant", "collect", "two_moons"),
}

__all__ = ["PURPOSES"]
