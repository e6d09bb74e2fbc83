/** What one task did in the current run: status, output preview, metrics, logs; re-run. */
import React from 'react';
import { api } from '../client';
import { useResource } from '../hooks/useResource';
import { TaskMetrics, TaskStatus } from '../types';

export interface NodeDetailsProps {
  runId: string;
  taskId: string;
  workflowId?: string | null;
  liveStatus?: TaskStatus;
  onRerun: (newRunId: string) => void;
}

export function NodeDetails({
  runId,
  taskId,
  workflowId,
  liveStatus,
  onRerun
}: NodeDetailsProps) {
  const detail = useResource(() => api.runDetail(runId), [runId, taskId, liveStatus]);
  const logs = useResource(() => api.logs(runId, taskId), [runId, taskId, liveStatus]);
  const perf = useResource(
    () => (workflowId ? api.performance(workflowId) : Promise.resolve(undefined)),
    [workflowId, liveStatus]
  );
  const info = detail.data?.tasks.find(t => t.task_id === taskId);
  const metrics: TaskMetrics | undefined = perf.data?.latest.find(
    m => m.task_id === taskId && m.run_id === runId
  );
  const [error, setError] = React.useState<string | null>(null);
  return (
    <div className="jp-QFlow-details" data-task-details={taskId}>
      <div className="jp-QFlow-props-title">
        Task <code>{taskId}</code> — {liveStatus ?? info?.status ?? '…'}
      </div>
      {info && (
        <dl className="jp-QFlow-dl">
          <dt>Attempts</dt>
          <dd>{info.attempts}</dd>
          <dt>Duration</dt>
          <dd>{info.duration != null ? `${info.duration.toFixed(3)} s` : '—'}</dd>
          <dt>Cache hit</dt>
          <dd>{info.cache_hit ? 'yes' : 'no'}</dd>
          {info.error && (
            <>
              <dt>Error</dt>
              <dd className="jp-QFlow-field-error">{info.error}</dd>
            </>
          )}
        </dl>
      )}
      <div className="jp-QFlow-subtitle">Output</div>
      <pre className="jp-QFlow-pre" data-output>
        {info?.output_summary ?? '—'}
      </pre>
      {metrics && (
        <>
          <div className="jp-QFlow-subtitle">Metrics</div>
          <pre className="jp-QFlow-pre">
            {Object.entries(metrics)
              .filter(([k, v]) => v != null && k !== 'run_id' && k !== 'task_id')
              .map(
                ([k, v]) =>
                  `${k}: ${typeof v === 'number' ? +v.toFixed(4) : JSON.stringify(v)}`
              )
              .join('\n')}
          </pre>
        </>
      )}
      <div className="jp-QFlow-subtitle">Log</div>
      <pre className="jp-QFlow-pre jp-QFlow-log">
        {(logs.data?.entries ?? [])
          .map(
            e =>
              `${new Date(e.at * 1000).toLocaleTimeString()} ${e.kind} ${JSON.stringify(e.data)}`
          )
          .join('\n') || (logs.error ? logs.error.message : '—')}
      </pre>
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
