"""The combining step of a mitigated task: readout correction, extrapolation, provenance.

The engine expands a mitigated task (:mod:`.expand`) into sub-circuits and this step,
which the workflow runs as an ordinary classical task with the sub-circuits' outputs as
inputs. Its output looks like a quantum task's (``expectations``) plus ``uncertainty``,
``unmitigated`` and ``mitigation``: the provenance the store keeps with the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import metadata
from typing import Any

from ..backends.results import parse_observable
from . import readout
from .noise import noise_provenance
from .observables import distribution, pauli_value, shot_std
from .zne import extrapolate


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _measure(
    config: Mapping[str, Any], outputs: Mapping[str, Any], rates: list[dict[str, float]] | None
) -> dict[str, list[dict[str, Any]]]:
    """Per observable, one point per noise scale: raw value and std, and (with readout
    mitigation) the readout-corrected value and std."""
    n = int(config["qubits"])
    points: dict[str, list[dict[str, Any]]] = {o: [] for o in config["observables"]}
    for run in config["runs"]:
        dist, shots = distribution(outputs[run["input"]])
        fixed = readout.correct(dist, rates) if rates is not None else None
        for obs in run["observables"]:
            raw = pauli_value(dist, obs, n)
            point: dict[str, Any] = {
                "scale": run["scale"],
                "folded_ops": run["ops"],
                "raw": raw,
                "raw_std": shot_std(raw, shots),
            }
            if fixed is not None and rates is not None:
                value = pauli_value(fixed, obs, n)
                support = list(parse_observable(obs, n))
                point["readout"] = value
                point["readout_std"] = shot_std(raw, shots) * readout.gain(rates, support)
            points[obs].append(point)
    return points


def combine(*, config: dict[str, Any], **outputs: Any) -> dict[str, Any]:
    """Mitigated expectation values of a task expanded by :func:`.expand.expand_task`.

    Args:
        config: what the expansion recorded (observables, runs per scale and basis,
            technique parameters, backend and noise).
        **outputs: each sub-circuit's output, by the input name the expansion gave it.

    Returns:
        ``{"expectations", "uncertainty", "unmitigated", "mitigation"}``; ``mitigation``
        holds the technique and parameters, the noise model or device calibration, the
        readout calibration, per observable the raw value at every scale, the mitigated
        value with its standard error and, with a reference, the exact value and the
        error of each.

    Raises:
        ValueError: a sub-circuit output is missing or unusable, or extrapolation failed.
    """
    missing = [r["input"] for r in config["runs"] if r["input"] not in outputs]
    if missing:
        raise ValueError(f"mitigation inputs missing: {', '.join(missing)}")
    n = int(config["qubits"])
    rates = None
    if config.get("readout"):
        zeros, _ = distribution(outputs["rem0"])
        ones, _ = distribution(outputs["rem1"])
        rates = readout.flip_rates(zeros, ones, n)
    points = _measure(config, outputs, rates)
    zne = config.get("zne")
    exact = (outputs.get("exact") or {}).get("expectations") if config.get("reference") else None
    key, key_std = ("readout", "readout_std") if rates is not None else ("raw", "raw_std")
    mitigated: dict[str, float] = {}
    uncertainty: dict[str, float] = {}
    unmitigated: dict[str, float] = {}
    per_obs: dict[str, Any] = {}
    for obs, pts in points.items():
        base = next(p for p in pts if p["scale"] == min(q["scale"] for q in pts))
        unmitigated[obs] = base["raw"]
        entry: dict[str, Any] = {"points": pts, "unmitigated": base["raw"],
                                 "unmitigated_std": base["raw_std"]}  # fmt: skip
        if zne is not None:
            fit = extrapolate(
                [p["scale"] for p in pts],
                [p[key] for p in pts],
                [p[key_std] for p in pts],
                factory=zne["factory"],
                order=zne.get("order"),
            )
            value, std = fit["value"], fit["std"]
            entry["fit_error"] = fit["fit_error"]
            entry["weights"] = fit["weights"]
            if rates is not None:  # ZNE alone, for comparison
                entry["zne_only"] = extrapolate(
                    [p["scale"] for p in pts], [p["raw"] for p in pts],
                    [p["raw_std"] for p in pts], factory=zne["factory"], order=zne.get("order"),
                )["value"]  # fmt: skip
        else:
            value, std = base[key], base[key_std]
        mitigated[obs], uncertainty[obs] = value, std
        entry["mitigated"], entry["mitigated_std"] = value, std
        if exact is not None and obs in exact:
            ref = float(exact[obs])
            entry["exact"] = ref
            entry["error_unmitigated"] = abs(base["raw"] - ref)
            entry["error_mitigated"] = abs(value - ref)
            if "zne_only" in entry:
                entry["error_zne_only"] = abs(entry["zne_only"] - ref)
        per_obs[obs] = entry
    technique = "+".join(t for t, on in (("zne", zne is not None), ("readout", rates)) if on)
    provenance: dict[str, Any] = {
        "technique": technique,
        "task": config["task"],
        "backend": config["backend"],
        "shots": config.get("shots"),
        "zne": None if zne is None else {**zne, "base_ops": config.get("base_ops")},
        "readout": None if rates is None else readout.summary(rates),
        "noise": noise_provenance(config["backend"], config.get("noise")),
        "observables": per_obs,
        "sub_tasks": [r["input"] for r in config["runs"]]
        + [k for k in ("rem0", "rem1", "exact") if k in outputs],
        "mitiq_version": _version("mitiq"),
    }
    return {
        "expectations": mitigated,
        "uncertainty": uncertainty,
        "unmitigated": unmitigated,
        "mitigation": provenance,
    }
