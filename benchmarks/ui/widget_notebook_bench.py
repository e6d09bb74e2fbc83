"""The RunWidget in a real JupyterLab notebook, fed by a real kernel (issue 18, "the same
numbers for the RunWidget in a notebook cell").

``views_bench.py --part browser`` measures the run view's bundle in a bare page with a fake
model. This measures what a user gets: a JupyterLab server on a free loopback port, a
notebook whose cell runs ``follow_run(open_store(URL), RUN_ID)`` in a real kernel, the
widget's comm traffic through JupyterLab's widget manager, and the state changes written
into a real SQLite store through the store's writer (as the engine writes them), which the
kernel-side follower reads back (``Store.events_since``), folds and pushes, coalesced.

For each size and shape (a sweep, a layered DAG; runs made by ``benchmarks/views_data.py``,
started, every task pending) one JSON line:

- ``first_render_ms``: from asking JupyterLab to run the cell to every task drawn pending
  (the widget's ``data-drawn-summary``), measured in the page;
- ``frame_median_ms`` / ``frame_p95_ms`` / ``frame_max_ms``: every animation frame while
  ``--rate`` task state changes a second (pending -> running -> succeeded, every 37th
  fails) are written for ``--seconds`` in 100 ms batches;
- ``catch_up_ms``: from the last write to the widget drawing the store's final states;
  ``kernel_cpu_pct``: the kernel's CPU time meanwhile, as a share of one core;
  ``drawn_matches``: the tasks drawn per state equal the store's (``Store.get_run``);
- ``heap_lab_mb`` (JupyterLab with the notebook open, before the cell), ``heap_mb`` (after
  the live part), ``heap_gc_mb`` (after a forced collection): the tab's JS heap (CDP
  ``Performance.getMetrics``).

    python benchmarks/ui/widget_notebook_bench.py [--sizes 10000,100000] [--shapes sweep,layered]
        [--rate 2000] [--seconds 6]
    python benchmarks/ui/widget_notebook_bench.py --screenshots docs/img   # ui-widget-100k-*.png

Needs ``make labext`` (the bundle and the lab extension) and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))  # tests.e2e.lab_server: the browser tests' JupyterLab

from views_data import fake_run, layered_spec, sweep_spec  # noqa: E402

from quantumflow.store.records import TaskEvent  # noqa: E402
from quantumflow.store.store import Store, open_store  # noqa: E402
from tests.e2e.lab_server import Lab, jupyter_lab  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
OUT = ".jp-NotebookPanel .jp-OutputArea .jp-QFlow-widget"
SHAPES = {"sweep": sweep_spec, "layered": layered_spec}

# Runs the measured cell and times, in the page, until `sel` (the widget's picture) shows.
FIRST = """
async ({ sel, widget }) => {
  const nb = window.jupyterapp.shell.currentWidget;
  nb.content.activeCellIndex = 1;
  const t0 = performance.now();
  window.jupyterapp.commands.execute('notebook:run-cell');
  let widgetAt = null;
  await new Promise((resolve, reject) => {
    const check = () => {
      if (widgetAt === null && document.querySelector(widget)) widgetAt = performance.now() - t0;
      if (document.querySelector(sel)) resolve();
      else if (performance.now() - t0 > 180000) {
        const drawn = document.querySelector(widget + ' [data-drawn-summary]');
        reject(new Error(`not drawn in 180 s: ${sel}; drawn: ${drawn?.dataset.drawnSummary}`));
      } else requestAnimationFrame(check);
    };
    check();
  });
  return { first_render_ms: performance.now() - t0, widget_shown_ms: widgetAt };
}
"""

# Runs the first cell (imports, open the store) and waits until it is done.
SETUP = """
async () => {
  const nb = window.jupyterapp.shell.currentWidget;
  nb.content.activeCellIndex = 0;
  await window.jupyterapp.commands.execute('notebook:run-cell');
  const cell = nb.content.widgets[0].model;
  while (!cell.executionCount) await new Promise((r) => setTimeout(r, 20));
}
"""

# A value of the kernel's namespace (the kernel-side time of the measured cell).
KERNEL_VALUE = """
async (name) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const reply = await kernel.requestExecute({ code: "", silent: true,
                                              user_expressions: { v: name } }).done;
  return reply.content.user_expressions.v.data["text/plain"];
}
"""

FRAMES_START = """
() => {
  window.qfFrames = [];
  window.qfStop = false;
  let last = performance.now();
  const tick = (now) => {
    window.qfFrames.push(now - last); last = now;
    if (!window.qfStop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""

FRAMES_STOP = """
() => {
  window.qfStop = true;
  const f = window.qfFrames.slice().sort((a, b) => a - b);
  return { frames: f.length, frame_median_ms: f[Math.floor(f.length / 2)],
           frame_p95_ms: f[Math.floor(f.length * 0.95)], frame_max_ms: f[f.length - 1] };
}
"""


def notebook(db_url: str, run_id: str) -> dict[str, Any]:
    """Two cells: open the store at ``db_url`` (imports, timed apart), then follow
    ``run_id`` with a RunWidget (the cell measured)."""
    setup = ("import time\n"
             "from quantumflow.store.store import open_store\n"
             "from quantumflow.jupyter.widgets import follow_run\n"
             f"store = open_store({db_url!r})")  # fmt: skip
    follow = ("_t0 = time.perf_counter()\n"
              f"w = follow_run(store, {run_id!r})\n"
              "_follow_s = time.perf_counter() - _t0\n"
              "w")  # fmt: skip
    return {
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": src} for src in (setup, follow)],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }  # fmt: skip


def drive(
    store: Store, run_id: str, ids: list[str], rate: int, seconds: float
) -> tuple[Counter[str], int]:
    """Write ``rate`` task state changes a second for ``seconds`` (100 ms batches) through
    the store's writer; returns the tasks per state it left (pending ones included) and
    the changes written."""
    state = dict.fromkeys(ids, "pending")
    per_batch, changes, nxt = rate // 10, 0, 0
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        tick, now, batch = time.monotonic(), time.time(), []
        for _ in range(per_batch):
            i = nxt % len(ids)
            tid = ids[i]
            if state[tid] == "pending":
                new = "running"
            else:
                new = "failed" if i % 37 == 0 else "succeeded"
                nxt += 1
            state[tid] = new
            batch.append(TaskEvent(run_id, tid, new, 1, now))
            changes += 1
        store.record(batch)
        time.sleep(max(0.0, 0.1 - (time.monotonic() - tick)))
    store.flush()
    return Counter(state.values()), changes


def summary(counts: Counter[str]) -> str:
    """The widget's ``data-drawn-summary`` for these tasks per state."""
    return ",".join(f"{s}:{n}" for s, n in sorted(counts.items()) if n)


def open_notebook(browser: Any, lab: Lab, name: str, db_url: str, run_id: str) -> Any:
    """A fresh JupyterLab page with the notebook open and its kernel ready."""
    lab.api("PUT", f"/api/contents/{name}", {"type": "notebook",
                                              "content": notebook(db_url, run_id)})  # fmt: skip
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(180_000)
    page.goto(
        f"{lab.url}/lab/workspaces/{secrets.token_hex(4)}/tree/{name}?reset&token={lab.token}"
    )
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell .jp-InputArea")
    page.wait_for_function(
        "async () => { const w = window.jupyterapp.shell.currentWidget;"
        " if (!w || !w.sessionContext) return false; await w.sessionContext.ready;"
        " const k = w.sessionContext.session?.kernel; return !!k && k.status === 'idle'; }"
    )
    news = page.locator(".jp-toast-button", has_text="No")
    if news.count():
        news.first.click()
    # the right side bar stays closed: the notebook gets the width
    return page


def heap_mb(cdp: Any) -> float:
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return round(metrics["JSHeapUsedSize"] / 2**20, 1)


def measure(browser: Any, lab: Lab, store: Store, db_url: str, shape: str, n: int,
            rate: int, seconds: float, kept: bool) -> dict[str, Any]:  # fmt: skip
    """One JSON line of numbers for an ``n``-task ``shape`` run; ``kept``: the side panel
    drew the run first (its drawing is kept in the store), else the widget lays it out."""
    spec = SHAPES[shape](n, name=f"{shape}-{n}-{kept}")
    n = len(spec["tasks"])  # a layered DAG has whole layers of 1,000
    run_id = fake_run(store, spec, finished=0.0)
    store.flush()
    if kept:
        lab.api("GET", f"/quantumflow/api/runs/{run_id}/graph")
    ids = [t["id"] for t in spec["tasks"]]
    page = open_notebook(browser, lab, f"{shape}-{n}-{kept}.ipynb", db_url, run_id)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    heap_lab = heap_mb(cdp)
    out: dict[str, Any] = {"part": "notebook", "shape": shape, "tasks": n,
                           "drawing": "kept" if kept else "laid out"}  # fmt: skip
    t = time.monotonic()
    page.evaluate(SETUP)
    out["setup_cell_ms"] = round((time.monotonic() - t) * 1000, 1)
    first = page.evaluate(
        FIRST, {"sel": f"{OUT} [data-drawn-summary='pending:{n}']", "widget": OUT}
    )
    out |= {k: round(v, 1) for k, v in first.items() if v is not None}
    out["kernel_follow_ms"] = round(float(page.evaluate(KERNEL_VALUE, "_follow_s")) * 1000, 1)
    cpu0 = float(page.evaluate(KERNEL_VALUE, "time.process_time()"))
    page.evaluate(FRAMES_START)
    t_drive = time.monotonic()
    counts, changes = drive(store, run_id, ids, rate, seconds)
    t_last = time.monotonic()  # every change is committed
    try:
        page.wait_for_selector(f"{OUT} [data-drawn-summary='{summary(counts)}']", timeout=60_000)
        out["catch_up_ms"] = round((time.monotonic() - t_last) * 1000, 1)
    except Exception:  # drawn_matches below says what the widget drew instead
        out["catch_up_ms"] = None
    frames = page.evaluate(FRAMES_STOP)
    # the kernel's CPU time (its threads included) as a share of one core while live
    cpu = float(page.evaluate(KERNEL_VALUE, "time.process_time()")) - cpu0
    out["kernel_cpu_pct"] = round(100 * cpu / (time.monotonic() - t_drive), 1)
    out["changes"] = changes
    # what the kernel folded and sent: events read from the store, widget updates pushed
    kernel = page.evaluate(KERNEL_VALUE, "(w.throttle.pokes, w.throttle.flushes)")
    out["kernel_events"], out["kernel_updates"] = json.loads(
        kernel.replace("(", "[").replace(")", "]")
    )
    record = store.get_run(run_id)
    truth = summary(Counter(t.status for t in record.tasks.values()))
    out |= {k: round(v, 1) if isinstance(v, float) else v for k, v in frames.items()}
    drawn = page.get_attribute(f"{OUT} [data-drawn-summary]", "data-drawn-summary")
    out["drawn_matches"] = drawn == truth
    if drawn != truth:
        out["drawn"], out["store"] = drawn, truth
    out["heap_lab_mb"] = heap_lab
    out["heap_mb"] = heap_mb(cdp)
    cdp.send("HeapProfiler.collectGarbage")
    out["heap_gc_mb"] = heap_mb(cdp)
    store.finish_run(run_id, "succeeded")  # the follower stops at a terminal status
    page.evaluate("() => window.jupyterapp.commands.execute('kernelmenu:shutdown')")
    page.context.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--shapes", default="sweep,layered")
    ap.add_argument("--rate", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--screenshots", type=Path, help="write ui-widget-100k-*.png here")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        base = Path(tmp)
        db_url = f"sqlite:///{base}/qf.db"
        store = open_store(db_url, artifacts_dir=base / "artifacts")
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--enable-precise-memory-info"],
        )
        try:
            with jupyter_lab(base, db_url=db_url, start_s=120, api_timeout=60) as lab:
                if args.screenshots:
                    screenshots(browser, lab, store, db_url, args.screenshots)
                    return
                for n in (int(s) for s in args.sizes.split(",")):
                    for shape in args.shapes.split(","):
                        for kept in (False, True):
                            line = measure(browser, lab, store, db_url, shape, n, args.rate,
                                           args.seconds, kept)  # fmt: skip
                            print(json.dumps(line), flush=True)
        finally:
            browser.close()
            store.close()


def set_theme(page: Any, theme: str) -> None:
    """JupyterLab's own theme switch ("JupyterLab Light" / "JupyterLab Dark")."""
    page.evaluate("t => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})",
                  theme)  # fmt: skip
    light = "true" if "Light" in theme else "false"
    page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{light}'")
    page.wait_for_timeout(500)  # the theme's stylesheet applies after the attribute


def screenshots(browser: Any, lab: Lab, store: Store, db_url: str, out: Path) -> None:
    """docs/img/ui-widget-100k-{light,dark}.png: a 100,000-task layered run followed by a
    RunWidget in a real notebook, opened 60 % through (1 % of those failed) with 2,000
    tasks running; prints how long the widget took to read the run's 180,000 events."""
    n = 100_000
    spec = layered_spec(n, name="layered 100k")
    run_id = fake_run(store, spec, finished=0.6)
    ids = [t["id"] for t in spec["tasks"]]
    now = time.time()
    store.record(TaskEvent(run_id, tid, "running", 1, now) for tid in ids[60_000:62_000])
    store.flush()
    truth = summary(Counter(t.status for t in store.get_run(run_id).tasks.values()))
    lab.api("GET", f"/quantumflow/api/runs/{run_id}/graph")  # as if the panel drew it
    page = open_notebook(browser, lab, "layered-100k.ipynb", db_url, run_id)
    if not page.evaluate("() => window.jupyterapp.shell.leftCollapsed"):
        page.evaluate("() => window.jupyterapp.commands.execute('application:toggle-left-area')")
    page.set_viewport_size({"width": 1300, "height": 1900})
    page.evaluate(SETUP)
    took = page.evaluate(FIRST, {"sel": f"{OUT} [data-drawn-summary='{truth}']", "widget": OUT})
    print(json.dumps({"part": "notebook", "opened_at": "60 %", "tasks": n,
                      "events": 182_000, "all_drawn_ms": round(took["first_render_ms"], 1),
                      "kernel_follow_ms": round(float(page.evaluate(KERNEL_VALUE, "_follow_s"))
                                                * 1000, 1), "drawn": truth}))  # fmt: skip
    widget = page.locator(OUT)
    for theme in ("Light", "Dark"):
        set_theme(page, f"JupyterLab {theme}")
        page.wait_for_selector(f"{OUT} [data-drawn-summary='{truth}']")
        widget.screenshot(path=str(out / f"ui-widget-100k-{theme.lower()}.png"))
    set_theme(page, "JupyterLab Light")
    store.finish_run(run_id, "succeeded")
    page.context.close()


if __name__ == "__main__":
    main()
