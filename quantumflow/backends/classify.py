"""Which :data:`~quantumflow.errors.ErrorClass` an SDK's exception belongs to.

The SDKs do not share an error hierarchy, so an exception is read by its type names (its
class and bases), its HTTP status when it carries one, and a few words of its message.
Transient: network trouble, rate limits, queue timeouts, a provider's server errors.
Permanent: a circuit the backend refuses, missing or rejected credentials, an unsupported
feature. Anything unrecognised is ``backend`` (permanent): retrying what we do not
understand would only repeat it (and, on a QPU, bill it again).
"""

from __future__ import annotations

import re

_STATUS = re.compile(r"\b(4\d\d|5\d\d)\b")

# First match wins (checked against the exception's class and its bases, in this order).
_BY_NAME: tuple[tuple[str, str], ...] = (
    ("InputValueError", "invalid_input"),
    ("RuntimeJobMaxTimeout", "queue_timeout"),
    ("RuntimeJobFailure", "provider"),
    ("RequestsApiError", "network"),
    ("RateLimit", "rate_limit"),
    ("TooManyRequests", "rate_limit"),
    ("JobTimeout", "queue_timeout"),
    ("NotAuthorized", "credentials"),
    ("Unauthorized", "credentials"),
    ("Credential", "credentials"),
    ("AccountNotFound", "credentials"),
    ("CircuitError", "invalid_circuit"),
    ("TranspilerError", "invalid_circuit"),
    ("QasmError", "invalid_circuit"),
    ("DeviceError", "unsupported"),
    ("NotImplemented", "unsupported"),
    ("ConnectionError", "network"),
    ("ConnectTimeout", "network"),
    ("ReadTimeout", "network"),
    ("Timeout", "network"),
    ("SSLError", "network"),
    ("ProtocolError", "network"),
    ("RemoteDisconnected", "network"),
    ("IncompleteRead", "network"),
    ("IBMRuntimeError", "provider"),
)

_BY_WORDS: tuple[tuple[str, str], ...] = (
    ("rate limit", "rate_limit"),
    ("too many requests", "rate_limit"),
    ("queue timeout", "queue_timeout"),
    ("timed out in the queue", "queue_timeout"),
    ("connection refused", "network"),
    ("connection reset", "network"),
    ("temporarily unavailable", "provider"),
    ("service unavailable", "provider"),
    ("invalid token", "credentials"),
    ("not authorized", "credentials"),
)


def _status(exc: BaseException) -> int | None:
    for attr in ("status_code", "status"):
        value = getattr(exc, attr, None)
        if isinstance(value, int):
            return value
    response = getattr(exc, "response", None)
    code = getattr(response, "status_code", None)
    return code if isinstance(code, int) else None


def _from_status(code: int) -> str | None:
    if code == 429:
        return "rate_limit"
    if code in (401, 403):
        return "credentials"
    if code in (408, 504):
        return "network"
    if code >= 500:
        return "provider"
    if 400 <= code < 500:
        return "invalid_input"
    return None


def classify(exc: BaseException) -> str:
    """The error class of an SDK or network exception (``backend`` when unknown)."""
    own = getattr(exc, "error_class", None)
    if isinstance(own, str):
        return own
    code = _status(exc)
    found = _from_status(code) if code is not None else None
    names = [cls.__name__ for cls in type(exc).__mro__]
    if found is None:
        found = next((c for part, c in _BY_NAME if any(part in n for n in names)), None)
    if found is None and isinstance(exc, ConnectionError | TimeoutError):
        found = "network"
    text = str(exc).lower()
    if found is None:
        found = next((c for words, c in _BY_WORDS if words in text), None)
    match = _STATUS.search(text)
    if found is None and match and "http" in text:
        found = _from_status(int(match.group(1)))
    return found or "backend"
