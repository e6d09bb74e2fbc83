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
from .inputs import missing_secret

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
    where = str(secrets_file())
    for names in (spec.params, params or {}):
        for key, value in names.items():
            problems.extend(_param_problems(str(key), value, where))
    if too_deep(dict(spec.params), limit - 1) or too_deep(dict(params or {}), limit - 1):
        problems.append(Problem(f"nests deeper than {limit} levels", field="params"))
    for task in spec.tasks:
        problems.extend(_task_problems(task, where, limit))
    return problems


def _param_problems(key: str, value: Any, where: str) -> list[Problem]:
    problems: list[Problem] = []
    why = bad_characters(key)
    if why:
        problems.append(Problem(f"param name {key!r} {why}", field="params"))
    why = inline_secret_problem(key, value, secrets_file=where)
    if why:
        problems.append(Problem(why, field=f"params.{key}"))
    if is_reference(value) and "secret" in value and secret_value(value["secret"]) is None:
        problems.append(Problem(missing_secret(value["secret"]), field=f"params.{key}"))
    return problems


def _task_problems(task: Any, where: str, limit: int) -> list[Problem]:
    problems: list[Problem] = []
    for key, value in task.inputs.items():
        why = bad_characters(key)
        if why:
            problems.append(Problem(f"input name {key!r} {why}", task.id, "inputs"))
        if is_secret_key(key):  # rare: one set lookup per input otherwise
            why = inline_secret_problem(key, value, secrets_file=where)
            if why:
                problems.append(Problem(why, task.id, f"inputs.{key}"))
    if isinstance(task, QuantumTask):
        for field, value in (
            ("circuit.args", task.circuit.args),
            ("noise", task.noise),
            ("transpile", task.transpile),
        ):
            if value and too_deep(value, limit - VALUE_LEVEL):
                problems.append(Problem(f"nests deeper than {limit} levels", task.id, field))
    return problems
