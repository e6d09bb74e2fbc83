"""Dump checked spec objects back to plain data: the generic loop, then generated code.

Each class dumps through the generic loop until it has been dumped ``checker.HOT`` times
(per ``exclude_defaults``); then :mod:`.fast` writes one straight-line dumper for it.
Containers are copied all the way down, spec objects inside become dicts.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from . import checker
from .fast import compile_dumper
from .fields import Dumper, FieldInfo

_ATOMS = frozenset({str, int, float, bool, type(None)})


def dump(obj: Any, *, json_mode: bool, exclude_defaults: bool) -> dict[str, Any]:
    """``obj``'s fields as a plain dict, spec objects inside as dicts, containers copied."""
    return _dumper(checker.plan_of(type(obj)), exclude_defaults)(obj, json_mode)


def _dumper(plan: checker.Plan, exclude_defaults: bool) -> Dumper:
    """The class's dump function: the generic loop, then (from HOT dumps on) generated code."""
    dumper = plan.dumpers.get(exclude_defaults, 0)
    if not isinstance(dumper, int):
        return dumper
    if dumper < checker.HOT - 1:
        plan.dumpers[exclude_defaults] = dumper + 1
        infos = plan.infos
        return lambda obj, json_mode: _dump_fields(infos, obj, json_mode, exclude_defaults)
    made = plan.dumpers[exclude_defaults] = compile_dumper(plan.infos, exclude_defaults, _plain)
    return made


def _dump_fields(
    infos: list[FieldInfo], obj: Any, json_mode: bool, exclude_defaults: bool
) -> dict[str, Any]:
    values = obj.__dict__
    out: dict[str, Any] = {}
    for f in infos:
        value = values[f.name]
        if exclude_defaults and value == f.default:
            continue
        out[f.name] = value if type(value) in _ATOMS else _plain(value, json_mode, exclude_defaults)
    return out


def _plain(value: Any, json_mode: bool, exclude_defaults: bool) -> Any:
    """A copy of a field's value: containers copied all the way down, spec objects dumped."""
    t = type(value)
    if t is dict:
        out = value.copy()
        for key, item in value.items():
            if type(item) not in _ATOMS:
                out[key] = _plain(item, json_mode, exclude_defaults)
        return out
    if t is list or (json_mode and isinstance(value, tuple | set | frozenset)):
        items = list(value)
        for i, item in enumerate(items):
            if type(item) not in _ATOMS:
                plan = checker.known_plan(type(item))  # a spec object (a task): its dumper directly
                if plan is None:
                    items[i] = _plain(item, json_mode, exclude_defaults)
                else:
                    items[i] = _dumper(plan, exclude_defaults)(item, json_mode)
        return items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dump(value, json_mode=json_mode, exclude_defaults=exclude_defaults)
    return value
