"""Resolve a classical task's ``fn``: a built-in library name or ``package.module:function``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, cast

from ..errors import SpecError

#: The built-in library's short names (the designer's palette lists them): ``fn: parity`` is
#: ``fn: quantumflow.library.postprocess:parity``.
LIBRARY: dict[str, str] = {
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
    # error mitigation (quantumflow/library/mitigation.py; stages: docs/user-guide/mitigation.md)
    "zne_extrapolate": "quantumflow.library.mitigation:zne_extrapolate",
    "readout_mitigate": "quantumflow.library.mitigation:readout_mitigate",
    # torch (quantumflow/library/hybrid.py)
    "two_moons": "quantumflow.library.hybrid:two_moons",
    "train_hybrid_classifier": "quantumflow.library.hybrid:train_hybrid_classifier",
    "predict_accuracy": "quantumflow.library.hybrid:predict_accuracy",
    # data
    "constant": "quantumflow.library.data:constant",
    "linspace": "quantumflow.library.data:linspace",
    "collect": "quantumflow.library.data:collect",
}


def resolve_function(name: str) -> Callable[..., Any]:
    """Find the callable a task's ``fn`` names.

    Args:
        name: a name in :data:`LIBRARY`, or
            ``package.module:function`` (``module:Class.method`` paths work too).

    Returns:
        The callable.

    Raises:
        SpecError: the module cannot be imported, the attribute is missing, or it is not
            callable (the message says which).
    """
    if name in LIBRARY:
        return resolve_function(LIBRARY[name])
    module_name, sep, attr = name.partition(":")
    if not sep or not module_name or not attr:
        known = ", ".join(sorted(LIBRARY)[:8])
        hint = f" or a built-in name ({known}, …)" if known else ""
        raise SpecError(f"'{name}' is not 'package.module:function'{hint}")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as err:
        raise SpecError(f"cannot import module '{module_name}': {err}") from err
    except Exception as err:  # a module that fails while importing
        raise SpecError(f"importing module '{module_name}' failed: {err!r}") from err
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise SpecError(f"module '{module_name}' has no attribute '{attr}'") from None
    if not callable(obj):
        raise SpecError(f"'{name}' is not callable")
    return cast(Callable[..., Any], obj)
