"""Notebook widgets (anywidget): :class:`RunWidget` and helpers to show a run."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .run_widget import RunWidget

if TYPE_CHECKING:
    from ...engine import Run

__all__ = ["RunWidget", "follow_run", "run_widget"]


def run_widget(run: Run) -> RunWidget:
    """A RunWidget showing a finished (or failed) run, charts filled from its outputs."""
    widget = RunWidget(run.spec, run_id=run.id)
    widget.finish(run)
    return widget


def follow_run(store: Any, run_id: str) -> RunWidget:
    """A RunWidget for a run in ``store`` (started anywhere), live until the run ends."""
    record = store.get_run(run_id)
    widget = RunWidget(record.spec, run_id=run_id, load_output=store.get_output)
    widget.follow(store, run_id)
    return widget
