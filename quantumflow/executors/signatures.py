"""What a classical task's function accepts, read from its signature without calling it.

:func:`signature_of` is the one way the API and validation learn a function's parameters:
it finds the callable through :func:`~quantumflow.executors.functions.resolve_function` (the
one function lookup, where the trust check on imports lives) and then only *inspects* it.
Nothing here calls the function. :func:`input_problems` holds a task's ``inputs`` against
a signature: a required parameter that no input supplies, an input the function does
not accept.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import Problem
from .functions import resolve_function

ParamKind = Literal[
    "positional_only", "positional_or_keyword", "keyword_only", "var_positional", "var_keyword"
]

_KINDS: dict[Any, ParamKind] = {
    inspect.Parameter.POSITIONAL_ONLY: "positional_only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional_or_keyword",
    inspect.Parameter.KEYWORD_ONLY: "keyword_only",
    inspect.Parameter.VAR_POSITIONAL: "var_positional",
    inspect.Parameter.VAR_KEYWORD: "var_keyword",
}


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a function.

    Attributes:
        name: the parameter's name (what a task's ``inputs`` key must be).
        kind: ``positional_or_keyword``, ``keyword_only``, ``positional_only``,
            ``var_positional`` or ``var_keyword``.
        required: no default; a task must supply it (``var_*`` never are).
        default: the default as text (``repr``), None when there is none.
        annotation: the annotation as written in the source, None when there is none.
    """

    name: str
    kind: ParamKind
    required: bool
    default: str | None = None
    annotation: str | None = None


@dataclass(frozen=True, slots=True)
class Signature:
    """A function's parameters, as a task's inputs see them.

    Attributes:
        params: every parameter, in order.
        var_keyword: it takes ``**kwargs``: any input name is accepted.
        returns: the return annotation as written, None when there is none.
        doc: the first line of its docstring ("" when there is none).
        names: names an input may use (positional-only parameters cannot be passed by name).
        required: names a task must supply.
    """

    params: tuple[Param, ...]
    var_keyword: bool
    returns: str | None
    doc: str
    names: frozenset[str]
    required: frozenset[str]


def _text(annotation: Any) -> str | None:
    if annotation is inspect.Parameter.empty:
        return None
    # `from __future__ import annotations` leaves strings; anything else is shown as named
    return annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)


def describe(fn: Callable[..., Any]) -> Signature | None:
    """The :class:`Signature` of a callable, or None when Python cannot tell (some builtins).

    Only inspects ``fn``: annotations are read as written, never evaluated.
    """
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    params = tuple(
        Param(
            name=p.name,
            kind=_KINDS[p.kind],
            required=p.default is inspect.Parameter.empty
            and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD),
            default=None if p.default is inspect.Parameter.empty else repr(p.default),
            annotation=_text(p.annotation),
        )
        for p in sig.parameters.values()
    )
    doc = (inspect.getdoc(fn) or "").strip().split("\n", 1)[0]
    return Signature(
        params=params,
        var_keyword=any(p.kind == "var_keyword" for p in params),
        returns=_text(sig.return_annotation),
        doc=doc,
        names=frozenset(
            p.name for p in params if p.kind in ("positional_or_keyword", "keyword_only")
        ),
        required=frozenset(p.name for p in params if p.required),
    )


def signature_of(fn_ref: str) -> Signature | None:
    """The signature of the function a task's ``fn`` names.

    Args:
        fn_ref: a built-in library name (``parity``) or ``package.module:function``.

    Returns:
        Its :class:`Signature`; None when the callable has none Python can read.

    Raises:
        SpecError: the function cannot be found (the message says why).
    """
    return describe(resolve_function(fn_ref))


def input_problems(
    task_id: str, fn_ref: str, inputs: Mapping[str, Any], sig: Signature
) -> list[Problem]:
    """Inputs that do not fit the function: a required parameter left out, an unknown name.

    Args:
        task_id: the task (named in each problem).
        fn_ref: the task's ``fn`` (named in messages).
        inputs: the task's ``inputs`` (literals, ``{ref}``, ``{param}``: any supplies a name).
        sig: the function's signature.
    """
    keys = inputs.keys()
    if sig.required <= keys and (sig.var_keyword or keys <= sig.names):
        return []  # the common case, checked without building anything (validation's hot loop)
    problems: list[Problem] = []
    names = sig.names
    for p in sig.params:
        if p.required and p.name not in inputs:
            how = (
                "it is positional-only and cannot be passed as an input"
                if p.kind == "positional_only"
                else "connect an upstream output to it or add it to the task's inputs"
            )
            problems.append(
                Problem(
                    f"{fn_ref}() needs '{p.name}', which no input supplies ({how})",
                    task_id,
                    f"inputs.{p.name}",
                )
            )
    if not sig.var_keyword:
        for name in inputs:
            if name not in names:
                accepted = ", ".join(sorted(names)) or "no inputs"
                problems.append(
                    Problem(
                        f"{fn_ref}() has no parameter '{name}' (it accepts: {accepted})",
                        task_id,
                        f"inputs.{name}",
                    )
                )
    return problems
