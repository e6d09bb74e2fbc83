/**
 * The dashboard of a big run, every piece from an aggregate endpoint (SQL on the server):
 * progress per group and state with ETAs (paged), throughput over time, a Gantt of worker
 * lanes (run vs queue per time bucket), cost burn-down against the budget, a sweep's
 * objective over its grid, the slowest tasks and the failures (paged), and the log-binned
 * duration histogram.
 */
import React, { useState } from 'react';
import { Line } from 'react-chartjs-2';
import { requestAPI } from '../api';
import { baseOptions, themeColor } from '../charts/register';
import { ChartCard } from '../charts/ChartCard';
import { useResource } from '../hooks/useResource';
import { formatDuration } from '../model/format';
import { statusClass, statusLabel } from '../model/statusPalette';
import { TASK_STATUSES } from '../generated/status';
import {
  CostBurn,
  DurationHistogram,
  Lanes,
  Objective,
  RunProgress,
  TaskRowPage,
  Throughput
} from '../types';
import { DurationChart } from './DurationChart';
import { LanesGantt } from './LanesGantt';
import { useThemeChange } from '../charts/useThemeChange';

const PAGE = 20;

function get<T>(runId: string, what: string): Promise<T> {
  return requestAPI<T>(`runs/${encodeURIComponent(runId)}/${what}`);
}

/** "+3 min 20 s" labels of time buckets from the run's start. */
export function bucketLabels(n: number, width: number): string[] {
  return Array.from({ length: n }, (_, i) => `+${formatDuration(i * width)}`);
}

function Pager({
  offset,
  total,
  limit,
  onOffset
}: {
  offset: number;
  total: number;
  limit: number;
  onOffset: (o: number) => void;
}) {
  if (total <= limit) {
    return null;
  }
  return (
    <div className="jp-QFlow-pager">
      <button
        className="jp-mod-styled"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - limit))}
      >
        Previous
      </button>
      <span>
        {offset + 1}–{Math.min(total, offset + limit)} of {total.toLocaleString()}
      </span>
      <button
        className="jp-mod-styled"
        disabled={offset + limit >= total}
        onClick={() => onOffset(offset + limit)}
      >
        Next
      </button>
    </div>
  );
}

