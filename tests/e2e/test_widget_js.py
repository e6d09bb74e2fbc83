"""The RunWidget's front end (the lab extension's RunView bundled as the anywidget ESM),
rendered in a real headless Chromium from a real RunWidget's synced state."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quantumflow.jupyter.widgets import RunWidget
from quantumflow.jupyter.widgets.run_widget import BUNDLE, STYLE
from quantumflow.status import TASK_STATUSES
from quantumflow.store.records import TaskEvent
from tests.requirements import missing

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.browser

# A minimal anywidget model: get / on(change:x) / off / set, enough for render().
HARNESS = """
async ({ src, state }) => {
  const handlers = {};
  const model = {
    get: (k) => state[k],
    on: (ev, fn) => { (handlers[ev] ||= []).push(fn); },
    off: () => {},
    set: (k, v) => { state[k] = v; (handlers[`change:${k}`] || []).forEach((f) => f()); },
    save_changes: () => {},
  };
  // the drawing comes as JSON bytes, which anywidget hands over as a DataView
  state.drawing = new DataView(new TextEncoder().encode(state.drawing).buffer);
  const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
  const mod = await import(url);
  const el = document.getElementById("root");
  mod.default.render({ model, el });
  window.qfModel = model;
}
"""
SUMMARY = "[data-state-summary]"


def summary(counts: dict[str, int]) -> str:
    """The views' `status:count` summary of some counts."""
    return ",".join(f"{s}:{n}" for s, n in sorted(counts.items()) if n)


@pytest.fixture(scope="module")
def widget_page(browser: Any) -> Iterator[Any]:
    """A blank page in the session's Chromium (one sync Playwright per process)."""
    if not CHROMIUM.exists():
        missing("no /usr/bin/chromium")
    if not BUNDLE.exists():
        missing("the widget bundle (make labext)")
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    yield pg, errors
    context.close()


def load(pg: Any, state: dict[str, Any]) -> None:
    pg.set_content(
        f"<html><head><style>{STYLE.read_text()}</style></head>"
        '<body><div id="root" style="width:1000px"></div></body></html>'
    )
    pg.evaluate(HARNESS, {"src": BUNDLE.read_text(), "state": state})


def synced(w: RunWidget) -> dict[str, Any]:
    w.throttle.cancel()
    w.throttle.flush_now()
    state = w.get_state()
    drawing = state.pop("drawing")
    assert isinstance(drawing, bytes), "the drawing goes to the browser as a binary buffer"
    out: dict[str, Any] = json.loads(json.dumps(state))
    out["drawing"] = drawing.decode()
    return out


def small_widget() -> RunWidget:
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
    w.state.results.add_output("a", {"counts": {"00": 3, "11": 5, "01": 1}})
    w.state.results.add_output("b", {"history": [3.0, 2.0, 1.5]})
    w.state.results.add_output("c", 1.0)
    mitigation = {
        "technique": "zne",
        "observables": {
            "ZZ": {
                "points": [{"scale": s, "raw": 0.9 - 0.1 * s, "raw_std": 0.02} for s in (1, 3)],
                "mitigated": 0.95,
                "mitigated_std": 0.04,
            }
        },
    }
    w.state.results.add_output("m", {"expectations": {"ZZ": 0.95}, "mitigation": mitigation})
    w.state.results.add_metric("b", {"epoch": 0, "loss": 0.9})
    w.state.results.add_metric("b", {"epoch": 1, "loss": 0.4})
    return w


def test_small_run_cards_states_and_results(widget_page: Any) -> None:
    pg, errors = widget_page
    load(pg, synced(small_widget()))
    pg.wait_for_selector('[data-graph-renderer="cards"] [data-task-id="c"]')
    assert pg.get_attribute(SUMMARY, "data-state-summary") == "pending:1,running:1,succeeded:1"
    assert pg.locator('[data-task-id="a"][data-status="succeeded"]').count() == 1
    assert pg.locator('[data-task-id="b"][data-status="running"]').count() == 1
    assert pg.locator(".react-flow__edge").count() == 2
    # a number is a row of the values table; counts a histogram; a trace a line plot
    assert pg.locator('[data-scalar="c."]').inner_text().split("\t")[-1].strip() == "1"
    assert pg.locator('[data-chart="counts-a"] canvas').count() == 1
    assert pg.locator('[data-chart="series-b (optimiser)"] canvas').count() == 1
    assert pg.locator('[data-chart="series-b loss"] canvas').count() == 1  # a reported loss
    assert pg.locator('[data-chart="mitigation-m-ZZ"] canvas').count() == 1  # raw vs mitigated
    # a later state arrives as a trait change
    done = str(TASK_STATUSES.index("succeeded")) * 3
    pg.evaluate("(s) => window.qfModel.set('states', s)", done)
    pg.wait_for_selector('[data-state-summary="succeeded:3"]')
    assert errors == []


def test_big_run_draws_every_task_and_follows_changes(widget_page: Any) -> None:
    """2,000 tasks: the canvas renderer; what it drew per state equals the widget's state
    after each batch of changes; a group folds into a super-node and a task is found."""
    pg, errors = widget_page
    spec = {
        "name": "big",
        "tasks": [
            {"id": f"p_{i}", "kind": "classical", "fn": "constant", "inputs": {"value": i}}
            for i in range(1500)
        ]
        + [
            {"id": f"post-{i}", "kind": "classical", "fn": "constant",
             "inputs": {"value": {"ref": f"p_{i}"}}}
            for i in range(500)
        ],
    }  # fmt: skip
    w = RunWidget(spec, run_id="rb")
    load(pg, synced(w))
    pg.wait_for_selector('[data-graph-renderer="canvas"][data-drawn-summary="pending:2000"]')
    for batch in range(3):
        for i in range(batch * 400, (batch + 1) * 400):
            w.on_event(TaskEvent("rb", f"p_{i}", "running"))
            w.on_event(TaskEvent("rb", f"p_{i}", "failed" if i % 97 == 0 else "succeeded"))
        state = synced(w)
        pg.evaluate("(s) => window.qfModel.set('states', s)", state["states"])
        expected = summary(Counter(w.state.task_status.values()))
        pg.wait_for_selector(f'[data-drawn-summary="{expected}"]')
        assert pg.get_attribute(SUMMARY, "data-state-summary") == expected
    groups = [g["name"] for g in w.drawing["groups"]]
    assert sorted(groups) == ["p", "post"]  # the server's grouping rule, nothing else
    pg.click("text=Collapse all groups")
    pg.wait_for_selector(f'[data-collapsed="2"][data-drawn-summary="{expected}"]')
    pg.click("text=Expand all groups")
    pg.wait_for_selector('[data-collapsed="0"]')
    pg.fill('input[aria-label="Find a task by id"]', "post-7")
    pg.click("text=Find")
    pg.wait_for_selector('[data-selected-task="post-7"]')
    assert "pending" in pg.inner_text('[data-selected-task="post-7"]')
    pg.fill('input[aria-label="Find a task by id"]', "nope")
    pg.click("text=Find")
    pg.wait_for_selector('text=no task "nope" in this run')
    assert errors == []
