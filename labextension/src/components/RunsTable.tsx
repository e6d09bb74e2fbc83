/** Run history: filter, cancel, resume, re-run, open a run on the canvas. */
import React, { useState } from 'react';
import { api } from '../client';
import { RUN_STATUSES } from '../generated/status';
import { useResource } from '../hooks/useResource';
import { formatDuration, formatWhen } from '../model/format';
import { statusClass, statusLabel } from '../model/statusPalette';
import { RunSummary } from '../types';

export interface RunsTableProps {
  onOpen: (run: RunSummary) => void;
  onStarted: (runId: string, workflowId?: string) => void;
  refreshSignal?: number;
}

const STATUSES = ['', ...RUN_STATUSES];
/** Runs the server may continue: a 'running' one whose engine died shows as running too
 * (the server answers 409 while it is really alive). */
const RESUMABLE = new Set([
  'running',
  'failed',
  'cancelled',
  'interrupted',
  'budget_exceeded'
]);

/** How long a run took (so far, while it runs). */
export function runDuration(run: RunSummary, now = Date.now() / 1000): string {
  if (!run.started_at) {
    return '—';
  }
  return formatDuration((run.finished_at ?? now) - run.started_at);
}

export function RunsTable({ onOpen, onStarted, refreshSignal }: RunsTableProps) {
  const [status, setStatus] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const runs = useResource(
    () => api.runs({ status, limit: 100 }),
    [status, refreshSignal]
  );
  const needle = text.trim().toLowerCase();
  const rows = (runs.data?.items ?? []).filter(
    r =>
      !needle ||
      `${r.name ?? ''} ${r.id} ${r.workflow_id ?? ''}`.toLowerCase().includes(needle)
  );
  const act = (p: Promise<unknown>) =>
    p.then(
      () => runs.reload(),
      (e: Error) => setError(e.message)
    );

  const rerun = async (run: RunSummary) => {
    if (run.workflow_id) {
      const accepted = await api.saveAndRunById(run.workflow_id);
      onStarted(accepted.run_id, run.workflow_id);
      return;
    }
    const detail = await api.runDetail(run.id);
    const first = detail.tasks[0]?.task_id;
    if (!first) {
      throw new Error('this run has no tasks to re-run');
    }
    onStarted((await api.rerun(run.id, first)).run_id);
  };

  return (
    <div className="jp-QFlow-runs">
      <div className="jp-QFlow-toolbar">
        <input
          aria-label="Filter runs"
          placeholder="Filter by workflow or run id"
          value={text}
          onChange={e => setText(e.target.value)}
        />
        <select
          aria-label="Status filter"
          value={status}
          onChange={e => setStatus(e.target.value)}
        >
          {STATUSES.map(s => (
            <option key={s} value={s}>
              {s ? statusLabel(s) : 'any status'}
            </option>
          ))}
        </select>
        <button className="jp-mod-styled" onClick={runs.reload}>
          Refresh
        </button>
      </div>
      {(error || runs.error) && (
        <div className="jp-QFlow-field-error">{error ?? runs.error?.message}</div>
      )}
      <table className="jp-QFlow-table" aria-label="Runs">
        <thead>
          <tr>
            <th>Workflow</th>
            <th>Status</th>
            <th>Started</th>
            <th>Duration</th>
            <th>Cost</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map(r => (
            <tr key={r.id} data-run-id={r.id}>
              <td title={r.id}>{r.name ?? r.workflow_id ?? r.id}</td>
              <td>
                <span className={`jp-QFlow-pill ${statusClass(r.status)}`}>
                  {statusLabel(r.status)}
                </span>
              </td>
              <td>{formatWhen(r.started_at ?? r.created_at)}</td>
              <td>{runDuration(r)}</td>
              <td>
                {typeof r.cost_usd === 'number' ? `$${r.cost_usd.toFixed(2)}` : '—'}
              </td>
              <td className="jp-QFlow-actions">
                <button className="jp-mod-styled" onClick={() => onOpen(r)}>
                  Open
                </button>
                {(r.status === 'running' || r.status === 'pending') && (
                  <button
                    className="jp-mod-styled jp-mod-warn"
                    onClick={() => act(api.cancel(r.id))}
                  >
                    Cancel
                  </button>
                )}
                {RESUMABLE.has(r.status) && (
                  <button
                    className="jp-mod-styled"
                    title="Continue this run: finished tasks are kept, waiting cloud jobs are collected"
                    onClick={() => act(api.resume(r.id))}
                  >
                    Resume
                  </button>
                )}
                <button className="jp-mod-styled" onClick={() => act(rerun(r))}>
                  Re-run
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!runs.loading && rows.length === 0 && (
        <div className="jp-QFlow-muted">No runs yet.</div>
      )}
    </div>
  );
}
