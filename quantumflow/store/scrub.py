"""Keep credentials out of the database.

The spec never carries tokens (cloud credentials come from the environment or the SDKs'
saved accounts), but a user may still put one into params or result metadata. Every mapping
written to the store passes through :func:`scrub`, which drops keys that name a secret.
"""

from __future__ import annotations

from typing import Any

_SECRET_NAMES = frozenset(
    {
        "token",
        "api_key",
        "apikey",
        "api_token",
        "access_token",
        "auth_token",
        "refresh_token",
        "password",
        "passwd",
        "secret",
        "client_secret",
        "secret_key",
        "private_key",
        "credentials",
        "authorization",
    }
)
_SECRET_SUFFIXES = ("_token", "_secret", "_password", "_api_key", "_apikey")


def is_secret_key(key: str) -> bool:
    """Whether a mapping key names a credential (``token``, ``ibm_api_key``, ``Password``...)."""
    k = key.lower().replace("-", "_")
    return k in _SECRET_NAMES or k.endswith(_SECRET_SUFFIXES)


#: Every secret name and suffix above contains one of these (lower case, ``-`` as ``_``).
_SECRET_STEMS = (
    "token",
    "api_key",
    "apikey",
    "password",
    "passwd",
    "secret",
    "private_key",
    "credentials",
    "authorization",
)


def may_hold_secrets(text: str) -> bool:
    """False when ``text`` (e.g. a document's JSON) cannot contain a secret-named key, so
    :func:`scrub` would change nothing; a cheap test before the recursive walk."""
    low = text.lower().replace("-", "_")
    return any(stem in low for stem in _SECRET_STEMS)


def scrub(value: Any) -> Any:
    """A copy of ``value`` without secret-named keys, at any depth of dicts and lists."""
    if isinstance(value, dict):
        return {
            k: scrub(v) for k, v in value.items() if not (isinstance(k, str) and is_secret_key(k))
        }
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value
