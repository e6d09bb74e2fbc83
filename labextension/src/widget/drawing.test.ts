import { describe, expect, it } from 'vitest';
import { drawingOf } from './drawing';

const layout = { key: 'k', ids: ['a', 'b'], x: [0, 1], y: [0, 0], big: false };

describe('drawingOf', () => {
  it('parses the JSON bytes the kernel sends, once per value', () => {
    const bytes = new TextEncoder().encode(JSON.stringify(layout));
    const view = new DataView(bytes.buffer);
    const first = drawingOf(view);
    expect(first).toEqual(layout);
    expect(drawingOf(view)).toBe(first); // the same value is not parsed again
    expect(drawingOf(new DataView(bytes.slice().buffer))).not.toBe(first);
  });

  it('takes an object as it is, and nothing as no drawing', () => {
    expect(drawingOf(layout)).toBe(layout);
    expect(drawingOf(undefined)).toBeNull();
    expect(drawingOf(new DataView(new ArrayBuffer(0)))).toBeNull();
  });

  it('refuses bytes that are not JSON rather than drawing something else', () => {
    const bad = new DataView(new TextEncoder().encode('{"ids": [').buffer);
    expect(() => drawingOf(bad)).toThrow(SyntaxError);
  });
});
