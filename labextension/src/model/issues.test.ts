import { describe, expect, it } from 'vitest';
import { issuesFromDetail } from './issues';

const spec = {
  name: 'w',
  tasks: [{ id: 'q', kind: 'quantum' as const, backend: 'x', circuit: {} }]
};

describe('issuesFromDetail', () => {
  it('reads QuantumFlow problems (task + field)', () => {
    expect(
      issuesFromDetail(
        [{ message: 'unknown backend', task: 'q', field: 'backend' }],
        spec
      )
    ).toEqual([{ task: 'q', field: 'backend', message: 'unknown backend' }]);
  });
  it('locates FastAPI loc paths on a task', () => {
    const [issue] = issuesFromDetail(
      [{ loc: ['body', 'tasks', 0, 'quantum', 'shots'], msg: 'too small' }],
      spec
    );
    expect(issue).toEqual({ task: 'q', field: 'shots', message: 'too small' });
  });
  it('keeps plain string details', () => {
    expect(issuesFromDetail('nope', spec)[0].message).toBe('nope');
  });
});
