"""Keep credentials out of the database.

A workflow never carries a credential: it names one, ``{secret: NAME}``, and validation
refuses an inline value under a credential's name (``spec/secrets.py``). Result metadata
and calibrations may still hold one, so every mapping written to the store passes through
:func:`scrub`, which drops keys that name a secret (references to one are kept).
"""

from __future__ import annotations

from typing import Any

from ..spec.secrets import is_reference, is_secret_key, may_hold_secrets

__all__ = ["is_secret_key", "may_hold_secrets", "scrub"]


def scrub(value: Any) -> Any:
    """A copy of ``value`` without secret-named keys, at any depth of dicts and lists;
    references (``{secret: NAME}``, ``{param: ...}``, ``{ref: ...}``) are kept as they are:
    they name a value, they are not one."""
    if is_reference(value):
        return value
    if isinstance(value, dict):
        return {
            k: scrub(v)
            for k, v in value.items()
            if not (isinstance(k, str) and is_secret_key(k)) or is_reference(v)
        }
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value
