/**
 * Edges are data flow: which output of an upstream task feeds which input of a downstream
 * one. Pure logic behind the port picker and the canvas edges:
 * - `outputPorts` / `inputPorts`: what a task offers and accepts (parameters from the
 *   function's signature, served by GET /api/functions/signature);
 * - `planConnection`: connect at once when the choice is unambiguous, else ask;
 * - `connectData` / `flowEdgesOf` / `removeFlowEdge`: the spec edits and the edges drawn.
 * Ordering edges (`depends_on` without data) stay possible and are drawn differently.
 */
import { FunctionSignature, Task, WorkflowSpec } from '../types';
import { refTarget } from './specEdit';

/** One output of a task: `key` null is the whole output. */
export interface OutputPort {
  key: string | null;
  label: string;
}

/** One input of a task: a function parameter, or a name the task already uses. */
export interface InputPort {
  name: string;
  required: boolean;
  /** What feeds it now: `ghz.counts`, `param n`, `literal`; null when nothing does. */
  boundTo: string | null;
  annotation?: string | null;
}

/** The keys of a quantum task's result (see execute_quantum_task). */
export const QUANTUM_OUTPUTS = ['counts', 'probabilities', 'expectations'];

export function outputPorts(task: Task): OutputPort[] {
  if (task.kind === 'quantum') {
    if (task.sweep && Object.keys(task.sweep).length) {
      return [{ key: null, label: 'whole result (sweep)' }];
    }
    const keys =
      task.shots === null ? ['probabilities', 'expectations'] : QUANTUM_OUTPUTS;
    return [
      ...keys
        .filter(k => k !== 'expectations' || (task.observables ?? []).length > 0)
        .map(k => ({ key: k, label: k })),
      { key: null, label: 'whole result' }
    ];
  }
  return [{ key: null, label: 'return value' }];
}

/** How an input value is fed, for display. */
export function describeInput(value: unknown): string {
  const target = refTarget(value);
  if (target !== null) {
    return (value as { ref: string }).ref;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const param = (value as { param?: unknown }).param;
    if (Object.keys(value).length === 1 && typeof param === 'string') {
      return `param ${param}`;
    }
  }
  return 'literal';
}

/** Parameters of `task` (its function's, when known) and any other input names it uses. */
export function inputPorts(
  task: Task,
  signature?: FunctionSignature | null
): InputPort[] {
  const inputs = task.inputs ?? {};
  const ports: InputPort[] = [];
  const seen = new Set<string>();
  for (const p of signature?.params ?? []) {
    if (p.kind !== 'positional_or_keyword' && p.kind !== 'keyword_only') {
      continue;
    }
    seen.add(p.name);
    ports.push({
      name: p.name,
      required: p.required,
      boundTo: p.name in inputs ? describeInput(inputs[p.name]) : null,
      annotation: p.annotation
    });
  }
  for (const [name, value] of Object.entries(inputs)) {
    if (!seen.has(name)) {
      ports.push({ name, required: false, boundTo: describeInput(value) });
    }
  }
  return ports;
}

/** The reference text for an output: `ghz.counts` or `ghz`. */
export function refOf(source: string, key: string | null): string {
  return key ? `${source}.${key}` : source;
}

/**
 * The quantum result key a parameter's annotation asks for: counts are
 * `Mapping[str, int]`, probabilities `Mapping[str, float]`; anything else says nothing.
 */
export function keyForType(annotation: string | null | undefined): string | undefined {
  const a = (annotation ?? '').replace(/\s/g, '');
  if (/^(Mapping|dict|Dict)\[str,int\]$/.test(a)) {
    return 'counts';
  }
  if (/^(Mapping|dict|Dict)\[str,float\]$/.test(a)) {
    return 'probabilities';
  }
  return undefined;
}

export type ConnectionPlan =
  | { kind: 'auto'; output: string | null; input: string }
  | {
      kind: 'ask';
      outputs: OutputPort[];
      inputs: InputPort[];
      /** The most likely choice, preselected in the picker. */
      suggestion: { output: string | null; input: string | null };
      /** The target takes any name (**kwargs, or a quantum task's circuit parameters). */
      freeName: boolean;
    };

/**
 * What connecting `source` -> `target` should do. It connects at once when exactly one
 * required parameter of the target is still unfed and the output is clear (a quantum
 * result key of the same name, or a classical task's whole return value); otherwise the
 * picker asks, with the most likely choice preselected.
 */
