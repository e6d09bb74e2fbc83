"""A hybrid quantum-classical classifier: a PennyLane QNode as a torch layer, trained with
torch inside a workflow.

:func:`two_moons` makes a tiny labelled data set as torch tensors (which the store keeps
as tagged arrays, never pickled, so they cross task boundaries like any output);
:func:`train_hybrid_classifier` trains ``qml.qnn.TorchLayer`` + a linear read-out with
``torch.optim.Adam`` and reports loss and accuracy after every epoch
(``quantumflow.report``: the dashboard and the RunWidget draw them while it trains). Its
``weights`` output can seed another training task, so training runs in resumable steps.
Needs ``pip install 'quantumflow[torch,pennylane]'``.
"""

from __future__ import annotations

import math
from typing import Any

from ..executors.progress import report


def _torch() -> Any:
    try:
        import torch
    except ModuleNotFoundError as err:
        raise ModuleNotFoundError(
            "the hybrid classifier needs torch: pip install 'quantumflow[torch]'"
        ) from err
    return torch


def two_moons(n: int = 60, *, noise: float = 0.1, seed: int = 0) -> dict[str, Any]:
    """Two interleaved half circles in 2-D, labels 0/1, features scaled to [0, π].

    Returns:
        ``{"x": float32 tensor (n, 2), "y": float32 tensor (n,)}``.
    """
    if not 4 <= n <= 100_000:
        raise ValueError("n must be between 4 and 100000")
    torch = _torch()
    gen = torch.Generator().manual_seed(seed)
    half = n // 2
    angle = torch.rand(n, generator=gen) * math.pi
    upper = torch.stack([torch.cos(angle[:half]), torch.sin(angle[:half])], dim=1)
    lower = torch.stack([1 - torch.cos(angle[half:]), 0.5 - torch.sin(angle[half:])], dim=1)
    x = torch.cat([upper, lower]) + noise * torch.randn(n, 2, generator=gen)
    y = torch.cat([torch.zeros(half), torch.ones(n - half)])
    x = (x - x.min(0).values) / (x.max(0).values - x.min(0).values) * math.pi
    order = torch.randperm(n, generator=gen)
    return {"x": x[order].float(), "y": y[order].float()}


def _model(layers: int, torch: Any) -> Any:
    import pennylane as qml

    dev = qml.device("default.qubit", wires=2)

    @qml.qnode(dev, interface="torch")  # type: ignore[untyped-decorator]
    def circuit(inputs: Any, weights: Any) -> Any:
        qml.AngleEmbedding(inputs, wires=[0, 1])
        qml.StronglyEntanglingLayers(weights, wires=[0, 1])
        return [qml.expval(qml.PauliZ(0)), qml.expval(qml.PauliZ(1))]

    quantum = qml.qnn.TorchLayer(circuit, {"weights": (layers, 2, 3)})
    return torch.nn.Sequential(quantum, torch.nn.Linear(2, 1))


def train_hybrid_classifier(
    x: Any,
    y: Any,
    *,
    epochs: int = 8,
    learning_rate: float = 0.1,
    batch_size: int = 10,
    layers: int = 2,
    seed: int = 0,
    weights: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Train a 2-qubit QNode (``qml.qnn.TorchLayer``) + linear read-out on ``(x, y)``.

    Args:
        x: features, shape (n, 2) (a tensor, array or nested list).
        y: labels 0/1, shape (n,).
        epochs: passes over the data.
        learning_rate: Adam's step size.
        batch_size: samples per optimiser step.
        layers: StronglyEntanglingLayers depth.
        seed: seeds the initial weights and the batch order.
        weights: a previous run's ``weights`` output, to continue training.

    Returns:
        ``{"loss", "accuracy", "history", "weights", "epochs"}``: per-epoch mean loss and
        training accuracy, the loss again as ``history`` (convergence charts), and the
        trained state dict (tensors).
    """
    if epochs < 1 or batch_size < 1 or not learning_rate > 0:
        raise ValueError("epochs and batch_size must be >= 1 and learning_rate > 0")
    torch = _torch()
    torch.manual_seed(seed)
    features = torch.as_tensor(x, dtype=torch.float32)
    labels = torch.as_tensor(y, dtype=torch.float32).reshape(-1, 1)
    if features.ndim != 2 or features.shape[1] != 2 or len(features) != len(labels):
        raise ValueError("x must have shape (n, 2) and y shape (n,)")
    model = _model(layers, torch)
    if weights:
        model.load_state_dict({k: torch.as_tensor(v) for k, v in weights.items()})
    opt = torch.optim.Adam(model.parameters(), lr=learning_rate)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    gen = torch.Generator().manual_seed(seed)
    losses: list[float] = []
    accuracy: list[float] = []
    for epoch in range(1, epochs + 1):
        total = 0.0
        for batch in torch.randperm(len(features), generator=gen).split(batch_size):
            opt.zero_grad()
            loss = loss_fn(model(features[batch]), labels[batch])
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(batch)
        with torch.no_grad():
            right = ((model(features) > 0).float() == labels).float().mean()
        losses.append(total / len(features))
        accuracy.append(float(right))
        report(epoch=epoch, loss=losses[-1], accuracy=accuracy[-1])
    return {
        "loss": losses,
        "accuracy": accuracy,
        "history": losses,
        "weights": {k: v.detach().clone() for k, v in model.state_dict().items()},
        "epochs": epochs,
    }


def predict_accuracy(x: Any, y: Any, *, weights: dict[str, Any], layers: int = 2) -> float:
    """Accuracy of trained ``weights`` (a training output's) on ``(x, y)``."""
    torch = _torch()
    model = _model(layers, torch)
    model.load_state_dict({k: torch.as_tensor(v) for k, v in weights.items()})
    with torch.no_grad():
        logits = model(torch.as_tensor(x, dtype=torch.float32))
        labels = torch.as_tensor(y, dtype=torch.float32).reshape(-1, 1)
        return float(((logits > 0).float() == labels).float().mean())
