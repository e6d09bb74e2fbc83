"""The user guide's store example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).parents[2] / "docs" / "user-guide" / "store.md"


def test_reading_runs_back_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(DOC), "exec"), {})
    out = capsys.readouterr().out
    assert out.startswith("succeeded store-demo\n")
    assert "mean succeeded" in out and " 0.5\n" in out
    assert (tmp_path / "demo.db").exists()
