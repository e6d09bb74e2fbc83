"""The leaf checks of :mod:`.checker`: one per field type (str, bool, int, float, Literal,
dict of anything), each a function of the value that returns what is stored or raises
:class:`~quantumflow.spec.fields.Invalid` with the problem's wording.

Types are checked as written, without guessing: a string is never a number (``shots: "100"``
is a problem), a boolean is not a number and a number is not a boolean (``shots: true``,
``cache: 1``). A float field takes an int and stores it as a float; an int field takes a
float with no fractional part (``2.0`` -> ``2``) and numpy-style integers (``__index__``).
"""

from __future__ import annotations

import operator
import re
import typing
from collections.abc import Callable
from typing import Any

from .fields import Invalid

Leaf = Callable[[Any], Any]  # returns the value to store or raises Invalid


def same(value: Any) -> Any:
    return value


def optional(inner: Leaf) -> Leaf:
    def check(value: Any) -> Any:
        return None if value is None else inner(value)

    return check


def check_str(meta: typing.Mapping[str, Any]) -> Leaf:
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
                raise Invalid(f"Input should be a valid string{got(value)}")
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


def check_bool(value: Any) -> Any:
    if type(value) is not bool:
        raise Invalid(f"Input should be a valid boolean (true or false){got(value)}")
    return value


def check_int(meta: typing.Mapping[str, Any]) -> Leaf:
    bounds = bounds_of(meta)

    def check(value: Any) -> Any:
        if type(value) is not int:
            if type(value) is float and value.is_integer():
                value = int(value)
            elif type(value) is float:
                raise Invalid(
                    "Input should be a valid integer, got a number with a fractional part"
                )
            elif isinstance(value, str | bool) or not hasattr(type(value), "__index__"):
                raise Invalid(f"Input should be a valid integer{got(value)}")
            else:
                value = operator.index(value)
        if bounds is not None:
            bounds(value)
        return value

    return check


def check_float(meta: typing.Mapping[str, Any]) -> Leaf:
    bounds = bounds_of(meta)

    def check(value: Any) -> Any:
        if type(value) is not float:
            if isinstance(value, str | bool) or not hasattr(type(value), "__float__"):
                raise Invalid(f"Input should be a valid number{got(value)}")
            try:
                value = float(value)
            except (TypeError, ValueError, OverflowError) as err:
                raise Invalid(f"Input should be a valid number{got(value)}") from err
        if bounds is not None:
            bounds(value)
        return value

    return check


def bounds_of(meta: typing.Mapping[str, Any]) -> Callable[[float], None] | None:
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


def got(value: Any) -> str:  # noqa: PLR0911 - one branch per type
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


def literal(allowed: tuple[Any, ...]) -> Leaf:
    words = [repr(a) for a in allowed]
    expected = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"

    def check(value: Any) -> Any:
        if type(value) is str and value in allowed:
            return value
        raise Invalid(f"Input should be {expected}")

    return check


def dict_any(value: Any) -> Any:
    if not isinstance(value, dict):
        raise Invalid(f"Input should be a valid dictionary{got(value)}")
    if value:
        try:
            "".join(value)  # every key is a str (one C loop)
        except TypeError:
            bad = next(k for k in value if not isinstance(k, str))
            raise Invalid(f"keys should be strings (got {bad!r})") from None
    return dict(value)
