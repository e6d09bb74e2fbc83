import { describe, expect, it } from 'vitest';
import { History } from './history';

describe('History', () => {
  it('undoes and redoes, and a new edit clears redo', () => {
    const h = new History<number>(2);
    h.push(1);
    h.push(2);
    h.push(3); // 1 falls off (limit 2)
    expect(h.undo(4)).toBe(3);
    expect(h.undo(3)).toBe(2);
    expect(h.undo(2)).toBeUndefined();
    expect(h.redo(2)).toBe(3);
    h.push(3);
    expect(h.canRedo).toBe(false);
  });
});
