"""Pure ASGI middleware: request body size limit and bearer-token auth (standalone only).

Both are plain ASGI wrappers rather than Starlette ``BaseHTTPMiddleware`` so that streaming
responses (SSE) pass through unbuffered.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def _json_error(
    send: Send, status: int, detail: str, headers: list[Any] | None = None
) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


#: Strings (skipped whole, escapes included) and brackets of a JSON text.
_JSON_NESTING = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_OPEN = frozenset(b"[{")


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Whether the JSON text ``body`` nests deeper than ``limit`` (without parsing it:
    one regular-expression pass over its strings and brackets; malformed text is left to
    the parser)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # cannot nest that deep
    depth = 0
    for m in _JSON_NESTING.finditer(body):
        char = m.group()[0]
        if char in _OPEN:
            depth += 1
            if depth > limit:
                return True
        elif char != 0x22:  # a closing bracket (0x22 is '"': a string, skipped)
            depth -= 1
    return False


class BodyLimit:
    """Answer 413 to requests whose body exceeds ``max_bytes`` (declared or streamed), and
    400 to JSON bodies nesting deeper than ``max_depth`` (``config.Limits``): what is
    accepted can always be stored and read back."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, max_depth: int = 64) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _json_error(send, 400, "invalid Content-Length header")
                    return
                if declared > self.max_bytes:
                    await self._refuse(send)
                    return
        # JSON bodies are small: read the whole body first, then replay it to the app.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending its body
            chunk = bytes(message.get("body", b""))
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if json_depth_exceeds(body, self.max_depth):
            await _json_error(
                send,
                400,
                f"the request's JSON nests deeper than {self.max_depth} levels "
                "(limit: QUANTUMFLOW_MAX_JSON_DEPTH)",
            )
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        await _json_error(send, 413, f"request body too large (limit {self.max_bytes} bytes)")


class BearerAuth:
    """Require ``Authorization: Bearer <token>`` on every HTTP request (401 otherwise)."""

    def __init__(self, app: ASGIApp, *, token: str) -> None:
        if not token:
            raise ValueError("BearerAuth needs a non-empty token")
        self.app = app
        self._token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self._ok(scope):
            await _json_error(
                send,
                401,
                "missing or wrong token: send 'Authorization: Bearer <token>'",
                [(b"www-authenticate", b'Bearer realm="quantumflow"')],
            )
            return
        await self.app(scope, receive, send)

    def _ok(self, scope: Scope) -> bool:
        for key, value in scope.get("headers", []):
            if key == b"authorization":
                scheme, _, given = bytes(value).partition(b" ")
                if scheme.lower() in (b"bearer", b"token"):
                    return hmac.compare_digest(given.strip(), self._token)
        return False
