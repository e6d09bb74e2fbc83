"""A new user's journeys in a real JupyterLab (Debian Chromium), one screenshot per step:
Launcher -> a workflow in a sub-folder -> drag a quantum circuit and ``parity`` ->
connect (the input is filled) -> Run -> edit ``shots`` on the finished run -> Run again;
the same in JupyterLab Dark with the contrast of every node's text measured in the page."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from .conftest import ARTIFACTS, Lab, widen_right_panel
from .helpers import (
    DOC,
    connect,
    contrast,
    drag_to_canvas,
    node,
    read_file,
    set_field,
    set_theme,
    shot,
)

pytestmark = pytest.mark.slow

AA = 4.5


def _record_contrast(name: str, found: list[dict[str, Any]]) -> float:
    """Keep the measurements as an artifact; the lowest ratio."""
    (ARTIFACTS / f"contrast_{name}.json").write_text(json.dumps(found, indent=1))
    assert found, f"{name}: no text measured"
    worst = min(found, key=lambda f: f["ratio"])
    assert worst["ratio"] >= AA, f"{name}: {worst}"
    return float(worst["ratio"])


def _new_workflow_from_launcher(page: Any, lab: Lab, folder: str) -> str:
    """Open `folder` in the file browser, click the Launcher card; the new file's path."""
    lab.api("PUT", f"/api/contents/{folder}", {"type": "directory"})
    page.evaluate(
        "async p => { await window.jupyterapp.commands.execute('filebrowser:go-to-path',"
        " {path: p}); }",
        f"/{folder}",
    )
    page.evaluate("async () => { await window.jupyterapp.commands.execute('launcher:create'); }")
    card = page.locator(".jp-LauncherCard", has_text="QuantumFlow Workflow").last
    card.wait_for(timeout=30_000)
    assert card.locator("svg").count() == 1  # the LabIcon, drawn as SVG
    shot(page, "journey_01_launcher")
    shot(page, "ui-launcher-light" if "light" in folder else "ui-launcher-dark")
    card.click()
    page.wait_for_selector(f"{DOC} .jp-QFlow-canvas", timeout=30_000)
    tab = page.locator(".lm-DockPanel-tabBar .lm-mod-current").inner_text()
    assert tab.strip().endswith(".qflow")
    return f"{folder}/{tab.strip()}"


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_build_run_and_edit_a_two_node_workflow(lab_page: Any, lab: Lab, theme: str) -> None:
    page = lab_page
    tag = "light" if "Light" in theme else "dark"
    if tag == "dark":
        set_theme(page, theme)
    try:
        _journey(page, lab, tag)
    finally:
        if tag == "dark":
            set_theme(page, "JupyterLab Light")  # the server's settings outlive this test


