"""The side panel end to end: drag two tasks, connect, set fields, save a .qflow, run it
against the real server extension, watch the nodes turn green, see runs and a chart."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import ARTIFACTS, Lab
from .helpers import connect

pytestmark = pytest.mark.slow

PANEL = "#quantumflow-panel"


def _node(task_id: str) -> str:
    return f'{PANEL} .react-flow__node[data-id="{task_id}"]'


def _drag_to_canvas(page: Any, item: str, dx: int, dy: int) -> None:
    canvas = page.locator(f"{PANEL} .jp-QFlow-canvas .react-flow__pane")
    box = canvas.bounding_box()
    page.locator(f'{PANEL} [data-palette-item="{item}"]').drag_to(
        canvas, target_position={"x": dx, "y": dy}
    )
    assert box is not None


def _set_field(page: Any, name: str, value: str) -> None:
    field = page.locator(f"{PANEL} #qflow-field-{name}")
    field.fill(value)
    field.blur()


def test_design_save_run_and_dashboard(page: Any, lab: Lab) -> None:
    # Drag a quantum circuit and a library step; connecting feeds counts -> counts.
    page.wait_for_selector(f'{PANEL} [data-palette-item="Tasks:Quantum circuit"]')
    _drag_to_canvas(page, "Tasks:Quantum circuit", 120, 120)
    page.wait_for_selector(_node("circuit"))
    _drag_to_canvas(page, "Post-process:most_frequent", 420, 160)
    page.wait_for_selector(_node("most_frequent"))
    connect(page, PANEL, "circuit", "most_frequent")
    page.wait_for_selector(
        f'{PANEL} .react-flow__edge[data-id="circuit->most_frequent:counts"]', state="attached"
    )

    # Property editor from GET /api/schema: the backend dropdown of GET /api/backends, shots.
    page.locator(_node("circuit")).click()
    page.wait_for_selector(f"{PANEL} #qflow-field-shots")
    page.locator(f"{PANEL} #qflow-field-backend").select_option("cirq.simulator")
    _set_field(page, "shots", "200")
    page.locator(f"{PANEL} [aria-label='Workflow name']").fill("bell_e2e")

    # Save through the contents API and read the file back from the server.
    page.locator(f"{PANEL} [aria-label='.qflow path']").fill("bell_e2e.qflow")
    page.locator(f"{PANEL} .jp-QFlow-filebar button", has_text="Save").click()
    page.wait_for_selector(f"{PANEL} .jp-QFlow-filebar >> text=Saved bell_e2e.qflow")
    saved = lab.api("GET", "/api/contents/bell_e2e.qflow?content=1&format=text&type=file")
    assert isinstance(saved, dict)
    spec = json.loads(saved["content"])
    assert spec["name"] == "bell_e2e"
    by_id = {t["id"]: t for t in spec["tasks"]}
    assert by_id["circuit"]["shots"] == 200
    assert by_id["circuit"]["backend"] == "cirq.simulator"
    assert by_id["most_frequent"]["inputs"] == {"counts": {"ref": "circuit.counts"}}
    assert "depends_on" not in by_id["most_frequent"]  # the reference orders them
    # Dropped nodes were placed by hand: their positions travel in the spec's layout.
    assert set(spec["layout"]) == {"circuit", "most_frequent"}
    assert spec["layout"]["circuit"]["x"] < spec["layout"]["most_frequent"]["x"]

    # Validate asks POST /api/workflows/validate.
    page.locator(f"{PANEL} .jp-QFlow-runbar button", has_text="Validate").click()
    page.wait_for_selector(f"{PANEL} .jp-QFlow-runbar >> text=Valid")

    # Run it: live states arrive over SSE until both nodes are green.
    page.locator(f"{PANEL} .jp-QFlow-runbar button", has_text="Run").click()
    page.wait_for_selector(f'{_node("most_frequent")} [data-status="succeeded"]', timeout=120_000)
    page.wait_for_selector(f'{_node("circuit")} [data-status="succeeded"]')
    page.wait_for_selector(f'{PANEL} [data-run-status="succeeded"]', timeout=30_000)
    page.locator(_node("most_frequent")).click()
    page.locator(f"{PANEL} .jp-QFlow-subtab", has_text="Run").click()
    output = page.locator(f'{PANEL} [data-task-details="most_frequent"] .jp-QFlow-output-summary')
    output.wait_for()
    page.wait_for_function(
        "el => /^[01]{2}$/.test(el.textContent.trim())",
        arg=output.element_handle(),
        timeout=15_000,
    )
    page.locator(PANEL).screenshot(path=str(ARTIFACTS / "designer.png"))

    # Runs tab: the run is in the history.
    page.locator(f"{PANEL} .jp-QFlow-tab", has_text="Runs").click()
    row = page.locator(f"{PANEL} .jp-QFlow-table tbody tr", has_text="bell_e2e").first
    row.wait_for()
    assert "succeeded" in row.inner_text()
    assert "$0.00" in row.inner_text()  # a local simulator records a cost of 0
    page.locator(PANEL).screenshot(path=str(ARTIFACTS / "runs.png"))

    # Dashboard tab: charts drawn with chart.js.
    page.locator(f"{PANEL} .jp-QFlow-tab", has_text="Dashboard").click()
    page.wait_for_selector(f'{PANEL} [data-chart="timeline"] canvas')
    # Predicted vs actual per task comes from the run's stored plan (GET runs/{id}/plan).
    page.wait_for_selector(f'{PANEL} [data-chart="expected"][data-source="plan"] canvas')
    makespan = page.locator(f'{PANEL} [data-plan="makespan"]').inner_text()
    assert (
        "predicted" in makespan and "actual" in makespan and "\u2013" not in makespan
    )  # no unknown (en dash) value
    assert (
        "Critical path planned" in page.locator(f'{PANEL} [data-plan="planned-path"]').inner_text()
    )
    # The histogram is drawn from the task's full output, not its 200-character preview.
    page.wait_for_selector(
        f'{PANEL} [data-chart="counts-circuit"][data-source="results"] canvas', timeout=15_000
    )
    page.locator(PANEL).screenshot(path=str(ARTIFACTS / "dashboard.png"))


def test_qflow_file_opens_in_designer_document(page: Any, lab: Lab) -> None:
    spec = {
        "name": "from_python",
        "params": {"n": 2},
        "tasks": [
            {"id": "a", "kind": "classical", "fn": "constant", "inputs": {"value": 1}},
            {"id": "b", "kind": "classical", "fn": "constant", "inputs": {"value": {"ref": "a"}}},
        ],
    }
    text = json.dumps(spec, indent=2) + "\n"
    lab.api("PUT", "/api/contents/doc.qflow", {"type": "file", "format": "text", "content": text})
    page.evaluate(
        "async () => { await window.jupyterapp.commands.execute("
        "'docmanager:open', {path: 'doc.qflow'}); }"
    )
    doc = ".jp-QFlowDocument"
    page.wait_for_selector(f'{doc} .react-flow__node[data-id="b"]')
    page.wait_for_selector(f'{doc} .react-flow__edge[data-id="a->b:value"]', state="attached")
    # Edit (rename the workflow), see the dirty marker, save with Ctrl+S.
    page.locator(f"{doc} [aria-label='Workflow name']").fill("renamed")
    page.wait_for_selector(".lm-DockPanel-tabBar .jp-mod-dirty", timeout=10_000)
    page.locator(f'{doc} .react-flow__node[data-id="a"]').click()
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !document.querySelector('.lm-DockPanel-tabBar .jp-mod-dirty')", timeout=10_000
    )
    saved = lab.api("GET", "/api/contents/doc.qflow?content=1&format=text&type=file")
    assert isinstance(saved, dict)
    assert json.loads(saved["content"]) == {**spec, "name": "renamed"}
    page.locator(doc).screenshot(path=str(ARTIFACTS / "document.png"))


def test_inline_run_opens_on_canvas_and_invalid_spec_is_shown(page: Any, lab: Lab) -> None:
    # A run started with an inline spec (no saved workflow), e.g. from a script.
    spec = {
        "name": "inline_e2e",
        "tasks": [
            {"id": "x", "kind": "classical", "fn": "constant", "inputs": {"value": 2}},
            {"id": "y", "kind": "classical", "fn": "constant", "inputs": {"value": {"ref": "x"}}},
        ],
        "layout": {"x": {"x": 400, "y": 0}, "y": {"x": 0, "y": 0}},
    }
    accepted = lab.api("POST", "/quantumflow/api/workflows/run", {"spec": spec})
    assert isinstance(accepted, dict)
    path_box = page.locator(f"{PANEL} [aria-label='.qflow path']")
    path_box.fill("earlier.qflow")  # as if a file had been opened before
    page.locator(f"{PANEL} .jp-QFlow-tab", has_text="Runs").click()
    row = page.locator(f'{PANEL} tr[data-run-id="{accepted["run_id"]}"]')
    row.wait_for(timeout=30_000)
    assert "—" in row.locator("td").nth(4).inner_text()  # no recorded cost
    row.locator("button", has_text="Open").click()
    page.wait_for_selector(_node("y"))
    # Save must not write the run's spec over the file opened before
    assert path_box.input_value() == ""
    # Its saved layout is used: y was drawn left of x although x comes first.
    bx = page.locator(_node("x")).bounding_box()
    by = page.locator(_node("y")).bounding_box()
    assert bx is not None and by is not None and by["x"] < bx["x"]
    page.wait_for_selector(f'{_node("y")} [data-status="succeeded"]', timeout=30_000)

    # A file whose y points at a task that does not exist: Validate names task and field.
    broken = {
        **spec,
        "tasks": [spec["tasks"][0], {**spec["tasks"][1], "inputs": {"value": {"ref": "nowhere"}}}],
    }
    text = json.dumps(broken)
    lab.api(
        "PUT", "/api/contents/broken.qflow", {"type": "file", "format": "text", "content": text}
    )
    page.locator(f"{PANEL} [aria-label='.qflow path']").fill("broken.qflow")
    page.locator(f"{PANEL} .jp-QFlow-filebar button", has_text="Open").click()
    page.wait_for_selector(f"{PANEL} .jp-QFlow-filebar >> text=Opened broken.qflow")
    page.locator(f"{PANEL} .jp-QFlow-runbar button", has_text="Validate").click()
    page.wait_for_selector(f"{PANEL} .jp-QFlow-runbar >> text=y.inputs.value")
    page.wait_for_selector(
        f"{_node('y')}.jp-QFlow-node-invalid, {_node('y')} .jp-QFlow-node-invalid"
    )
