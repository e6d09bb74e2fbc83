"""The RunWidget in a real notebook (real kernel) and the side panel show one picture of
the same run: the same renderer, tasks, groups and tasks drawn per state, compared through
the views' data attributes (not pixels)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import ARTIFACTS, Lab
from .helpers import set_theme

pytestmark = pytest.mark.slow

PANEL = "#quantumflow-panel"
N = 1200


def _spec() -> dict[str, Any]:
    tasks = [
        {"id": f"point-{i}", "kind": "classical", "fn": "constant", "inputs": {"value": i}}
        for i in range(N)
    ]
    return {"name": "nb_vs_panel", "tasks": tasks}


def _notebook(run_id: str) -> dict[str, Any]:
    source = (
        "from quantumflow.engine import open_db\n"
        "from quantumflow.jupyter.widgets import follow_run\n"
        f"w = follow_run(open_db(), {run_id!r})\n"
        "w"
    )
    return {
        "cells": [
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
             "source": source}
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }  # fmt: skip


def _picture(page: Any, root: str) -> dict[str, Any]:
    graph = page.locator(f"{root} [data-graph-renderer]").first
    return {
        "renderer": graph.get_attribute("data-graph-renderer"),
        "tasks": graph.get_attribute("data-graph-tasks"),
        "drawn": graph.get_attribute("data-drawn-summary"),
        "states": page.get_attribute(f"{root} [data-state-summary]", "data-state-summary"),
        "status": page.get_attribute(f"{root} [data-state-summary] [data-run-status]",
                                     "data-run-status"),
    }  # fmt: skip


def test_widget_in_a_notebook_shows_the_panels_picture(page: Any, lab: Lab) -> None:
    page.set_default_timeout(120_000)  # a kernel start on a loaded 2-core machine is slow
    accepted = lab.api("POST", "/quantumflow/api/workflows/run", {"spec": _spec()})
    assert isinstance(accepted, dict)
    run_id = accepted["run_id"]
    # the store's truth once the run is over
    deadline = time.monotonic() + 300
    while True:
        progress = lab.api("GET", f"/quantumflow/api/runs/{run_id}/progress?limit=1")
        assert isinstance(progress, dict)
        if progress["done"] == N and progress["status"] != "running":
            break
        assert time.monotonic() < deadline, f"run still {progress['status']}: {progress}"
        page.wait_for_timeout(200)  # polling the server, not the page
    truth = ",".join(f"{s}:{n}" for s, n in sorted(progress["states"].items()) if n)
    assert truth == f"succeeded:{N}"

    # The panel: open the run from the Runs tab; the designer draws it.
    page.locator(f"{PANEL} .jp-QFlow-tab", has_text="Runs").click()
    row = page.locator(f'{PANEL} tr[data-run-id="{run_id}"]')
    row.wait_for(timeout=30_000)
    row.locator("button", has_text="Open").click()
    page.wait_for_selector(f"{PANEL} [data-drawn-summary='{truth}']", timeout=60_000)
    panel = _picture(page, PANEL)

    # The notebook: a real kernel follows the same run from the store.
    nb = json.dumps(_notebook(run_id))
    lab.api("PUT", "/api/contents/widget.ipynb", {"type": "notebook", "content": json.loads(nb)})
    page.evaluate(
        "async () => { await window.jupyterapp.commands.execute('docmanager:open',"
        " {path: 'widget.ipynb'}); }"
    )
    cell = ".jp-NotebookPanel .jp-Cell"
    page.wait_for_selector(f"{cell} .jp-InputArea")
    page.wait_for_function(  # the kernel is up (its start is the slow part)
        "async () => { const w = window.jupyterapp.shell.currentWidget;"
        " await w.sessionContext.ready; return !!w.sessionContext.session?.kernel; }",
        timeout=120_000,
    )
    run_all = "async () => { await window.jupyterapp.commands.execute('notebook:run-all-cells'); }"
    page.evaluate(run_all)
    out = ".jp-NotebookPanel .jp-OutputArea .jp-QFlow-widget"
    drawn = f"{out} [data-drawn-summary='{truth}']"
    try:
        page.wait_for_selector(drawn, timeout=90_000)
    except PlaywrightTimeout:
        # Seen once in 3 clean-clone CI runs, never alone: the widget's picture did not come
        # (a cell run the moment the kernel is ready can race the widget manager). Running
        # the cell again makes a new widget following the same run; it must then draw it.
        page.evaluate(run_all)
        page.wait_for_selector(drawn, timeout=120_000)
    widget = _picture(page, out)

    assert (
        widget
        == panel
        == {
            "renderer": "canvas",
            "tasks": str(N),
            "drawn": truth,
            "states": truth,
            "status": widget["status"],
        }
    )
    for theme in ("Light", "Dark"):
        set_theme(page, f"JupyterLab {theme}")
        page.locator(PANEL).screenshot(path=str(ARTIFACTS / f"ui-panel-run-{theme.lower()}.png"))
    # the notebook gets the whole width for its own pictures
    page.evaluate(
        "async () => { await window.jupyterapp.commands.execute('application:toggle-right-area'); }"
    )
    page.wait_for_selector(PANEL, state="hidden")
    page.set_viewport_size({"width": 1400, "height": 2000})
    for theme in ("Light", "Dark"):
        set_theme(page, f"JupyterLab {theme}")
        page.wait_for_selector(f"{out} [data-drawn-summary='{truth}']")
        page.locator(out).screenshot(path=str(ARTIFACTS / f"ui-widget-{theme.lower()}.png"))
    set_theme(page, "JupyterLab Light")
    # a task found in the widget shows its details, read by the kernel from the store
    page.locator(f"{out} input[placeholder='Find a task by id']").fill("point-7")
    page.locator(f"{out} button", has_text="Find").click()
    details = page.locator(f"{out} [data-task-details='point-7']")
    details.get_by_text("succeeded").first.wait_for(timeout=30_000)
    assert "Log" in details.inner_text() and "7" in details.locator("[data-output]").inner_text()
    details.screenshot(path=str(ARTIFACTS / "ui-widget-task-details.png"))
