import React from 'react';
import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BigWorkflowView } from './BigWorkflowView';
import { Task } from '../types';

describe('BigWorkflowView', () => {
  it('renders 5,000 tasks as group rows, not one element per task', () => {
    const tasks: Task[] = Array.from({ length: 5000 }, (_, i) => ({
      id: `t${i}`,
      kind: 'classical',
      fn: 'constant',
      group: `g${i % 10}`
    }));
    const status = Object.fromEntries(
      tasks.slice(0, 1200).map(t => [t.id, 'succeeded' as const])
    );
    const { container } = render(<BigWorkflowView tasks={tasks} status={status} />);
    expect(container.querySelectorAll('tbody tr')).toHaveLength(10);
    expect(
      container.querySelector('[data-state-count="succeeded"]')?.textContent
    ).toContain('1200');
    expect(container.querySelectorAll('*').length).toBeLessThan(300);
  });
});
