"""Check plain data into dataclasses, collecting every problem (no pydantic).

Generic: it knows dataclass fields and their ``metadata`` constraints
(:func:`~quantumflow.spec.fields.spec_field`), not the spec's classes. Each class's fields
(type, default, constraints) are compiled once into a plan: one small check function per
field. A check either returns the stored value or reports a problem at its place (``loc``:
field names and list/dict positions); every problem is collected, then raised together as
one :class:`CheckFailed`. How a problem is worded for a user (which task, which field) is
the caller's business (:meth:`quantumflow.spec.base.SpecModel._problems`). Once a class has
seen ``HOT`` dicts with the same keys (a big spec), :mod:`.fast` generates straight-line
code for that shape; anything it does not accept comes back here. The per-type leaf checks
are in :mod:`.leaves`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any, Literal, NamedTuple, TypeVar

from . import leaves
from .fields import BAD, REQUIRED, Builder, Dumper, FieldInfo, Invalid

_M = TypeVar("_M")

Loc = tuple[str | int, ...]
Found = list[tuple[Loc, str]]  # (where, message)
Nested = Callable[[Any, Loc, Found], Any]  # returns the value or BAD (problems in found)

UNKNOWN_FIELD = "unknown field (check the spelling; see `quantumflow schema`)"
MISSING_FIELD = "required field is missing"

_NO_DEFAULT: Any = object()

#: Objects of one shape (or dumps of one class) checked in full before a fast path is
#: generated for them: a small spec never pays for generating code (~0.3 ms a function).
HOT = 16


#: Distinct key tuples counted per class; past this (fuzzers), the full check does the work.
MAX_SHAPES = 64


class _Field(NamedTuple):
    fast: type | None  # a value of exactly this type is stored as it is
    check: Any  # Leaf or Nested
    nested: bool


class Plan(NamedTuple):
    cls: type[Any]
    infos: list[FieldInfo]
    fields: dict[str, _Field]
    required: frozenset[str]
    defaults: dict[str, Any]  # plain defaults, copied into every new object
    factories: tuple[tuple[str, Callable[[], Any]], ...]  # fresh list/dict/... per object
    rule: Callable[[Any], str | None] | None
    not_a_dict: str
    # Per tuple of keys: how many dicts had them so far, then (from HOT on) the generated
    # builder, or None where there is none (unknown or missing fields).
    shapes: dict[tuple[Any, ...], Builder | int | None]
    dumpers: dict[bool, Dumper | int]  # the same, per exclude_defaults


_PLANS: dict[type[Any], Plan] = {}


# ----------------------------------------------------------------------------- entry points


class CheckFailed(Exception):
    """Every problem :func:`build` found: ``found`` is a list of ``(loc, message)``."""

    def __init__(self, found: Found) -> None:
        super().__init__(f"{len(found)} problem(s)")
        self.found = found


def build(cls: type[_M], data: Any) -> _M:
    """A checked ``cls`` from ``data`` (a dict; checked objects inside are taken as they are).

    Raises:
        CheckFailed: every problem found, each with its place in ``data``.
    """
    found: Found = []
    obj = _build(plan_of(cls), data, (), found)
    if found:
        raise CheckFailed(found)
    return typing.cast(_M, obj)


@contextlib.contextmanager
def full_checks_only() -> Iterator[None]:
    """Inside the block every object is checked and dumped by the generic code, never by a
    generated fast path (the tests compare the two; so can a benchmark)."""
    global HOT  # noqa: PLW0603 - the one switch of the generated code
    saved = HOT
    HOT = 10**9
    _PLANS.clear()
    try:
        yield
    finally:
        HOT = saved
        _PLANS.clear()


def known_plan(cls: type[Any]) -> Plan | None:
    """The plan of ``cls`` if one was compiled (a spec class seen before), else None."""
    return _PLANS.get(cls)


def plan_of(cls: type[Any]) -> Plan:
    """The compiled plan of a spec class (built on first use, then cached)."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _compile(cls)
    return plan


# ----------------------------------------------------------------------------- objects


