import React from 'react';
import { act, render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MessagingModel, NO_KERNEL, TaskDetails } from './TaskDetails';

/** anywidget's custom-message channel, both ends in one object (the kernel's answer is
 * delivered by `answer`). */
function channel() {
  const listeners = new Set<(content: unknown) => void>();
  const sent: unknown[] = [];
  const model: MessagingModel = {
    send: content => sent.push(content),
    on: (event, cb) => {
      if (event === 'msg:custom') {
        listeners.add(cb);
      }
    },
    off: (_event, cb) => {
      if (cb) {
        listeners.delete(cb);
      }
    }
  };
  const answer = (content: unknown) => act(() => listeners.forEach(cb => cb(content)));
  return { model, sent, answer, listeners };
}

describe('TaskDetails', () => {
  it('asks the kernel for the clicked task and shows its answer in human forms', () => {
    const { model, sent, answer } = channel();
    const { container } = render(<TaskDetails model={model} taskId="t7" />);
    expect(sent).toEqual([{ type: 'details', task: 't7' }]);
    expect(container.textContent).toContain('Reading t7');
    answer({ type: 'details', task: 'other', detail: { status: 'failed' } }); // not ours
    expect(container.textContent).toContain('Reading t7');
    answer({
      type: 'details',
      task: 't7',
      detail: {
        status: 'succeeded',
        attempts: 2,
        started_at: 1_700_000_000,
        duration_s: 1.5,
        cpu_s: 0.25,
        peak_mem_bytes: 3 * 2 ** 20,
        worker: 'host:123',
        output: '{"counts": {"00": 5}}',
        output_truncated: true,
        log: [
          {
            id: 1,
            run_id: 'r',
            task_id: 't7',
            kind: 'task',
            at: 1_700_000_000,
            data: { status: 'running', attempt: 2 }
          }
        ]
      }
    });
    const text = container.textContent ?? '';
    expect(text).toContain('succeeded');
    expect(text).toContain('1.5 s');
    expect(text).toContain('250 ms');
    expect(text).toContain('3.1 MB');
    expect(text).toContain('host:123');
    expect(text).toContain('{"counts": {"00": 5}} …');
    expect(text).toContain('running · attempt 2');
    expect(text).not.toContain('1700000000');
  });

  it('says why when there are no details, and stops listening when closed', () => {
    const { model, answer, listeners } = channel();
    const { container, unmount } = render(<TaskDetails model={model} taskId="x" />);
    answer({ type: 'details', task: 'x', detail: { error: 'run r has no task x' } });
    expect(container.textContent).toContain('run r has no task x');
    unmount();
    expect(listeners.size).toBe(0);
  });

  it('says so, and does not fail, when no kernel can answer', () => {
    const model = { on: () => {}, off: () => {} } as unknown as MessagingModel;
    const { container } = render(<TaskDetails model={model} taskId="x" />);
    expect(container.textContent).toContain(NO_KERNEL);
  });
});
