/** The run's line: status, tasks per state (a bar and a legend in the one palette), elapsed
 * and ETA. `data-state-summary` lets tests compare what is drawn with the store. */
import React from 'react';
import { TASK_STATUSES } from '../generated/status';
import { formatDuration } from '../model/format';
import { statusClass, statusLabel } from '../model/statusPalette';
import { RunViewData, stateSummary } from './viewData';

export function StateSummary({
  data,
  counts
}: {
  data: RunViewData;
  counts: Record<string, number>;
}) {
  const total = data.states.length;
  const shown = TASK_STATUSES.filter(s => (counts[s] ?? 0) > 0);
  const p = data.progress;
  return (
    <div className="jp-QFlow-runview-head" data-state-summary={stateSummary(counts)}>
      <div className="jp-QFlow-statusline" role="status" data-run-status={data.status}>
        <span className={`jp-QFlow-pill ${statusClass(data.status)}`}>
          {statusLabel(data.status)}
        </span>{' '}
        <b>{data.name}</b> · run <code>{data.runId || '—'}</code> ·{' '}
        {(p?.done ?? 0).toLocaleString()} of {total.toLocaleString()} tasks done
        {p?.elapsed_s != null ? ` · ${formatDuration(p.elapsed_s)}` : ''}
        {p?.eta_s != null && p.eta_s > 0
          ? ` · about ${formatDuration(p.eta_s)} left`
          : ''}
        {data.error ? ` · ${data.error}` : ''}
      </div>
      <div className="jp-QFlow-statebar" aria-label="Tasks per state">
        {shown.map(s => (
          <span
            key={s}
            className={`jp-QFlow-statebar-seg ${statusClass(s)}`}
            style={{ flexGrow: counts[s] }}
            title={`${statusLabel(s)}: ${counts[s]}`}
          />
        ))}
      </div>
      <div className="jp-QFlow-legend">
        {shown.map(s => (
          <span key={s} data-state-count={s}>
            <i className={`jp-QFlow-dot ${statusClass(s)}`} /> {statusLabel(s)}{' '}
            {counts[s].toLocaleString()}
          </span>
        ))}
      </div>
    </div>
  );
}
