"""RunWidget state, throttling and store-following, with the real engine and a real store."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell

import quantumflow
from quantumflow import engine
from quantumflow.graph.layout import layout
from quantumflow.jupyter.widgets import RunWidget, follow_run, run_widget
from quantumflow.spec.loader import load_spec
from quantumflow.status import TASK_STATUSES
from quantumflow.store import open_store
from quantumflow.store.records import TaskEvent


def chain_spec(n: int = 3, delay: float = 0.05) -> dict[str, Any]:
    tasks: list[dict[str, Any]] = [
        {
            "id": f"step{i}",
            "kind": "classical",
            "fn": "tests.jupyter.fns:slow_value",
            "inputs": {"value": float(i), "delay": delay},
            "depends_on": [f"step{i - 1}"] if i else [],
        }
        for i in range(n)
    ]
    tasks.append({"id": "opt", "kind": "classical", "fn": "tests.jupyter.fns:trace"})
    return {"name": "chain", "tasks": tasks}


def wide_spec(n: int) -> dict[str, Any]:
    tasks: list[dict[str, Any]] = [
        {"id": f"point_{i}", "kind": "classical", "fn": "constant", "inputs": {"value": i}}
        for i in range(n)
    ]
    tasks.append(
        {
            "id": "gather",
            "kind": "classical",
            "fn": "collect",
            "inputs": {"a": {"ref": "point_0"}, "b": {"ref": f"point_{n - 1}"}},
        }
    )
    return {"name": "wide", "tasks": tasks}


def record_messages(widget: RunWidget) -> list[dict[str, Any]]:
    """Every comm message the widget sends from now on (the transport, not our code)."""
    sent: list[dict[str, Any]] = []
    send = widget.comm.send

    def spy(*args: Any, **kwargs: Any) -> Any:
        sent.append(kwargs.get("data") or args[0])
        return send(*args, **kwargs)

    widget.comm.send = spy
    return sent


def status_of(widget: RunWidget, task_id: str) -> str:
    """The status the widget's ``states`` trait holds for a task."""
    return TASK_STATUSES[int(widget.states[widget.drawing["ids"].index(task_id)])]


def series_names(widget: RunWidget) -> list[str]:
    return [s["name"] for s in widget.results["series"]]


# ------------------------------------------------------------------------------ layout
def test_layout_is_the_servers_drawing() -> None:
    """The widget draws the API's layout: same groups (one rule), same key, same big flag."""
    spec = load_spec(wide_spec(600))
    widget = RunWidget(spec)
    drawn = layout(spec)
    assert widget.drawing == drawn
    assert [g["name"] for g in widget.drawing["groups"]] == ["point", "gather"]
    assert widget.drawing["big"] is True
    assert RunWidget(chain_spec(3)).drawing["big"] is False
    assert widget.states == "0" * 601


def test_a_cycle_is_drawn_without_its_edges() -> None:
    spec = {
        "name": "loop",
        "tasks": [
            {"id": "a", "kind": "classical", "fn": "constant", "depends_on": ["b"]},
            {"id": "b", "kind": "classical", "fn": "constant", "depends_on": ["a"]},
        ],
    }
    widget = RunWidget(spec)
    assert widget.drawing["ids"] == ["a", "b"] and widget.drawing["edges"] == []


# ------------------------------------------------------------------------------ live runs
def test_widget_follows_an_in_process_run(tmp_path: Path) -> None:
    spec = chain_spec(3)
    widget = RunWidget(spec)
    seen: list[str] = []
    widget.observe(
        lambda change: seen.append(change["new"]["states"].get("running", 0)), names="progress"
    )
    run = engine.run(spec, db=str(tmp_path / "w.db"), on_event=widget.on_event)
    widget.finish(run)
    assert widget.status == "succeeded"
    assert widget.run_id == run.id
    assert widget.progress["states"] == {"succeeded": 4}
    assert widget.progress["done"] == 4 and widget.progress["eta_s"] == 0.0
    assert status_of(widget, "step2") == "succeeded"
    assert any(seen), "a 'running' task was never shown"
    assert widget.progress["elapsed_s"] > 0.1
    assert series_names(widget) == ["opt (optimiser)"]
    assert widget.results["series"][0]["points"][0] == [0.0, 1.0]
    # the numbers the steps returned are rows of the values table
    rows = {r["task"]: r["value"] for r in widget.results["scalars"]}
    assert rows == {"step0": 0.0, "step1": 1.0, "step2": 2.0}
    # a small run carries its tasks' timings for the timeline, and a duration histogram
    assert {t["task_id"] for t in widget.tasks} == {"step0", "step1", "step2", "opt"}
    assert sum(widget.durations["counts"]) == 4


