"""The run view at 10^4 and 10^5 tasks in a real browser, and the aggregate endpoints behind
it (issue 18). Two parts, one JSON line per measurement:

- ``api``: every view endpoint against a 100,000-task run in a real SQLite store (or
  PostgreSQL: ``--postgres`` starts a server as the tests do, ``--db`` names one), written
  through the store's writer by ``benchmarks/views_data.py``; medians of five calls through
  the FastAPI app (no network), cold (kept answers forgotten first) and warm;
- ``browser``: the one run view (``quantumflow/jupyter/widgets/static/run_view.js``, the
  renderer the side panel draws with too) in headless Debian Chromium, fed a sweep and a
  layered DAG of N tasks laid out by the server's layout: time to the first frame with every
  task drawn, then ``--rate`` state changes a second delivered in 100 ms batches (as the
  throttled event stream delivers them) for ``--seconds``, recording every animation frame
  and the JS heap; the drawn states are checked against the states sent.

    python benchmarks/ui/views_bench.py [--sizes 10000,100000] [--rate 2000] [--seconds 6]
    python benchmarks/ui/views_bench.py --part api --sizes 100000 [--postgres | --db URL]
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
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import count, islice
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from views_data import fake_run, layered_spec, sweep_spec  # noqa: E402

from quantumflow.api import create_app  # noqa: E402
from quantumflow.graph.layout import layout  # noqa: E402
from quantumflow.jupyter.widgets.run_widget import BUNDLE, STYLE  # noqa: E402
from quantumflow.status import TASK_STATUSES  # noqa: E402
from quantumflow.store import TaskEvent, agg_cache  # noqa: E402

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


#: State changes written between two calls of ``changed_ms``: what a run making 2,000
#: changes a second writes in the 0.1 s between two updates of a view.
CHANGES = 200


def api_latency(n: int, url: str | None = None, repeat: int = 5) -> None:
    """Latency of each view endpoint on an ``n``-task run, 70 % through, in the store at
    ``url`` (default: a new SQLite file), through the FastAPI app (no network).

    ``dashboard``: every endpoint asked at once (as the panel opens a run) after forgetting
    everything kept, the wall time until the last answer (median of ``repeat``).
    ``first_ms``: median of ``repeat`` calls, each made after forgetting everything kept
    (``store/agg_cache.py``): the first view of a run after the server started, which
    reads its rows whole. ``changed_ms``: median of ``repeat`` calls, each made after
    :data:`CHANGES` more state changes of the live run were written: what a view of a
    live run costs (before answers and frames were kept, every call cost this much and
    more). ``warm_ms``: calls again with nothing changed.
    """
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/views.db"
        with TestClient(create_app(store_url=url)) as client:
            store = client.app.state.qf.store  # type: ignore[attr-defined]
            spec = sweep_spec(n)
            t0 = time.perf_counter()
            run_id = fake_run(store, spec, finished=0.7)
            written = time.perf_counter() - t0
            db = store.engine.dialect.name
            print(json.dumps({"part": "api", "db": db, "tasks": n, "write_s": round(written, 1)}))
            rest = [t["id"] for t in spec["tasks"][int(n * 0.7) :]]

            def moves() -> Iterator[TaskEvent]:
                """The unfinished tasks start, then succeed, then start again ..."""
                for k in count():
                    for t in rest:
                        at = time.time()
                        if k % 2 == 0:
                            yield TaskEvent(run_id, t, "running", 1 + k // 2, at)
                        else:
                            done = {"started_at": at - 0.05, "wall_s": 0.05, "worker": "lane-0"}
                            yield TaskEvent(run_id, t, "succeeded", k // 2 + 1, at, metrics=done)

            stream = moves()

            def change() -> None:
                """:data:`CHANGES` more state changes, committed."""
                store.record(list(islice(stream, CHANGES)))
                store.flush()

            def get(what: str) -> Any:
                return client.get(f"/api/runs/{run_id}/{what}")

            opened = []
            for _ in range(repeat):
                agg_cache.clear()
                t = time.perf_counter()
                with ThreadPoolExecutor(len(ENDPOINTS)) as pool:
                    answers = list(
                        pool.map(lambda w: client.get(f"/api/runs/{run_id}/{w}"), ENDPOINTS)
                    )
                opened.append((time.perf_counter() - t) * 1000)
                assert all(r.status_code == 200 for r in answers)
            first_open = round(statistics.median(opened), 1)
            print(json.dumps({"part": "api", "db": db, "tasks": n, "endpoint": "dashboard",
                              "first_ms": first_open}), flush=True)  # fmt: skip
            for what in ENDPOINTS:
                first, changed, warm = [], [], []
                for times, before in ((first, agg_cache.clear), (changed, change), (warm, None)):
                    for _ in range(repeat):
                        if before is not None:
                            before()
                        t = time.perf_counter()
                        r = client.get(f"/api/runs/{run_id}/{what}")
                        times.append((time.perf_counter() - t) * 1000)
                        assert r.status_code == 200, (what, r.text[:200])
                print(json.dumps({"part": "api", "db": db, "tasks": n,
                                  "endpoint": what.split("?")[0],
                                  "first_ms": round(statistics.median(first), 1),
                                  "changed_ms": round(statistics.median(changed), 1),
                                  "changed_max_ms": round(max(changed), 1),
                                  "warm_ms": round(statistics.median(warm), 1)}),
                      flush=True)  # fmt: skip


def api_postgres(n: int, repeat: int) -> None:
    """:func:`api_latency` on a PostgreSQL server started for it the way the tests start
    theirs (``tests/pg.py``: Debian's initdb/pg_ctl, a temporary directory, fsync off)."""
    sys.path.insert(0, str(ROOT))
    from tests.pg import find_bindir, running_server

    bindir = find_bindir()
    if bindir is None:
        sys.exit("PostgreSQL binaries not found (apt-get install postgresql)")
    with running_server(bindir) as server:
        api_latency(n, server.url(), repeat)


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
    ap.add_argument("--db", help="api part: the store's URL (default: a new SQLite file)")
    ap.add_argument("--postgres", action="store_true", help="api part: on a PostgreSQL server")
    ap.add_argument("--repeat", type=int, default=5, help="api part: calls per measurement")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.screenshots:
        screenshots(100_000, args.screenshots)
        return
    if args.part in ("browser", "both"):
        browser(sizes, args.rate, args.seconds)
    if args.part in ("api", "both"):
        if args.postgres:
            api_postgres(max(sizes), args.repeat)
        else:
            api_latency(max(sizes), args.db, args.repeat)


if __name__ == "__main__":
    main()
