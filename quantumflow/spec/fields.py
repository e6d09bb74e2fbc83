"""What a spec field is: ``spec_field`` (constraints and description, written once) and how
the checker (:mod:`.checker`) and its generated fast paths (:mod:`.fast`) see a field.

The checker and the JSON Schema (:mod:`.schema`) both read a field's ``metadata``; nothing
else describes a field.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from typing import Any, NamedTuple


def spec_field(default: Any = dataclasses.MISSING, *, factory: Any = None, **meta: Any) -> Any:
    """A dataclass field whose ``metadata`` holds its constraints and description.

    Keys read by the checker and the schema: ``description``, ``ge``, ``gt``, ``le``,
    ``min_length``, ``max_length``, ``pattern``, ``item_ge`` (each value of a dict),
    ``discriminator`` (a list of spec classes told apart by that field) and ``rule`` (a
    function of the value that returns a problem message or ``None``).
    """
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


BAD: Any = object()  # a nested check found problems (they are already in `found`)


class Invalid(Exception):
    """A leaf check's answer to a bad value (the checker places it)."""

    def __init__(self, message: str) -> None:
        self.message = message


Builder = Callable[[dict[str, Any]], Any]  # a spec object, or None: check it in full
Dumper = Callable[[Any, bool], dict[str, Any]]  # (obj, json_mode) -> dict


class _Required:
    def __repr__(self) -> str:
        return "<required>"


#: The ``default`` of a required field.
REQUIRED: Any = _Required()


class FieldInfo(NamedTuple):
    """One field as the checks and the generated code see it."""

    name: str
    tp: Any
    meta: typing.Mapping[str, Any]
    default: Any  # the default value, a factory's value, or REQUIRED
    factory: Callable[[], Any] | None
    check: Any  # the checker's function for the field
    nested: bool  # check(value, loc, found) rather than check(value)
