import { describe, expect, it } from 'vitest';
import { logLine, metricRows } from './runText';

describe('runText', () => {
  const now = new Date(2026, 10, 25, 12, 0, 0);
  const at = new Date(2026, 10, 25, 6, 19, 7).getTime() / 1000;
  it('writes events as log lines, not JSON', () => {
    expect(
      logLine(
        {
          id: 1,
          run_id: 'r',
          task_id: 't',
          kind: 'task',
          at,
          data: { status: 'running', attempt: 1 }
        },
        now
      )
    ).toBe('06:19:07  running · attempt 1');
    expect(
      logLine(
        {
          id: 2,
          run_id: 'r',
          task_id: 't',
          kind: 'task',
          at: at - 86400,
          data: { status: 'failed', attempt: 2, error: 'ValueError: x' }
        },
        now
      )
    ).toBe('yesterday 06:19:07  failed · attempt 2 · ValueError: x');
  });
  it('labels metrics with units', () => {
    expect(
      metricRows({
        run_id: 'r',
        task_id: 't',
        wall_s: 0.006,
        peak_mem_bytes: 233066496,
        cpu_s: null
      })
    ).toEqual([
      ['Run time', '6 ms'],
      ['Peak memory', '233 MB']
    ]);
  });
});
