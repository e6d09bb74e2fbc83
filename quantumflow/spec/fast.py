"""Generated fast paths for the spec classes: the common case of a big spec, nothing else.

The checker (:mod:`.checker`) keeps one check function per field, which is clear but costs a
call per field and per task (a 5,000-task spec has 20,000 fields). For each spec class and
each tuple of keys seen (most tasks of a workflow share a few), this module writes one
straight-line function that checks the usual shapes inline (a str where a str is due, an int
in range, a dict with str keys, ...) and builds the object, or answers ``None``; then the
checker runs its full check, which finds and words every problem. So a fast path may turn down a
valid value (it is only slower) but must never accept an invalid one: the tests run both
paths over the same inputs and compare.

The dump functions are generated the same way: one per class, with and without defaults.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

from .fields import BAD, REQUIRED, Builder, Dumper, FieldInfo, Invalid


def compile_builder(
    cls: type[Any],
    fields: list[FieldInfo],
    keys: tuple[str, ...],
    rule: Callable[[Any], str | None] | None,
) -> Builder:
    """A builder of ``cls`` from a dict whose keys are exactly ``keys``, in that order."""
    env: dict[str, Any] = {"CLS": cls, "NEW": object.__new__, "BAD": BAD, "Invalid": Invalid}
    by_name = {f.name: (i, f) for i, f in enumerate(fields)}
    body: list[str] = []
    for name in keys:
        i, f = by_name[name]
        body += _check_lines(i, f, env)
    items: list[str] = []
    for i, f in enumerate(fields):
        if f.name in keys:
            items.append(f"{f.name!r}: v{i}")
        elif f.factory in (list, dict):
            items.append(f"{f.name!r}: {'[]' if f.factory is list else '{}'}")
        elif f.factory is not None:
            env[f"F{i}"] = f.factory
            items.append(f"{f.name!r}: F{i}()")
        else:
            env[f"D{i}"] = f.default
            items.append(f"{f.name!r}: D{i}")
    unpack = "".join(f"v{by_name[k][0]}, " for k in keys)
    lines = [
        "def build(data):",
        f"    {unpack} = data.values()" if keys else "    pass",
        *(["    found = []"] if any("found" in line for line in body) else []),
        "    try:",
        *(f"        {line}" for line in body or ["pass"]),
        "    except (TypeError, ValueError, OverflowError, Invalid):",
        "        return None",
        "    obj = NEW(CLS)",
        f"    obj.__dict__ = {{{', '.join(items)}}}",
    ]
    if rule is not None:
        env["RULE"] = rule
        lines += ["    if RULE(obj):", "        return None"]
    lines.append("    return obj")
    exec("\n".join(lines), env)  # noqa: S102 - our own text, from the class's fields
    builder: Builder = env["build"]
    return builder


def _check_lines(i: int, f: FieldInfo, env: dict[str, Any]) -> list[str]:  # noqa: PLR0911, PLR0912 - one branch per type
    """Statements that return None unless ``v{i}`` is fine, and rebind it to the stored value."""
    v = f"v{i}"
    tp, meta = f.tp, f.meta
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
        rest = tuple(a for a in args if a is not type(None))
        if len(rest) == 1:
            inner = _check_lines(i, f._replace(tp=rest[0]), env)
            return [f"if {v} is not None:", *(f"    {line}" for line in inner)]
    if tp is Any:
        return []
    if tp is str:
        test = [f"type({v}) is str"]
        if "min_length" in meta:
            test.append(f"len({v}) >= {int(meta['min_length'])}")
        if "max_length" in meta:
            test.append(f"len({v}) <= {int(meta['max_length'])}")
        if "pattern" in meta:
            # '$' as JSON Schema means it: the end of the string (see spec_check._str)
            env[f"M{i}"] = re.compile(re.sub(r"\$$", r"\\Z", meta["pattern"])).match
            test.append(f"M{i}({v}) is not None")
        if "rule" in meta:
            env[f"R{i}"] = meta["rule"]
            test.append(f"not R{i}({v})")
        return [f"if not ({' and '.join(test)}): return None"]
    if tp is bool:
        return [f"if type({v}) is not bool: return None"]
    if tp is int:
        return [f"if not (type({v}) is int{_bounds(v, meta)}): return None"]
    if tp is float:
        return [
            f"if type({v}) is int: {v} = float({v})",
            f"if not (type({v}) is float{_bounds(v, meta)}): return None",
        ]
    if typing.get_origin(tp) is Literal:
        env[f"A{i}"] = frozenset(args)
        return [f"if type({v}) is not str or {v} not in A{i}: return None"]
    if typing.get_origin(tp) is dict and args[1] is Any:
        # str.join raises TypeError unless every key is a str (one C loop)
        return [f"if type({v}) is not dict: return None", f"''.join({v})", f"{v} = {v}.copy()"]
    if typing.get_origin(tp) is list and args[0] is str:
        return [f"if type({v}) is not list: return None", f"''.join({v})", f"{v} = {v}.copy()"]
    env[f"C{i}"] = f.check
    if f.nested:
        return [f"{v} = C{i}({v}, (), found)", f"if {v} is BAD: return None"]
    return [f"{v} = C{i}({v})"]


def _bounds(v: str, meta: typing.Mapping[str, Any]) -> str:
    ops = {"gt": ">", "ge": ">=", "le": "<="}
    return "".join(f" and {v} {op} {meta[key]!r}" for key, op in ops.items() if key in meta)


def compile_dumper(fields: list[FieldInfo], exclude_defaults: bool, plain: Any) -> Dumper:
    """``obj``'s fields as a dict (with or without default values), containers copied.

    ``plain(value, json_mode, exclude_defaults)`` copies a container or dumps a spec object.
    """
    env: dict[str, Any] = {"P": plain}
    lines = ["def dump(obj, json_mode):", "    d = obj.__dict__", "    out = {}"]
    for i, f in enumerate(fields):
        simple = f.tp in (str, int, float, bool) or typing.get_origin(f.tp) is Literal
        opt = typing.get_args(f.tp)
        if typing.get_origin(f.tp) in (typing.Union, types.UnionType) and len(opt) == 2:
            simple = simple or opt[0] in (str, int, float, bool)
        value = (
            "v" if simple else f"(v if type(v) in ATOMS else P(v, json_mode, {exclude_defaults}))"
        )
        lines.append(f"    v = d[{f.name!r}]")
        if exclude_defaults and f.factory is None and f.default is None:
            lines.append(f"    if v is not None: out[{f.name!r}] = {value}")
        elif exclude_defaults and not (f.factory is None and f.default is REQUIRED):
            env[f"D{i}"] = f.default
            lines.append(f"    if v != D{i}: out[{f.name!r}] = {value}")
        else:
            lines.append(f"    out[{f.name!r}] = {value}")
    lines.append("    return out")
    env["ATOMS"] = frozenset({str, int, float, bool, type(None)})
    exec("\n".join(lines), env)  # noqa: S102 - our own text, from the class's fields
    dumper: Dumper = env["dump"]
    return dumper