function GroupProgress({ runId, version }: { runId: string; version?: number }) {
  const [offset, setOffset] = useState(0);
  const p = useResource(
    () => get<RunProgress>(runId, `progress?limit=${PAGE}&offset=${offset}`),
    [runId, version, offset]
  );
  if (!p.data) {
    return null;
  }
  const d = p.data;
  return (
    <div data-dashboard-part="progress">
      <div className="jp-QFlow-props-title">
        {d.done.toLocaleString()} of {d.total.toLocaleString()} done ·{' '}
        {formatDuration(d.elapsed_s)}
        {d.eta_s != null && d.eta_s > 0
          ? ` · about ${formatDuration(d.eta_s)} left`
          : ''}
      </div>
      <table className="jp-QFlow-table">
        <thead>
          <tr>
            <th>Group</th>
            <th>Done</th>
            <th>States</th>
            <th>ETA</th>
          </tr>
        </thead>
        <tbody>
          {d.groups.map(g => (
            <tr key={g.group} data-group-row={g.group}>
              <td>{g.group}</td>
              <td className="jp-QFlow-num">
                {g.done.toLocaleString()}/{g.total.toLocaleString()}
              </td>
              <td style={{ width: '40%' }}>
                <div className="jp-QFlow-statebar">
                  {TASK_STATUSES.filter(s => (g.states[s] ?? 0) > 0).map(s => (
                    <span
                      key={s}
                      className={`jp-QFlow-statebar-seg ${statusClass(s)}`}
                      style={{ flexGrow: g.states[s] }}
                      title={`${statusLabel(s)}: ${g.states[s]}`}
                    />
                  ))}
                </div>
              </td>
              <td>{g.eta_s == null ? '—' : formatDuration(g.eta_s)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager offset={offset} total={d.total_groups} limit={PAGE} onOffset={setOffset} />
    </div>
  );
}

function ThroughputChart({ t }: { t: Throughput }) {
  useThemeChange(); // theme colours are read below
  if (!t.buckets) {
    return null;
  }
  const text = themeColor('--jp-ui-font-color1', '#333');
  const base = baseOptions('Throughput (tasks finished per second)');
  const perSecond = (xs: number[]) => xs.map(x => x / t.width);
  return (
    <ChartCard id="throughput">
      <Line
        data={{
          labels: bucketLabels(t.buckets, t.width),
          datasets: Object.entries(t.series as Record<string, number[]>).map(
            ([s, xs]) => ({
              label: statusLabel(s),
              data: perSecond(xs),
              pointRadius: 0,
              borderColor: themeColor(
                s === 'failed' ? '--jp-error-color1' : '--jp-brand-color1',
                '#39f'
              )
            })
          )
        }}
        options={{
          ...base,
          scales: {
            x: {
              ...base.scales.x,
              title: { display: true, text: 'time from start', color: text }
            },
            y: {
              ...base.scales.y,
              title: { display: true, text: 'tasks/s', color: text }
            }
          }
        }}
      />
    </ChartCard>
  );
}

/** A sweep's objective over its tasks in spec order (bins: mean with min and max). */
function ObjectiveChart({ o }: { o: Objective }) {
  useThemeChange(); // theme colours are read below
  if (!o.group || !o.points.length) {
    return null;
  }
  const text = themeColor('--jp-ui-font-color1', '#333');
  const line = themeColor('--jp-brand-color1', '#39f');
  const band = themeColor('--jp-border-color1', '#bbb');
  const base = baseOptions(`Objective over ${o.group} (${o.groups[o.group]} values)`);
  const at = (i: number) => o.points.map(p => ({ x: Number(p[0]), y: Number(p[i]) }));
  const binned = o.points.some(p => Number(p[1]) > 1);
  const datasets = [{ label: 'mean', data: at(3), borderColor: line, pointRadius: 0 }];
  if (binned) {
    datasets.push({ label: 'min', data: at(2), borderColor: band, pointRadius: 0 });
    datasets.push({ label: 'max', data: at(4), borderColor: band, pointRadius: 0 });
  }
  return (
    <ChartCard id="objective">
      <Line
        data={{ datasets }}
        options={{
          ...base,
          scales: {
            x: {
              ...base.scales.x,
              type: 'linear' as const,
              title: { display: true, text: 'task (spec order)', color: text }
            },
            y: {
              ...base.scales.y,
              title: { display: true, text: 'objective', color: text }
            }
          }
        }}
      />
    </ChartCard>
  );
}

function CostChart({ c }: { c: CostBurn }) {
  useThemeChange(); // theme colours are read below
  if (!c.cumulative.length || (!c.total && c.budget_usd == null)) {
    return null;
  }
  const text = themeColor('--jp-ui-font-color1', '#333');
  const base = baseOptions(
    `Cost: $${c.total.toFixed(2)}${c.budget_usd != null ? ` of $${c.budget_usd} budget` : ''}`
  );
  const datasets = [
    {
      label: 'spent (USD)',
      data: c.cumulative,
      pointRadius: 0,
      borderColor: themeColor('--jp-brand-color1', '#39f')
    }
  ];
  if (c.budget_usd != null) {
    datasets.push({
      label: 'budget',
      data: c.cumulative.map(() => c.budget_usd as number),
      pointRadius: 0,
      borderColor: themeColor('--jp-error-color1', '#d33')
    });
  }
  return (
    <ChartCard id="cost">
      <Line
        data={{ labels: bucketLabels(c.cumulative.length, c.width), datasets }}
        options={{
          ...base,
          scales: {
            x: {
              ...base.scales.x,
              title: { display: true, text: 'time from start', color: text }
            },
            y: { ...base.scales.y, title: { display: true, text: 'USD', color: text } }
          }
        }}
      />
    </ChartCard>
  );
}

function TaskTable({
  runId,
  what,
  title,
  version
}: {
  runId: string;
  what: 'slowest' | 'failures';
  title: string;
  version?: number;
}) {
  const [offset, setOffset] = useState(0);
  const page = useResource(
    () => get<TaskRowPage>(runId, `${what}?limit=${PAGE}&offset=${offset}`),
    [runId, what, version, offset]
  );
  if (!page.data || !page.data.total) {
    return null;
  }
  return (
    <div data-dashboard-part={what}>
      <div className="jp-QFlow-props-title">
        {title} ({page.data.total.toLocaleString()})
      </div>
      <table className="jp-QFlow-table">
        <thead>
          <tr>
            <th>Task</th>
            <th>Group</th>
            <th>Status</th>
            <th>Run time</th>
            <th>Attempts</th>
            {what === 'failures' && <th>Error</th>}
          </tr>
        </thead>
        <tbody>
          {page.data.items.map(r => (
            <tr key={r.task_id} data-task-row={r.task_id}>
              <td>{r.task_id}</td>
              <td>{r.group}</td>
              <td>{statusLabel(r.status)}</td>
              <td className="jp-QFlow-num">{formatDuration(r.duration)}</td>
              <td className="jp-QFlow-num">{r.attempts}</td>
              {what === 'failures' && <td>{r.error}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      <Pager
        offset={offset}
        total={page.data.total}
        limit={PAGE}
        onOffset={setOffset}
      />
    </div>
  );
}

export function BigRunDashboard({
  runId,
  version,
  durations
}: {
  runId: string;
  version?: number;
  durations?: DurationHistogram | null;
}) {
  const charts = useResource(
    () =>
      Promise.all([
        get<Throughput>(runId, 'throughput'),
        get<Lanes>(runId, 'lanes'),
        get<CostBurn>(runId, 'cost'),
        get<Objective>(runId, 'objective')
      ]),
    [runId, version]
  );
  const [throughput, lanes, cost, objective] = charts.data ?? [null, null, null, null];
  return (
    <div className="jp-QFlow-bigdash" data-big-dashboard={runId}>
      <GroupProgress runId={runId} version={version} />
      <div className="jp-QFlow-runview-charts">
        {throughput && <ThroughputChart t={throughput} />}
        <DurationChart hist={durations} />
        {cost && <CostChart c={cost} />}
        {objective && <ObjectiveChart o={objective} />}
      </div>
      {lanes && <LanesGantt lanes={lanes} />}
      <TaskTable runId={runId} what="failures" title="Failures" version={version} />
      <TaskTable runId={runId} what="slowest" title="Slowest tasks" version={version} />
    </div>
  );
}
