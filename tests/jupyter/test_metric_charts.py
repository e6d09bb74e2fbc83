"""Values a running task reports become live chart series in the RunWidget's state."""

from __future__ import annotations

from quantumflow.engine.models import MetricEvent
from quantumflow.jupyter.widgets.state import RunState
from quantumflow.spec import WorkflowSpec
from quantumflow.store.records import EventRecord


def test_metric_events_draw_a_series_per_value_against_the_epoch() -> None:
    spec = WorkflowSpec.parse(
        {"name": "w", "tasks": [{"id": "train", "kind": "classical", "fn": "constant"}]}
    )
    state = RunState(spec, run_id="r")
    state.apply(MetricEvent("r", "train", {"values": {"epoch": 1, "loss": 0.9}}, 1.0))
    # a persisted event (what the widget reads when it follows a run from the store)
    state.apply(EventRecord(7, "r", "train", "metric", {"values": {"epoch": 2, "loss": 0.5}}, 2.0))
    series = {s["name"]: s for s in state.snapshot()["results"]["series"]}
    assert series["train loss"]["x"] == "epoch"
    assert series["train loss"]["points"] == [[1.0, 0.9], [2.0, 0.5]]
    assert state.task_status["train"] == "pending"  # a metric is not a state change
