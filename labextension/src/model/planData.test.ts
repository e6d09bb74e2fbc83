import { describe, expect, it } from 'vitest';
import { MAX_BARS, pathText, planVsActual, seconds } from './planData';
import { RunDetail, RunPlan } from '../types';

const detail: RunDetail = {
  id: 'r',
  status: 'succeeded',
  started_at: 100,
  finished_at: 103,
  params: {},
  tasks: [
    { task_id: 'a', status: 'succeeded', attempts: 1, cache_hit: false, duration: 1 },
    { task_id: 'b', status: 'succeeded', attempts: 1, cache_hit: false, duration: 2 },
    { task_id: 'c', status: 'skipped', attempts: 0, cache_hit: false }
  ]
};

const plan: RunPlan = {
  run_id: 'r',
  status: 'succeeded',
  plan: true,
  policy: 'heft',
  workers: 2,
  predicted_makespan_s: 2.5,
  actual_makespan_s: 3.1,
  makespan_ratio: 1.24,
  planned_critical_path: ['a', 'b'],
  actual_critical_path: ['a', 'b'],
  tasks: {
    a: { predicted_s: 0.5, actual_s: 1.05, status: 'succeeded' },
    b: { predicted_s: 2, actual_s: null, status: 'succeeded' },
    c: { predicted_s: 0.25, actual_s: null, status: 'skipped' }
  },
  resources: {},
  lanes: { max_concurrency: 2, utilisation: 0.5 }
};

describe('planVsActual', () => {
  it('takes predicted seconds per task from the stored plan, not earlier runs', () => {
    const d = planVsActual(detail, plan, [
      { task_id: 'a', samples: 3, mean_wall_s: 9 },
      { task_id: 'b', samples: 3, mean_wall_s: 9 }
    ]);
    expect(d.source).toBe('plan');
    expect(d.labels).toEqual(['a', 'b', 'c']);
    expect(d.predicted).toEqual([0.5, 2, 0.25]);
    // the plan's measured seconds first, the run's duration when the plan has none
    expect(d.actual).toEqual([1.05, 2, null]);
    expect(d.makespan).toEqual({ predicted: 2.5, actual: 3.1, ratio: 1.24 });
    expect(d.plannedPath).toEqual(['a', 'b']);
    expect(d.actualPath).toEqual(['a', 'b']);
  });

  it('falls back to the mean of earlier runs when no plan was stored', () => {
    const none: RunPlan = {
      ...plan,
      plan: false,
      predicted_makespan_s: null,
      makespan_ratio: null,
      planned_critical_path: null,
      actual_critical_path: ['b']
    };
    const d = planVsActual(detail, none, [
      { task_id: 'a', samples: 2, mean_wall_s: 0.7 }
    ]);
    expect(d.source).toBe('history');
    expect(d.predicted).toEqual([0.7, null, null]);
    expect(d.actual).toEqual([1, 2, null]);
    expect(d.makespan).toEqual({ predicted: null, actual: 3.1, ratio: null });
    expect(d.plannedPath).toEqual([]);
    expect(d.actualPath).toEqual(['b']);
  });

  it('works without the plan route (older servers): makespan from the run', () => {
    const d = planVsActual(detail, undefined, []);
    expect(d.source).toBe('history');
    expect(d.makespan.actual).toBe(3);
    expect(d.actualPath).toEqual([]);
  });

  it('ignores non-finite numbers and draws at most MAX_BARS tasks', () => {
    const many: RunDetail = {
      ...detail,
      tasks: Array.from({ length: MAX_BARS + 5 }, (_, i) => ({
        task_id: `t${i}`,
        status: 'succeeded' as const,
        attempts: 1,
        cache_hit: false,
        duration: i
      }))
    };
    const d = planVsActual(many, {
      ...plan,
      tasks: { t0: { predicted_s: Number.NaN, status: 'succeeded' } }
    });
    expect(d.labels).toHaveLength(MAX_BARS);
    expect(d.predicted[0]).toBeNull();
    expect(d.actual[3]).toBe(3);
  });
});

describe('summary text', () => {
  it('formats seconds and critical paths', () => {
    expect(seconds(null)).toBe('–');
    expect(seconds(0.0456)).toBe('46 ms');
    expect(seconds(2.345)).toBe('2.3 s');
    expect(seconds(192)).toBe('3 min 12 s');
    expect(pathText([])).toBe('–');
    expect(pathText(['a', 'b'])).toBe('a → b');
    const long = Array.from({ length: 12 }, (_, i) => `t${i}`);
    expect(pathText(long, 5)).toBe('t0 → t1 → t2 → … (8 more) → t11');
  });
});
