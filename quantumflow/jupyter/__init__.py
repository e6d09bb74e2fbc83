"""QuantumFlow inside Jupyter: the server extension (REST API) and, in kernels, the magics.

Only the hooks live here; their imports are deferred so that importing this package costs
nothing.
"""

from __future__ import annotations

from typing import Any


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "quantumflow.jupyter"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    from .server_extension import load

    load(serverapp)


async def _start_jupyter_server_extension(serverapp: Any) -> None:
    from .server_extension import start

    await start(serverapp)
