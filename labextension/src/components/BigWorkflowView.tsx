/**
 * Workflows with ≥ 1,000 tasks: counts per state and per task group instead of one
 * node per task, so opening and following a huge run stays cheap.
 */
import React, { useMemo } from 'react';
import { aggregate, STATES } from '../model/aggregate';
import { statusClass, statusLabel } from '../model/statusPalette';
import { Task, TaskStatus } from '../types';

export interface BigWorkflowViewProps {
  tasks: Task[];
  status: Record<string, TaskStatus>;
}

export function BigWorkflowView({ tasks, status }: BigWorkflowViewProps) {
  const { total, groups } = useMemo(() => aggregate(tasks, status), [tasks, status]);
  const shown = STATES.filter(s => total[s] > 0);
  return (
    <div className="jp-QFlow-big" data-big-workflow={tasks.length}>
      <div className="jp-QFlow-props-title">
        {tasks.length.toLocaleString()} tasks in {groups.length} groups (aggregated
        view)
      </div>
      <div className="jp-QFlow-statebar" aria-label="Tasks per state">
        {shown.map(s => (
          <span
            key={s}
            className={`jp-QFlow-statebar-seg ${statusClass(s)}`}
            style={{ flexGrow: total[s] }}
            title={`${statusLabel(s)}: ${total[s]}`}
          />
        ))}
      </div>
      <div className="jp-QFlow-legend">
        {shown.map(s => (
          <span key={s} data-state-count={s}>
            <i className={`jp-QFlow-dot ${statusClass(s)}`} /> {statusLabel(s)}{' '}
            {total[s]}
          </span>
        ))}
      </div>
      <table className="jp-QFlow-table">
        <thead>
          <tr>
            <th>Group</th>
            <th>Tasks</th>
            {shown.map(s => (
              <th key={s}>{s}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {groups.slice(0, 200).map(g => (
            <tr key={g.group}>
              <td>{g.group}</td>
              <td>{g.total}</td>
              {shown.map(s => (
                <td key={s}>{g.counts[s] || ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {groups.length > 200 && (
        <div className="jp-QFlow-muted">first 200 groups shown</div>
      )}
    </div>
  );
}
