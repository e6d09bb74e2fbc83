import { describe, expect, it } from 'vitest';
import {
  countsFromValue,
  countsOf,
  curveFromValue,
  curveOf,
  perBackend,
  timeline
} from './dashboardData';
import { RunDetail } from '../types';

const detail: RunDetail = {
  id: 'r',
  status: 'succeeded',
  started_at: 100,
  params: {},
  tasks: [
    {
      task_id: 'q',
      status: 'succeeded',
      attempts: 1,
      cache_hit: false,
      started_at: 101,
      finished_at: 103,
      duration: 2
    },
    {
      task_id: 'f',
      status: 'succeeded',
      attempts: 1,
      cache_hit: false,
      started_at: 103.5,
      finished_at: 104,
      duration: 0.5
    }
  ]
};

describe('dashboardData', () => {
  it('timeline puts queue time before run time, from the run start', () => {
    const t = timeline(detail, [{ run_id: 'r', task_id: 'q', queue_s: 0.5 }]);
    expect(t.labels).toEqual(['q', 'f']);
    expect(t.queue[0]).toEqual([0.5, 1]);
    expect(t.run[0]).toEqual([1, 3]);
  });

  it('groups time and cost per backend', () => {
    const spec = {
      name: 'w',
      tasks: [
        {
          id: 'q',
          kind: 'quantum' as const,
          backend: 'qiskit.aer',
          circuit: { builtin: 'ghz' }
        },
        { id: 'f', kind: 'classical' as const, fn: 'parity' }
      ]
    };
    const b = perBackend(spec, detail, [{ run_id: 'r', task_id: 'q', cost_usd: 0.25 }]);
    expect(b.labels).toEqual(['classical', 'qiskit.aer']);
    expect(b.seconds).toEqual([0.5, 2]);
    expect(b.cost).toEqual([0, 0.25]);
  });

  it('finds counts even in a truncated preview', () => {
    expect(countsOf('{"counts": {"11": 5, "00": 7}, "metadata": {"backe…')).toEqual({
      labels: ['00', '11'],
      values: [7, 5]
    });
    expect(countsOf('"00"')).toBeNull();
  });

  it('reads convergence traces and sweeps', () => {
    expect(curveOf('[3, 2, 1.5]')?.kind).toBe('convergence');
    const sweep = curveOf('{"sweep": {"points": [0, 1], "results": [0.5, -0.5]}}');
    expect(sweep).toEqual({
      kind: 'sweep',
      label: 'value',
      labels: ['0', '1'],
      values: [0.5, -0.5]
    });
  });

  it('reads full quantum outputs: counts, probabilities, sweeps', () => {
    expect(countsFromValue({ counts: { '11': 3, '00': 4 }, metadata: {} })).toEqual({
      labels: ['00', '11'],
      values: [4, 3]
    });
    expect(countsFromValue({ probabilities: { '0': 0.5, '1': 0.5 } })?.values).toEqual([
      0.5, 0.5
    ]);
    expect(countsFromValue([1, 2])).toBeNull();
    const expectations = {
      sweep: {
        points: [{ theta: 0 }, { theta: 1.5 }],
        results: [{ expectations: { Z0: 1 } }, { expectations: { Z0: 0.07 } }]
      },
      metadata: {}
    };
    expect(curveFromValue(expectations)).toEqual({
      kind: 'sweep',
      label: '⟨Z0⟩',
      labels: ['0', '1.5'],
      values: [1, 0.07]
    });
    const counts = {
      sweep: {
        points: [
          { a: 0, b: 1 },
          { a: 1, b: 1 }
        ],
        results: [{ counts: { '0': 90, '1': 10 } }, { counts: { '0': 30, '1': 70 } }]
      }
    };
    expect(curveFromValue(counts)).toEqual({
      kind: 'sweep',
      label: 'P(0)',
      labels: ['{"a":0,"b":1}', '{"a":1,"b":1}'],
      values: [0.9, 0.3]
    });
  });
});
