"""Resolve a classical task's ``fn``: a built-in library name or ``package.module:function``."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any, cast

from ..errors import SpecError


def _registry() -> Mapping[str, Any]:
    try:
        library = importlib.import_module("quantumflow.library")
    except ModuleNotFoundError as err:
        if err.name in ("quantumflow.library",):
            return {}
        raise
    return cast(Mapping[str, Any], getattr(library, "REGISTRY", {}))


def resolve_function(name: str) -> Callable[..., Any]:
    """Find the callable a task's ``fn`` names.

    Args:
        name: a name in ``quantumflow.library.REGISTRY`` (if that module exists), or
            ``package.module:function`` (``module:Class.method`` paths work too).

    Returns:
        The callable.

    Raises:
        SpecError: the module cannot be imported, the attribute is missing, or it is not
            callable (the message says which).
    """
    registry = _registry()
    if name in registry:
        entry = registry[name]
        if isinstance(entry, str):  # registries may store lazy paths
            return resolve_function(entry)
        return cast(Callable[..., Any], entry)
    module_name, sep, attr = name.partition(":")
    if not sep or not module_name or not attr:
        known = ", ".join(sorted(registry)[:8])
        hint = f" or a built-in name ({known}, …)" if known else ""
        raise SpecError(f"'{name}' is not 'package.module:function'{hint}")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as err:
        raise SpecError(f"cannot import module '{module_name}': {err}") from err
    except Exception as err:  # a module that fails while importing
        raise SpecError(f"importing module '{module_name}' failed: {err!r}") from err
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise SpecError(f"module '{module_name}' has no attribute '{attr}'") from None
    if not callable(obj):
        raise SpecError(f"'{name}' is not callable")
    return cast(Callable[..., Any], obj)
