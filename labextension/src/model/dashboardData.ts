/** Chart data for the dashboard, computed from API answers (pure, unit-tested). */
import { RunDetail, Task, TaskMetrics, TaskAggregate, WorkflowSpec } from '../types';

export interface Series {
  labels: string[];
  values: number[];
}

/** Gantt-like rows: queue and run intervals (seconds from the run's start). */
export function timeline(
  detail: RunDetail,
  metrics: TaskMetrics[] = []
): { labels: string[]; queue: [number, number][]; run: [number, number][] } {
  const queueOf = new Map(metrics.map(m => [m.task_id, m.queue_s ?? 0]));
  const t0 =
    detail.started_at ??
    Math.min(
      ...detail.tasks.map(t => t.started_at ?? Infinity).filter(Number.isFinite)
    );
  const rows = detail.tasks
    .filter(t => t.started_at != null)
    .sort((a, b) => (a.started_at ?? 0) - (b.started_at ?? 0));
  const labels: string[] = [];
  const queue: [number, number][] = [];
  const run: [number, number][] = [];
  for (const t of rows) {
    const start = (t.started_at ?? 0) - t0;
    const end = (t.finished_at ?? t.started_at ?? 0) - t0;
    const q = Math.max(0, Number(queueOf.get(t.task_id) ?? 0));
    labels.push(t.task_id);
    queue.push([Math.max(0, start - q), start]);
    run.push([start, Math.max(start, end)]);
  }
  return { labels, queue, run };
}

/** Expected (mean of earlier runs, or the estimator's) vs actual seconds per task. */
export function expectedVsActual(
  detail: RunDetail,
  history: TaskAggregate[],
  estimates: Record<string, number> = {}
): { labels: string[]; expected: (number | null)[]; actual: (number | null)[] } {
  const mean = new Map(history.map(h => [h.task_id, h.mean_wall_s ?? null]));
  const tasks = detail.tasks.slice(0, 200);
  return {
    labels: tasks.map(t => t.task_id),
    expected: tasks.map(t => estimates[t.task_id] ?? mean.get(t.task_id) ?? null),
    actual: tasks.map(t => t.duration ?? null)
  };
}

function backendOf(task: Task | undefined): string {
  if (!task) {
    return 'unknown';
  }
  return task.kind === 'quantum' ? task.backend : 'classical';
}

/** Cost (USD) and task time per backend; cost from task metrics when recorded. */
export function perBackend(
  spec: WorkflowSpec | undefined,
  detail: RunDetail,
  metrics: TaskMetrics[] = []
): { labels: string[]; cost: number[]; seconds: number[] } {
  const byId = new Map((spec?.tasks ?? []).map(t => [t.id, t]));
  const costOf = new Map(
    metrics.map(
      m => [m.task_id, Number(m.cost_usd ?? m.usd ?? 0) || 0] as [string, number]
    )
  );
  const cost = new Map<string, number>();
  const secs = new Map<string, number>();
  for (const t of detail.tasks) {
    const b = backendOf(byId.get(t.task_id));
    cost.set(b, (cost.get(b) ?? 0) + (costOf.get(t.task_id) ?? 0));
    secs.set(b, (secs.get(b) ?? 0) + (t.duration ?? 0));
  }
  const labels = [...secs.keys()].sort();
  return {
    labels,
    cost: labels.map(l => cost.get(l) ?? 0),
    seconds: labels.map(l => secs.get(l) ?? 0)
  };
}

function parseMaybe(text: string | null | undefined): unknown {
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // truncated preview
  }
}

function histogram(counts: unknown): Series | null {
  if (!counts || typeof counts !== 'object' || Array.isArray(counts)) {
    return null;
  }
  const entries = Object.entries(counts as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'number')
    .sort(([a], [b]) => a.localeCompare(b)) as [string, number][];
  return entries.length
    ? { labels: entries.map(e => e[0]), values: entries.map(e => e[1]) }
    : null;
}

