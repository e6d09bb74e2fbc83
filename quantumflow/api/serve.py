"""``quantumflow serve``: the REST API standalone under uvicorn, behind a bearer token."""

from __future__ import annotations

import ipaddress
import logging
import secrets

from ..errors import QuantumFlowError

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


class InsecureBindError(QuantumFlowError):
    """Refused to serve on a non-loopback address without a token."""


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback IP addresses (127.0.0.0/8, ::1)."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def resolve_token(host: str, token: str | None) -> tuple[str, bool]:
    """The token to require: ``token``, else ``Settings.token``, else (loopback only) a new one.

    Returns:
        The token and whether it was generated here (then it must be shown to the user).

    Raises:
        InsecureBindError: ``host`` is not loopback and no token was given.
    """
    if not token:
        from ..config import load_settings

        token = load_settings().token
    if token:
        return token, False
    if not is_loopback(host):
        raise InsecureBindError(
            f"refusing to serve on '{host}' without a token: pass --token or set "
            "QUANTUMFLOW_TOKEN (or bind to 127.0.0.1)"
        )
    return secrets.token_urlsafe(24), True


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    token: str | None = None,
    *,
    store_url: str | None = None,
    log_level: str = "info",
    allow_modules: tuple[str, ...] = (),
    root: str | None = None,
) -> None:
    """Run the API until interrupted. Every request needs ``Authorization: Bearer <token>``.

    Args:
        host: address to bind; a non-loopback address requires a token.
        port: TCP port.
        token: the bearer token; default ``QUANTUMFLOW_TOKEN``. On loopback without one, a
            random token is generated and logged (like Jupyter's own).
        store_url: SQLAlchemy URL of the store (default ``Settings.db_url``).
        log_level: uvicorn's log level.
        allow_modules: modules whose functions and circuit callables tasks may use,
            besides ``quantumflow.library`` and ``QUANTUMFLOW_ALLOW_MODULES``; tasks naming
            any other module are refused (403) before anything is imported.
        root: the directory ``qasm_file`` paths must be under (default: the current one).

    Raises:
        InsecureBindError: ``host`` is not loopback and no token is set.
    """
    import uvicorn

    from ..config import ModulePolicy, set_files_root, set_module_policy
    from .app import create_app

    token, generated = resolve_token(host, token)
    policy = ModulePolicy.allow_list(allow_modules)
    set_module_policy(policy)  # this process and the workers it starts (docs/security.md)
    set_files_root(root or ".")
    log.warning("tasks may use functions from: %s", ", ".join(policy.allowed or ()))
    app = create_app(store_url=store_url, token=token)
    log.warning(
        "QuantumFlow API on http://%s:%d/api (OpenAPI: /api/openapi.json), token: %s",
        f"[{host}]" if ":" in host else host,
        port,
        token if generated else "(as given)",
    )
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False)
