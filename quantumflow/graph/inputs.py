"""Data passing: compile each task's inputs once, then resolve them cheaply per attempt.

``{ref: T}`` is T's whole output, ``{ref: T.key}`` is ``output[key]``, ``{param: P}`` is a
run parameter (run params override the spec's), ``{secret: NAME}`` is a secret read when the
attempt starts (``config.secret_value``; a param may hold one too), anything else is a
literal.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..config import Secret, secret_value, too_deep
from ..errors import Problem, QuantumFlowError, SpecError
from .documents import PLAIN_NAMES, input_name_problems, missing_secret

LITERAL, WHOLE, KEY, PARAM, SECRET = 0, 1, 2, 3, 4

#: (input name, kind, value|task index|param name, key)
Slot = tuple[str, int, Any, Any]


class TaskInputError(QuantumFlowError):
    """An input could not be resolved at run time (e.g. a missing key in an upstream output)."""

    exit_code = 1
    error_class = "invalid_input"

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
            elif kind == PARAM:
                value = params[a]
                if type(value) is dict and len(value) == 1 and "secret" in value:
                    value = _secret(value["secret"], self.task_id, name)  # a secret param
                kwargs[name] = value
            else:
                kwargs[name] = _secret(a, self.task_id, name)
        return kwargs


def _secret(secret: Any, task: str, name: str) -> Secret:
    value = secret_value(secret) if isinstance(secret, str) else None
    if value is None:
        raise TaskInputError(task, f"inputs.{name}", missing_secret(str(secret)))
    return value


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
    """Compile one task's inputs (references must name tasks in ``index``).

    Raises:
        SpecError: an input names an unknown task.
    """
    problems: list[Problem] = []
    plan = compile_task(task_id, inputs, index, {}, known_params=None, problems=problems)
    if problems:
        raise SpecError(problems)
    return plan


def compile_task(
    task_id: str,
    inputs: Mapping[str, Any],
    index: Mapping[str, int],
    upstream: dict[int, None],
    *,
    known_params: Container[str] | None,
    problems: list[Problem],
    max_depth: int | None = None,
) -> InputPlan:
    """Compile a task's inputs in one pass, checking its references (validation's hot loop).

    Inputs are read as :func:`quantumflow.spec.parse_input` reads them (a test holds the
    two to the same answers), without building a ``Ref`` per input.

    Args:
        upstream: gets the index of each task a ``{ref: ...}`` reads (insertion-ordered).
        known_params: the params ``{param: X}`` may name; None accepts any.
        problems: gets a :class:`Problem` for each reference to an unknown task or param,
            or to the task itself; the returned plan is meaningless then.
        max_depth: the nesting a literal value may have (``config.Limits``; None: any).
    """
    slots: list[Slot] = []
    literal_only = True
    plain = PLAIN_NAMES
    for name, value in inputs.items():
        if name not in plain:  # control characters, an inline credential
            input_name_problems(task_id, name, value, problems)
        if isinstance(value, dict) and len(value) == 1:
            slot = _tagged(task_id, name, value, index, upstream, known_params, problems)
            if slot[1] == LITERAL:
                _check_depth(task_id, name, slot[2], max_depth, problems)
            else:
                literal_only = False
            slots.append(slot)
        else:
            _check_depth(task_id, name, value, max_depth, problems)
            slots.append((name, LITERAL, value, None))
    constant = {name: a for name, _, a, _ in slots} if literal_only else None
    return InputPlan(task_id, tuple(slots), constant)


def _check_depth(
    task_id: str, name: str, value: Any, max_depth: int | None, problems: list[Problem]
) -> None:
    """A literal value nested past ``max_depth`` is a problem (refs never get here)."""
    if max_depth is not None and isinstance(value, dict | list) and too_deep(value, max_depth):
        msg = f"nests deeper than {max_depth} levels (QUANTUMFLOW_MAX_JSON_DEPTH)"
        problems.append(Problem(msg, task_id, f"inputs.{name}"))


def _tagged(  # noqa: PLR0917 - the hot loop's state, passed as is
    task_id: str,
    name: str,
    value: dict[str, Any],
    index: Mapping[str, int],
    upstream: dict[int, None],
    known_params: Container[str] | None,
    problems: list[Problem],
) -> Slot:
    """The slot of a one-key dict input: ``{ref: ...}``, ``{param: ...}``, ``{literal: ...}``
    or a plain literal dict."""
    ((tag, inner),) = value.items()
    if tag == "ref" and isinstance(inner, str):
        upstream_id, _, key = inner.partition(".")
        i = index.get(upstream_id)
        if upstream_id == task_id:
            problems.append(Problem("a task cannot read its own output", task_id, f"inputs.{name}"))
        elif i is None:
            msg = f"unknown task '{upstream_id}' in ref"
            problems.append(Problem(msg, task_id, f"inputs.{name}"))
        else:
            upstream.setdefault(i)
            return (name, KEY, i, key) if key else (name, WHOLE, i, None)
        return (name, WHOLE, -1, None)
    if tag == "secret" and isinstance(inner, str):
        if secret_value(inner) is None:  # checked before the run; read again at each attempt
            problems.append(Problem(missing_secret(inner), task_id, f"inputs.{name}"))
        return (name, SECRET, inner, None)
    if tag == "param" and isinstance(inner, str):
        if known_params is not None and inner not in known_params:
            msg = (
                f"unknown param '{inner}' (add it to the workflow's params "
                "or pass it as a run param)"
            )
            problems.append(Problem(msg, task_id, f"inputs.{name}"))
        return (name, PARAM, inner, None)
    return (name, LITERAL, inner if tag == "literal" else value, None)
