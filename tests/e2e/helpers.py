"""What a user does in the designer (drag, connect, edit, run), and what the browser
measures (WCAG contrast of node text, computed in the page)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conftest import ARTIFACTS

# the designer in the current main-area tab (the workspace restores earlier ones, hidden)
DOC = ".jp-MainAreaWidget:not(.lm-mod-hidden) .jp-QFlowDocument"


def shot(page: Any, name: str, selector: str | None = None) -> Path:
    """Keep a screenshot of the step as an artifact (the whole page, or one element)."""
    path = ARTIFACTS / f"{name}.png"
    if selector:
        page.locator(selector).first.screenshot(path=str(path))
    else:
        page.screenshot(path=str(path))
    return path


def node(root: str, task_id: str) -> str:
    return f'{root} .react-flow__node[data-id="{task_id}"]'


def drag_to_canvas(page: Any, root: str, item: str, x: int, y: int) -> None:
    """Drag a palette item (``section:label``) onto the canvas at (x, y) of the pane."""
    canvas = page.locator(f"{root} .jp-QFlow-canvas .react-flow__pane")
    page.locator(f'{root} [data-palette-item="{item}"]').drag_to(
        canvas, target_position={"x": x, "y": y}
    )


def _still(page: Any, selector: str) -> Any:
    """The element's box once it stops moving (the canvas fits its view after loading)."""
    box = page.locator(selector).bounding_box()
    for _ in range(20):
        page.wait_for_timeout(100)
        again = page.locator(selector).bounding_box()
        if again == box:
            return box
        box = again
    return box


def connect(page: Any, root: str, source: str, target: str) -> None:
    """Drag from ``source``'s right handle to ``target``'s left handle, until the canvas
    answers with an edge or a port picker. A drag that started while React Flow was still
    placing the nodes (a loaded machine) is not seen as a connection: it is made again, once.
    """
    answered = (
        f'{root} .react-flow__edge[data-id^="{source}->{target}"], {root} .jp-QFlow-portpicker'
    )
    for attempt in range(2):
        src = _still(page, f"{node(root, source)} .react-flow__handle-right")
        dst = _still(page, f"{node(root, target)} .react-flow__handle-left")
        page.mouse.move(src["x"] + src["width"] / 2, src["y"] + src["height"] / 2)
        page.mouse.down()
        page.mouse.move(dst["x"] + dst["width"] / 2, dst["y"] + dst["height"] / 2, steps=10)
        page.mouse.up()
        try:
            page.wait_for_selector(answered, state="attached", timeout=10_000)
            return
        except Exception:
            if attempt:
                raise


def set_field(page: Any, root: str, name: str, value: str) -> None:
    field = page.locator(f"{root} #qflow-field-{name}")
    field.fill(value)
    field.blur()


def read_file(lab: Any, path: str) -> dict[str, Any]:
    model = lab.api("GET", f"/api/contents/{path}?content=1&format=text&type=file")
    assert isinstance(model, dict)
    spec: dict[str, Any] = json.loads(model["content"])
    return spec


def put_file(lab: Any, path: str, spec: dict[str, Any]) -> None:
    body = {"type": "file", "format": "text", "content": json.dumps(spec, indent=2)}
    lab.api("PUT", f"/api/contents/{path}", body)


def open_document(page: Any, path: str) -> None:
    page.evaluate(
        "async p => { await window.jupyterapp.commands.execute('docmanager:open', {path: p}); }",
        path,
    )
    page.wait_for_selector(f"{DOC} .react-flow__node", timeout=30_000)


def set_theme(page: Any, theme: str) -> None:
    """Switch JupyterLab's theme ("JupyterLab Light" / "JupyterLab Dark") and wait for it."""
    light = "true" if "Light" in theme else "false"
    page.evaluate(
        "async t => { await window.jupyterapp.commands.execute('apputils:change-theme',"
        " {theme: t}); }",
        theme,
    )
    page.wait_for_function(
        f"() => document.body.dataset.jpThemeLight === '{light}'", timeout=30_000
    )
    page.wait_for_timeout(300)  # the theme's stylesheet applies after the attribute


# WCAG 2.x contrast computed from getComputedStyle: text colour (with its alpha) over the
# composited background behind it.
_PRELUDE = r"""
  function parse(c) {
    let m = c.match(/^rgba?\(([^)]+)\)$/);
    if (m) {
      const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
      return [p[0] / 255, p[1] / 255, p[2] / 255, p.length > 3 ? p[3] : 1];
    }
    m = c.match(/^color\(srgb ([^)]+)\)$/);
    if (m) {
      const p = m[1].split(/[\s\/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    throw new Error('unparsed colour: ' + c);
  }
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  function background(el) {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let bg = [1, 1, 1, 1];
    for (const layer of layers.reverse()) bg = over(layer, bg);
    return bg;
  }
  const lum = c => {
    const f = v => (v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (fg, bg) => {
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100;
  };
"""

# Every text-bearing HTML element inside each match of the selector.
CONTRAST_JS = (
    "(selector) => {"
    + _PRELUDE
    + r"""
  const out = [];
  for (const root of document.querySelectorAll(selector)) {
    for (const el of [root, ...root.querySelectorAll('*')]) {
      const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
      if (!own || el.getClientRects().length === 0 || el instanceof SVGElement) continue;
      const bg = background(el);
      const fg = over(parse(getComputedStyle(el).color), bg);
      out.push({ text: el.textContent.trim().slice(0, 40), ratio: ratio(fg, bg),
                 color: getComputedStyle(el).color,
                 background: bg.map(v => Math.round(v * 255)).join(',') });
    }
  }
  return out;
}"""
)

# SVG nodes drawn as <g><rect/>…<text/></g> (the notebook RunWidget): text fill over the
# first rect's fill over the page.
SVG_CONTRAST_JS = (
    "(selector) => {"
    + _PRELUDE
    + r"""
  const out = [];
  for (const g of document.querySelectorAll(selector)) {
    const rect = g.querySelector('rect');
    const page = background(g.closest('div') || document.body);
    const bg = over(parse(getComputedStyle(rect).fill), page);
    for (const t of g.querySelectorAll('text')) {
      const fg = over(parse(getComputedStyle(t).fill), bg);
      out.push({ text: t.textContent.slice(0, 40), ratio: ratio(fg, bg),
                 status: g.getAttribute('class') });
    }
  }
  return out;
}"""
)


def contrast(page: Any, selector: str) -> list[dict[str, Any]]:
    """Contrast ratio of each text in the elements ``selector`` matches."""
    found: list[dict[str, Any]] = page.evaluate(CONTRAST_JS, selector)
    return found
