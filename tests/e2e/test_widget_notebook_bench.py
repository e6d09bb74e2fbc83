"""``benchmarks/ui/widget_notebook_bench.py`` at a small size: the RunWidget in a real
JupyterLab notebook follows a run whose states change through the store, and draws the
store's states at the end. No timing assertions (docs/benchmarks.md records those): only
that every measurement came and the picture equals the store's."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.requirements import missing

from .conftest import BUILT, CHROMIUM, REPO

pytestmark = pytest.mark.slow


def test_the_notebook_benchmark_draws_the_stores_states() -> None:
    if not BUILT.exists() or not CHROMIUM.exists():
        missing("needs `make labext` and /usr/bin/chromium")
    out = subprocess.run(
        [sys.executable, str(REPO / "benchmarks/ui/widget_notebook_bench.py"),
         "--sizes", "600", "--shapes", "sweep", "--rate", "400", "--seconds", "1.5"],
        check=False, capture_output=True, text=True, timeout=600, cwd=REPO,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    lines = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    assert [line["drawing"] for line in lines] == ["laid out", "kept"]
    for line in lines:
        assert line["tasks"] == 600
        assert line["drawn_matches"] is True, line
        assert line["catch_up_ms"] is not None, line
        # every change written was read back by the kernel (none folded twice)
        assert line["kernel_events"] == line["changes"] >= 400, line
        assert line["first_render_ms"] > 0 and line["kernel_follow_ms"] > 0
        assert line["frames"] > 10 and line["frame_median_ms"] > 0
        # two readings at different times: a collection between them can make the tab's
        # heap with the widget read a little below JupyterLab's alone
        assert line["heap_mb"] > 0 and line["heap_lab_mb"] > 0
