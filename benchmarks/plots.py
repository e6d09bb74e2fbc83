"""Matplotlib PNGs for docs/benchmarks.md: µs/task per engine (log scale), cost vs size.

Headless (Agg backend); called by the harness with its results dict.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from report import TITLES, _label


def write_plots(report: dict[str, Any], folder: Path) -> list[Path]:
    """Write the plots the results allow; returns their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    wls = {w: r for w, r in report.get("workloads", {}).items() if w in ("w1", "w2", "w3")}
    if wls:
        engines = list(dict.fromkeys(e for per in wls.values() for e in per))
        fig, ax = plt.subplots(figsize=(8, 4.2))
        width = 0.8 / max(1, len(engines))
        for k, e in enumerate(engines):
            xs, ys = [], []
            for j, per in enumerate(wls.values()):
                r = per.get(e)
                if r and "error" not in r:
                    xs.append(j + k * width)
                    ys.append(r["median_us_per_task"])
            ax.bar(xs, ys, width, label=_label(e))
        ax.set_yscale("log")
        ax.set_xticks([j + width * (len(engines) - 1) / 2 for j in range(len(wls))])
        ax.set_xticklabels([TITLES[w] for w in wls])
        ax.set_ylabel("µs per task (wall, median; log scale)")
        ax.set_title(f"Orchestration cost per task ({report['date']})")
        ax.legend(fontsize=8)
        fig.tight_layout()
        path = folder / "bench_engines.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    scale = report.get("scale")
    if isinstance(scale, list) and any("error" not in r for r in scale):
        rows = [r for r in scale if "error" not in r]
        fig, ax = plt.subplots(figsize=(6, 3.8))
        for r in rows:
            xs = [(k + 1) * r["n"] / 10 for k in range(10)]
            ax.plot(xs, r["decile_us_per_task"], marker="o", label=f"{r['n']:,} tasks")
        ax.set_xscale("log")
        ax.set_xlabel("tasks finished so far")
        ax.set_ylabel("µs per task in that tenth (wall)")
        ax.set_title("QuantumFlow per-task cost as the run grows")
        ax.legend()
        fig.tight_layout()
        path = folder / "bench_scale.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written
