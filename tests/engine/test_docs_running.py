"""docs/user-guide/running.md stays runnable: its Python blocks run top to bottom."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "user-guide" / "running.md"


def test_running_guide_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 6
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("steps", None)
    namespace: dict[str, object] = {"__name__": "running_md"}
    environ = dict(os.environ)  # the secrets example sets a variable, as a reader would
    try:
        for i, block in enumerate(blocks):
            exec(compile(block, f"{DOC.name}[block {i}]", "exec"), namespace)
    finally:
        sys.modules.pop("steps", None)
        os.environ.clear()
        os.environ.update(environ)