export function planConnection(
  source: Task,
  target: Task,
  signature?: FunctionSignature | null
): ConnectionPlan {
  const outputs = outputPorts(source);
  const inputs = inputPorts(target, signature);
  const open = inputs.filter(p => p.required && p.boundTo === null);
  const outputFor = (port: InputPort): string | null | undefined => {
    if (source.kind === 'classical') {
      return null;
    }
    const key =
      outputs.find(o => o.key === port.name)?.key ?? keyForType(port.annotation);
    return outputs.some(o => o.key === key) ? key : undefined;
  };
  if (open.length === 1) {
    const output = outputFor(open[0]);
    if (output !== undefined) {
      return { kind: 'auto', output, input: open[0].name };
    }
  }
  const unbound = inputs.filter(p => p.boundTo === null);
  const port = open[0] ?? unbound[0];
  const input = port?.name ?? null;
  const byName = port ? outputFor(port) : undefined;
  const preferred = source.kind === 'quantum' ? 'counts' : null;
  const output =
    byName !== undefined
      ? byName
      : (outputs.find(o => o.key === preferred)?.key ?? outputs[0].key);
  return {
    kind: 'ask',
    outputs,
    inputs,
    suggestion: { output, input },
    freeName: target.kind === 'quantum' || !signature || signature.var_keyword
  };
}

function withoutDep(task: Task, source: string): Task {
  const deps = (task.depends_on ?? []).filter(d => d !== source);
  const copy = { ...task };
  if (deps.length) {
    copy.depends_on = deps;
  } else {
    delete copy.depends_on;
  }
  return copy;
}

/** Feed `source`'s output `key` into `target`'s input `input` (replacing what fed it). */
export function connectData(
  spec: WorkflowSpec,
  source: string,
  key: string | null,
  target: string,
  input: string
): WorkflowSpec {
  return {
    ...spec,
    tasks: spec.tasks.map(t =>
      t.id === target
        ? {
            ...withoutDep(t, source), // the reference orders the two already
            inputs: { ...(t.inputs ?? {}), [input]: { ref: refOf(source, key) } }
          }
        : t
    )
  };
}

export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  kind: 'data' | 'order';
  /** `counts → counts` for data edges. */
  label?: string;
  /** The target's input a data edge feeds. */
  input?: string;
}

/** Every edge drawn on the canvas: one per reference input, one per ordering edge. */
export function flowEdgesOf(spec: WorkflowSpec): FlowEdge[] {
  const ids = new Set(spec.tasks.map(t => t.id));
  const edges: FlowEdge[] = [];
  for (const task of spec.tasks) {
    const fed = new Set<string>();
    for (const [input, value] of Object.entries(task.inputs ?? {})) {
      const source = refTarget(value);
      if (source === null || !ids.has(source)) {
        continue;
      }
      fed.add(source);
      const ref = (value as { ref: string }).ref;
      const key = ref.length > source.length ? ref.slice(source.length + 1) : 'output';
      edges.push({
        id: `${source}->${task.id}:${input}`,
        source,
        target: task.id,
        kind: 'data',
        label: `${key} → ${input}`,
        input
      });
    }
    for (const dep of task.depends_on ?? []) {
      if (ids.has(dep) && !fed.has(dep)) {
        edges.push({
          id: `${dep}->${task.id}`,
          source: dep,
          target: task.id,
          kind: 'order'
        });
      }
    }
  }
  return edges;
}

/** Remove what one edge stands for: the input it feeds, or the ordering edge. */
export function removeFlowEdge(spec: WorkflowSpec, edgeId: string): WorkflowSpec {
  const colon = edgeId.indexOf(':');
  const pair = colon === -1 ? edgeId : edgeId.slice(0, colon);
  const input = colon === -1 ? undefined : edgeId.slice(colon + 1);
  const [source, target] = pair.split('->');
  return {
    ...spec,
    tasks: spec.tasks.map(t => {
      if (t.id !== target) {
        return t;
      }
      if (input === undefined) {
        return withoutDep(t, source);
      }
      const inputs = { ...(t.inputs ?? {}) };
      delete inputs[input];
      const copy: Task = { ...t, inputs };
      if (!Object.keys(inputs).length) {
        delete copy.inputs;
      }
      return copy;
    })
  };
}
