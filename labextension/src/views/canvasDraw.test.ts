import { describe, expect, it } from 'vitest';
import { GraphLayout } from '../types';
import {
  cellIndex,
  fitView,
  groupAt,
  groupCounts,
  taskAt,
  toLayout,
  toScreen
} from './canvasDraw';

const layout = {
  key: 'k',
  tasks: 3,
  big: true,
  ids: ['p_0', 'p_1', 'q'],
  kinds: 'ccq',
  x: [0, 0, 4],
  y: [0, 1, 0],
  group: [0, 0, 1],
  groups: [
    { name: 'p', size: 2, level: 0, axes: [], x: 0, y: 0, w: 1, h: 2 },
    { name: 'q', size: 1, level: 1, axes: [], x: 4, y: 0, w: 1, h: 1 }
  ],
  edges: [0, 2],
  group_edges: [[0, 1, 1]],
  levels: 2,
  axes: {}
} as GraphLayout;

describe('canvasDraw', () => {
  it('maps screen and layout positions both ways', () => {
    const v = fitView(layout, 600, 400);
    const [sx, sy] = toScreen(v, 4, 0);
    const [x, y] = toLayout(v, sx, sy);
    expect(x).toBeCloseTo(4);
    expect(y).toBeCloseTo(0);
  });

  it('finds the task and the group under a point', () => {
    const cells = cellIndex(layout);
    expect(taskAt(cells, 0.2, 0.9)).toBe(1);
    expect(taskAt(cells, 2, 2)).toBe(-1);
    expect(groupAt(layout, 4.1, 0)).toBe(1);
    expect(groupAt(layout, 0, -1)).toBe(0); // its title, above the box
  });

  it('counts each group by state digit', () => {
    expect(groupCounts(layout, '425')[0].slice(0, 6)).toEqual([0, 0, 1, 0, 1, 0]);
    expect(groupCounts(layout, '425')[1][5]).toBe(1);
  });
});
