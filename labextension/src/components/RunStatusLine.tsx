/**
 * The one line that says where the current run is. It reads the same live state as the
 * nodes (useRunStatus), so the two never disagree; after an edit it says the run shown
 * is of the previous version.
 */
import React from 'react';
import { RunState } from '../hooks/useRunStatus';
import { formatCount, formatDuration } from '../model/format';
import { statusClass, statusLabel } from '../model/statusPalette';

export interface RunStatusLineProps {
  run: RunState;
  stale: boolean;
  taskCount: number;
}

const DONE = new Set(['succeeded', 'cached', 'failed', 'skipped', 'cancelled']);

export function RunStatusLine({ run, stale, taskCount }: RunStatusLineProps) {
  if (!run.runId) {
    return null;
  }
  const status = run.runStatus ?? 'pending';
  const done = Object.values(run.tasks).filter(s => DONE.has(s)).length;
  const took =
    run.startedAt != null && run.finishedAt != null
      ? ` · took ${formatDuration(run.finishedAt - run.startedAt)}`
      : '';
  return (
    <div className="jp-QFlow-statusline" role="status" data-run-status={status}>
      <span className={`jp-QFlow-pill ${statusClass(status)}`}>
        {statusLabel(status)}
      </span>{' '}
      Run <code>{run.runId}</code> · {done} of {formatCount(taskCount, 'task')} done
      {took}
      {run.error ? ` · ${run.error}` : ''}
      {stale && (
        <span className="jp-QFlow-stale-note" data-stale>
          {' '}
          · edited since this run: Run again to use the changes
        </span>
      )}
    </div>
  );
}
