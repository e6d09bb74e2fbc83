"""Notebook widgets (anywidget): :class:`RunWidget` and helpers to show a run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    """A RunWidget for a run in ``store`` (started anywhere), live until the run ends."""
    record = store.get_run(run_id)
    widget = RunWidget(record.spec, run_id=run_id, load_output=store.get_output)
    widget.follow(store, run_id)
    return widget