def _build(plan: Plan, data: Any, loc: Loc, found: Found) -> Any:  # noqa: PLR0912 - hot loop
    if type(data) is dict:
        keys = tuple(data)
        shape = plan.shapes.get(keys, 0)
        fast = (
            _seen(plan, keys, shape) if type(shape) is int else typing.cast(Builder | None, shape)
        )
        if fast is not None:
            obj = fast(data)
            if obj is not None:
                return obj
    if not isinstance(data, dict):
        found.append((loc, plan.not_a_dict))
        return BAD
    before = len(found)
    values = plan.defaults.copy()
    fields = plan.fields
    for key, value in data.items():
        f = fields.get(key)
        if f is None:
            found.append(((*loc, key), UNKNOWN_FIELD))
            continue
        fast, check, nested = f
        if type(value) is fast:  # a plain str/bool where nothing more is asked of it
            values[key] = value
        elif nested:
            values[key] = check(value, (*loc, key), found)
        else:
            try:
                values[key] = check(value)
            except Invalid as err:
                found.append(((*loc, key), err.message))
    if not data.keys() >= plan.required:
        found.extend(((*loc, name), MISSING_FIELD) for name in plan.required if name not in data)
    if len(found) > before:
        return BAD
    for name, factory in plan.factories:
        if name not in values:
            values[name] = factory()
    obj = object.__new__(plan.cls)
    obj.__dict__ = values
    if plan.rule is not None:
        message = plan.rule(obj)
        if message:
            found.append((loc, message))
            return BAD
    return obj


def _seen(plan: Plan, keys: tuple[Any, ...], count: int) -> Builder | None:
    """Count one more dict with these keys; from HOT on, their generated builder (or None)."""
    if count < HOT - 1:
        if count or len(plan.shapes) < MAX_SHAPES:
            plan.shapes[keys] = count + 1
        return None
    from .fast import compile_builder

    given = set(keys)
    fine = given <= plan.fields.keys() and plan.required <= given
    builder = compile_builder(plan.cls, plan.infos, keys, plan.rule) if fine else None
    plan.shapes[keys] = builder
    return builder


