import { afterEach, describe, expect, it, vi } from 'vitest';
import { aggregate, groupOf, Throttle } from './aggregate';
import { Task } from '../types';

const t = (id: string, group?: string): Task => ({
  id,
  kind: 'classical',
  fn: 'f',
  group
});

describe('aggregate', () => {
  it('counts per state and per group', () => {
    const tasks = [t('a_1'), t('a_2'), t('b', 'g')];
    const { total, groups } = aggregate(tasks, { a_1: 'succeeded', b: 'failed' });
    expect(total.succeeded).toBe(1);
    expect(total.pending).toBe(1);
    expect(groups.map(g => [g.group, g.total])).toEqual([
      ['a', 2],
      ['g', 1]
    ]);
    expect(groupOf(t('x-12'))).toBe('x');
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
