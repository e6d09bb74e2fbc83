"""What a spec document holds besides its graph: names without control characters,
credentials only as ``{secret: NAME}`` (and set), JSON values within
``Limits.json_depth``, so that whatever is accepted can be stored and shown again."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from ..config import secret_value, secrets_file, too_deep
from ..errors import Problem
from ..spec import QuantumTask, WorkflowSpec
from ..spec.secrets import inline_secret_problem, is_reference, is_secret_key

#: How deep a task's input value sits in a spec document (spec, tasks, task, inputs).
VALUE_LEVEL = 4
#: Characters a name may not hold: controls, bidi and zero-width formatting, separators.
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def bad_characters(text: str) -> str | None:
    """What is wrong with a name or key holding control or bidirectional characters."""
    if text.isprintable():  # C-speed: every refused category is unprintable
        return None
    for ch in text:
        if unicodedata.category(ch) in _BAD_CATEGORIES:
            return f"contains the control or formatting character U+{ord(ch):04X}"
    return None


def document_problems(
    spec: WorkflowSpec, params: Mapping[str, Any] | None, limit: int
) -> list[Problem]:
    """Every problem of names, credentials and nesting in ``spec`` and the run's
    ``params`` (``limit``: ``Limits.json_depth``)."""
    problems: list[Problem] = []
    why = bad_characters(spec.name)
    if why:
        problems.append(Problem(why, field="name"))
    for names in (spec.params, params or {}):
        for key, value in names.items():
            problems.extend(_param_problems(str(key), value))
    if too_deep(dict(spec.params), limit - 1) or too_deep(dict(params or {}), limit - 1):
        problems.append(Problem(f"nests deeper than {limit} levels", field="params"))
    for task in spec.tasks:  # input names are checked by compile_task (input_name_problems)
        if task.kind == "quantum":
            problems.extend(_quantum_problems(task, limit))
    return problems


def _param_problems(key: str, value: Any) -> list[Problem]:
    problems: list[Problem] = []
    why = bad_characters(key)
    if why:
        problems.append(Problem(f"param name {key!r} {why}", field="params"))
    if not is_secret_key(key) and not is_reference(value):
        return problems
    why = inline_secret_problem(key, value, secrets_file=str(secrets_file()))
    if why:
        problems.append(Problem(why, field=f"params.{key}"))
    if is_reference(value) and "secret" in value and secret_value(value["secret"]) is None:
        problems.append(Problem(missing_secret(value["secret"]), field=f"params.{key}"))
    return problems


#: Input names already found plain (specs repeat theirs): one set lookup per input.
PLAIN_NAMES: set[str] = set()


def input_name_problems(task_id: str, name: str, value: Any, problems: list[Problem]) -> None:
    """Control characters in an input's name, or an inline credential under it (called by
    ``compile_task`` for names not in :data:`PLAIN_NAMES`)."""
    why = bad_characters(name)
    if why:
        problems.append(Problem(f"input name {name!r} {why}", task_id, "inputs"))
    if is_secret_key(name):
        why = inline_secret_problem(name, value, secrets_file=str(secrets_file()))
        if why:
            problems.append(Problem(why, task_id, f"inputs.{name}"))
    elif why is None and len(PLAIN_NAMES) < 10_000:
        PLAIN_NAMES.add(name)


def missing_secret(name: str) -> str:
    """What a ``{secret: NAME}`` that has no value says."""
    return (
        f"secret '{name}' is not set: set QUANTUMFLOW_SECRET_{name} for the process that "
        f"runs the workflow, or add {name}=... to {secrets_file()}"
    )


def _quantum_problems(task: QuantumTask, limit: int) -> list[Problem]:
    return [
        Problem(f"nests deeper than {limit} levels", task.id, field)
        for field, value in (
            ("circuit.args", task.circuit.args),
            ("noise", task.noise),
            ("transpile", task.transpile),
        )
        if value and too_deep(value, limit - VALUE_LEVEL)
    ]