def _compile(cls: type[Any]) -> Plan:
    hints = typing.get_type_hints(cls)
    infos: list[FieldInfo] = []
    fields: dict[str, _Field] = {}
    defaults: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        check, nested = _checker(tp, f.metadata)
        fields[f.name] = _Field(_fast_type(tp, f.metadata), check, nested)
        default: Any = REQUIRED
        factory = None
        if f.default is not dataclasses.MISSING:
            default = defaults[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            factory = f.default_factory
            factories.append((f.name, factory))
            default = factory()
        infos.append(FieldInfo(f.name, tp, f.metadata, default, factory, check, nested))
    return Plan(
        cls=cls,
        infos=infos,
        fields=fields,
        required=frozenset(i.name for i in infos if i.default is REQUIRED),
        defaults=defaults,
        factories=tuple(factories),
        rule=getattr(cls, "_rule", None),
        not_a_dict=f"Input should be a valid dictionary or instance of {cls.__name__}",
        shapes={},
        dumpers={},
    )


def _fast_type(tp: Any, meta: typing.Mapping[str, Any]) -> type | None:
    """The type a value may have to be stored without a check (None: always check)."""
    args = typing.get_args(tp)
    plain = args[0] if len(args) == 2 and type(None) in args else tp
    if plain is bool or (plain is str and meta.keys() <= {"description"}):
        return plain
    return None


# ----------------------------------------------------------------------------- checks


def _checker(tp: Any, meta: typing.Mapping[str, Any]) -> tuple[Any, bool]:  # noqa: PLR0911, PLR0912 - one branch per type
    """The check for one field type: ``(function, nested)``."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        (rest,) = [a for a in args if a is not type(None)]  # spec fields: X | None only
        inner, nested = _checker(rest, meta)
        return (_optional_nested(inner) if nested else leaves.optional(inner)), nested
    if tp is Any:
        return leaves.same, False
    if tp is str:
        return leaves.check_str(meta), False
    if tp is bool:
        return leaves.check_bool, False
    if tp is int:
        return leaves.check_int(meta), False
    if tp is float:
        return leaves.check_float(meta), False
    if origin is Literal:
        return leaves.literal(args), False
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _model(tp), True
    if origin is dict:
        if args[1] is Any:
            return leaves.dict_any, False
        item_meta = {"ge": meta["item_ge"]} if "item_ge" in meta else {}
        return _dict_of(*_checker(args[1], item_meta)), True
    if origin is list:
        if args[0] is str:
            return _list_of_str, True
        if typing.get_origin(args[0]) is Literal:
            return _list_of_leaf(leaves.literal(typing.get_args(args[0]))), True
        if "discriminator" in meta:
            return _tagged(typing.get_args(args[0]), meta["discriminator"]), True
        item, item_nested = _checker(args[0], {})
        if not item_nested:  # a list of leaves, e.g. list[float]
            return _list_of(item), True
    raise TypeError(f"the checker has no check for {tp!r}")


def _optional_nested(inner: Nested) -> Nested:
    def check(value: Any, loc: Loc, found: Found) -> Any:
        return None if value is None else inner(value, loc, found)

    return check


def _model(cls: type[Any]) -> Nested:
    def check(value: Any, loc: Loc, found: Found) -> Any:
        if isinstance(value, cls):
            return value
        return _build(plan_of(cls), value, loc, found)

    return check


def _dict_of(item: Any, item_nested: bool) -> Nested:
    def check(value: Any, loc: Loc, found: Found) -> Any:
        if not isinstance(value, dict):
            found.append((loc, f"Input should be a valid dictionary{leaves.got(value)}"))
            return BAD
        out: dict[str, Any] = {}
        before = len(found)
        for key, x in value.items():
            if not isinstance(key, str):
                found.append((loc, f"keys should be strings (got {key!r})"))
            elif item_nested:
                out[key] = item(x, (*loc, key), found)
            else:
                try:
                    out[key] = item(x)
                except Invalid as err:
                    found.append(((*loc, key), err.message))
        return out if len(found) == before else BAD

    return check


def _list_of(item: Any) -> Nested:
    def check(value: Any, loc: Loc, found: Found) -> Any:
        if not isinstance(value, list | tuple):
            found.append((loc, f"Input should be a valid list{leaves.got(value)}"))
            return BAD
        out: list[Any] = []
        before = len(found)
        for i, x in enumerate(value):
            try:
                out.append(item(x))
            except Invalid as err:
                found.append(((*loc, i), err.message))
        return out if len(found) == before else BAD

    return check


def _list_of_str(value: Any, loc: Loc, found: Found) -> Any:
    if not isinstance(value, list | tuple):
        found.append((loc, f"Input should be a valid list{leaves.got(value)}"))
        return BAD
    try:
        "".join(value)  # every item is a str (one C loop)
    except TypeError:
        for i, x in enumerate(value):
            if not isinstance(x, str):
                found.append(((*loc, i), f"Input should be a valid string{leaves.got(x)}"))
        return BAD
    return list(value)


def _list_of_leaf(item: Any) -> Nested:
    """A list whose items pass a leaf check (e.g. a Literal)."""

    def check(value: Any, loc: Loc, found: Found) -> Any:
        if not isinstance(value, list | tuple):
            found.append((loc, f"Input should be a valid list{leaves.got(value)}"))
            return BAD
        out: list[Any] = []
        before = len(found)
        for i, x in enumerate(value):
            try:
                out.append(item(x))
            except Invalid as err:
                found.append(((*loc, i), err.message))
        return out if len(found) == before else BAD

    return check


def _tagged(classes: tuple[type[Any], ...], tag: str) -> Nested:
    """A list of spec objects told apart by their ``tag`` field (``kind``)."""
    by_tag: dict[Any, type[Any]] = {}
    for c in classes:
        (f,) = [f for f in dataclasses.fields(c) if f.name == tag]
        by_tag[f.default] = c
    names = " or ".join(repr(t) for t in by_tag)
    unknown = f"{tag} must be {names}"
    missing = f"missing '{tag}' ({names})"
    # The generated builder per tuple of keys, whichever class the first such item had (a
    # builder checks the tag too, so an item of another class just takes the long way).
    shapes: dict[tuple[Any, ...], Builder] = {}

    def check(value: Any, loc: Loc, found: Found) -> Any:
        if not isinstance(value, list | tuple):
            found.append((loc, f"Input should be a valid list{leaves.got(value)}"))
            return BAD
        out: list[Any] = []
        before = len(found)
        for i, item in enumerate(value):
            if type(item) is dict:
                fast = shapes.get(tuple(item))
                obj = fast(item) if fast is not None else None
                if obj is not None:
                    out.append(obj)
                    continue
            if isinstance(item, classes):
                out.append(item)
                continue
            if not isinstance(item, dict):
                found.append(((*loc, i), f"Input should be a valid dictionary{leaves.got(item)}"))
                continue
            kind = item.get(tag, _NO_DEFAULT)
            cls = by_tag.get(kind) if type(kind) is str else None
            if cls is None:
                found.append(((*loc, i), missing if kind is _NO_DEFAULT else unknown))
                continue
            plan = plan_of(cls)
            out.append(_build(plan, item, (*loc, i), found))
            keys = tuple(item)
            made = plan.shapes.get(keys)
            if keys not in shapes and callable(made) and len(shapes) < MAX_SHAPES:
                shapes[keys] = made
        return out if len(found) == before else BAD

    return check
