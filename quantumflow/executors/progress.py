"""Values a running task reports while it works (a training loss per epoch, an energy per
optimiser step): ``quantumflow.report(step=3, loss=0.21)``.

The engine binds a reporter around each classical call it makes in its own process
(the ``threads`` executor): each report becomes an ``events`` row of kind ``metric``
(streamed by ``GET /api/runs/{id}/events`` to the dashboard) and an ``on_event`` call (the
RunWidget draws it live). Elsewhere (worker processes, Dask, plain Python) ``report`` does
nothing, so a step written for a workflow also runs on its own.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import math
from collections.abc import Callable, Iterator

log = logging.getLogger(__name__)

Reporter = Callable[[dict[str, float]], None]

_REPORTER: contextvars.ContextVar[Reporter | None] = contextvars.ContextVar(
    "quantumflow_reporter", default=None
)

#: Most values one report may carry (a report is a small event, not an output).
MAX_VALUES = 32


def report(**values: float) -> None:
    """Report numbers from inside a running task, e.g. ``report(epoch=2, loss=0.31)``.

    Args:
        **values: names and finite numbers (``step``/``epoch`` name the x axis in charts).

    Raises:
        ValueError: no value, more than :data:`MAX_VALUES`, or a value that is not a
            finite number.
    """
    if not values or len(values) > MAX_VALUES:
        raise ValueError(f"report between 1 and {MAX_VALUES} values")
    clean: dict[str, float] = {}
    for name, value in values.items():
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"reported value '{name}' is not a finite number: {value!r}")
        clean[name] = number
    reporter = _REPORTER.get()
    if reporter is None:
        return
    try:
        reporter(clean)
    except Exception:  # reporting must never fail the task that reports
        log.warning("could not record a reported metric", exc_info=True)


@contextlib.contextmanager
def reporting(reporter: Reporter) -> Iterator[None]:
    """Send :func:`report` calls made inside the block (same thread) to ``reporter``."""
    token = _REPORTER.set(reporter)
    try:
        yield
    finally:
        _REPORTER.reset(token)
