"""The benchmark harness in --quick mode: structure of its JSON and markdown, durability.

Runs ``benchmarks/run.py`` for real (QuantumFlow plus the peers importable in this venv:
dask's threaded scheduler, dask.delayed and dask.distributed) at small sizes. No timing
assertions: only that every engine produced numbers, the page keeps its other sections,
and every task of every QuantumFlow run is in the store.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks"
ENGINES = ["quantumflow", "dask-threaded", "dask-delayed", "dask-distributed"]
OTHER_SECTION = "## Store\n\nNumbers written by store_bench.py stay here.\n"


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str, Path]:
    tmp = tmp_path_factory.mktemp("bench")
    page = tmp / "benchmarks.md"
    page.write_text("# Benchmarks\n\nIntro.\n\n" + OTHER_SECTION)
    out_json = tmp / "out.json"
    cmd = [
        sys.executable,
        str(BENCH / "run.py"),
        "--quick",
        "--json",
        str(out_json),
        "--markdown",
        str(page),
        "--engines",
        ",".join(ENGINES),
        "--peers-python",
        sys.executable,
        "--out",
        str(tmp / "out"),
        "--timeout",
        "300",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=1200, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out_json.read_text()), page.read_text(), tmp / "out"


@pytest.mark.slow
def test_every_engine_has_numbers(harness: tuple[dict[str, Any], str, Path]) -> None:
    report, _, _ = harness
    assert report["machine_before"]["cores"] >= 1
    assert len(report["machine_before"]["load_avg"]) == 3
    assert report["quick"] is True
    assert set(report["workloads"]) == {"w1", "w2", "w3", "w5"}
    for wl, per in report["workloads"].items():
        assert set(per) == set(ENGINES), wl
        for engine, r in per.items():
            assert "error" not in r, (wl, engine, r)
            assert r["runs"] >= 3
            assert 0 < r["min_s"] <= r["median_s"]
            assert r["median_us_per_task"] > 0
    for engine in ENGINES:
        assert report["startup"][engine]["median_ms"] > 0, engine
        assert report["versions"][engine], engine
    assert report["versions"]["quantumflow"]["quantumflow"]


@pytest.mark.slow
def test_planning_and_scale_sections(harness: tuple[dict[str, Any], str, Path]) -> None:
    report, _, _ = harness
    w4 = report["w4"]
    assert w4["n"] == 10_000 and w4["edges"] > 0
    assert w4["quantumflow_ms"] > 0 and w4["networkx_ms"] > 0
    scale = report["scale"]
    assert [r["n"] for r in scale] == [1_002, 5_002]
    for r in scale:
        assert r["status"] == "succeeded" and r["recorded"] == r["n"]
        assert len(r["decile_us_per_task"]) == 10
        assert r["peak_rss_mb"] > 0


@pytest.mark.slow
def test_every_task_of_every_run_is_in_the_store(
    harness: tuple[dict[str, Any], str, Path],
) -> None:
    from quantumflow.store import open_store

    report, _, out = harness
    db = out / "quantumflow-bench.db"
    with open_store(f"sqlite:///{db}", artifacts_dir=out / "artifacts") as store:
        runs = store.list_runs(limit=1000)
        # per workload: one warm-up + 3 measured runs; the engine's own warm-up run; three
        # one-task startup runs
        assert len(runs) == 4 * 4 + 1 + 3
        expected = {"w1": 102, "w2": 50, "w3": 500, "w5": 40}
        sizes: list[int] = []
        for rec in runs:
            full = store.get_run(rec.id)
            assert full.status == "succeeded", rec.id
            assert all(t.status == "succeeded" for t in full.tasks.values()), rec.id
            assert all(t.finished_at is not None for t in full.tasks.values()), rec.id
            sizes.append(len(full.tasks))
        for n in expected.values():
            assert sizes.count(n) == 4
        assert sizes.count(1) == 3
    assert report["durability"]["not_succeeded"] == 0
    # + the Scale store: a warm-up and a measured run per size
    assert report["durability"]["runs"] == len(runs) + 4


@pytest.mark.slow
def test_markdown_block_first_and_other_sections_kept(
    harness: tuple[dict[str, Any], str, Path],
) -> None:
    report, page, _ = harness
    sys.path.insert(0, str(BENCH))
    from report import BEGIN, END  # type: ignore[import-not-found]

    assert page.index(BEGIN) < page.index(END) < page.index("## Store")
    assert OTHER_SECTION in page
    block = page[page.index(BEGIN) : page.index(END)]
    assert report["command"] in block
    for label in ("QuantumFlow", "dask threaded scheduler", "dask.delayed", "LocalCluster"):
        assert label in block
    assert "### W4 planning" in block and "### Scale" in block
    assert "bench_engines.png" in block


def test_workloads_match_the_engine_specs() -> None:
    """The peers' graphs (benchmarks/workloads.py) are the ones QuantumFlow runs."""
    sys.path.insert(0, str(BENCH))
    import workloads  # type: ignore[import-not-found]

    from benchmarks import overhead  # type: ignore[import-not-found]

    for name, build_spec in [
        ("w1", overhead.spec_w1),
        ("w2", overhead.spec_w2),
        ("w3", overhead.spec_w3),
        ("w5", overhead.spec_w5),
    ]:
        n = workloads.QUICK_SIZES[name]
        wl = workloads.build(name, n)
        spec = build_spec(n)
        assert [t["id"] for t in spec["tasks"]] == wl.ids, name
        for task, ups in zip(spec["tasks"], wl.ups, strict=True):
            refs = [v["ref"] for v in task.get("inputs", {}).values()]
            deps = refs + list(task.get("depends_on", []))
            assert sorted(deps) == sorted(wl.ids[u] for u in ups), (name, task["id"])
        assert spec["policies"]["max_concurrency"] == wl.concurrency
