"""The run view at 10^4 and 10^5 tasks in a real browser, and the aggregate endpoints behind
it (issue 18). Two parts, one JSON line per measurement:

- ``api``: every view endpoint against a 100,000-task run in a real SQLite store (written
  through the store's writer by ``benchmarks/views_data.py``), median of five calls through
  the FastAPI app (no network);
- ``browser``: the one run view (``quantumflow/jupyter/widgets/static/run_view.js``, the
  renderer the side panel draws with too) in headless Debian Chromium, fed a sweep and a
  layered DAG of N tasks laid out by the server's layout: time to the first frame with every
  task drawn, then ``--rate`` state changes a second delivered in 100 ms batches (as the
  throttled event stream delivers them) for ``--seconds``, recording every animation frame
  and the JS heap; the drawn states are checked against the states sent.

    python benchmarks/ui/views_bench.py [--sizes 10000,100000] [--rate 2000] [--seconds 6]
    python benchmarks/ui/views_bench.py --screenshots docs/img   # the 100k pictures in docs/ui.md

Needs ``make labext`` (the bundle) and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from views_data import fake_run, layered_spec, sweep_spec  # noqa: E402

from quantumflow.api import create_app  # noqa: E402
from quantumflow.graph.layout import layout  # noqa: E402
from quantumflow.jupyter.widgets.run_widget import BUNDLE, STYLE  # noqa: E402
from quantumflow.status import TASK_STATUSES  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ENDPOINTS = ("states", "progress?limit=50", "durations", "throughput", "lanes", "cost",
             "slowest?limit=20", "failures?limit=20", "objective", "results", "graph")  # fmt: skip

HARNESS = """
async ({ src, state }) => {
  const handlers = {};
  const model = {
    get: (k) => state[k],
    on: (ev, fn) => { (handlers[ev] ||= []).push(fn); },
    off: () => {},
    set: (k, v) => { state[k] = v; (handlers[`change:${k}`] || []).forEach((f) => f()); },
  };
  window.qfModel = model;
  const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
  const mod = await import(url);
  const n = state.drawing.ids.length;
  const t0 = performance.now();
  mod.default.render({ model, el: document.getElementById("root") });
  await new Promise((resolve) => {
    const check = () => {
      const g = document.querySelector(`[data-drawn-summary="pending:${n}"]`);
      if (g) requestAnimationFrame(() => resolve()); else requestAnimationFrame(check);
    };
    check();
  });
  return performance.now() - t0;
}
"""

LIVE = """
async ({ rate, seconds, statuses }) => {
  const n = window.qfModel.get("states").length;
  const codes = window.qfModel.get("states").split("");
  const frames = [];
  let last = performance.now();
  let stop = false;
  const tick = (now) => {
    frames.push(now - last); last = now; if (!stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  let next = 0;
  const perBatch = Math.round(rate / 10);
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    for (let i = 0; i < perBatch; i++) {
      const t = next % n;
      // pending -> running -> succeeded (every 37th fails)
      codes[t] = codes[t] === "0" ? "2" : (t % 37 === 0 ? "5" : "4");
      next++;
    }
    window.qfModel.set("states", codes.join(""));
    await new Promise((r) => setTimeout(r, 100));
  }
  stop = true;
  await new Promise((r) => setTimeout(r, 300));
  const expect = {};
  for (const c of codes) expect[statuses[+c]] = (expect[statuses[+c]] || 0) + 1;
  const summary = Object.keys(expect).sort().map((s) => `${s}:${expect[s]}`).join(",");
  const drawn = document.querySelector("[data-drawn-summary]").getAttribute("data-drawn-summary");
  frames.sort((a, b) => a - b);
  return {
    changes: next,
    frames: frames.length,
    frame_median_ms: frames[Math.floor(frames.length / 2)],
    frame_p95_ms: frames[Math.floor(frames.length * 0.95)],
    frame_max_ms: frames[frames.length - 1],
    js_heap_mb: performance.memory ? performance.memory.usedJSHeapSize / 2 ** 20 : null,
    drawn_matches: drawn === summary,
  };
}
"""


def api_latency(n: int) -> None:
    """Median latency of each view endpoint on an ``n``-task run (SQLite)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/views.db"
        with TestClient(create_app(store_url=url)) as client:
            store = client.app.state.qf.store  # type: ignore[attr-defined]
            t0 = time.perf_counter()
            run_id = fake_run(store, sweep_spec(n), finished=0.7)
            written = time.perf_counter() - t0
            print(json.dumps({"part": "api", "tasks": n, "write_s": round(written, 1)}))
            for what in ENDPOINTS:
                times = []
                for _ in range(5):
                    t = time.perf_counter()
                    r = client.get(f"/api/runs/{run_id}/{what}")
                    times.append((time.perf_counter() - t) * 1000)
                    assert r.status_code == 200, (what, r.text[:200])
                print(json.dumps({"part": "api", "tasks": n, "endpoint": what.split("?")[0],
                                  "median_ms": round(statistics.median(times), 1),
                                  "first_ms": round(times[0], 1)}))  # fmt: skip


def browser(sizes: list[int], rate: int, seconds: float) -> None:
    from playwright.sync_api import sync_playwright

    src = BUNDLE.read_text()
    css = STYLE.read_text()
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--enable-precise-memory-info"]
        )
        for n in sizes:
            for shape, spec in (("sweep", sweep_spec(n)), ("layered", layered_spec(n))):
                drawing = layout(spec)
                state = {"run_id": "bench", "name": shape, "status": "running", "error": "",
                         "drawing": drawing, "states": "0" * len(drawing["ids"]),
                         "progress": {}, "durations": {}, "results": {}, "tasks": []}  # fmt: skip
                page = b.new_page(viewport={"width": 1200, "height": 900})
                page.set_content(
                    f"<html><head><style>{css}</style></head><body>"
                    '<div id="root" style="width:1150px"></div></body></html>'
                )
                first = page.evaluate(HARNESS, {"src": src, "state": state})
                live = page.evaluate(
                    LIVE, {"rate": rate, "seconds": seconds, "statuses": list(TASK_STATUSES)}
                )
                page.close()
                out = {"part": "browser", "shape": shape, "tasks": len(drawing["ids"]),
                       "first_render_ms": round(first, 1)}  # fmt: skip
                out |= {k: round(v, 1) if isinstance(v, float) else v for k, v in live.items()}
                print(json.dumps(out), flush=True)
        b.close()


