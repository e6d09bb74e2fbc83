"""Task functions for the views tests: one that reports a loss curve as it trains."""

from __future__ import annotations

import quantumflow


def train(epochs: int) -> dict[str, float]:
    """Report a falling loss each epoch; return the last one and the epochs run."""
    loss = 1.0
    for epoch in range(epochs):
        loss *= 0.5
        quantumflow.report(epoch=epoch, loss=loss)
    return {"loss": loss, "epochs": float(epochs)}
