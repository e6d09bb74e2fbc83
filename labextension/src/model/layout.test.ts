import { describe, expect, it } from 'vitest';
import { mergeLayout, roundPosition, withLayout } from './layout';

describe('layout', () => {
  it('keeps saved positions and asks dagre only for the missing ones', () => {
    let calls = 0;
    const auto = () => {
      calls += 1;
      return { a: { x: 1, y: 1 }, b: { x: 200, y: 5 }, c: { x: 400, y: 5 } };
    };
    const saved = { a: { x: 10.25, y: -3 }, c: { x: Number.NaN, y: 0 } };
    expect(mergeLayout(['a', 'b', 'c'], saved, auto)).toEqual({
      a: { x: 10.25, y: -3 },
      b: { x: 200, y: 5 },
      c: { x: 400, y: 5 } // an invalid saved position counts as missing
    });
    expect(calls).toBe(1);
    expect(mergeLayout(['a'], saved, auto)).toEqual({ a: { x: 10.25, y: -3 } });
    expect(calls).toBe(1); // everything saved: no dagre run
    expect(mergeLayout(['a'], null, auto)).toEqual({ a: { x: 1, y: 1 } });
  });

  it('writes the positions of the spec tasks, in task order', () => {
    const spec = { name: 'w', tasks: [{ id: 'b' }, { id: 'a' }] };
    const out = withLayout(spec, {
      a: { x: 1, y: 2 },
      b: { x: 3, y: 4 },
      gone: { x: 0, y: 0 }
    });
    expect(out.layout).toEqual({ b: { x: 3, y: 4 }, a: { x: 1, y: 2 } });
    expect(Object.keys(out.layout)).toEqual(['b', 'a']);
    expect(spec).not.toHaveProperty('layout');
    expect(roundPosition({ x: 1.6, y: -2.4 })).toEqual({ x: 2, y: -2 });
  });
});
