"""The base of the spec classes: plain dataclasses with a pydantic-like surface, no pydantic.

``Cls(**fields)``, ``Cls.model_validate(data)`` and ``Cls.model_validate_json(text)`` check
their input with :mod:`quantumflow.spec_check` and raise :class:`~quantumflow.SpecError`;
``model_dump``/``model_dump_json``/``model_copy`` work as pydantic's do for these classes.
``model_json_schema`` is the only method that imports pydantic (see ``spec_schema``).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, ClassVar, TypeVar

_M = TypeVar("_M", bound="SpecModel")


def spec_field(default: Any = dataclasses.MISSING, *, factory: Any = None, **meta: Any) -> Any:
    """A dataclass field whose ``metadata`` holds its constraints and description.

    Keys read by the validator and the schema: ``description``, ``ge``, ``gt``, ``le``,
    ``min_length``, ``max_length``, ``pattern``, ``item_ge`` (each value of a dict),
    ``discriminator`` (a list of spec classes told apart by that field) and ``rule`` (a
    function of the value that returns a problem message or ``None``).
    """
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


class SpecModel:
    """Shared methods of the spec dataclasses (subclasses are ``@dataclass(init=False)``)."""

    #: A check of the whole object once its fields are valid: a problem message or None.
    _rule: ClassVar[Any] = None

    def __init__(self, **data: Any) -> None:
        from .spec_check import build

        self.__dict__ = build(type(self), data).__dict__

    @classmethod
    def model_validate(cls: type[_M], data: Any) -> _M:
        """A checked instance from a dict (an instance of ``cls`` is returned as is).

        Raises:
            SpecError: every problem found, each naming the task and field.
        """
        if isinstance(data, cls):
            return data
        from .spec_check import build

        return build(cls, data)

    @classmethod
    def model_validate_json(cls: type[_M], text: str | bytes) -> _M:
        """A checked instance from JSON text."""
        return cls.model_validate(json.loads(text))

    @classmethod
    def model_json_schema(cls) -> dict[str, Any]:
        """The JSON Schema of this class (built by pydantic, imported only here)."""
        from .spec_schema import model_for

        schema: dict[str, Any] = model_for(cls).model_json_schema()
        return schema

    def model_dump(self, *, mode: str = "python", exclude_defaults: bool = False) -> dict[str, Any]:
        """The fields as a dict; nested spec objects become dicts too (containers are copied).

        ``mode="json"`` also turns tuples and sets into lists.
        """
        from .spec_check import dump

        return dump(self, json_mode=mode == "json", exclude_defaults=exclude_defaults)

    def model_dump_json(self, *, exclude_defaults: bool = False) -> str:
        """Compact JSON of :meth:`model_dump` (what ``model_validate_json`` reads back)."""
        return json.dumps(
            self.model_dump(mode="json", exclude_defaults=exclude_defaults),
            separators=(",", ":"),
        )

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclasses' and pydantic's

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
        )
        return f"{type(self).__name__}({fields})"

    def model_copy(self: _M, *, update: dict[str, Any] | None = None) -> _M:
        """A shallow copy with ``update`` applied; like pydantic's, the update is not checked."""
        new = object.__new__(type(self))
        new.__dict__ = {**self.__dict__, **(update or {})}
        return new
