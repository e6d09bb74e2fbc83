import { afterEach, describe, expect, it, vi } from 'vitest';
import { BIG_GRAPH, isBigGraph, Throttle } from './aggregate';

describe('isBigGraph', () => {
  it('is the server threshold: more than BIG_GRAPH tasks', () => {
    expect(isBigGraph(BIG_GRAPH)).toBe(false);
    expect(isBigGraph(BIG_GRAPH + 1)).toBe(true);
  });
});

describe('Throttle', () => {
  afterEach(() => vi.useRealTimers());

  it('delivers at most 10 batches a second and never drops the last items', () => {
    vi.useFakeTimers();
    const batches: number[][] = [];
    const th = new Throttle<number>(
      b => batches.push(b),
      10,
      () => Date.now()
    );
    for (let i = 0; i < 1000; i++) {
      th.push(i);
      vi.advanceTimersByTime(1); // 1,000 events over one second
    }
    vi.advanceTimersByTime(200);
    expect(batches.length).toBeLessThanOrEqual(11);
    expect(batches.flat()).toEqual([...Array(1000).keys()]);
  });
});
