/**
 * Big runs: the one size threshold (generated from quantumflow/spec/groups.py; groups come
 * from the server's layout, never from a rule here) and a throttle so bursts of SSE events
 * repaint at most `maxPerSecond` times.
 */
import { BIG_GRAPH } from '../generated/graph';

export { BIG_GRAPH };

/** Whether a workflow of `tasks` tasks is drawn as dots (the server's `layout.big`). */
export function isBigGraph(tasks: number): boolean {
  return tasks > BIG_GRAPH;
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