def _journey(page: Any, lab: Lab, tag: str) -> None:
    started = time.monotonic()
    folder = f"project_{tag}"
    path = _new_workflow_from_launcher(page, lab, folder)
    assert path == f"{folder}/untitled.qflow"
    assert read_file(lab, path) == {"name": "untitled", "tasks": []}

    # Drag a quantum circuit and the library's parity; parity lacks its input.
    drag_to_canvas(page, DOC, "Tasks:Quantum circuit", 150, 150)
    page.wait_for_selector(node(DOC, "circuit"))
    drag_to_canvas(page, DOC, "Post-process:parity", 480, 170)
    parity = node(DOC, "parity")
    page.wait_for_selector(f"{parity} .jp-QFlow-node-problem >> text=inputs.counts")
    shot(page, f"journey_{tag}_02_dragged", DOC)

    # Connect: the port picker is not needed, parity(counts) takes the counts.
    connect(page, DOC, "circuit", "parity")
    edge = page.locator(f'{DOC} .react-flow__edge[data-id="circuit->parity:counts"]')
    edge.wait_for(state="attached")
    assert page.locator(f"{DOC} .react-flow__edge-text").text_content() == "counts → counts"
    # the problem goes away once its cause is fixed
    page.wait_for_selector(f"{parity} .jp-QFlow-node-problem", state="detached")
    shot(page, f"journey_{tag}_03_connected", DOC)
    measured = {"idle": _record_contrast(f"{tag}_idle", contrast(page, f"{DOC} .jp-QFlow-node"))}

    # Run: both nodes turn green; the status line agrees.
    page.locator(f"{DOC} .jp-QFlow-runbar button", has_text="Run").click()
    page.wait_for_selector(f'{parity} [data-status="succeeded"]', timeout=120_000)
    # green either way: the other theme's journey may have stored this very circuit's result
    circuit = node(DOC, "circuit")
    page.wait_for_selector(f'{circuit} [data-status="succeeded"], {circuit} [data-status="cached"]')
    page.wait_for_selector(f'{DOC} [data-run-status="succeeded"]', timeout=30_000)
    page.locator(node(DOC, "parity")).click()
    output = page.locator(f'{DOC} [data-task-details="parity"] .jp-QFlow-output-summary')
    output.wait_for(timeout=15_000)
    shot(page, f"journey_{tag}_04_ran", DOC)
    shot(page, f"ui-designer-{tag}", DOC)
    measured["succeeded"] = _record_contrast(
        f"{tag}_succeeded",
        contrast(page, f"{DOC} .jp-QFlow-node, {DOC} .jp-QFlow-statusline"),
    )

    # Edit shots on the finished run: Properties is one click away, the run is marked old.
    page.locator(node(DOC, "circuit")).click()
    page.locator(f"{DOC} .jp-QFlow-subtab", has_text="Properties").click()
    set_field(page, DOC, "shots", "200")
    page.wait_for_selector(f"{DOC} [data-stale]")
    assert page.locator(f'{node(DOC, "circuit")} [data-stale="true"]').count() == 1
    shot(page, f"journey_{tag}_05_edited", DOC)

    # Run again: the edited spec runs (200 shots), the overlay is current again.
    page.locator(f"{DOC} .jp-QFlow-runbar button", has_text="Run").click()
    page.wait_for_selector(f"{DOC} [data-stale]", state="detached", timeout=30_000)
    page.wait_for_selector(f'{DOC} [data-run-status="succeeded"]', timeout=120_000)
    page.locator(f"{DOC} .jp-QFlow-subtab", has_text="Run").click()
    summary = page.locator(f'{DOC} [data-task-details="circuit"] .jp-QFlow-output-summary')
    summary.wait_for(timeout=15_000)
    assert "/200)" in summary.inner_text()  # "counts: 2 outcomes, top 11 (104/200)"
    shot(page, f"journey_{tag}_06_ran_again", DOC)

    # Save (Ctrl+S): the file holds the data-flow edge as an input reference.
    page.locator(node(DOC, "circuit")).click()
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !document.querySelector('.lm-DockPanel-tabBar .jp-mod-dirty')", timeout=10_000
    )
    spec = read_file(lab, path)
    by_id = {t["id"]: t for t in spec["tasks"]}
    assert by_id["parity"]["inputs"] == {"counts": {"ref": "circuit.counts"}}
    assert by_id["circuit"]["shots"] == 200
    _panel_views(page, tag)
    (ARTIFACTS / f"journey_{tag}.json").write_text(
        json.dumps({"seconds": round(time.monotonic() - started, 1), "contrast_min": measured})
    )


def _panel_views(page: Any, tag: str) -> None:
    """The side panel beside the document: designer at the default width, Runs, Dashboard."""
    panel = "#quantumflow-panel"
    page.evaluate("() => window.jupyterapp.commands.execute('quantumflow:show-designer')")
    page.wait_for_selector(f"{panel} .jp-QFlow-canvas")
    shot(page, f"ui-panel-{tag}", panel)
    page.evaluate("() => window.jupyterapp.commands.execute('quantumflow:show-runs')")
    row = page.locator(f"{panel} .jp-QFlow-table tbody tr").first
    row.wait_for(timeout=15_000)
    assert "today " in row.inner_text() or "yesterday " in row.inner_text()
    _record_contrast(f"{tag}_runs", contrast(page, f"{panel} .jp-QFlow-table .jp-QFlow-pill"))
    shot(page, f"ui-runs-{tag}", panel)
    widen_right_panel(page, 900)
    page.evaluate("() => window.jupyterapp.commands.execute('quantumflow:show-dashboard')")
    page.wait_for_selector(f'{panel} [data-chart="timeline"] canvas', timeout=15_000)
    shot(page, f"ui-dashboard-{tag}", panel)
