/** Chart data for the dashboard, computed from API answers (pure, unit-tested). */
import { RunDetail, Task, TaskMetrics, TaskAggregate, WorkflowSpec } from '../types';
import { aggregate } from './aggregate';

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

/** Measurement counts in a task's output preview, if it has any. */
export function countsOf(preview: string | null | undefined): Series | null {
  const value = parseMaybe(preview) as { counts?: unknown } | undefined;
  let counts = value && typeof value === 'object' ? value.counts : undefined;
  if (counts === undefined && preview) {
    // previews are truncated to a few hundred characters: the counts come first
    const match = /"counts":\s*(\{[^{}]*\})/.exec(preview);
    counts = match ? parseMaybe(match[1]) : undefined;
  }
  if (!counts || typeof counts !== 'object') {
    return null;
  }
  const entries = Object.entries(counts as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'number')
    .sort(([a], [b]) => a.localeCompare(b)) as [string, number][];
  return entries.length
    ? { labels: entries.map(e => e[0]), values: entries.map(e => e[1]) }
    : null;
}

/**
 * A sweep (value vs parameter point) or a convergence trace (list of numbers, or
 * `{history: [...]}`) in a task's output preview.
 */
export function curveOf(
  preview: string | null | undefined
): (Series & { kind: string }) | null {
  const value = parseMaybe(preview);
  const numbers = (xs: unknown): number[] | null =>
    Array.isArray(xs) && xs.length > 1 && xs.every(x => typeof x === 'number')
      ? (xs as number[])
      : null;
  const direct = numbers(value);
  if (direct) {
    return {
      kind: 'convergence',
      labels: direct.map((_, i) => String(i)),
      values: direct
    };
  }
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const hist = numbers(obj.history) ?? numbers(obj.values);
    if (hist) {
      return {
        kind: 'convergence',
        labels: hist.map((_, i) => String(i)),
        values: hist
      };
    }
    const sweep = obj.sweep as { points?: unknown[]; results?: unknown[] } | undefined;
    if (sweep && Array.isArray(sweep.points) && Array.isArray(sweep.results)) {
      const ys = sweep.results.map(r =>
        typeof r === 'number'
          ? r
          : Number(
              Object.values((r as { expectations?: object })?.expectations ?? {})[0]
            )
      );
      if (ys.every(Number.isFinite)) {
        return {
          kind: 'sweep',
          labels: sweep.points.map(p =>
            typeof p === 'object' ? JSON.stringify(p) : String(p)
          ),
          values: ys
        };
      }
    }
  }
  return null;
}

/** For big runs: tasks per group in the finished/active/waiting buckets. */
export function groupProgress(spec: WorkflowSpec, detail: RunDetail) {
  const status = Object.fromEntries(detail.tasks.map(t => [t.task_id, t.status]));
  return aggregate(spec.tasks, status);
}

/** Histogram of task durations (for runs too big for a per-task timeline). */
export function durationHistogram(detail: RunDetail, bins = 20): Series {
  const ds = detail.tasks.map(t => t.duration).filter((d): d is number => d != null);
  if (!ds.length) {
    return { labels: [], values: [] };
  }
  const max = Math.max(...ds) || 1;
  const width = max / bins;
  const values = new Array<number>(bins).fill(0);
  for (const d of ds) {
    values[Math.min(bins - 1, Math.floor(d / width))] += 1;
  }
  return { labels: values.map((_, i) => `${(i * width).toFixed(3)}s`), values };
}
