/**
 * Pure edits of a WorkflowSpec. The designer edits the spec itself (never a copy
 * rebuilt from the canvas), so a `.qflow` written by `Workflow.save()` saves back
 * without loss.
 */
import { Task, WorkflowSpec } from '../types';

/** `{ref: "task"}` / `{ref: "task.key"}` -> "task"; anything else -> null. */
export function refTarget(value: unknown): string | null {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const ref = (value as { ref?: unknown }).ref;
    if (keys.length === 1 && typeof ref === 'string') {
      return ref.split('.')[0];
    }
  }
  return null;
}

/** Every task id `task` depends on: depends_on plus referenced tasks (as spec.py). */
export function upstreamOf(task: Task): string[] {
  const seen = new Set<string>(task.depends_on ?? []);
  for (const value of Object.values(task.inputs ?? {})) {
    const ref = refTarget(value);
    if (ref !== null) {
      seen.add(ref);
    }
  }
  return [...seen];
}

export interface SpecEdge {
  id: string;
  source: string;
  target: string;
}

/** The dependency edges of a spec, upstream -> downstream. */
export function edgesOf(spec: WorkflowSpec): SpecEdge[] {
  const ids = new Set(spec.tasks.map(t => t.id));
  const edges: SpecEdge[] = [];
  for (const task of spec.tasks) {
    for (const up of upstreamOf(task)) {
      if (ids.has(up)) {
        edges.push({ id: `${up}->${task.id}`, source: up, target: task.id });
      }
    }
  }
  return edges;
}

/** A task id not used yet, derived from `base`. */
export function freshId(
  spec: WorkflowSpec,
  base: string,
  taken = new Set<string>()
): string {
  const used = new Set([...spec.tasks.map(t => t.id), ...taken]);
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^([^A-Za-z_])/, '_$1');
  if (!used.has(clean)) {
    return clean;
  }
  for (let i = 2; ; i++) {
    const candidate = `${clean}_${i}`;
    if (!used.has(candidate)) {
      return candidate;
    }
  }
}

function mapTasks(spec: WorkflowSpec, fn: (t: Task) => Task): WorkflowSpec {
  return { ...spec, tasks: spec.tasks.map(fn) };
}

export function addTask(spec: WorkflowSpec, task: Task): WorkflowSpec {
  return { ...spec, tasks: [...spec.tasks, task] };
}

/** Replace one task's fields (a rename also rewrites every reference to it). */
export function updateTask(spec: WorkflowSpec, id: string, next: Task): WorkflowSpec {
  let out = mapTasks(spec, t => (t.id === id ? next : t));
  if (next.id !== id) {
    out = renameRefs(out, id, next.id);
  }
  return out;
}

/** `record` with `from` renamed to `to` (the same object when nothing changes). */
export function renameKey<V>(
  record: Record<string, V>,
  from: string,
  to: string
): Record<string, V> {
  if (from === to || !(from in record)) {
    return record;
  }
  const out: Record<string, V> = {};
  for (const [k, v] of Object.entries(record)) {
    out[k === from ? to : k] = v;
  }
  return out;
}

function renameRefs(spec: WorkflowSpec, from: string, to: string): WorkflowSpec {
  const names = new Map([[from, to]]);
  return mapTasks(spec, t => rewriteRefs(t, names));
}

/** Point references and ordering edges at new ids (`names`: old id -> new id). */
function rewriteRefs(task: Task, names: Map<string, string>): Task {
  const inputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(task.inputs ?? {})) {
    const target = refTarget(v);
    const renamed = target === null ? undefined : names.get(target);
    if (target !== null && renamed !== undefined) {
      const ref = (v as { ref: string }).ref;
      inputs[k] = { ref: renamed + ref.slice(target.length) };
    } else {
      inputs[k] = v;
    }
  }
  const deps = task.depends_on?.map(d => names.get(d) ?? d);
  return withOptional(withOptional(task, 'inputs', inputs), 'depends_on', deps);
}

/** Set a list/dict field, dropping it when empty so defaults stay omitted. */
function withOptional<K extends 'inputs' | 'depends_on'>(
  task: Task,
  key: K,
  value: Task[K] | undefined
): Task {
  const copy = { ...task };
  const empty =
    value === undefined ||
    (Array.isArray(value) ? value.length === 0 : Object.keys(value ?? {}).length === 0);
  if (empty) {
    delete copy[key];
  } else {
    copy[key] = value;
  }
  return copy;
}

/** Remove tasks and every dependency on them (references become plain inputs removed). */
export function removeTasks(spec: WorkflowSpec, ids: Iterable<string>): WorkflowSpec {
  const gone = new Set(ids);
  const kept = spec.tasks.filter(t => !gone.has(t.id));
  return {
    ...spec,
    tasks: kept.map(t => dropUpstream(t, gone))
  };
}

function dropUpstream(task: Task, gone: Set<string>): Task {
  const touches =
    (task.depends_on ?? []).some(d => gone.has(d)) ||
    Object.values(task.inputs ?? {}).some(v => gone.has(refTarget(v) ?? '\0'));
  if (!touches) {
    return task;
  }
  const inputs = Object.fromEntries(
    Object.entries(task.inputs ?? {}).filter(([, v]) => !gone.has(refTarget(v) ?? '\0'))
  );
  const deps = (task.depends_on ?? []).filter(d => !gone.has(d));
  return withOptional(withOptional(task, 'inputs', inputs), 'depends_on', deps);
}

/** Would adding source -> target close a cycle? */
export function createsCycle(
  spec: WorkflowSpec,
  source: string,
  target: string
): boolean {
  if (source === target) {
    return true;
  }
  const byId = new Map(spec.tasks.map(t => [t.id, t]));
  const stack = [source];
  const seen = new Set<string>();
  while (stack.length) {
    const id = stack.pop() as string;
    if (id === target) {
      return true;
    }
    if (seen.has(id)) {
      continue;
    }
    seen.add(id);
    const task = byId.get(id);
    if (task) {
      stack.push(...upstreamOf(task));
    }
  }
  return false;
}

/** Make `target` depend on `source` (no-op if it already does). */
export function connect(
  spec: WorkflowSpec,
  source: string,
  target: string
): WorkflowSpec {
  return mapTasks(spec, t => {
    if (t.id !== target || upstreamOf(t).includes(source)) {
      return t;
    }
    return { ...t, depends_on: [...(t.depends_on ?? []), source] };
  });
}

/** Remove the dependency source -> target (ordering edge and data references). */
export function disconnect(
  spec: WorkflowSpec,
  source: string,
  target: string
): WorkflowSpec {
  return mapTasks(spec, t =>
    t.id === target ? dropUpstream(t, new Set([source])) : t
  );
}

/**
 * Paste copies of `tasks` with fresh ids; references among the copied tasks point to
 * the copies, references outside the selection are kept.
 * @returns the new spec and a map old id -> new id.
 */
export function pasteTasks(
  spec: WorkflowSpec,
  tasks: Task[]
): { spec: WorkflowSpec; ids: Map<string, string> } {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const t of tasks) {
    const id = freshId(spec, `${t.id}_copy`, taken);
    taken.add(id);
    ids.set(t.id, id);
  }
  const fixed = tasks.map(t => ({
    ...rewriteRefs(t, ids),
    id: ids.get(t.id) as string
  }));
  return { spec: { ...spec, tasks: [...spec.tasks, ...fixed] }, ids };
}
