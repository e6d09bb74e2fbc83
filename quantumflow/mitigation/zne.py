"""Zero-noise extrapolation with mitiq's factories, and the error of the extrapolated value.

mitiq's static ``Factory.extrapolate`` fits the values measured at each noise scale and
returns the value at scale 0. Its own error estimate is a fit residual (absent when the
fit is exact, as Richardson's always is); the shot error of each measured value is
propagated here through the extrapolation's derivative, so every mitigated value carries
an uncertainty.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

FACTORIES = ("richardson", "linear", "poly", "exp")


def _limit(
    factory: str, scales: Sequence[float], values: Sequence[float], order: int | None
) -> tuple[float, float | None]:
    from mitiq.zne import inference

    if factory == "richardson":
        out = inference.RichardsonFactory.extrapolate(scales, values, full_output=True)
    elif factory == "linear":
        out = inference.LinearFactory.extrapolate(scales, values, full_output=True)
    elif factory == "poly":
        out = inference.PolyFactory.extrapolate(scales, values, order or 2, full_output=True)
    elif factory == "exp":
        # Pauli expectations decay to 0 under depolarising noise: fix the asymptote there
        out = inference.ExpFactory.extrapolate(scales, values, asymptote=0.0, full_output=True)
    else:
        raise ValueError(f"factory must be one of {', '.join(FACTORIES)}, got '{factory}'")
    limit, fit_error = out[0], out[1]
    return float(limit), None if fit_error is None else float(fit_error)


def extrapolate(
    scales: Sequence[float],
    values: Sequence[float],
    stds: Sequence[float] | None = None,
    *,
    factory: str = "richardson",
    order: int | None = None,
) -> dict[str, Any]:
    """The zero-noise value of ``values`` measured at noise ``scales``.

    Args:
        scales: the noise scale factors.
        values: the expectation value measured at each scale.
        stds: each value's standard error (shot noise); default 0.
        factory: ``richardson``, ``linear``, ``poly`` (with ``order``) or ``exp``.
        order: the polynomial order of ``poly``.

    Returns:
        ``{"value", "std", "fit_error", "weights"}``: the extrapolated value, its standard
        error propagated from ``stds``, mitiq's fit error (None when the fit is exact) and
        d value / d values[i].

    Raises:
        ValueError: mismatched lengths, an unknown factory, or a fit that fails
            (mitiq's ExtrapolationError, with its advice).
    """
    if len(scales) != len(values) or len(scales) < 2:
        raise ValueError("extrapolation needs at least two (scale, value) pairs of equal length")
    errs = list(stds) if stds is not None else [0.0] * len(values)
    try:
        value, fit_error = _limit(factory, scales, values, order)
        step = 1e-6
        weights = []
        for i in range(len(values)):
            bumped = list(values)
            bumped[i] += step
            weights.append((_limit(factory, scales, bumped, order)[0] - value) / step)
    except ValueError:
        raise
    except Exception as err:  # mitiq's ExtrapolationError and numpy's LinAlgError
        raise ValueError(f"zero-noise extrapolation ({factory}) failed: {err}") from err
    std = math.sqrt(sum((w * e) ** 2 for w, e in zip(weights, errs, strict=True)))
    return {"value": value, "std": std, "fit_error": fit_error, "weights": weights}
