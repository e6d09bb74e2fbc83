"""What the designer says when something is wrong, before anything runs: a function
argument no input supplies (on the node and its field), an unknown run parameter, a
backend that needs credentials; and the port picker when a connection is ambiguous."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Lab
from .helpers import DOC, connect, node, open_document, put_file, read_file, shot

pytestmark = pytest.mark.slow

GHZ = {
    "id": "ghz",
    "kind": "quantum",
    "backend": "qiskit.aer",
    "circuit": {"builtin": "ghz", "args": {"n": 2}},
    "shots": 100,
}


def test_missing_argument_unknown_param_and_credentials(lab_page: Any, lab: Lab) -> None:
    page = lab_page
    spec = {
        "name": "problems",
        "params": {"shots": 100},
        "tasks": [
            GHZ,
            {"id": "parity", "kind": "classical", "fn": "parity", "depends_on": ["ghz"]},
        ],
        "layout": {"ghz": {"x": 0, "y": 0}, "parity": {"x": 300, "y": 0}},
    }
    put_file(lab, "problems.qflow", spec)
    open_document(page, "problems.qflow")

    # The missing argument is named on the node, and under the field once selected.
    parity = node(DOC, "parity")
    problem = page.locator(f"{parity} .jp-QFlow-node-problem")
    problem.wait_for(timeout=15_000)
    assert "inputs.counts" in problem.inner_text() and "parity() needs 'counts'" in (
        problem.inner_text()
    )
    page.locator(parity).click()
    field = page.locator(f'{DOC} [data-input="counts"] .jp-QFlow-field-error')
    field.wait_for()
    assert "needs 'counts'" in field.inner_text()
    shot(page, "problems_01_missing_argument", DOC)
    shot(page, "ui-problems-light", DOC)

    # An unknown run parameter is refused by the server, naming it.
    page.locator(f"{DOC} [aria-label='Run parameters (JSON)']").fill('{"shots": 5, "shtos": 5}')
    # the ordering edge ghz -> parity becomes data through the inputs table
    page.locator(f"{DOC} #qflow-input-counts").fill('{"ref": "ghz.counts"}')
    page.locator(f"{DOC} #qflow-input-counts").blur()
    problem.wait_for(state="detached", timeout=15_000)
    page.locator(f"{DOC} .jp-QFlow-runbar button", has_text="Run").click()
    note = page.locator(f"{DOC} .jp-QFlow-runbar .jp-QFlow-note")
    note.wait_for(timeout=15_000)
    assert "unknown run param 'shtos'" in note.inner_text()
    assert page.locator(f"{DOC} [data-run-status]").count() == 0  # nothing ran
    shot(page, "problems_02_unknown_param", DOC)

    # The backend dropdown shows each backend's state; IBM needs credentials here.
    page.locator(node(DOC, "ghz")).click()
    backend = page.locator(f"{DOC} #qflow-field-backend")
    backend.wait_for()
    ibm = backend.locator("option", has_text="qiskit.ibm:ibm_brisbane")
    assert ibm.inner_text().endswith("needs credentials")
    assert backend.locator("option", has_text="qiskit.aer").inner_text().endswith("ready")
    backend.select_option("qiskit.ibm:ibm_brisbane")
    warn = page.locator(f"{DOC} [data-backend-state]")
    warn.wait_for()
    assert "QISKIT_IBM_TOKEN" in warn.inner_text()
    shot(page, "problems_03_needs_credentials", DOC)
    shot(page, "ui-credentials-light", f"{DOC} .jp-QFlow-side")
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !document.querySelector('.lm-DockPanel-tabBar .jp-mod-dirty')", timeout=10_000
    )
    saved = read_file(lab, "problems.qflow")
    assert saved["tasks"][0]["backend"] == "qiskit.ibm:ibm_brisbane"
    assert saved["tasks"][1]["inputs"] == {"counts": {"ref": "ghz.counts"}}


def test_ambiguous_connection_asks_with_the_port_picker(lab_page: Any, lab: Lab) -> None:
    page = lab_page
    spec = {
        "name": "tvd",
        "tasks": [
            GHZ,
            {**GHZ, "id": "noisy", "seed": 7},
            {"id": "tvd", "kind": "classical", "fn": "total_variation_distance"},
        ],
        "layout": {
            "ghz": {"x": 0, "y": 0},
            "noisy": {"x": 0, "y": 160},
            "tvd": {"x": 320, "y": 80},
        },
    }
    put_file(lab, "tvd.qflow", spec)
    open_document(page, "tvd.qflow")
    # validation names both missing arguments on the node (and grows it) before we connect
    page.wait_for_selector(f"{node(DOC, 'tvd')} .jp-QFlow-node-problem", timeout=15_000)
    connect(page, DOC, "ghz", "tvd")
    picker = page.locator(f"{DOC} .jp-QFlow-portpicker")
    picker.wait_for(timeout=10_000)
    # two parameters are open (p, q): it asks, with counts -> p preselected
    assert picker.locator("input[value='counts']").is_checked()
    assert picker.locator("input[value='p']").is_checked()
    shot(page, "ports_01_picker", DOC)
    shot(page, "ui-ports-light", f"{DOC} .jp-QFlow-canvas")
    picker.locator("button", has_text="Connect").click()
    page.wait_for_selector(f'{DOC} .react-flow__edge[data-id="ghz->tvd:p"]', state="attached")
    # the second connection leaves one open parameter: made without asking
    connect(page, DOC, "noisy", "tvd")
    page.wait_for_selector(f'{DOC} .react-flow__edge[data-id="noisy->tvd:q"]', state="attached")
    assert picker.count() == 0
    labels = page.locator(f"{DOC} .react-flow__edge-text").all_text_contents()
    assert sorted(labels) == ["counts → p", "counts → q"]
    shot(page, "ports_02_connected", DOC)
    # deleting an edge removes the input it fed
    page.locator(f'{DOC} .react-flow__edge[data-id="noisy->tvd:q"]').click(force=True)
    page.keyboard.press("Delete")
    page.wait_for_selector(f'{DOC} .react-flow__edge[data-id="noisy->tvd:q"]', state="detached")
    page.locator(node(DOC, "tvd")).click()
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !document.querySelector('.lm-DockPanel-tabBar .jp-mod-dirty')", timeout=10_000
    )
    tvd = read_file(lab, "tvd.qflow")["tasks"][2]
    assert tvd["inputs"] == {"p": {"ref": "ghz.counts"}}
