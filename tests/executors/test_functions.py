"""Resolving a classical task's fn."""

from __future__ import annotations

import re

import pytest

from quantumflow.engine import resolve_function
from quantumflow.errors import SpecError


def test_module_path_and_registry_name() -> None:
    assert resolve_function("tests.engine.fns:add")(a=1, b=2) == 3
    assert resolve_function("os.path:basename")("/x/y.txt") == "y.txt"
    from quantumflow.library.data import constant

    assert resolve_function("constant") is constant


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("no_module_qq:f", "cannot import module 'no_module_qq'"),
        ("tests.engine.fns:nope", "has no attribute 'nope'"),
        ("tests.engine.fns:__doc__", "is not callable"),
        ("just_a_word", "not 'package.module:function'"),
    ],
)
def test_errors_say_what_is_wrong(name: str, needle: str) -> None:
    with pytest.raises(SpecError, match=re.escape(needle)):
        resolve_function(name)
