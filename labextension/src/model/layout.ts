/** Auto-layout of the task graph with dagre (left to right). */
import dagre from '@dagrejs/dagre';
import { SpecEdge } from './specEdit';

export type Positions = Record<string, { x: number; y: number }>;

export const NODE_WIDTH = 170;
export const NODE_HEIGHT = 56;

/** Positions for every id, upstream on the left. */
export function autoLayout(ids: string[], edges: SpecEdge[]): Positions {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 60, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const id of ids) {
    g.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  }
  for (const e of edges) {
    g.setEdge(e.source, e.target);
  }
  dagre.layout(g);
  const out: Positions = {};
  for (const id of ids) {
    const n = g.node(id);
    out[id] = { x: n.x - NODE_WIDTH / 2, y: n.y - NODE_HEIGHT / 2 };
  }
  return out;
}

/** A position rounded to whole pixels (what the designer writes to `layout`). */
export function roundPosition(p: { x: number; y: number }): { x: number; y: number } {
  return { x: Math.round(p.x), y: Math.round(p.y) };
}

/**
 * Positions for every id: the saved `layout` where it has one, dagre for the rest
 * (dagre runs only when some node lacks a saved position).
 */
export function mergeLayout(
  ids: string[],
  saved: Record<string, { x: number; y: number }> | null | undefined,
  auto: () => Positions
): Positions {
  const valid = (id: string) => {
    const p = saved?.[id];
    return p && Number.isFinite(p.x) && Number.isFinite(p.y) ? p : undefined;
  };
  const missing = ids.filter(id => !valid(id));
  const computed = missing.length ? auto() : {};
  const out: Positions = {};
  for (const id of ids) {
    const p = valid(id) ?? computed[id];
    if (p) {
      out[id] = { x: p.x, y: p.y };
    }
  }
  return out;
}

/** `spec` with `layout` set to the positions of its tasks (in task order). */
export function withLayout<S extends { tasks: { id: string }[] }>(
  spec: S,
  positions: Positions
): S & { layout: Positions } {
  const layout: Positions = {};
  for (const t of spec.tasks) {
    const p = positions[t.id];
    if (p) {
      layout[t.id] = { x: p.x, y: p.y };
    }
  }
  return { ...spec, layout };
}
