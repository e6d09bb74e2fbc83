/**
 * Drawing a big graph on a 2D canvas: every task a square in its live state's colour at
 * the server's layout position, collapsed groups as super-nodes (their box, a bar of their
 * tasks per state). Pure functions of the layout, the states string and the view, so the
 * component only schedules frames; recolouring changed tasks does not redraw the rest.
 */
import { TASK_STATUSES } from '../generated/status';
import { GraphLayout } from '../types';

/** Pixels per layout unit at zoom 1. */
export const UNIT = 12;
/** A task's square, as a share of a layout unit. */
export const DOT = 0.7;

export interface View {
  x: number;
  y: number;
  k: number;
}

/** The view that fits the whole layout in a `w` x `h` canvas. */
export function fitView(layout: GraphLayout, w: number, h: number): View {
  let maxX = 1;
  let maxY = 1;
  for (const g of layout.groups) {
    maxX = Math.max(maxX, g.x + g.w);
    maxY = Math.max(maxY, g.y + g.h);
  }
  // room above the first row for its group titles
  const title = 16;
  const k = Math.min(w / ((maxX + 2) * UNIT), (h - title) / ((maxY + 2) * UNIT));
  return { x: UNIT * k, y: UNIT * k + title, k };
}

/** Screen position of a layout point. */
export function toScreen(v: View, x: number, y: number): [number, number] {
  return [v.x + x * UNIT * v.k, v.y + y * UNIT * v.k];
}

/** Layout position of a screen point. */
export function toLayout(v: View, sx: number, sy: number): [number, number] {
  return [(sx - v.x) / (UNIT * v.k), (sy - v.y) / (UNIT * v.k)];
}

/** The task under a layout point (within half a unit), or -1; `cells` from cellIndex. */
export function taskAt(cells: Map<string, number>, x: number, y: number): number {
  return cells.get(`${Math.round(x)},${Math.round(y)}`) ?? -1;
}

/** Task index by rounded layout position, for clicks. */
export function cellIndex(layout: GraphLayout): Map<string, number> {
  const cells = new Map<string, number>();
  for (let i = 0; i < layout.ids.length; i++) {
    cells.set(`${Math.round(layout.x[i])},${Math.round(layout.y[i])}`, i);
  }
  return cells;
}

/** The group whose box holds a layout point, or -1. */
export function groupAt(layout: GraphLayout, x: number, y: number): number {
  return layout.groups.findIndex(
    g =>
      x >= g.x - 0.5 && x <= g.x + g.w + 0.5 && y >= g.y - 1.5 && y <= g.y + g.h + 0.5
  );
}

/** Tasks per status digit per group: `counts[g][code]`. */
export function groupCounts(layout: GraphLayout, states: string): number[][] {
  const counts = layout.groups.map(() =>
    new Array<number>(TASK_STATUSES.length).fill(0)
  );
  for (let i = 0; i < layout.group.length; i++) {
    const c = states.charCodeAt(i) - 48;
    counts[layout.group[i]][c >= 0 && c < TASK_STATUSES.length ? c : 0]++;
  }
  return counts;
}

export type Palette = (code: number) => string;

