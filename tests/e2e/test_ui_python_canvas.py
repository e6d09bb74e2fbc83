"""Python <-> canvas in a real JupyterLab: ``wf.open()`` in a notebook opens the designer
on the workflow's nodes, and the designer's "Export as Python" writes code that rebuilds it."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow.dsl import Workflow
from quantumflow.spec import WorkflowSpec

from .conftest import Lab
from .helpers import DOC, node, read_file, shot

pytestmark = pytest.mark.slow

FOLDER = "pycanvas"
CELL = """\
from quantumflow.dsl import Workflow

with Workflow("e2e-open", params={"n": 2}) as wf:
    ghz = wf.quantum("ghz", backend="qiskit.aer", circuit={"builtin": "ghz", "args": {"n": 2}})
    wf.classical("parity", fn="parity", inputs={"counts": ghz["counts"]})
    wf.place(ghz, x=0, y=0)
    wf.place("parity", x=260, y=40)
wf.open()
"""
AGAIN = """\
pauli = {"counts": ghz["counts"], "pauli": "Z0 Z1"}
wf.classical("zz", fn="expectation_from_counts", inputs=pauli)
wf.open(overwrite=True)
"""


def _notebook(source: str) -> dict[str, Any]:
    return {
        "type": "notebook",
        "content": {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
            "cells": [
                {
                    "cell_type": "code",
                    "id": "open-cell",
                    "metadata": {},
                    "source": source,
                    "outputs": [],
                    "execution_count": None,
                }
            ],
        },
    }


def _export(page: Any, lab: Lab, name: str) -> WorkflowSpec:
    """Click Export as Python in the current designer tab; what the new file rebuilds."""
    page.locator(
        ".jp-MainAreaWidget:not(.lm-mod-hidden) [data-command='quantumflow:export-python']"
    ).click()
    page.wait_for_selector(
        f".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current >> text={name}", timeout=60_000
    )
    model = lab.api("GET", f"/api/contents/{FOLDER}/{name}?content=1&format=text")
    assert isinstance(model, dict)
    ns: dict[str, Any] = {}
    exec(compile(model["content"], name, "exec"), ns)
    rebuilt = ns["wf"]
    assert isinstance(rebuilt, Workflow)
    return rebuilt.spec


def _stop_kernels(lab: Lab) -> None:
    sessions = lab.api("GET", "/api/sessions")
    assert isinstance(sessions, list)
    for session in sessions:
        if session["path"].startswith(f"{FOLDER}/"):
            lab.api("DELETE", f"/api/sessions/{session['id']}")


def test_open_from_notebook_then_export_as_python(lab_page: Any, lab: Lab) -> None:
    page = lab_page
    lab.api("PUT", f"/api/contents/{FOLDER}", {"type": "directory"})
    lab.api("PUT", f"/api/contents/{FOLDER}/open.ipynb", _notebook(CELL))
    try:
        page.evaluate(
            "async p => {"
            " const nb = await window.jupyterapp.commands.execute('docmanager:open', {path: p});"
            " await nb.context.sessionContext.ready;"
            " await window.jupyterapp.commands.execute('notebook:run-all-cells');"
            "}",
            f"{FOLDER}/open.ipynb",
        )
        # the kernel writes the .qflow next to the notebook; the extension opens it
        for task_id in ("ghz", "parity"):
            page.wait_for_selector(node(DOC, task_id), timeout=120_000)
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
        assert "e2e-open.qflow" in tab.inner_text()
        written = WorkflowSpec.parse(read_file(lab, f"{FOLDER}/e2e-open.qflow"))
        assert [t.id for t in written.tasks] == ["ghz", "parity"]
        assert written.layout is not None and written.layout["parity"].x == 260
        shot(page, "pycanvas_01_opened_from_notebook")

        assert _export(page, lab, "e2e-open.py") == written
        shot(page, "pycanvas_02_exported_python")

        # the notebook's output names the file (and can open it again)
        page.evaluate(
            "async p => {"
            " await window.jupyterapp.commands.execute('docmanager:open', {path: p}); }",
            f"{FOLDER}/open.ipynb",
        )
        link = page.locator(f".jp-QFlow-designerLink[data-path='{FOLDER}/e2e-open.qflow']")
        link.wait_for(timeout=30_000)
        assert "Open in designer" in link.inner_text()
        shot(page, "pycanvas_03_notebook_link")

        # a changed workflow opened again over its file: the open designer shows it
        page.evaluate(
            "async code => {"
            " const app = window.jupyterapp;"
            " await app.commands.execute('notebook:insert-cell-below');"
            " app.shell.currentWidget.content.activeCell.model.sharedModel.setSource(code);"
            " await app.commands.execute('notebook:run-cell');"
            "}",
            AGAIN,
        )
        page.wait_for_selector(node(DOC, "zz"), timeout=120_000)
        changed = WorkflowSpec.parse(read_file(lab, f"{FOLDER}/e2e-open.qflow"))
        assert changed.task("zz")
        # exported again: a new file beside the first, never over it
        assert _export(page, lab, "e2e-open_2.py") == changed
    finally:
        _stop_kernels(lab)
