"""The Jupyter server extension: the REST API at ``{base_url}quantumflow/api``.

The FastAPI app runs in the Jupyter server's own process and event loop (no extra port, no
proxy) behind the server's authentication. It shares the store with the kernels' magics and
the CLI through the database, so every run shows up wherever one looks.
"""

from __future__ import annotations

import atexit
import logging
from typing import Any

log = logging.getLogger(__name__)

_state: dict[str, Any] = {}


def load(serverapp: Any) -> None:
    """Mount the API on the running server (``_load_jupyter_server_extension``)."""
    from jupyter_server.utils import url_path_join

    from ..api import create_app
    from ..config import set_files_root
    from .asgi_bridge import ASGIHandler

    # The API is as powerful as the server's token (a kernel runs any code), so every
    # module is trusted here (docs/security.md); files are confined to the server's root.
    set_files_root(getattr(serverapp, "root_dir", None) or ".")
    app = create_app()
    base = serverapp.web_app.settings["base_url"]
    root = url_path_join(base, "quantumflow")
    pattern = url_path_join(root, "api") + "(/.*)?"
    serverapp.web_app.add_handlers(
        ".*$", [(pattern, ASGIHandler, {"asgi_app": app, "root_path": root})]
    )
    _state["app"] = app
    # jupyter_server has no stop hook for module extensions: flush the store at exit.
    atexit.register(app.state.qf.close)
    serverapp.log.info("QuantumFlow API at %s", url_path_join(root, "api"))


async def start(serverapp: Any) -> None:
    """Run the app's lifespan startup once the server's event loop is up."""
    app = _state.get("app")
    if app is None:
        return
    lifespan = app.router.lifespan_context(app)
    await lifespan.__aenter__()
    _state["lifespan"] = lifespan
