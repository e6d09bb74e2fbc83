"""Check plain data into the spec dataclasses, collecting every problem (no pydantic).

Each class's fields (type, default, ``metadata`` constraints) are compiled once into a plan:
one small check function per field. A check either returns the stored value or reports a
problem at its place (``loc``: field names and list/dict positions); every problem is
collected, then raised together as one :class:`~quantumflow.SpecError` whose problems name
the task (its id, or ``#index``) and the dotted field. Once a class has seen ``HOT`` dicts
with the same keys (a big spec), ``spec_fast`` generates straight-line code for that shape;
anything it does not accept comes back here.

Types are checked as written, without guessing: a string is never a number (``shots: "100"``
is a problem), a boolean is not a number and a number is not a boolean (``shots: true``,
``cache: 1``). A float field takes an int and stores it as a float; an int field takes a
float with no fractional part (``2.0`` -> ``2``) and numpy-style integers (``__index__``).
"""

from __future__ import annotations

import dataclasses
import operator
import re
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, NamedTuple, TypeVar

from .errors import Problem, SpecError
from .spec import WorkflowSpec, _TaskBase
from .spec_base import SpecModel

_M = TypeVar("_M", bound=SpecModel)

Loc = tuple[str | int, ...]
Found = list[tuple[Loc, str]]  # (where, message)
Leaf = Callable[[Any], Any]  # returns the value to store or raises Invalid
Nested = Callable[[Any, Loc, Found], Any]  # returns the value or BAD (problems in found)

UNKNOWN_FIELD = "unknown field (check the spelling; see `quantumflow schema`)"
MISSING_FIELD = "required field is missing"

BAD: Any = object()  # a nested check found problems (they are already in `found`)
_NO_DEFAULT: Any = object()

#: Objects of one shape (or dumps of one class) checked in full before a fast path is
#: generated for them: a small spec never pays for generating code (~0.3 ms a function).
HOT = 16


class Invalid(Exception):
    """A leaf check's answer to a bad value (spec_check words and places it)."""

    def __init__(self, message: str) -> None:
        self.message = message


Builder = Callable[[dict[str, Any]], Any]  # a spec object, or None: check it in full
Dumper = Callable[[Any, bool], dict[str, Any]]  # (obj, json_mode) -> dict

#: Distinct key tuples counted per class; past this (fuzzers), the full check does the work.
MAX_SHAPES = 64


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
    check: Any  # this module's function for the field
    nested: bool  # check(value, loc, found) rather than check(value)


class _Field(NamedTuple):
    fast: type | None  # a value of exactly this type is stored as it is
    check: Any  # Leaf or Nested
    nested: bool


class _Plan(NamedTuple):
    cls: type[SpecModel]
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


_PLANS: dict[type[SpecModel], _Plan] = {}


# ----------------------------------------------------------------------------- entry points


def build(cls: type[_M], data: Any) -> _M:
    """A checked ``cls`` from ``data`` (a dict; spec objects inside are taken as they are).

    Raises:
        SpecError: every problem found, each naming the task and field.
    """
    found: Found = []
    obj = _build(plan_of(cls), data, (), found)
    if found:
        raise SpecError(_problems(cls, data, found))
    return typing.cast(_M, obj)


def dump(obj: SpecModel, *, json_mode: bool, exclude_defaults: bool) -> dict[str, Any]:
    """``obj``'s fields as a plain dict, spec objects inside as dicts, containers copied."""
    return _dumper(plan_of(type(obj)), exclude_defaults)(obj, json_mode)


