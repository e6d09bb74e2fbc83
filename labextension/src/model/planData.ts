/** The "estimated vs actual" chart's data: the run's stored plan next to what it did
 * (pure, unit-tested). Falls back to the mean of earlier runs when no plan was stored. */
import { formatDuration } from './format';
import { RunDetail, RunPlan, TaskAggregate } from '../types';
import { expectedVsActual } from './dashboardData';

/** At most this many tasks are drawn as bars. */
export const MAX_BARS = 200;

export interface PlanChartData {
  /** `plan`: predicted seconds from the stored plan; `history`: mean of earlier runs. */
  source: 'plan' | 'history';
  labels: string[];
  predicted: (number | null)[];
  actual: (number | null)[];
  makespan: { predicted: number | null; actual: number | null; ratio: number | null };
  plannedPath: string[];
  actualPath: string[];
}

function finite(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** Predicted vs actual seconds per task, makespans and critical paths of one run. */
export function planVsActual(
  detail: RunDetail,
  plan: RunPlan | null | undefined,
  history: TaskAggregate[] = []
): PlanChartData {
  const actualMakespan =
    detail.started_at != null && detail.finished_at != null
      ? detail.finished_at - detail.started_at
      : null;
  if (!plan || !plan.plan) {
    const d = expectedVsActual(detail, history);
    return {
      source: 'history',
      labels: d.labels,
      predicted: d.expected,
      actual: d.actual,
      makespan: {
        predicted: null,
        actual: finite(plan?.actual_makespan_s) ?? actualMakespan,
        ratio: null
      },
      plannedPath: [],
      actualPath: plan?.actual_critical_path ?? []
    };
  }
  const tasks = detail.tasks.slice(0, MAX_BARS);
  return {
    source: 'plan',
    labels: tasks.map(t => t.task_id),
    predicted: tasks.map(t => finite(plan.tasks[t.task_id]?.predicted_s)),
    actual: tasks.map(
      t => finite(plan.tasks[t.task_id]?.actual_s) ?? finite(t.duration) ?? null
    ),
    makespan: {
      predicted: finite(plan.predicted_makespan_s),
      actual: finite(plan.actual_makespan_s) ?? actualMakespan,
      ratio: finite(plan.makespan_ratio)
    },
    plannedPath: plan.planned_critical_path ?? [],
    actualPath: plan.actual_critical_path
  };
}

/** Seconds for a summary line: `1.23 s`, `45 ms`, or `–` when unknown. */
export function seconds(x: number | null): string {
  if (x == null) {
    return '–';
  }
  return formatDuration(x);
}

/** A critical path as `a → b → c`, eliding the middle of long ones. */
export function pathText(path: string[], max = 8): string {
  if (!path.length) {
    return '–';
  }
  if (path.length <= max) {
    return path.join(' → ');
  }
  const head = path.slice(0, max - 2);
  return [...head, `… (${path.length - max + 1} more)`, path[path.length - 1]].join(
    ' → '
  );
}
