/** Bounded undo/redo history of immutable snapshots. */
export class History<T> {
  private past: T[] = [];
  private future: T[] = [];

  constructor(private readonly limit = 100) {}

  /** Remember `current` before it is replaced by a new state. */
  push(current: T): void {
    this.past.push(current);
    if (this.past.length > this.limit) {
      this.past.shift();
    }
    this.future = [];
  }

  /** The state to go back to, given the present one (or undefined). */
  undo(current: T): T | undefined {
    const previous = this.past.pop();
    if (previous !== undefined) {
      this.future.push(current);
    }
    return previous;
  }

  /** The state to go forward to, given the present one (or undefined). */
  redo(current: T): T | undefined {
    const next = this.future.pop();
    if (next !== undefined) {
      this.past.push(current);
    }
    return next;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }
}
