import { describe, expect, it } from 'vitest';
import { TASK_STATUSES } from '../generated/status';
import {
  codeOfStatus,
  countStates,
  stateSummary,
  statusOfCode,
  withStates
} from './viewData';
import { binLabels } from './DurationChart';

describe('viewData', () => {
  it('round-trips every status through its digit', () => {
    for (const s of TASK_STATUSES) {
      expect(statusOfCode(codeOfStatus(s))).toBe(s);
    }
  });

  it('counts states and summarises them sorted by name', () => {
    const states = withStates('0000', [
      [1, 'running'],
      [3, 'failed'],
      [9, 'failed'] // out of range: ignored
    ]);
    expect(countStates(states)).toEqual({ pending: 2, running: 1, failed: 1 });
    expect(stateSummary(countStates(states))).toBe('failed:1,pending:2,running:1');
    expect(withStates(states, [])).toBe(states);
  });

  it('labels log bins as human durations, not raw seconds', () => {
    expect(binLabels([0.1, 0.178, 1, 100])).toEqual([
      '100 ms–178 ms',
      '178 ms–1.0 s',
      '1.0 s–1 min 40 s'
    ]);
  });
});
