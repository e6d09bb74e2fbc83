"""docs/scheduler.md stays runnable and its printed results stay true."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "scheduler.md"


def test_scheduler_guide_examples() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 3
    for i, block in enumerate(blocks):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, f"{DOC.name}[block {i}]", "exec"), {"__name__": "scheduler_md"})
        # Every `print(...)  # expected` comment matches what was printed.
        expected = [c.split(" — ")[0].strip() for c in re.findall(r"print\(.*\)\s+# (.*)", block)]
        assert out.getvalue().splitlines() == expected, f"block {i}"
