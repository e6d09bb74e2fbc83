"""``SpecModel``: what the spec dataclasses share: a checked constructor, dumps, equality.

The method names are this project's own (``parse``, ``dump``, ``with_changes``): the spec
classes are plain dataclasses checked by :mod:`.checker`, not pydantic models, and nothing
here imports pydantic (the JSON Schema is :func:`quantumflow.spec.schema.json_schema`).
How a problem is worded (which task, which field) is the class's own business:
:meth:`SpecModel._problems`, which ``WorkflowSpec`` and the tasks override.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, ClassVar, TypeVar

from ..errors import Problem, SpecError
from .checker import CheckFailed, Loc, build
from .dumper import dump

_M = TypeVar("_M", bound="SpecModel")


class SpecModel:
    """Shared methods of the spec dataclasses (subclasses are ``@dataclass(init=False)``)."""

    #: A check of the whole object once its fields are valid: a problem message or None.
    _rule: ClassVar[Any] = None

    def __init__(self, **data: Any) -> None:
        self.__dict__ = type(self).parse(data).__dict__

    @classmethod
    def parse(cls: type[_M], data: Any) -> _M:
        """A checked instance from plain data (an instance of ``cls`` is returned as is).

        Raises:
            SpecError: every problem found, each naming the task and field.
        """
        if isinstance(data, cls):
            return data
        try:
            return build(cls, data)
        except CheckFailed as failed:
            raise SpecError(cls._problems(data, failed.found)) from None

    @classmethod
    def parse_json(cls: type[_M], text: str | bytes) -> _M:
        """A checked instance from JSON text."""
        return cls.parse(json.loads(text))

    @classmethod
    def _problems(cls, data: Any, found: list[tuple[Loc, str]]) -> list[Problem]:
        """Word the checker's findings: the dotted field path of each (no task)."""
        return [Problem(msg, task=None, field=_dotted(loc)) for loc, msg in found]

    def dump(self, *, json_mode: bool = False, exclude_defaults: bool = False) -> dict[str, Any]:
        """The fields as a dict; nested spec objects become dicts too (containers are copied).

        ``json_mode=True`` also turns tuples and sets into lists.
        """
        return dump(self, json_mode=json_mode, exclude_defaults=exclude_defaults)

    def dump_json(self, *, exclude_defaults: bool = False) -> str:
        """Compact JSON of :meth:`dump` (what :meth:`parse_json` reads back)."""
        return json.dumps(
            self.dump(json_mode=True, exclude_defaults=exclude_defaults), separators=(",", ":")
        )

    def with_changes(self: _M, **changes: Any) -> _M:
        """A shallow copy with ``changes`` applied (not checked: pass checked values)."""
        new = object.__new__(type(self))
        new.__dict__ = {**self.__dict__, **changes}
        return new

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, like dataclasses

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
        )
        return f"{type(self).__name__}({fields})"


def _dotted(loc: Loc) -> str | None:
    return ".".join(str(p) for p in loc) or None
