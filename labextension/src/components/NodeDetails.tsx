/**
 * The Run tab of a task: what it did in the current run (state, times, output, metrics,
 * log) in human forms, raw JSON behind expanders; "Re-run from here".
 */
import React from 'react';
import { APIError } from '../api';
import { api } from '../client';
import { useResource } from '../hooks/useResource';
import { formatDuration, formatWhen } from '../model/format';
import { logLine, metricRows } from '../model/runText';
import { statusClass, statusLabel } from '../model/statusPalette';
import { TaskMetrics, TaskStatus } from '../types';
import { OutputView } from './OutputView';

export interface NodeDetailsProps {
  runId: string;
  taskId: string;
  workflowId?: string | null;
  liveStatus?: TaskStatus;
  /** A task of a big run: read its logs and output only (not every task's row). */
  light?: boolean;
  /** The spec was edited since this run. */
  stale?: boolean;
  onRerun: (newRunId: string) => void;
}

const MAX_OUTPUT = 2_000_000;

export function NodeDetails({
  runId,
  taskId,
  workflowId,
  liveStatus,
  light = false,
  stale,
  onRerun
}: NodeDetailsProps) {
  const detail = useResource(
    () => (light ? Promise.resolve(undefined) : api.runDetail(runId)),
    [runId, taskId, liveStatus, light]
  );
  const logs = useResource(() => api.logs(runId, taskId), [runId, taskId, liveStatus]);
  const done = liveStatus === 'succeeded' || liveStatus === 'cached';
  const output = useResource(
    () =>
      done ? api.taskOutput(runId, taskId, MAX_OUTPUT) : Promise.resolve(undefined),
    [runId, taskId, done]
  );
  const perf = useResource(
    () =>
      workflowId && !light ? api.performance(workflowId) : Promise.resolve(undefined),
    [workflowId, liveStatus, light]
  );
  const info = detail.data?.tasks.find(t => t.task_id === taskId);
  const metrics: TaskMetrics | undefined = perf.data?.latest.find(
    m => m.task_id === taskId && m.run_id === runId
  );
  const [error, setError] = React.useState<string | null>(null);
  const status = liveStatus ?? info?.status;
  const tooBig =
    output.error instanceof APIError && output.error.status === 413
      ? String(output.error.detail)
      : undefined;
  return (
    <div className="jp-QFlow-details" data-task-details={taskId}>
      <div className="jp-QFlow-props-title">
        <code>{taskId}</code>{' '}
        <span className={`jp-QFlow-pill ${statusClass(status)}`}>
          {statusLabel(status)}
        </span>
      </div>
      {stale && (
        <div className="jp-QFlow-note">
          This is the last run; the task was edited since. Run again to see the edits.
        </div>
      )}
      {info && (
        <dl className="jp-QFlow-dl">
          <dt>Started</dt>
          <dd>{formatWhen(info.started_at)}</dd>
          <dt>Took</dt>
          <dd>{formatDuration(info.duration)}</dd>
          <dt>Attempts</dt>
          <dd>{info.attempts}</dd>
          <dt>Result cache</dt>
          <dd>{info.cache_hit ? 'reused a stored result' : 'computed'}</dd>
          {info.error && (
            <>
              <dt>Error</dt>
              <dd className="jp-QFlow-field-error">{info.error}</dd>
            </>
          )}
        </dl>
      )}
      <div className="jp-QFlow-subtitle">Output</div>
      {output.data ? (
        <OutputView value={output.data.output} sizeBytes={output.data.size_bytes} />
      ) : (
        <div className="jp-QFlow-muted" data-output>
          {tooBig
            ? `Too large to show here: ${tooBig}`
            : done
              ? 'Loading…'
              : (info?.output_summary ?? 'No output yet.')}
        </div>
      )}
      {metrics && (
        <>
          <div className="jp-QFlow-subtitle">Measured</div>
          <dl className="jp-QFlow-dl">
            {metricRows(metrics).map(([label, value]) => (
              <React.Fragment key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </React.Fragment>
            ))}
          </dl>
          <details className="jp-QFlow-raw">
            <summary>raw</summary>
            <pre className="jp-QFlow-pre">{JSON.stringify(metrics, null, 1)}</pre>
          </details>
        </>
      )}
      <div className="jp-QFlow-subtitle">Log</div>
      <pre className="jp-QFlow-pre jp-QFlow-log">
        {(logs.data?.entries ?? []).map(e => logLine(e)).join('\n') ||
          (logs.error ? logs.error.message : 'Nothing logged yet.')}
      </pre>
      {(logs.data?.entries.length ?? 0) > 0 && (
        <details className="jp-QFlow-raw">
          <summary>raw</summary>
          <pre className="jp-QFlow-pre">
            {(logs.data?.entries ?? []).map(e => JSON.stringify(e)).join('\n')}
          </pre>
        </details>
      )}
      <button
        className="jp-mod-styled"
        onClick={() => {
          api.rerun(runId, taskId).then(
            r => onRerun(r.run_id),
            (err: Error) => setError(err.message)
          );
        }}
      >
        Re-run from here
      </button>
      {error && <div className="jp-QFlow-field-error">{error}</div>}
    </div>
  );
}
