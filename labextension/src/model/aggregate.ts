/**
 * Big runs: per-state and per-group counts instead of one node per task, and a
 * throttle so bursts of SSE events repaint at most `maxPerSecond` times.
 */
import { TASK_STATUSES } from '../generated/status';
import { Task, TaskStatus } from '../types';

/** Workflows with at least this many tasks get the aggregated views. */
export const BIG_WORKFLOW = 1000;

export const STATES: readonly TaskStatus[] = TASK_STATUSES;

export type StateCounts = Record<TaskStatus, number>;

export function emptyCounts(): StateCounts {
  return Object.fromEntries(STATES.map(s => [s, 0])) as StateCounts;
}

/** The group a task is shown under: its `group`, else its id without a trailing number. */
export function groupOf(task: Task): string {
  if (task.group) {
    return task.group;
  }
  const stripped = task.id.replace(/[_-]?\d+$/, '');
  return stripped || task.id;
}

export interface GroupRow {
  group: string;
  total: number;
  counts: StateCounts;
}

/** Counts per state overall and per group (groups sorted by name). */
export function aggregate(
  tasks: Task[],
  status: Record<string, TaskStatus | undefined>
): { total: StateCounts; groups: GroupRow[] } {
  const total = emptyCounts();
  const groups = new Map<string, GroupRow>();
  for (const t of tasks) {
    const s = status[t.id] ?? 'pending';
    total[s] += 1;
    const g = groupOf(t);
    let row = groups.get(g);
    if (!row) {
      row = { group: g, total: 0, counts: emptyCounts() };
      groups.set(g, row);
    }
    row.total += 1;
    row.counts[s] += 1;
  }
  return {
    total,
    groups: [...groups.values()].sort((a, b) => a.group.localeCompare(b.group))
  };
}

/**
 * Collects updates and delivers them in batches, at most `maxPerSecond` times a second
 * (the first batch immediately, the last one always).
 */
export class Throttle<T> {
  private pending: T[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last = -Infinity;

  constructor(
    private readonly deliver: (batch: T[]) => void,
    private readonly maxPerSecond = 10,
    private readonly now: () => number = () => Date.now()
  ) {}

  push(item: T): void {
    this.pending.push(item);
    if (this.timer !== null) {
      return;
    }
    const interval = 1000 / this.maxPerSecond;
    const wait = Math.max(0, this.last + interval - this.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.length === 0) {
      return;
    }
    const batch = this.pending;
    this.pending = [];
    this.last = this.now();
    this.deliver(batch);
  }

  dispose(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.pending = [];
  }
}
