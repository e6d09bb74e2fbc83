"""A tornado handler that serves an ASGI app inside the Jupyter server's own process.

Jupyter authenticates the request (token or login cookie), authorizes it and checks XSRF
for state-changing verbs exactly as for its own APIs; then the request is handed to the
ASGI app. Response chunks are flushed as they come, so Server-Sent Events stream without
buffering, and a closed connection is reported to the app as ``http.disconnect``.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import unquote

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from tornado import web
from tornado.iostream import StreamClosedError

Message = dict[str, Any]


class ClientGone(OSError):
    """The client closed the connection while the app was still sending."""


class ASGIHandler(APIHandler):
    """Forward every verb to ``asgi_app``, mounted at ``root_path``."""

    #: Authorizer resource name: GET -> "read", POST/PUT/PATCH/DELETE -> "write".
    auth_resource = "quantumflow"

    def initialize(self, asgi_app: Any, root_path: str) -> None:
        """Called by tornado with the handler's keyword arguments."""
        self.asgi_app = asgi_app
        self.root_path = root_path.rstrip("/")
        self._gone = asyncio.Event()

    def on_connection_close(self) -> None:
        """The browser closed its EventSource or fetch: tell the app."""
        self._gone.set()
        super().on_connection_close()

    def _scope(self) -> dict[str, Any]:
        req = self.request
        return {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": req.version.split("/")[-1],
            "method": req.method,
            "scheme": req.protocol,
            "path": unquote(req.path),
            "raw_path": req.path.encode("latin-1"),
            "root_path": self.root_path,
            "query_string": req.query.encode("latin-1"),
            "headers": [
                (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in req.headers.get_all()
            ],
            "client": (req.remote_ip, 0),
            "server": None,
            # FastAPI code can read the Jupyter user as request.state.jupyter_user.
            "state": {"jupyter_user": self.current_user},
        }

    @web.authenticated
    @authorized
    async def _bridge(self, *_: str) -> None:
        body_sent = False
        content_type = "application/octet-stream"

        async def receive() -> Message:
            nonlocal body_sent
            if not body_sent:
                body_sent = True
                return {
                    "type": "http.request",
                    "body": self.request.body or b"",
                    "more_body": False,
                }
            await self._gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            nonlocal content_type
            if message["type"] == "http.response.start":
                self.set_status(message["status"])
                for raw_key, raw_value in message.get("headers", []):
                    key, value = raw_key.decode("latin-1"), raw_value.decode("latin-1")
                    lower = key.lower()
                    if lower == "content-length":
                        continue  # tornado computes it, or sends chunked
                    if lower == "content-type":
                        content_type = value
                        self.set_header("Content-Type", value)
                    else:
                        self.add_header(key, value)  # keeps repeated headers
            elif message["type"] == "http.response.body":
                if self._gone.is_set():
                    raise ClientGone("client disconnected")
                if message.get("body"):
                    self.write(message["body"])
                if message.get("more_body"):
                    try:
                        await self.flush()  # each SSE message leaves now
                    except StreamClosedError as err:
                        raise ClientGone("client disconnected") from err
                    # A long stream is activity: keep the server from being culled as idle.
                    self.update_api_activity()

        try:
            await self.asgi_app(self._scope(), receive, send)
        except Exception:
            if self._gone.is_set():
                return  # the client left mid-response (e.g. closed an event stream)
            raise
        if not self._finished:
            # APIHandler.finish() would otherwise force application/json.
            self.finish(set_content_type=content_type)

    get = post = put = patch = delete = _bridge
