import { describe, expect, it } from 'vitest';
import { applyUpdates, EMPTY_RUN } from './useRunStatus';

describe('applyUpdates', () => {
  const batch = [
    { task: 'a', status: 'running' },
    { task: 'a', status: 'succeeded', cacheHit: true },
    { task: null, status: 'running' }
  ];

  it('keeps every task state and the run status', () => {
    const s = applyUpdates({ ...EMPTY_RUN, runId: 'r' }, batch);
    expect(s.tasks).toEqual({ a: 'cached' });
    expect(s.runStatus).toBe('running');
    expect(s.updates).toBe(1);
  });

  it('a light view (big workflows) keeps no task rows but still counts the update', () => {
    const s = applyUpdates({ ...EMPTY_RUN, runId: 'r' }, batch, true);
    expect(s.tasks).toEqual({});
    expect(s.runStatus).toBe('running');
    expect(s.updates).toBe(1);
  });
});
