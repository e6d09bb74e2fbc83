/**
 * What the one run view draws, in the REST API's own shapes: the side panel fills it from
 * `GET /api/runs/{id}/graph|states|progress|durations|results` plus the event stream, the
 * notebook RunWidget from its synced traits (quantumflow/jupyter/widgets/state.py), so
 * both draw the same picture. Groups come from the server's layout: no grouping here.
 */
import { TASK_STATUSES, TaskStatus } from '../generated/status';
import {
  DurationHistogram,
  GraphLayout,
  RunResults,
  RunStatus,
  TaskRunInfo
} from '../types';

export interface RunProgressLite {
  states: Record<string, number>;
  total: number;
  done: number;
  started_at?: number | null;
  finished_at?: number | null;
  elapsed_s: number;
  eta_s?: number | null;
}

export interface RunViewData {
  runId: string;
  name: string;
  status: RunStatus | string;
  error?: string | null;
  layout: GraphLayout | null;
  /** One digit per task in layout order: its status's index in TASK_STATUSES. */
  states: string;
  progress?: RunProgressLite | null;
  durations?: DurationHistogram | null;
  results?: RunResults | null;
  /** Per-task timings of small runs (the timeline); empty for big ones. */
  tasks?: TaskRunInfo[];
}

/** The status a state digit stands for. */
export function statusOfCode(code: string): TaskStatus {
  return TASK_STATUSES[code.charCodeAt(0) - 48] ?? 'pending';
}

/** The digit of a status (what `states` holds). */
export function codeOfStatus(status: string): string {
  const i = (TASK_STATUSES as readonly string[]).indexOf(status);
  return String.fromCharCode(48 + Math.max(0, i));
}

/** Tasks per status in a states string. */
export function countStates(states: string): Record<string, number> {
  const byCode = new Map<number, number>();
  for (let i = 0; i < states.length; i++) {
    const c = states.charCodeAt(i);
    byCode.set(c, (byCode.get(c) ?? 0) + 1);
  }
  const out: Record<string, number> = {};
  for (const [c, n] of byCode) {
    out[TASK_STATUSES[c - 48] ?? 'pending'] = n;
  }
  return out;
}

/** `status:count` pairs sorted by status, for tests that compare views with the store. */
export function stateSummary(counts: Record<string, number>): string {
  return Object.keys(counts)
    .filter(s => counts[s] > 0)
    .sort()
    .map(s => `${s}:${counts[s]}`)
    .join(',');
}

/** A states string with some tasks moved (by task index). */
export function withStates(
  states: string,
  changes: ReadonlyArray<[number, TaskStatus | string]>
): string {
  if (!changes.length) {
    return states;
  }
  const chars = states.split('');
  for (const [i, s] of changes) {
    if (i >= 0 && i < chars.length) {
      chars[i] = codeOfStatus(s);
    }
  }
  return chars.join('');
}