def test_charts_fill_in_while_the_run_goes(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    widget = RunWidget(chain_spec(2), load_output=engine.open_db(db).get_output)
    handle = engine.start(chain_spec(2), db=db, on_event=widget.on_event)
    handle.wait(30)
    time.sleep(0.3)  # the last throttled update
    assert "opt (optimiser)" in series_names(widget)
    assert widget.progress["states"] == {"succeeded": 3}


def test_ten_thousand_tasks_do_not_flood_the_kernel() -> None:
    n = 10_000
    widget = RunWidget(wide_spec(n))
    sent = record_messages(widget)
    t0 = time.monotonic()

    def engine_like() -> None:
        for i in range(n):
            widget.on_event(TaskEvent("r", f"point_{i}", "running"))
            widget.on_event(TaskEvent("r", f"point_{i}", "succeeded"))

    workers = [threading.Thread(target=engine_like) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    widget.set_run_status("succeeded")
    took = time.monotonic() - t0
    assert widget.throttle.pokes == 4 * n
    # at most 10 updates a second (+ the first and the final one), each ONE message
    assert len(sent) <= took / 0.1 + 3, (len(sent), took)
    assert widget.progress["states"] == {"succeeded": n, "pending": 1}
    assert widget.states == str(TASK_STATUSES.index("succeeded")) * n + "0"
    assert widget.tasks == []  # no per-task rows for a big run
    assert widget.status == "succeeded"


def test_updates_are_coalesced_into_one_message() -> None:
    # Flush once first so the next flush is due a whole window later: both events then
    # ride the same flush however slowly a loaded machine delivers them.
    widget = RunWidget(chain_spec(1), interval=0.5)
    widget.throttle.flush_now()
    sent = record_messages(widget)
    widget.on_event(TaskEvent("r", "step0", "running"))
    widget.on_event(TaskEvent("r", "step0", "succeeded"))
    time.sleep(1.0)
    assert len(sent) == 1
    state = sent[0]["state"]
    assert state["progress"]["states"] == {"succeeded": 1, "pending": 1}
    assert state["status"] == "running" and "states" in state


def test_follows_a_run_started_in_another_process(tmp_path: Path) -> None:
    db = str(tmp_path / "shared.db")
    spec = chain_spec(4, delay=0.3)
    path = tmp_path / "wf.qflow"
    path.write_text(load_spec(spec).to_json())
    code = (
        "import sys; from quantumflow import engine; "
        "h = engine.start(sys.argv[1], db=sys.argv[2]); print(h.run_id, flush=True); h.wait()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(path), db],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    assert proc.stdout is not None
    run_id = proc.stdout.readline().strip()
    store = open_store(db)
    widget = follow_run(store, run_id)
    statuses: list[str] = []
    widget.observe(lambda c: statuses.append(c["new"]), names="status")
    assert widget.wait_followed(60)
    assert proc.wait(60) == 0
    proc.stdout.close()
    assert widget.status == "succeeded"
    assert widget.progress["states"] == {"succeeded": 5}
    assert statuses[-1] == "succeeded"
    assert "opt (optimiser)" in series_names(widget)
    store.close()


def test_failed_run_shows_the_error(tmp_path: Path) -> None:
    spec = {
        "name": "f",
        "tasks": [{"id": "x", "kind": "classical", "fn": "tests.jupyter.fns:boom"}],
    }
    run = engine.run(spec, db=str(tmp_path / "f.db"))
    widget = run_widget(run)
    assert widget.status == "failed"
    assert "boom" in widget.error
    assert status_of(widget, "x") == "failed"
    assert widget.tasks[0]["error"] and "boom" in widget.tasks[0]["error"]


@pytest.mark.parametrize(
    ("output", "expect"),
    [
        ({"counts": {"11": 490, "00": 510, "01": 0}, "shots": 1000}, "histogram"),
        (
            {
                "sweep": {
                    "points": [{"theta": 0.0}, {"theta": 1.0}],
                    "results": [{"expectations": {"Z0": 1.0}}, {"expectations": {"Z0": 0.54}}],
                }
            },
            "sweep",
        ),
        (0.25, "number"),
    ],
)
def test_chart_shapes(output: Any, expect: str) -> None:
    widget = RunWidget(chain_spec(1))
    widget.state.results.add_output("step0", output)
    widget.throttle.flush_now()
    if expect == "histogram":  # most frequent first, every shot counted
        assert widget.results["histograms"] == [
            {"task": "step0", "bars": [["00", 510], ["11", 490], ["01", 0]], "other": 0,
             "outcomes": 3, "total": 1000}
        ]  # fmt: skip
        assert widget.results["scalars"] == [{"task": "step0", "key": "shots", "value": 1000}]
    elif expect == "sweep":
        assert widget.results["series"] == [
            {"name": "step0 ⟨Z0⟩", "x": "theta", "points": [[0.0, 1.0], [1.0, 0.54]]}
        ]
    else:  # a number is a value in the table, not a dot on a chart
        assert widget.results == {
            "scalars": [{"task": "step0", "key": None, "value": 0.25}],
            "histograms": [],
            "series": [],
            "mitigated": [],
        }


def test_wide_counts_keep_the_top_outcomes_and_sum_the_rest() -> None:
    widget = RunWidget(chain_spec(1))
    counts = {format(i, "06b"): i + 1 for i in range(64)}
    widget.state.results.add_output("step0", {"counts": counts})
    widget.throttle.flush_now()
    [hist] = widget.results["histograms"]
    assert [b[1] for b in hist["bars"]] == list(range(64, 64 - len(hist["bars"]), -1))
    assert hist["other"] + sum(b[1] for b in hist["bars"]) == sum(counts.values())
    assert hist["outcomes"] == 64


def test_run_displays_as_the_widget(tmp_path: Path) -> None:
    task = {"id": "a", "kind": "classical", "fn": "constant", "inputs": {"value": 1}}
    spec = {"name": "r", "tasks": [task]}
    run = engine.run(spec, db=str(tmp_path / "r.db"))
    InteractiveShell.clear_instance()  # a fresh shell: no formatter registered yet
    shell = InteractiveShell.instance()
    try:
        assert (
            "application/vnd.jupyter.widget-view+json" not in shell.display_formatter.format(run)[0]
        )
        shell.extension_manager.load_extension("quantumflow")  # %load_ext quantumflow
        data, _ = shell.display_formatter.format(run)
    finally:
        InteractiveShell.clear_instance()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["text/plain"] == repr(run)
    widget = quantumflow.run_widget(run)
    assert isinstance(widget, RunWidget) and widget.status == "succeeded"


def test_importing_quantumflow_in_a_kernel_shows_runs_as_widgets(tmp_path: Path) -> None:
    # A kernel that only imports quantumflow (no %load_ext) still shows a Run as its widget.
    code = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "import quantumflow\n"
        "spec = {'name': 'r', 'tasks': [{'id': 'a', 'kind': 'classical', 'fn': 'constant',"
        " 'inputs': {'value': 1}}]}\n"
        f"run = quantumflow.run(spec, db={str(tmp_path / 'k.db')!r})\n"
        "data, _ = shell.display_formatter.format(run)\n"
        "print(sorted(data))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr
    assert "application/vnd.jupyter.widget-view+json" in out.stdout
