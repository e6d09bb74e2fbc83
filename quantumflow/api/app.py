"""The FastAPI app factory: one app for the Jupyter server extension and ``quantumflow serve``.

Routes live under ``/api``. Inside Jupyter the app is mounted with ``root_path`` set to
``{base_url}quantumflow`` so the same routes answer at ``{base_url}quantumflow/api/...``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from ..config import load_settings
from .context import ApiContext
from .errors import install_handlers
from .middleware import BearerAuth, BodyLimit
from .routers import events, functions, meta, performance, runs, views, workflows
from .schemas import ErrorResponse

API_PREFIX = "/api"
#: Default request body limit (a WorkflowSpec with inline QASM rarely passes 1 MiB);
#: ``QUANTUMFLOW_MAX_BODY_MB`` changes it (config.Limits).
MAX_BODY_BYTES = 4 * 2**20

DESCRIPTION = """\
Design, run and monitor QuantumFlow workflows.

Standalone (`quantumflow serve`) every request needs `Authorization: Bearer <token>`.
Inside Jupyter the API lives at `{base_url}quantumflow/api` and uses the Jupyter server's
own authentication (token or login cookie plus the `X-XSRFToken` header on writes).
Every error is JSON `{"detail": ...}`.
"""


def _version() -> str:
    from .._version import package_version

    return package_version()


def create_app(
    *,
    store_url: str | None = None,
    token: str | None = None,
    max_body_bytes: int | None = None,
) -> FastAPI:
    """Build the QuantumFlow REST API.

    Args:
        store_url: SQLAlchemy URL of the store; ``None`` uses ``Settings.db_url``.
        token: when given, every request must carry ``Authorization: Bearer <token>``
            (``quantumflow serve``); inside Jupyter leave it ``None`` — the server authenticates.
        max_body_bytes: requests with a larger body answer 413 (default:
            ``Limits.body_bytes``, 4 MiB unless ``QUANTUMFLOW_MAX_BODY_MB`` says otherwise).

    Returns:
        The FastAPI app. ``app.state.qf`` holds its :class:`ApiContext`.

    Raises:
        ValueError: ``token`` is an empty string.
    """
    if token is not None and not token:
        raise ValueError("the API token must be a non-empty string")
    ctx = ApiContext(store_url=store_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        ctx.close()

    app = FastAPI(
        title="QuantumFlow API",
        version=_version(),
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
        responses={
            400: {"model": ErrorResponse, "description": "Malformed request"},
            401: {"model": ErrorResponse, "description": "Missing or wrong token (standalone)"},
            413: {"model": ErrorResponse, "description": "Request body too large"},
        },
    )
    app.state.qf = ctx
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    install_handlers(app)
    for module in (workflows, runs, events, performance, meta, functions, views):
        app.include_router(module.router, prefix=API_PREFIX)
    limits = load_settings().limits
    app.add_middleware(
        BodyLimit,
        max_bytes=max_body_bytes if max_body_bytes is not None else limits.body_bytes,
        max_depth=limits.json_depth,
    )
    if token is not None:
        app.add_middleware(BearerAuth, token=token)  # outermost: refuse before reading
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, with its default 422 model replaced by ours (what we really send)."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        text = json.dumps(schema).replace(
            '"#/components/schemas/HTTPValidationError"', '"#/components/schemas/ErrorResponse"'
        )
        schema = json.loads(text)
        components = schema.get("components", {}).get("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        app.openapi_schema = schema
    return app.openapi_schema
