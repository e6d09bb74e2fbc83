/**
 * The one status palette of QuantumFlow's views: every task and run status maps to a
 * tone, and each tone to CSS variables (`--qf-status-<tone>-<part>`, defined once in
 * style/status.css from JupyterLab's `--jp-*` colours, with a dark-theme variant). Nodes,
 * pills, edges, the minimap and charts all read colours from here.
 */
import { RunStatus, TaskStatus } from '../types';

export type Tone = 'neutral' | 'info' | 'success' | 'error' | 'warn';
export type Status = TaskStatus | RunStatus | 'idle';
export type Part = 'bg' | 'fg' | 'border' | 'pill';

const TONES: Record<Status, Tone> = {
  idle: 'neutral',
  pending: 'neutral',
  queued: 'neutral',
  running: 'info',
  retrying: 'info',
  succeeded: 'success',
  cached: 'success',
  failed: 'error',
  budget_exceeded: 'error',
  skipped: 'warn',
  cancelled: 'warn',
  interrupted: 'warn',
  store_error: 'error'
};

const LABELS: Partial<Record<Status, string>> = {
  idle: 'not run',
  budget_exceeded: 'over budget',
  store_error: 'not stored'
};

/** Every status the engine reports (and `idle`: not part of a run). */
export const STATUSES = Object.keys(TONES) as Status[];

export function statusTone(status: string | null | undefined): Tone {
  return TONES[(status ?? 'idle') as Status] ?? 'neutral';
}

/** What a user reads for a status: "succeeded", "over budget", "not run". */
export function statusLabel(status: string | null | undefined): string {
  const s = (status ?? 'idle') as Status;
  return LABELS[s] ?? s.replace(/_/g, ' ');
}

/** The CSS variable of one part of a status's colours, e.g. `var(--qf-status-success-bg)`. */
export function statusVar(status: string | null | undefined, part: Part): string {
  return `var(--qf-status-${statusTone(status)}-${part})`;
}

/** The class that colours an element by status (see style/status.css). */
export function statusClass(status: string | null | undefined): string {
  return `jp-QFlow-tone-${statusTone(status)}`;
}

/**
 * A status colour as a concrete value, for canvas drawing (chart.js cannot read CSS
 * variables): resolved against `element`'s computed style.
 */
export function resolveStatusColor(
  element: Element,
  status: string | null | undefined,
  part: Part
): string {
  const name = `--qf-status-${statusTone(status)}-${part}`;
  return getComputedStyle(element).getPropertyValue(name).trim() || 'gray';
}
