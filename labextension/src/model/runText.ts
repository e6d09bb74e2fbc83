/** Run records in words: log lines, metrics with units (pure; used by the Run tab). */
import { RunEvent, TaskMetrics } from '../types';
import { formatBytes, formatDuration, formatWhen } from './format';

/** "06:19:07  succeeded · attempt 1 · 6 ms" from one stored event. */
export function logLine(e: RunEvent, now = new Date()): string {
  const d = e.data ?? {};
  const what = typeof d.status === 'string' ? d.status.replace(/_/g, ' ') : e.kind;
  const parts = [what];
  if (typeof d.attempt === 'number') {
    parts.push(`attempt ${d.attempt}`);
  }
  if (typeof d.duration === 'number') {
    parts.push(formatDuration(d.duration));
  }
  if (d.cache_hit === true) {
    parts.push('from the cache');
  }
  if (typeof d.error === 'string' && d.error) {
    parts.push(d.error);
  }
  const when = formatWhen(e.at, now).replace(/^today /, '');
  return `${when}  ${parts.join(' · ')}`;
}

const METRICS: [keyof TaskMetrics | string, string, (v: number) => string][] = [
  ['wall_s', 'Run time', formatDuration],
  ['queue_s', 'Waited', formatDuration],
  ['cpu_s', 'CPU time', formatDuration],
  ['peak_mem_bytes', 'Peak memory', formatBytes],
  ['shots', 'Shots', v => String(v)],
  ['cost_usd', 'Cost', v => `$${v.toFixed(2)}`]
];

/** The metrics a user cares about, labelled and with units; others stay in "raw". */
export function metricRows(m: TaskMetrics): [string, string][] {
  const rows: [string, string][] = [];
  for (const [key, label, show] of METRICS) {
    const v = m[key];
    if (typeof v === 'number' && Number.isFinite(v)) {
      rows.push([label, show(v)]);
    }
  }
  return rows;
}
