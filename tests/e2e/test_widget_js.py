"""widget.js rendered in a real headless Chromium from a real RunWidget's synced state."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quantumflow.jupyter.widgets import RunWidget
from quantumflow.store.records import TaskEvent
from tests.requirements import missing

CHROMIUM = Path("/usr/bin/chromium")
ESM = Path(__file__).parents[2] / "quantumflow/jupyter/widgets/widget.js"

pytestmark = pytest.mark.browser

# A minimal anywidget model: get / on(change:x) / set, enough for render().
HARNESS = """
async ({ src, state }) => {
  const handlers = {};
  const model = {
    get: (k) => state[k],
    on: (ev, fn) => { (handlers[ev] ||= []).push(fn); },
    set: (k, v) => { state[k] = v; (handlers[`change:${k}`] || []).forEach((f) => f()); },
    save_changes: () => {},
  };
  const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
  const mod = await import(url);
  const el = document.getElementById("root");
  mod.default.render({ model, el });
  window.qfModel = model;
  return el.innerText;
}
"""


@pytest.fixture(scope="module")
def widget_page(browser: Any) -> Iterator[Any]:
    """A blank page in the session's Chromium (one sync Playwright per process)."""
    if not CHROMIUM.exists():
        missing("no /usr/bin/chromium")
    context = browser.new_context()
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    pg.set_content('<html><body><div id="root"></div></body></html>')
    yield pg, errors
    context.close()


def widget_state() -> dict[str, Any]:
    spec = {
        "name": "js-demo",
        "tasks": [
            {"id": "a", "kind": "classical", "fn": "constant", "inputs": {"value": 1}},
            {"id": "b", "kind": "classical", "fn": "constant", "inputs": {"value": {"ref": "a"}}},
            {"id": "c", "kind": "classical", "fn": "constant", "inputs": {"value": {"ref": "a"}}},
        ],
    }
    w = RunWidget(spec, run_id="r1")
    w.on_event(TaskEvent("r1", "a", "running"))
    w.on_event(TaskEvent("r1", "a", "succeeded"))
    w.on_event(TaskEvent("r1", "b", "running"))
    w.state.charts.add_output("a", "a", {"counts": {"00": 3, "11": 5}})
    w.state.charts.add_output("b", "b", {"history": [3.0, 2.0, 1.5]})
    w.throttle.cancel()
    w.throttle.flush_now()
    state: dict[str, Any] = json.loads(json.dumps(w.get_state()))
    return state


def test_render_draws_dag_progress_and_charts(widget_page: Any) -> None:
    pg, errors = widget_page
    text = pg.evaluate(HARNESS, {"src": ESM.read_text(), "state": widget_state()})
    assert "js-demo · r1" in text and "running" in text
    assert "1/3 done" in text
    assert pg.locator(".qf-node").count() == 3
    assert pg.locator(".qf-edge").count() == 2
    assert pg.locator(".qf-node.qf-succeeded").count() == 1
    assert pg.locator(".qf-node.qf-running").count() == 1
    assert pg.locator(".qf-bar").count() == 2
    assert pg.locator(".qf-line").count() == 1
    pg.evaluate(
        "() => { window.qfModel.set('node_states', {a: {succeeded: 1}, b: {succeeded: 1},"
        " c: {failed: 1}}); window.qfModel.set('status', 'failed'); }"
    )
    assert pg.locator(".qf-node.qf-failed").count() == 1
    assert pg.locator(".qf-badge.qf-failed").count() == 1
    assert errors == []


THEMES = Path(__file__).parents[2] / ".venv/share/jupyter/lab/themes/@jupyterlab"
WIDGET_CSS = ESM.with_name("widget.css")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_node_and_badge_text_meet_wcag_aa(widget_page: Any, theme: str) -> None:
    """Under JupyterLab's own theme CSS, every node's and the badge's text is >= 4.5:1."""
    from .conftest import ARTIFACTS
    from .helpers import CONTRAST_JS, SVG_CONTRAST_JS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    css = THEMES / f"theme-{theme}-extension" / "index.css"
    if not css.exists():
        missing(f"JupyterLab's {theme} theme CSS (pip install jupyterlab)")
    pg, errors = widget_page
    light = "true" if theme == "light" else "false"
    pg.set_content(
        f"<html><head><style>{css.read_text()}</style><style>{WIDGET_CSS.read_text()}</style>"
        f'</head><body data-jp-theme-light="{light}" style="background: var(--jp-layout-color1)">'
        '<div id="root"></div></body></html>'
    )
    pg.evaluate(HARNESS, {"src": ESM.read_text(), "state": widget_state()})
    measured = []
    for states, status in (
        ({"a": {"succeeded": 1}, "b": {"running": 1}, "c": {"queued": 1}}, "running"),
        ({"a": {"succeeded": 1}, "b": {"failed": 1}, "c": {"skipped": 1}}, "failed"),
    ):
        pg.evaluate(
            "([s, st]) => { window.qfModel.set('node_states', s);"
            " window.qfModel.set('status', st); }",
            [states, status],
        )
        measured += pg.evaluate(SVG_CONTRAST_JS, ".qf-node")
        measured += pg.evaluate(CONTRAST_JS, ".qf-badge")
    pg.locator("#root").screenshot(path=str(ARTIFACTS / f"ui-widget-{theme}.png"))
    assert len(measured) >= 8
    worst = min(measured, key=lambda m: m["ratio"])
    assert worst["ratio"] >= 4.5, worst
    assert errors == []
