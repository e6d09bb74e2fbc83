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
from quantumflow.jupyter.widgets import RunWidget, follow_run, run_widget
from quantumflow.jupyter.widgets.layout import build_graph
from quantumflow.spec.loader import load_spec
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


# ------------------------------------------------------------------------------ layout
def test_layout_levels_and_edges() -> None:
    g = build_graph(load_spec(chain_spec(3)))
    level = {n["id"]: n["level"] for n in g.nodes}
    assert level == {"step0": 0, "step1": 1, "step2": 2, "opt": 0}
    assert ["step0", "step1"] in g.edges and not g.grouped
    rows = {(n["level"], n["row"]) for n in g.nodes}
    assert len(rows) == len(g.nodes)  # no two nodes on the same spot


def test_big_graphs_fold_into_groups() -> None:
    g = build_graph(load_spec(wide_spec(500)))
    assert g.grouped
    sizes = {n["id"]: n["size"] for n in g.nodes}
    assert sizes == {"point": 500, "gather": 1}
    assert g.edges == [["point", "gather"]]


# ------------------------------------------------------------------------------ live runs
def test_widget_follows_an_in_process_run(tmp_path: Path) -> None:
    spec = chain_spec(3)
    widget = RunWidget(spec)
    seen: list[str] = []
    widget.observe(lambda change: seen.append(change["new"].get("running", 0)), names="counts")
    run = engine.run(spec, db=str(tmp_path / "w.db"), on_event=widget.on_event)
    widget.finish(run)
    assert widget.status == "succeeded"
    assert widget.run_id == run.id
    assert widget.counts == {"succeeded": 4}
    assert widget.node_states["step2"] == {"succeeded": 1}
    assert any(seen), "a 'running' task was never shown"
    assert widget.elapsed_s > 0.1
    assert widget.series[0]["name"] == "opt (optimiser)"
    assert widget.series[0]["points"][0] == [0.0, 1.0]


def test_charts_fill_in_while_the_run_goes(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    widget = RunWidget(chain_spec(2), load_output=engine.open_db(db).get_output)
    handle = engine.start(chain_spec(2), db=db, on_event=widget.on_event)
    handle.wait(30)
    time.sleep(0.3)  # the last throttled update
    names = [s["name"] for s in widget.series]
    assert "opt (optimiser)" in names
    assert widget.counts == {"succeeded": 3}


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
    assert widget.counts == {"succeeded": n, "pending": 1}
    assert widget.node_states["point"] == {"succeeded": n}
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
    assert state["counts"] == {"succeeded": 1, "pending": 1}
    assert state["status"] == "running" and "node_states" in state


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
    assert widget.counts == {"succeeded": 5}
    assert statuses[-1] == "succeeded"
    assert widget.series and widget.series[0]["name"] == "opt (optimiser)"
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
    assert widget.node_states == {"x": {"failed": 1}}


@pytest.mark.parametrize(
    ("output", "expect"),
    [
        ({"counts": {"00": 510, "11": 490}, "shots": 1000}, "histogram"),
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
    widget.state.charts.add_output("step0", "step", output)
    widget.throttle.flush_now()
    if expect == "histogram":
        assert widget.histogram == {"task": "step0", "counts": {"00": 510, "11": 490}}
    elif expect == "sweep":
        assert widget.series == [
            {"name": "step0 ⟨Z0⟩", "x": "theta", "points": [[0.0, 1.0], [1.0, 0.54]]}
        ]
    else:
        assert widget.series[0]["points"] == [[0.0, 0.25]]


def test_esm_bundle_is_shipped() -> None:
    esm = (Path(__file__).parents[2] / "quantumflow/jupyter/widgets/widget.js").read_text()
    assert "export default { render }" in esm
    assert "import " not in esm.split("export default")[0]  # no CDN imports: offline


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
