/**
 * Graphs beyond BIG_GRAPH tasks: every task drawn on a canvas in its live state colour,
 * at the layout the server computed once; groups collapse into super-nodes and expand on
 * a click on their title; drag to pan, wheel to zoom, search by task id, click a task for
 * its details. State changes recolour only the changed tasks (no re-layout, no redraw).
 * `data-drawn-summary` holds the tasks drawn per state, for tests.
 */
import React, { useEffect, useMemo, useRef, useState } from 'react';
import { TASK_STATUSES } from '../generated/status';
import { formatCount } from '../model/format';
import { resolveStatusColor, statusLabel } from '../model/statusPalette';
import { GraphLayout, TaskStatus } from '../types';
import {
  cellIndex,
  drawAll,
  fitView,
  groupAt,
  Palette,
  recolour,
  taskAt,
  toLayout,
  touchesCollapsed,
  UNIT,
  View
} from './canvasDraw';
import { stateSummary, statusOfCode } from './viewData';
import { useThemeChange } from '../charts/useThemeChange';

export interface BigGraphProps {
  layout: GraphLayout;
  states: string;
  /** A task was clicked or found (its id and state), or the selection cleared (null). */
  onSelect?: (taskId: string | null, status?: TaskStatus) => void;
  height?: number;
}

function summaryOf(drawn: number[]): string {
  const counts: Record<string, number> = {};
  drawn.forEach((n, code) => {
    if (n) {
      counts[TASK_STATUSES[code]] = n;
    }
  });
  return stateSummary(counts);
}

/** A canvas height that suits the drawing's shape at `width` px (300 to 640 px). */
export function canvasHeight(layout: GraphLayout, width: number): number {
  let w = 1;
  let h = 1;
  for (const g of layout.groups) {
    w = Math.max(w, g.x + g.w);
    h = Math.max(h, g.y + g.h);
  }
  return Math.round(Math.min(640, Math.max(300, (width * (h + 2)) / (w + 2))));
}

