"""Credentials in workflows: names that hold one, and the ``{secret: NAME}`` form.

A workflow never holds a credential's value. An input or param whose name says it is one
(``api_key``, ``password``, ``ibm_token``, ...) must be written ``{secret: NAME}``: the value
is looked up when the task runs (``config.secret_value``: ``QUANTUMFLOW_SECRET_NAME``, then
the secrets file) and is never stored. :func:`inline_secret_problem` words the refusal of
an inline value; the store's ``scrub`` keeps such names out of metrics and calibrations.
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


#: The one-key forms of a value that is not itself a value: it names one.
REFERENCE_TAGS = frozenset({"secret", "param", "ref"})


def is_reference(value: Any) -> bool:
    """Whether ``value`` is ``{secret: NAME}``, ``{param: NAME}`` or ``{ref: TASK}``."""
    if type(value) is not dict or len(value) != 1:
        return False
    ((tag, inner),) = value.items()
    return tag in REFERENCE_TAGS and isinstance(inner, str)


def secret_name_for(key: str) -> str:
    """The secret name suggested for an input or param called ``key`` (``IBM_API_KEY``)."""
    name = "".join(c if c.isalnum() else "_" for c in key).upper().strip("_")
    return name if name and not name[0].isdigit() else f"SECRET_{name}"


def inline_secret_problem(key: str, value: Any, *, secrets_file: str) -> str | None:
    """Why an inline ``value`` under ``key`` is refused (None: it is not a credential)."""
    if not is_secret_key(key) or is_reference(value) or value in (None, "", {}, []):
        return None
    name = secret_name_for(key)
    return (
        f"'{key}' looks like a credential and workflows never hold one: write "
        f"{{secret: {name}}} and set QUANTUMFLOW_SECRET_{name} (or add {name}=... to "
        f"{secrets_file}); the value is read when the task runs and never stored"
    )