def plan_of(cls: type[SpecModel]) -> _Plan:
    """The compiled plan of a spec class (built on first use, then cached)."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _compile(cls)
    return plan


def _problems(cls: type[SpecModel], data: Any, found: Found) -> list[Problem]:
    raw_tasks = data.get("tasks") if cls is WorkflowSpec and isinstance(data, dict) else None
    tasks: list[Any] = raw_tasks if isinstance(raw_tasks, list) else []
    own_id = data.get("id") if issubclass(cls, _TaskBase) and isinstance(data, dict) else None
    problems: list[Problem] = []
    for loc, message in found:
        task: str | None = None if own_id is None else str(own_id)
        path = loc
        if tasks and len(loc) >= 2 and loc[0] == "tasks" and isinstance(loc[1], int):
            index = loc[1]
            raw = tasks[index] if index < len(tasks) else None
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            task = str(raw_id) if raw_id is not None else f"#{index}"
            path = loc[2:]
        field = ".".join(str(p) for p in path) or None
        problems.append(Problem(message, task=task, field=field))
    return problems


# ----------------------------------------------------------------------------- objects


def _build(plan: _Plan, data: Any, loc: Loc, found: Found) -> Any:  # noqa: PLR0912 - hot loop
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


def _seen(plan: _Plan, keys: tuple[Any, ...], count: int) -> Builder | None:
    """Count one more dict with these keys; from HOT on, their generated builder (or None)."""
    if count < HOT - 1:
        if count or len(plan.shapes) < MAX_SHAPES:
            plan.shapes[keys] = count + 1
        return None
    from .spec_fast import compile_builder

    given = set(keys)
    fine = given <= plan.fields.keys() and plan.required <= given
    builder = compile_builder(plan.cls, plan.infos, keys, plan.rule) if fine else None
    plan.shapes[keys] = builder
    return builder


def _dumper(plan: _Plan, exclude_defaults: bool) -> Dumper:
    """The class's dump function: the generic loop, then (from HOT dumps on) generated code."""
    dumper = plan.dumpers.get(exclude_defaults, 0)
    if not isinstance(dumper, int):
        return dumper
    if dumper < HOT - 1:
        plan.dumpers[exclude_defaults] = dumper + 1
        infos = plan.infos
        return lambda obj, json_mode: _dump_fields(infos, obj, json_mode, exclude_defaults)
    from .spec_fast import compile_dumper

    made = plan.dumpers[exclude_defaults] = compile_dumper(plan.infos, exclude_defaults, _plain)
    return made


def _dump_fields(
    infos: list[FieldInfo], obj: SpecModel, json_mode: bool, exclude_defaults: bool
) -> dict[str, Any]:
    values = obj.__dict__
    out: dict[str, Any] = {}
    for f in infos:
        value = values[f.name]
        if exclude_defaults and value == f.default:
            continue
        out[f.name] = value if type(value) in _ATOMS else _plain(value, json_mode, exclude_defaults)
    return out


def _compile(cls: type[SpecModel]) -> _Plan:
    hints = typing.get_type_hints(cls)
    infos: list[FieldInfo] = []
    fields: dict[str, _Field] = {}
    defaults: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
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
    return _Plan(
        cls=cls,
        infos=infos,
        fields=fields,
        required=frozenset(i.name for i in infos if i.default is REQUIRED),
        defaults=defaults,
        factories=tuple(factories),
        rule=cls._rule,
        not_a_dict=f"Input should be a valid dictionary or instance of {cls.__name__}",
        shapes={},
        dumpers={},
    )


def _fast_type(tp: Any, meta: typing.Mapping[str, Any]) -> type | None:
    """The type a value may have to be stored without a check (None: always check)."""
    args = typing.get_args(tp)
    plain = args[0] if len(args) == 2 and type(None) in args else tp
    if plain is bool or (plain is str and meta.keys() <= {"description"}):
        return plain  # type: ignore[no-any-return]
    return None


# ----------------------------------------------------------------------------- checks