/** Measurement counts (or exact probabilities) in a task's full output, if any. */
export function countsFromValue(value: unknown): Series | null {
  if (!value || typeof value !== 'object') {
    return null;
  }
  const obj = value as { counts?: unknown; probabilities?: unknown };
  return histogram(obj.counts) ?? histogram(obj.probabilities);
}

/** Measurement counts in a task's output preview (truncated to a few hundred characters). */
export function countsOf(preview: string | null | undefined): Series | null {
  const found = countsFromValue(parseMaybe(preview));
  if (found || !preview) {
    return found;
  }
  // a truncated preview: the counts come first
  const match = /"counts":\s*(\{[^{}]*\})/.exec(preview);
  return match ? histogram(parseMaybe(match[1])) : null;
}

function pointLabel(p: unknown): string {
  if (p && typeof p === 'object' && !Array.isArray(p)) {
    const values = Object.values(p as Record<string, unknown>);
    return values.length === 1 ? String(values[0]) : JSON.stringify(p);
  }
  return String(p);
}

/** One number per sweep point: its first expectation value, or the probability of the
 * outcome seen most over the whole sweep. */
function sweepValues(results: unknown[]): { label: string; values: number[] } | null {
  const items = results.map(r => (r ?? {}) as Record<string, unknown>);
  if (results.every(r => typeof r === 'number')) {
    return { label: 'value', values: results as number[] };
  }
  const firstKey = Object.keys((items[0]?.expectations as object) ?? {})[0];
  if (firstKey !== undefined) {
    const ys = items.map(r =>
      Number((r.expectations as Record<string, unknown>)?.[firstKey])
    );
    return ys.every(Number.isFinite) ? { label: `⟨${firstKey}⟩`, values: ys } : null;
  }
  const dists = items.map(r => (r.probabilities ?? r.counts) as Record<string, number>);
  if (!dists.every(d => d && typeof d === 'object')) {
    return null;
  }
  const totals = new Map<string, number>();
  const norm = dists.map(d => {
    const sum = Object.values(d).reduce((a, b) => a + Number(b), 0) || 1;
    for (const [k, v] of Object.entries(d)) {
      totals.set(k, (totals.get(k) ?? 0) + Number(v) / sum);
    }
    return { d, sum };
  });
  const top = [...totals.entries()].sort(
    (a, b) => b[1] - a[1] || a[0].localeCompare(b[0])
  )[0];
  if (!top) {
    return null;
  }
  return {
    label: `P(${top[0]})`,
    values: norm.map(({ d, sum }) => Number(d[top[0]] ?? 0) / sum)
  };
}

export type Curve = Series & { kind: 'sweep' | 'convergence'; label: string };

/**
 * A sweep (value vs parameter point) or a convergence trace (list of numbers, or
 * `{history: [...]}` / `{values: [...]}`) in a task's full output.
 */
export function curveFromValue(value: unknown): Curve | null {
  const numbers = (xs: unknown): number[] | null =>
    Array.isArray(xs) && xs.length > 1 && xs.every(x => typeof x === 'number')
      ? (xs as number[])
      : null;
  const trace = (values: number[]): Curve => ({
    kind: 'convergence',
    label: 'objective',
    labels: values.map((_, i) => String(i)),
    values
  });
  const direct = numbers(value);
  if (direct) {
    return trace(direct);
  }
  if (!value || typeof value !== 'object') {
    return null;
  }
  const obj = value as Record<string, unknown>;
  const hist = numbers(obj.history) ?? numbers(obj.values);
  if (hist) {
    return trace(hist);
  }
  const sweep = obj.sweep as { points?: unknown[]; results?: unknown[] } | undefined;
  if (sweep && Array.isArray(sweep.points) && Array.isArray(sweep.results)) {
    const ys = sweepValues(sweep.results);
    if (ys && ys.values.length === sweep.points.length) {
      return {
        kind: 'sweep',
        label: ys.label,
        labels: sweep.points.map(pointLabel),
        values: ys.values
      };
    }
  }
  return null;
}

/** A sweep or convergence trace in a task's output preview (when it parses). */
export function curveOf(preview: string | null | undefined): Curve | null {
  return curveFromValue(parseMaybe(preview));
}