THEMES = ROOT / ".venv/share/jupyter/lab/themes/@jupyterlab"


def screenshots(n: int, out: Path) -> None:
    """docs/img/ui-run-100k-{light,dark}.png: the run view of an ``n``-task layered run,
    60 % through (some failed, some running), under JupyterLab's own theme CSS."""
    from playwright.sync_api import sync_playwright

    spec = layered_spec(n)
    drawing = layout(spec)
    codes = []
    for i in range(len(drawing["ids"])):
        share = i / len(drawing["ids"])
        codes.append("4" if share < 0.6 else "2" if share < 0.62 else "0")
        if codes[-1] == "4" and i % 53 == 0:
            codes[-1] = "5"
    durations = {"edges": [0.01 * 10 ** (k / 4) for k in range(9)],
                 "counts": [120, 900, 5200, 21000, 24000, 7000, 1500, 280]}  # fmt: skip
    done = sum(c in "45" for c in codes)
    state = {"run_id": "3f2a9c1e0b7d", "name": "layered 100k", "status": "running", "error": "",
             "drawing": drawing, "states": "0" * len(codes),
             "progress": {"states": {}, "total": n, "done": done, "elapsed_s": 412.0,
                          "eta_s": 412.0 * (n - done) / done},
             "durations": durations, "results": {}, "tasks": []}  # fmt: skip
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for theme in ("light", "dark"):
            css = (THEMES / f"theme-{theme}-extension" / "index.css").read_text()
            light = "true" if theme == "light" else "false"
            page = b.new_page(viewport={"width": 1100, "height": 900})
            page.set_content(
                f"<html><head><style>{css}</style><style>{STYLE.read_text()}</style></head>"
                f'<body data-jp-theme-light="{light}" style="background: var(--jp-layout-color1);'
                ' font-family: var(--jp-ui-font-family)">'
                '<div id="root" style="width:1060px; padding: 8px"></div></body></html>'
            )
            page.evaluate(HARNESS, {"src": BUNDLE.read_text(), "state": state})
            page.evaluate("(s) => window.qfModel.set('states', s)", "".join(codes))
            page.wait_for_selector('[data-drawn-summary*="failed"]')
            page.wait_for_timeout(300)
            page.locator("#root").screenshot(path=str(out / f"ui-run-100k-{theme}.png"))
            page.close()
        b.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--rate", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--part", choices=("api", "browser", "both"), default="both")
    ap.add_argument("--screenshots", type=Path, help="write ui-run-100k-*.png into this folder")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.screenshots:
        screenshots(100_000, args.screenshots)
        return
    if args.part in ("browser", "both"):
        browser(sizes, args.rate, args.seconds)
    if args.part in ("api", "both"):
        api_latency(max(sizes))


if __name__ == "__main__":
    main()
