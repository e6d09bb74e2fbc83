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
