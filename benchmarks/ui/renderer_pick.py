"""Pick the large-graph renderer by measurement (issue 18): a 2D canvas (repainting only
changed tasks) vs deck.gl and sigma.js (WebGL), the same synthetic sweep of N tasks in the
same headless Chromium, first render, frame times while 2,000 task states change per
second, and the JS heap. (Headless Chromium has no GPU: WebGL runs on SwiftShader, as it
does on many remote desktops and CI machines where the views must still work.)

    python benchmarks/ui/renderer_pick.py [--sizes 10000,100000] [--seconds 6]

Bundles ``benchmarks/ui/renderers/{canvas,deck,sigma}.ts`` with esbuild into benchmarks/out/ and
prints one JSON line per (renderer, size).
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "benchmarks" / "out" / "renderers"
CANDIDATES = ("canvas", "deck", "sigma")
CHROMIUM = "/usr/bin/chromium"


def bundle(name: str) -> Path:
    out = OUT / f"{name}.js"
    subprocess.run(
        ["npx", "esbuild", f"benchmarks/ui/renderers/{name}.ts", "--bundle", "--minify",
         "--format=iife", f"--outfile={out}"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--rate", type=int, default=2000)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--enable-precise-memory-info"]
        )
        for name in CANDIDATES:
            script = bundle(name).read_text()
            for size in (int(s) for s in args.sizes.split(",")):
                page = browser.new_page(viewport={"width": 1200, "height": 800})
                page.set_content(
                    '<html><body style="margin:0"><div id="root" '
                    'style="width:1200px;height:800px;position:relative"></div></body></html>'
                )
                page.add_script_tag(content=script)
                result = page.evaluate(
                    "([n, r, s]) => window.runBench(n, r, s)", [size, args.rate, args.seconds]
                )
                print(json.dumps({"renderer": name, **{k: round(v, 1) for k, v in result.items()}}))
                page.close()
        browser.close()


if __name__ == "__main__":
    main()
