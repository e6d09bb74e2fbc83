/**
 * A clicked task's details in the notebook RunWidget: the widget has no REST API, so it
 * asks the kernel with a custom message and shows the answer (quantumflow/jupyter/widgets/
 * details.py) the way the panel's Run tab shows a task: state, times, output, measured
 * values, log.
 */
import React, { useEffect, useState } from 'react';
import { formatBytes, formatDuration, formatWhen } from '../model/format';
import { logLine } from '../model/runText';
import { statusClass, statusLabel } from '../model/statusPalette';
import { RunEvent, TaskStatus } from '../types';

/** What the kernel answers for one task (`detail` of its `details` message). */
export interface TaskDetail {
  error?: string | null;
  status?: TaskStatus;
  attempts?: number;
  cache_hit?: boolean;
  started_at?: number | null;
  finished_at?: number | null;
  duration_s?: number | null;
  worker?: string | null;
  cpu_s?: number | null;
  peak_mem_bytes?: number | null;
  output?: string | null;
  output_truncated?: boolean;
  log?: RunEvent[];
}

/** The part of anywidget's model the details pane uses. */
export interface MessagingModel {
  send(content: unknown): void;
  on(event: string, callback: (content: unknown) => void): void;
  off(event?: string | null, callback?: ((content: unknown) => void) | null): void;
}

interface Answer {
  type?: string;
  task?: string;
  detail?: TaskDetail;
}

/** What the pane says when no kernel can answer (the model cannot send). */
export const NO_KERNEL = 'Task details come from the kernel, and this view has none.';

/** Ask the kernel for `taskId`'s details; undefined until it answers. */
export function useTaskDetail(
  model: MessagingModel,
  taskId: string
): TaskDetail | undefined {
  const [detail, setDetail] = useState<TaskDetail | undefined>(undefined);
  useEffect(() => {
    setDetail(undefined);
    const onMessage = (content: unknown) => {
      const answer = content as Answer;
      if (answer?.type === 'details' && answer.task === taskId && answer.detail) {
        setDetail(answer.detail);
      }
    };
    if (typeof model.send !== 'function') {
      // a page that draws the widget without a kernel behind it (a static export)
      setDetail({ error: NO_KERNEL });
      return;
    }
    model.on('msg:custom', onMessage);
    model.send({ type: 'details', task: taskId });
    return () => model.off('msg:custom', onMessage);
  }, [model, taskId]);
  return detail;
}

export function TaskDetails({
  model,
  taskId
}: {
  model: MessagingModel;
  taskId: string;
}) {
  const d = useTaskDetail(model, taskId);
  if (!d) {
    return (
      <div className="jp-QFlow-details jp-QFlow-muted" data-task-details={taskId}>
        Reading {taskId}…
      </div>
    );
  }
  if (d.error && !d.status) {
    return (
      <div className="jp-QFlow-details jp-QFlow-muted" data-task-details={taskId}>
        {d.error}
      </div>
    );
  }
  const measured: [string, string][] = [];
  if (typeof d.cpu_s === 'number') {
    measured.push(['CPU time', formatDuration(d.cpu_s)]);
  }
  if (typeof d.peak_mem_bytes === 'number') {
    measured.push(['Peak memory', formatBytes(d.peak_mem_bytes)]);
  }
  const log = d.log ?? [];
  return (
    <div className="jp-QFlow-details" data-task-details={taskId}>
      <div className="jp-QFlow-props-title">
        <code>{taskId}</code>{' '}
        <span className={`jp-QFlow-pill ${statusClass(d.status)}`}>
          {statusLabel(d.status)}
        </span>
      </div>
      <dl className="jp-QFlow-dl">
        <dt>Started</dt>
        <dd>{formatWhen(d.started_at)}</dd>
        <dt>Took</dt>
        <dd>{formatDuration(d.duration_s)}</dd>
        <dt>Attempts</dt>
        <dd>{d.attempts ?? 0}</dd>
        <dt>Result cache</dt>
        <dd>{d.cache_hit ? 'reused a stored result' : 'computed'}</dd>
        {d.worker && (
          <>
            <dt>Worker</dt>
            <dd>{d.worker}</dd>
          </>
        )}
        {d.error && (
          <>
            <dt>Error</dt>
            <dd className="jp-QFlow-field-error">{d.error}</dd>
          </>
        )}
        {measured.map(([label, value]) => (
          <React.Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </React.Fragment>
        ))}
      </dl>
      <div className="jp-QFlow-subtitle">Output</div>
      <pre className="jp-QFlow-pre" data-output>
        {d.output == null
          ? 'No output yet.'
          : d.output + (d.output_truncated ? ' …' : '')}
      </pre>
      <div className="jp-QFlow-subtitle">Log</div>
      <pre className="jp-QFlow-pre jp-QFlow-log">
        {log.map(e => logLine(e)).join('\n') || 'Nothing logged yet.'}
      </pre>
    </div>
  );
}
