/**
 * Server validation messages -> per-task, per-field highlights. Understands FastAPI's
 * 422 `detail` list (`loc` paths through the spec) and QuantumFlow's own
 * `{task, field, message}` problems.
 */
import { WorkflowSpec } from '../types';

export interface FieldIssue {
  task: string | null;
  field: string | null;
  message: string;
}

const KINDS = new Set(['classical', 'quantum']);

function fromLoc(
  loc: unknown[],
  spec: WorkflowSpec
): { task: string | null; field: string | null } {
  const path = loc.filter(p => p !== 'body' && p !== 'spec');
  const at = path.indexOf('tasks');
  if (at === -1) {
    const field = path.find(p => typeof p === 'string');
    return { task: null, field: typeof field === 'string' ? field : null };
  }
  const index = path[at + 1];
  const task = typeof index === 'number' ? (spec.tasks[index]?.id ?? null) : null;
  const rest = path.slice(at + 2).filter(p => !(typeof p === 'string' && KINDS.has(p)));
  const field = rest.find(p => typeof p === 'string');
  return { task, field: typeof field === 'string' ? field : null };
}

/** Every problem in an error `detail`, located on a task and field where possible. */
export function issuesFromDetail(detail: unknown, spec: WorkflowSpec): FieldIssue[] {
  const items = Array.isArray(detail)
    ? detail
    : detail &&
        typeof detail === 'object' &&
        Array.isArray((detail as { problems?: unknown }).problems)
      ? (detail as { problems: unknown[] }).problems
      : [detail];
  return items.map(item => {
    if (typeof item === 'string') {
      return { task: null, field: null, message: item };
    }
    const obj = (item ?? {}) as Record<string, unknown>;
    const message = String(obj.msg ?? obj.message ?? JSON.stringify(item));
    if (Array.isArray(obj.loc)) {
      return { ...fromLoc(obj.loc, spec), message };
    }
    return {
      task: typeof obj.task === 'string' ? obj.task : null,
      field: typeof obj.field === 'string' ? obj.field : null,
      message
    };
  });
}
