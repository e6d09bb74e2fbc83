"""Where a user finds QuantumFlow: File > New and the file browser's menu create a workflow
in the folder shown; the side panel works at JupyterLab's default side bar width and
hands its workflow to the main area."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Lab
from .helpers import DOC, read_file, shot

pytestmark = pytest.mark.slow

PANEL = "#quantumflow-panel"


def _go_to(page: Any, lab: Lab, folder: str) -> None:
    lab.api("PUT", f"/api/contents/{folder}", {"type": "directory"})
    page.evaluate(
        "async p => { await window.jupyterapp.commands.execute('filebrowser:go-to-path',"
        " {path: p}); }",
        f"/{folder}",
    )
    page.wait_for_selector(f".jp-FileBrowser .jp-BreadCrumbs >> text={folder}")


def _contents(lab: Lab, folder: str) -> list[str]:
    listing = lab.api("GET", f"/api/contents/{folder}")
    assert isinstance(listing, dict)
    return sorted(item["name"] for item in listing["content"])


def test_file_new_and_browser_menu_create_in_the_current_folder(lab_page: Any, lab: Lab) -> None:
    page = lab_page
    _go_to(page, lab, "menus")
    page.locator(".lm-MenuBar-itemLabel", has_text="File").click()
    page.locator(".lm-Menu-itemLabel", has_text="New").first.hover()
    item = page.locator(".lm-Menu-item", has_text="QuantumFlow Workflow")
    item.wait_for()
    assert item.locator("svg").count() == 1  # the icon, also in menus
    shot(page, "entry_01_file_new")
    item.click()
    page.wait_for_selector(f"{DOC} .jp-QFlow-canvas", timeout=30_000)
    assert _contents(lab, "menus") == ["untitled.qflow"]

    page.locator(".jp-DirListing-content").click(button="right", position={"x": 60, "y": 200})
    entry = page.locator(".lm-Menu-item", has_text="New QuantumFlow Workflow")
    entry.wait_for()
    shot(page, "entry_02_browser_menu")
    entry.click()
    page.wait_for_function(
        "() => document.querySelector('.lm-DockPanel-tabBar .lm-mod-current')"
        "?.textContent.includes('untitled1.qflow')",
        timeout=30_000,
    )
    assert _contents(lab, "menus") == ["untitled.qflow", "untitled1.qflow"]
    assert read_file(lab, "menus/untitled1.qflow") == {"name": "untitled1", "tasks": []}
    # the file browser and the document tab show the QuantumFlow icon
    row = page.locator(".jp-DirListing-item", has_text="untitled1.qflow")
    row.locator(".jp-DirListing-itemIcon svg").wait_for()  # the listing refreshes after the tab
    assert row.locator(".jp-DirListing-itemIcon svg").count() == 1


def test_side_panel_at_default_width_and_open_in_main_area(lab_page: Any, lab: Lab) -> None:
    page = lab_page
    _go_to(page, lab, "from_panel")
    page.evaluate("() => window.jupyterapp.commands.execute('quantumflow:open-panel')")
    page.wait_for_selector(f"{PANEL} .jp-QFlow-canvas", timeout=30_000)
    page.locator(f'{PANEL} [data-palette-item="Tasks:Quantum circuit"]').dblclick()
    page.wait_for_selector(f'{PANEL} .react-flow__node[data-id="circuit"]')
    shot(page, "panel_default_width", PANEL)
    box = page.evaluate(
        """sel => {
          const r = s => document.querySelector(sel + ' ' + s).getBoundingClientRect();
          const panel = document.querySelector(sel);
          const wide = [panel, ...panel.querySelectorAll('.jp-QFlow-side, .jp-QFlow-body')]
            .map(e => e.scrollWidth - e.clientWidth);
          return {panel: panel.getBoundingClientRect().width,
                  overflow: Math.max(...wide),
                  canvas: r('.jp-QFlow-canvas'), side: r('.jp-QFlow-side')};
        }""",
        PANEL,
    )
    assert box["panel"] < 400  # JupyterLab's default side bar width
    assert box["overflow"] <= 1  # nothing clipped sideways
    assert box["canvas"]["width"] >= box["panel"] - 20  # the canvas gets the width
    assert box["side"]["top"] >= box["canvas"]["bottom"] - 1  # the property pane below it
    node = page.locator(f'{PANEL} .react-flow__node[data-id="circuit"]').bounding_box()
    assert node is not None and box["canvas"]["left"] <= node["x"] < box["canvas"]["right"]

    page.locator(f"{PANEL} button", has_text="Open in main area").click()
    page.wait_for_selector(f'{DOC} .react-flow__node[data-id="circuit"]', timeout=30_000)
    assert _contents(lab, "from_panel") == ["untitled.qflow"]
    spec = read_file(lab, "from_panel/untitled.qflow")
    assert [t["id"] for t in spec["tasks"]] == ["circuit"]
    shot(page, "panel_opened_in_main_area")
