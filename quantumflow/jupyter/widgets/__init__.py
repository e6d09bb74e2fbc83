"""Notebook widgets (anywidget): :class:`RunWidget` and helpers to show a run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...api.graphs import run_layout_text
from ...errors import CycleError, RunNotFoundError, SpecError
from ...store import aggregates
from .run_widget import RunWidget

if TYPE_CHECKING:
    from ...engine import Run
    from ...store.store import Store

__all__ = ["RunWidget", "follow_run", "run_bundle", "run_widget"]


def run_widget(run: Run) -> RunWidget:
    """A RunWidget showing a finished (or failed) run, charts filled from its outputs."""
    widget = RunWidget(run.spec, run_id=run.id)
    widget.finish(run)
    return widget


def run_bundle(run: Run) -> tuple[dict[str, Any], dict[str, Any]]:
    """How a notebook shows a :class:`~quantumflow.engine.Run`: its RunWidget, with the plain
    repr for text front ends (registered with IPython by ``quantumflow``'s import hook)."""
    shown = run_widget(run)._repr_mimebundle_()
    data, meta = shown if isinstance(shown, tuple) else (shown or {}, {})
    return {**data, "text/plain": repr(run)}, meta


def follow_run(store: Store, run_id: str) -> RunWidget:
    """A RunWidget for a run in ``store`` (started anywhere), live until the run ends.

    The drawing is the one the store keeps for the run's workflow (what the side panel
    draws; laid out and kept on first use), read as one row: no task rows, no spec to
    parse and no new layout of a 10^5-task workflow before the widget shows.

    Raises:
        RunNotFoundError: no run ``run_id`` in ``store``.
    """
    brief = aggregates.run_brief(store.engine, run_id)
    if brief is None:
        raise RunNotFoundError(run_id)
    name = str(brief["name"])
    try:
        text = run_layout_text(store, run_id)
    except (CycleError, SpecError):  # laid out here (a cycle without its edges) or refused
        spec = store.get_run_header(run_id).spec
        widget = RunWidget(spec, run_id=run_id, load_output=store.get_output)
    else:
        widget = RunWidget(
            run_id=run_id, load_output=store.get_output, drawing_json=text, name=name
        )
    widget.follow(store, run_id, at_once=True)  # the drawing is of the run's own spec
    return widget
