"""Data passing: compile each task's inputs once, then resolve them cheaply per attempt.

``{ref: T}`` is T's whole output, ``{ref: T.key}`` is ``output[key]``, ``{param: P}`` is a
run parameter (run params override the spec's), anything else is a literal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import QuantumFlowError
from ..spec import ParamRef, Ref, parse_input

LITERAL, WHOLE, KEY, PARAM = 0, 1, 2, 3

#: (input name, kind, value|task index|param name, key)
Slot = tuple[str, int, Any, Any]


class TaskInputError(QuantumFlowError):
    """An input could not be resolved at run time (e.g. a missing key in an upstream output)."""

    exit_code = 1

    def __init__(self, task: str, field: str, message: str) -> None:
        self.task = task
        self.field = field
        super().__init__(f"task '{task}'.{field}: {message}")


@dataclass(slots=True)  # not frozen: a frozen init costs 3x, and nothing changes it
class InputPlan:
    """A task's inputs, compiled: literals kept, references turned into task indices."""

    task_id: str
    slots: tuple[Slot, ...]
    constant: dict[str, Any] | None  # every input literal: reuse (copied) as is

    def resolve(
        self, outputs: Sequence[Any], params: Mapping[str, Any], ids: Sequence[str]
    ) -> dict[str, Any]:
        """The keyword arguments for one attempt.

        Raises:
            TaskInputError: a ``{ref: T.key}`` whose key is missing in T's output.
        """
        if self.constant is not None:
            return dict(self.constant)
        kwargs: dict[str, Any] = {}
        for name, kind, a, b in self.slots:
            if kind == WHOLE:
                kwargs[name] = outputs[a]
            elif kind == LITERAL:
                kwargs[name] = a
            elif kind == KEY:
                kwargs[name] = _pick(outputs[a], b, self.task_id, name, ids[a])
            else:
                kwargs[name] = params[a]
        return kwargs


def _pick(value: Any, key: str, task: str, name: str, upstream: str) -> Any:
    try:
        return value[key]
    except (KeyError, IndexError, TypeError):
        pass
    if isinstance(value, Sequence) and not isinstance(value, str) and key.lstrip("-").isdigit():
        try:
            return value[int(key)]
        except IndexError:
            pass
    have = (
        f"keys: {', '.join(map(str, list(value)[:10]))}"
        if isinstance(value, dict)
        else (f"a {type(value).__name__}")
    )
    raise TaskInputError(
        task, f"inputs.{name}", f"output of '{upstream}' has no key '{key}' ({have})"
    )


def compile_inputs(task_id: str, inputs: Mapping[str, Any], index: Mapping[str, int]) -> InputPlan:
    """Compile one task's inputs (references must name known tasks; validate checks that)."""
    return compile_parsed(task_id, [(k, parse_input(v)) for k, v in inputs.items()], index)


def compile_parsed(
    task_id: str, parsed: Sequence[tuple[str, Any]], index: Mapping[str, int]
) -> InputPlan:
    """Like :func:`compile_inputs`, from ``(name, parse_input(value))`` pairs."""
    slots: list[Slot] = []
    literal_only = True
    for name, item in parsed:
        if isinstance(item, Ref):
            literal_only = False
            if item.key is None:
                slots.append((name, WHOLE, index[item.task], None))
            else:
                slots.append((name, KEY, index[item.task], item.key))
        elif isinstance(item, ParamRef):
            literal_only = False
            slots.append((name, PARAM, item.name, None))
        else:
            slots.append((name, LITERAL, item, None))
    constant = {name: a for name, _, a, _ in slots} if literal_only else None
    return InputPlan(task_id, tuple(slots), constant)