export function BigGraph({ layout, states, onSelect, height }: BigGraphProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<View | null>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const [selected, setSelected] = useState<number>(-1);
  const [query, setQuery] = useState('');
  const [note, setNote] = useState('');
  const cells = useMemo(() => cellIndex(layout), [layout]);
  const index = useMemo(() => new Map(layout.ids.map((id, i) => [id, i])), [layout]);
  // what is on the canvas now: a recolour needs the states it was drawn from
  const shown = useRef<{ states: string; drawn: number[] } | null>(null);
  const full = useRef(true);
  const [summary, setSummary] = useState('');

  // a resize clears the canvas and a theme change changes the colours: both redraw
  const [size, setSize] = useState(0);
  const theme = useThemeChange();
  const palette = useMemo<Palette>(() => {
    const el = box.current ?? document.body;
    const colours = TASK_STATUSES.map(s => resolveStatusColor(el, s, 'border'));
    return code => colours[code] ?? colours[0];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [box.current, theme]);

  // size the canvas to its box and fit the graph once
  useEffect(() => {
    const c = canvas.current;
    const b = box.current;
    if (!c || !b) {
      return;
    }
    const resize = () => {
      const w = Math.max(200, b.clientWidth);
      const h = height ?? canvasHeight(layout, w);
      if (c.width === w && c.height === h) {
        return;
      }
      c.width = w;
      c.height = h;
      full.current = true;
      setSize(n => n + 1);
      setView(v => v ?? fitView(layout, c.width, c.height));
    };
    resize();
    const obs = new ResizeObserver(resize);
    obs.observe(b);
    return () => obs.disconnect();
  }, [layout, height]);

  useEffect(() => {
    full.current = true;
  }, [view, collapsed, layout, palette, selected, size]);

  // draw: everything after a view change, only changed tasks otherwise
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx || !view) {
      return;
    }
    const frame = requestAnimationFrame(() => {
      const prev = shown.current;
      if (
        full.current ||
        !prev ||
        prev.states.length !== states.length ||
        touchesCollapsed(layout, prev.states, states, collapsed)
      ) {
        const style = getComputedStyle(c);
        const drawn = drawAll(ctx, layout, states, view, collapsed, palette, {
          text: style.getPropertyValue('--jp-ui-font-color1').trim() || '#333',
          box: style.getPropertyValue('--jp-border-color1').trim() || '#bbb',
          edge: style.getPropertyValue('--jp-border-color2').trim() || '#ddd'
        });
        shown.current = { states, drawn };
        full.current = false;
        if (selected >= 0) {
          const [sx, sy] = [
            view.x + layout.x[selected] * UNIT * view.k,
            view.y + layout.y[selected] * UNIT * view.k
          ];
          ctx.strokeStyle =
            style.getPropertyValue('--jp-brand-color1').trim() || '#39f';
          ctx.lineWidth = 2;
          ctx.strokeRect(sx - 8, sy - 8, 16, 16);
        }
      } else if (prev.states !== states) {
        recolour(ctx, layout, prev.states, states, view, palette, prev.drawn);
        shown.current = { states, drawn: prev.drawn };
      }
      setSummary(summaryOf(shown.current?.drawn ?? []));
    });
    return () => cancelAnimationFrame(frame);
  }, [states, view, collapsed, layout, palette, selected, size]);

  const select = (i: number) => {
    setSelected(i);
    onSelect?.(
      i >= 0 ? layout.ids[i] : null,
      i >= 0 ? statusOfCode(states[i] ?? '0') : undefined
    );
  };

  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const onDown = (e: React.MouseEvent) => {
    drag.current = { x: e.clientX, y: e.clientY, moved: false };
  };
  const onMove = (e: React.MouseEvent) => {
    const d = drag.current;
    if (!d || !view) {
      return;
    }
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (d.moved || Math.abs(dx) + Math.abs(dy) > 3) {
      d.moved = true;
      d.x = e.clientX;
      d.y = e.clientY;
      setView({ ...view, x: view.x + dx, y: view.y + dy });
    }
  };
  const onUp = (e: React.MouseEvent) => {
    const d = drag.current;
    drag.current = null;
    if (!d || d.moved || !view || !canvas.current) {
      return;
    }
    const r = canvas.current.getBoundingClientRect();
    const [x, y] = toLayout(view, e.clientX - r.left, e.clientY - r.top);
    const g = groupAt(layout, x, y);
    const t = taskAt(cells, x, y);
    if (g >= 0 && (collapsed.has(g) || y < layout.groups[g].y - 0.5)) {
      // a click on a group's title (or on a super-node) toggles it
      const next = new Set(collapsed);
      if (next.has(g)) {
        next.delete(g);
      } else {
        next.add(g);
      }
      setCollapsed(next);
      return;
    }
    select(t);
  };
  const onWheel = (e: React.WheelEvent) => {
    if (!view || !canvas.current) {
      return;
    }
    const r = canvas.current.getBoundingClientRect();
    const sx = e.clientX - r.left;
    const sy = e.clientY - r.top;
    const f = Math.exp(-e.deltaY / 500);
    setView({ k: view.k * f, x: sx - (sx - view.x) * f, y: sy - (sy - view.y) * f });
  };

  const search = (e: React.FormEvent) => {
    e.preventDefault();
    const i = index.get(query.trim());
    if (i === undefined) {
      setNote(`no task "${query.trim()}" in this run`);
      return;
    }
    setNote('');
    const c = canvas.current;
    const g = layout.group[i];
    if (collapsed.has(g)) {
      const next = new Set(collapsed);
      next.delete(g);
      setCollapsed(next);
    }
    if (c) {
      const k = Math.max(view?.k ?? 1, 1.5);
      setView({
        k,
        x: c.width / 2 - layout.x[i] * UNIT * k,
        y: c.height / 2 - layout.y[i] * UNIT * k
      });
    }
    select(i);
  };

  const allCollapsed = collapsed.size === layout.groups.length;
  const sel = selected >= 0 ? selected : -1;
  return (
    <div
      className="jp-QFlow-biggraph"
      ref={box}
      data-graph-renderer="canvas"
      data-graph-tasks={layout.ids.length}
      data-drawn-summary={summary}
      data-collapsed={collapsed.size}
    >
      <form className="jp-QFlow-biggraph-bar" onSubmit={search}>
        <input
          className="jp-mod-styled"
          placeholder="Find a task by id"
          aria-label="Find a task by id"
          value={query}
          onChange={e => setQuery(e.target.value)}
        />
        <button className="jp-mod-styled" type="submit">
          Find
        </button>
        <button
          className="jp-mod-styled"
          type="button"
          onClick={() =>
            setCollapsed(
              allCollapsed ? new Set() : new Set(layout.groups.map((_, i) => i))
            )
          }
        >
          {allCollapsed ? 'Expand all groups' : 'Collapse all groups'}
        </button>
        <span className="jp-QFlow-muted">
          {formatCount(layout.ids.length, 'task')} in{' '}
          {formatCount(layout.groups.length, 'group')} · drag to pan, wheel to zoom,
          click a group title to fold it
        </span>
        {note && <span className="jp-QFlow-field-error">{note}</span>}
      </form>
      <canvas
        ref={canvas}
        className="jp-QFlow-biggraph-canvas"
        onMouseDown={onDown}
        onMouseMove={onMove}
        onMouseUp={onUp}
        onMouseLeave={() => (drag.current = null)}
        onWheel={onWheel}
      />
      {sel >= 0 && (
        <div className="jp-QFlow-biggraph-detail" data-selected-task={layout.ids[sel]}>
          <b>{layout.ids[sel]}</b> · group {layout.groups[layout.group[sel]].name} ·{' '}
          {layout.kinds[sel] === 'q' ? 'quantum' : 'classical'} ·{' '}
          {statusLabel(statusOfCode(states[sel] ?? '0'))}
        </div>
      )}
    </div>
  );
}