/** Draw everything; returns tasks drawn per status digit (collapsed ones included). */
export function drawAll(
  ctx: CanvasRenderingContext2D,
  layout: GraphLayout,
  states: string,
  view: View,
  collapsed: ReadonlySet<number>,
  colour: Palette,
  ink: { text: string; box: string; edge: string }
): number[] {
  const { width, height } = ctx.canvas;
  ctx.clearRect(0, 0, width, height);
  const px = UNIT * view.k;
  // group edges: one line per connected pair of groups
  ctx.strokeStyle = ink.edge;
  ctx.lineWidth = 1;
  ctx.beginPath();
  const ge = layout.group_edges;
  for (const [a, b] of ge) {
    const ga = layout.groups[a];
    const gb = layout.groups[b];
    const [x1, y1] = toScreen(view, ga.x + ga.w, ga.y + ga.h / 2);
    const [x2, y2] = toScreen(view, gb.x - 1, gb.y + gb.h / 2);
    ctx.moveTo(x1, y1);
    ctx.lineTo(x2, y2);
  }
  ctx.stroke();
  const drawn = new Array<number>(TASK_STATUSES.length).fill(0);
  const counts = groupCounts(layout, states);
  ctx.font = '11px var(--jp-ui-font-family, sans-serif)';
  layout.groups.forEach((g, gi) => {
    const [bx, by] = toScreen(view, g.x - 0.5, g.y - 0.5);
    const bw = (g.w + 0.0) * px;
    const bh = (g.h + 0.0) * px;
    ctx.strokeStyle = ink.box;
    ctx.strokeRect(bx, by, bw, bh);
    // a title only where it fits over its box (level of detail: zoom in to read more)
    const title = `${collapsed.has(gi) ? '▸' : '▾'} ${g.name} (${g.size})`;
    const short = `${collapsed.has(gi) ? '▸' : '▾'} ${g.name}`;
    const fits = (t: string) => ctx.measureText(t).width <= bw + px;
    ctx.fillStyle = ink.text;
    if (fits(title)) {
      ctx.fillText(title, bx, by - 3);
    } else if (fits(short)) {
      ctx.fillText(short, bx, by - 3);
    }
    if (collapsed.has(gi)) {
      // a super-node: the box filled left to right by its tasks' states
      let at = bx;
      counts[gi].forEach((n, code) => {
        if (n) {
          const w = (bw * n) / g.size;
          ctx.fillStyle = colour(code);
          ctx.fillRect(at, by, w, bh);
          at += w;
          drawn[code] += n;
        }
      });
    }
  });
  // every task of the expanded groups, one fill per status
  const side = Math.max(1, DOT * px);
  const byCode: number[][] = TASK_STATUSES.map(() => []);
  for (let i = 0; i < states.length; i++) {
    if (!collapsed.has(layout.group[i])) {
      const c = states.charCodeAt(i) - 48;
      byCode[c >= 0 && c < byCode.length ? c : 0].push(i);
    }
  }
  byCode.forEach((tasks, code) => {
    if (!tasks.length) {
      return;
    }
    ctx.fillStyle = colour(code);
    ctx.beginPath();
    for (const i of tasks) {
      const [sx, sy] = toScreen(view, layout.x[i], layout.y[i]);
      if (sx > -side && sy > -side && sx < width + side && sy < height + side) {
        ctx.rect(sx - side / 2, sy - side / 2, side, side);
      }
    }
    ctx.fill();
    drawn[code] += tasks.length;
  });
  return drawn;
}

/** Recolour the tasks whose state changed between `before` and `after` (expanded groups
 * only; the caller redraws everything when a collapsed group changed). */
export function recolour(
  ctx: CanvasRenderingContext2D,
  layout: GraphLayout,
  before: string,
  after: string,
  view: View,
  colour: Palette,
  drawn: number[]
): void {
  const side = Math.max(1, DOT * UNIT * view.k);
  for (let i = 0; i < after.length; i++) {
    const a = after.charCodeAt(i);
    const b = before.charCodeAt(i);
    if (a !== b) {
      const [sx, sy] = toScreen(view, layout.x[i], layout.y[i]);
      ctx.fillStyle = colour(a - 48);
      ctx.fillRect(sx - side / 2, sy - side / 2, side, side);
      drawn[b - 48]--;
      drawn[a - 48]++;
    }
  }
}

/** Whether a change between two states strings touches a collapsed group. */
export function touchesCollapsed(
  layout: GraphLayout,
  before: string,
  after: string,
  collapsed: ReadonlySet<number>
): boolean {
  if (!collapsed.size) {
    return false;
  }
  for (let i = 0; i < after.length; i++) {
    if (
      after.charCodeAt(i) !== before.charCodeAt(i) &&
      collapsed.has(layout.group[i])
    ) {
      return true;
    }
  }
  return false;
}
