"""Find a classical task's ``fn``: a built-in library name or ``package.module:function``.

This is the one place that imports a task's function, for the executors (which call it) and
for validation (which only checks it): the process's :class:`~quantumflow.config.ModulePolicy`
decides first whether the module may be imported at all. Where it trusts every module
(Jupyter, the CLI, Python) validation imports the module to find the function; behind an
allow-list (``quantumflow serve``, the images) a module outside it is refused before any
import, and validation locates allowed modules with ``importlib.util.find_spec`` without
running their code.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import Any, cast

from ..config import ModulePolicy, module_policy
from ..errors import ModuleNotAllowedError, Problem, SpecError, not_allowed_message

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


def split_path(name: str, *, what: str = "fn") -> tuple[str, str]:
    """``package.module:function`` as ``(module, attribute path)``.

    Raises:
        SpecError: ``name`` does not have that shape.
    """
    module_name, sep, attr = name.partition(":")
    if not sep or not module_name or not attr:
        known = ", ".join(sorted(LIBRARY)[:8]) if what == "fn" else ""
        hint = f" or a built-in name ({known}, …)" if known else ""
        raise SpecError(f"'{name}' is not 'package.module:function'{hint}")
    return module_name, attr


def check_module(module_name: str, policy: ModulePolicy | None = None) -> None:
    """Refuse ``module_name`` unless ``policy`` (default: this process's) allows it.

    Raises:
        ModuleNotAllowedError: it is outside the allow-list.
    """
    if not (policy or module_policy()).allows(module_name):
        message = not_allowed_message(module_name)
        raise ModuleNotAllowedError([Problem(message)], [module_name])


def lookup_function(
    name: str, *, policy: ModulePolicy | None = None, load: bool = True
) -> Callable[..., Any] | None:
    """Find the callable a task's ``fn`` names, if the policy allows its module.

    Args:
        name: a name in :data:`LIBRARY`, or ``package.module:function``
            (``module:Class.method`` paths work too).
        policy: which modules may be imported (default: this process's).
        load: import the module and return the callable; False only checks that the
            module exists (``find_spec``: its code does not run) and returns None.

    Raises:
        ModuleNotAllowedError: the module is outside the allow-list (nothing imported).
        SpecError: the module cannot be found or imported, the attribute is missing, or it
            is not callable (the message says which).
    """
    if name in LIBRARY:  # quantumflow.library: always allowed
        return lookup_function(LIBRARY[name], policy=ModulePolicy(), load=load)
    module_name, attr = split_path(name)
    check_module(module_name, policy)
    if not load:
        _find(module_name)
        return None
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


def _find(module_name: str) -> None:
    """Check that ``module_name`` exists without running it (its parent packages' own
    ``__init__`` may run: ``find_spec`` imports parents to search their path)."""
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError) as err:
        raise SpecError(f"cannot find module '{module_name}': {err}") from err
    if spec is None:
        raise SpecError(f"cannot import module '{module_name}': no module named '{module_name}'")


def resolve_function(name: str, *, policy: ModulePolicy | None = None) -> Callable[..., Any]:
    """The callable a task's ``fn`` names (imported if the policy allows its module).

    Raises:
        ModuleNotAllowedError: the module is outside the allow-list.
        SpecError: it cannot be found, imported or called.
    """
    fn = lookup_function(name, policy=policy)
    assert fn is not None
    return fn
