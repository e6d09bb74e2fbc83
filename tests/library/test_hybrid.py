"""torch in workflows: tensors cross task boundaries as tagged arrays (no pickle), a hybrid
PennyLane TorchLayer classifier trains inside a run, and its loss curve is streamed as
metric events (store + on_event) while it trains."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow.engine import run
from quantumflow.engine.models import MetricEvent
from quantumflow.store.serialize import dumps, loads

pytestmark = pytest.mark.torch


def test_tensors_round_trip_through_the_store_without_pickle() -> None:
    import torch

    values = {
        "f32": torch.randn(3, 4),
        "i64": torch.arange(6).reshape(2, 3),
        "bf16": torch.randn(5, dtype=torch.bfloat16),
        "empty": torch.zeros(0, 2),
        "grad": torch.ones(2, requires_grad=True) * 2,
        "state": torch.nn.Linear(2, 1).state_dict(),
    }
    text = dumps(values)
    assert "pickle" not in text and '"$qf":"tensor"' in text
    back = loads(text)
    for key in ("f32", "i64", "bf16", "empty"):
        assert back[key].dtype == values[key].dtype
        assert torch.equal(back[key], values[key])
    assert not back["grad"].requires_grad and torch.equal(back["grad"], torch.full((2,), 2.0))
    assert set(back["state"]) == {"weight", "bias"}


def test_hybrid_classifier_trains_in_a_workflow_and_streams_its_loss(db_url: str) -> None:
    events: list[Any] = []
    spec = {
        "name": "hybrid",
        "tasks": [
            {"id": "data", "kind": "classical", "fn": "two_moons", "inputs": {"n": 40, "seed": 1}},
            {"id": "train", "kind": "classical", "fn": "train_hybrid_classifier",
             "inputs": {"x": {"ref": "data.x"}, "y": {"ref": "data.y"}, "epochs": 5}},
            {"id": "more", "kind": "classical", "fn": "train_hybrid_classifier",
             "inputs": {"x": {"ref": "data.x"}, "y": {"ref": "data.y"}, "epochs": 2,
                        "weights": {"ref": "train.weights"}}},
            {"id": "score", "kind": "classical", "fn": "predict_accuracy",
             "inputs": {"x": {"ref": "data.x"}, "y": {"ref": "data.y"},
                        "weights": {"ref": "more.weights"}}},
        ],
    }  # fmt: skip
    result = run(spec, db=db_url, on_event=events.append)
    assert result.status == "succeeded"
    acc = result.outputs["train"]["accuracy"]
    assert acc[-1] > acc[0] and acc[-1] >= 0.8
    loss = result.outputs["train"]["loss"]
    assert loss[-1] < loss[0]
    assert result.outputs["score"] >= 0.8
    metrics = [e for e in events if isinstance(e, MetricEvent) and e.task_id == "train"]
    assert [m.data["values"]["epoch"] for m in metrics] == [1, 2, 3, 4, 5]
    assert [m.data["values"]["loss"] for m in metrics] == pytest.approx(loss)
    # the same values are in the store, as events the dashboard streams
    from quantumflow.store.shared import shared_store

    stored = [
        e.data["values"]
        for e in shared_store(db_url).events_since(result.id, 0, 10_000)
        if e.kind == "metric" and e.task_id == "train"
    ]
    assert [v["loss"] for v in stored] == pytest.approx(loss)
    # the tensors that crossed the boundary came back as tensors from the store
    import torch

    store = shared_store(db_url)
    data = store.get_output(store.get_run(result.id).tasks["data"].output_ref)
    assert isinstance(data["x"], torch.Tensor) and data["x"].shape == (40, 2)


def test_report_outside_a_run_does_nothing_and_checks_its_values() -> None:
    from quantumflow import report

    report(step=1, loss=0.5)  # no run: ignored
    with pytest.raises(ValueError, match="finite"):
        report(loss=float("nan"))
    with pytest.raises(ValueError, match="between 1 and"):
        report()
