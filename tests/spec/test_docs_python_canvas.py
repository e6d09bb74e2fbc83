"""docs/user-guide/python-and-canvas.md stays runnable: its Python blocks run top to bottom,
and the exported code it shows is what export_python prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "user-guide" / "python-and-canvas.md"


def test_python_and_canvas_guide(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    shown = re.findall(r"```text\n(.*?)```", text, re.S)
    assert len(blocks) >= 6 and shown
    monkeypatch.chdir(tmp_path)  # wf.open() writes next to "the notebook"
    namespace: dict[str, object] = {"__name__": "python_and_canvas_md"}
    printed = []
    for i, block in enumerate(blocks):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, f"{DOC.name}[block {i}]", "exec"), namespace)
        printed.append(out.getvalue())
    assert shown[0] + "\n" in printed