def _checker(tp: Any, meta: typing.Mapping[str, Any]) -> tuple[Any, bool]:  # noqa: PLR0911, PLR0912 - one branch per type
    """The check for one field type: ``(function, nested)``."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        (rest,) = [a for a in args if a is not type(None)]  # spec fields: X | None only
        inner, nested = _checker(rest, meta)
        return (_optional_nested(inner) if nested else _optional(inner)), nested
    if tp is Any:
        return _same, False
    if tp is str:
        return _str(meta), False
    if tp is bool:
        return _bool, False
    if tp is int:
        return _int(meta), False
    if tp is float:
        return _float(meta), False
    if origin is Literal:
        return _literal(args), False
    if isinstance(tp, type) and issubclass(tp, SpecModel):
        return _model(tp), True
    if origin is dict:
        if args[1] is Any:
            return _dict_any, False
        item_meta = {"ge": meta["item_ge"]} if "item_ge" in meta else {}
        return _dict_of(*_checker(args[1], item_meta)), True
    if origin is list:
        if args[0] is str:
            return _list_of_str, True
        if "discriminator" in meta:
            return _tagged(typing.get_args(args[0]), meta["discriminator"]), True
    raise TypeError(f"spec_check has no check for {tp!r}")


def _same(value: Any) -> Any:
    return value


def _optional(inner: Leaf) -> Leaf:
    def check(value: Any) -> Any:
        return None if value is None else inner(value)

    return check


def _optional_nested(inner: Nested) -> Nested:
    def check(value: Any, loc: Loc, found: Found) -> Any:
        return None if value is None else inner(value, loc, found)

    return check


def _str(meta: typing.Mapping[str, Any]) -> Leaf:
    min_length: int | None = meta.get("min_length")
    max_length: int | None = meta.get("max_length")
    pattern: str | None = meta.get("pattern")
    # JSON Schema's (and pydantic's) '$' ends the string; Python's also matches before a
    # final newline, which would let "id\n" through: end such patterns with \Z here
    match = re.compile(re.sub(r"\$$", r"\\Z", pattern)).match if pattern else None
    rule: Callable[[str], str | None] | None = meta.get("rule")

    def check(value: Any) -> Any:
        if type(value) is not str:
            if not isinstance(value, str):
                raise Invalid(f"Input should be a valid string{_got(value)}")
            value = str(value)
        if min_length is not None and len(value) < min_length:
            s = "" if min_length == 1 else "s"
            raise Invalid(f"String should have at least {min_length} character{s}")
        if max_length is not None and len(value) > max_length:
            raise Invalid(f"String should have at most {max_length} characters")
        if match is not None and match(value) is None:
            raise Invalid(f"String should match pattern '{pattern}'")
        if rule is not None:
            message = rule(value)
            if message:
                raise Invalid(message)
        return value

    return check


def _bool(value: Any) -> Any:
    if type(value) is not bool:
        raise Invalid(f"Input should be a valid boolean (true or false){_got(value)}")
    return value


def _int(meta: typing.Mapping[str, Any]) -> Leaf:
    bounds = _bounds(meta)

    def check(value: Any) -> Any:
        if type(value) is not int:
            if type(value) is float and value.is_integer():
                value = int(value)
            elif type(value) is float:
                raise Invalid(
                    "Input should be a valid integer, got a number with a fractional part"
                )
            elif isinstance(value, str | bool) or not hasattr(type(value), "__index__"):
                raise Invalid(f"Input should be a valid integer{_got(value)}")
            else:
                value = operator.index(value)
        if bounds is not None:
            bounds(value)
        return value

    return check


def _float(meta: typing.Mapping[str, Any]) -> Leaf:
    bounds = _bounds(meta)

    def check(value: Any) -> Any:
        if type(value) is not float:
            if isinstance(value, str | bool) or not hasattr(type(value), "__float__"):
                raise Invalid(f"Input should be a valid number{_got(value)}")
            try:
                value = float(value)
            except (TypeError, ValueError, OverflowError) as err:
                raise Invalid(f"Input should be a valid number{_got(value)}") from err
        if bounds is not None:
            bounds(value)
        return value

    return check


def _bounds(meta: typing.Mapping[str, Any]) -> Callable[[float], None] | None:
    limits = [
        (meta[key], test, text)
        for key, test, text in (
            ("gt", operator.gt, "greater than"),
            ("ge", operator.ge, "greater than or equal to"),
            ("le", operator.le, "less than or equal to"),
        )
        if key in meta
    ]
    if not limits:
        return None

    def check(value: float) -> None:
        for limit, test, text in limits:
            if not test(value, limit):
                raise Invalid(f"Input should be {text} {limit}")

    return check


def _got(value: Any) -> str:  # noqa: PLR0911 - one branch per type
    if isinstance(value, str):
        return f" (got the string {value[:40]!r})"
    if isinstance(value, bool):
        return f" (got {str(value).lower()})"
    if value is None:
        return " (got null)"
    if isinstance(value, dict):
        return " (got a mapping)"
    if isinstance(value, list | tuple):
        return " (got a list)"
    if isinstance(value, int | float):
        text = repr(value)
        return f" (got {text if len(text) <= 20 else text[:17] + '...'})"
    return f" (got {type(value).__name__})"


def _literal(allowed: tuple[Any, ...]) -> Leaf:
    words = [repr(a) for a in allowed]
    expected = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"

    def check(value: Any) -> Any:
        if type(value) is str and value in allowed:
            return value
        raise Invalid(f"Input should be {expected}")

    return check


def _model(cls: type[SpecModel]) -> Nested:
    def check(value: Any, loc: Loc, found: Found) -> Any:
        if isinstance(value, cls):
            return value
        return _build(plan_of(cls), value, loc, found)

    return check


def _dict_any(value: Any) -> Any:
    if not isinstance(value, dict):
        raise Invalid(f"Input should be a valid dictionary{_got(value)}")
    if value:
        try:
            "".join(value)  # every key is a str (one C loop)
        except TypeError:
            bad = next(k for k in value if not isinstance(k, str))
            raise Invalid(f"keys should be strings (got {bad!r})") from None
    return dict(value)


def _dict_of(item: Any, item_nested: bool) -> Nested:
    def check(value: Any, loc: Loc, found: Found) -> Any:
        if not isinstance(value, dict):
            found.append((loc, f"Input should be a valid dictionary{_got(value)}"))
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


def _list_of_str(value: Any, loc: Loc, found: Found) -> Any:
    if not isinstance(value, list | tuple):
        found.append((loc, f"Input should be a valid list{_got(value)}"))
        return BAD
    try:
        "".join(value)  # every item is a str (one C loop)
    except TypeError:
        for i, x in enumerate(value):
            if not isinstance(x, str):
                found.append(((*loc, i), f"Input should be a valid string{_got(x)}"))
        return BAD
    return list(value)


def _tagged(classes: tuple[type[SpecModel], ...], tag: str) -> Nested:
    """A list of spec objects told apart by their ``tag`` field (``kind``)."""
    by_tag: dict[Any, type[SpecModel]] = {}
    for c in classes:
        (f,) = [f for f in dataclasses.fields(c) if f.name == tag]  # type: ignore[arg-type]
        by_tag[f.default] = c
    names = " or ".join(repr(t) for t in by_tag)
    unknown = f"{tag} must be {names}"
    missing = f"missing '{tag}' ({names})"
    # The generated builder per tuple of keys, whichever class the first such item had (a
    # builder checks the tag too, so an item of another class just takes the long way).
    shapes: dict[tuple[Any, ...], Builder] = {}

    def check(value: Any, loc: Loc, found: Found) -> Any:
        if not isinstance(value, list | tuple):
            found.append((loc, f"Input should be a valid list{_got(value)}"))
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
                found.append(((*loc, i), f"Input should be a valid dictionary{_got(item)}"))
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


# ----------------------------------------------------------------------------- dumping

_ATOMS = frozenset({str, int, float, bool, type(None)})


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
                plan = _PLANS.get(type(item))  # a spec object (a task): its dumper directly
                if plan is None:
                    items[i] = _plain(item, json_mode, exclude_defaults)
                else:
                    items[i] = _dumper(plan, exclude_defaults)(item, json_mode)
        return items
    if isinstance(value, SpecModel):
        return dump(value, json_mode=json_mode, exclude_defaults=exclude_defaults)
    return value
