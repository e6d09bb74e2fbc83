/**
 * The property form of a task: the schema's fields (schemaForm.ts) with the words a user
 * reads (labels with units, help under each field, placeholders), the widget each field
 * gets (backend and circuit dropdowns, the inputs table) and the section it sits in.
 */
import { BackendSummary, CircuitSource, JSONSchema, Task } from '../types';
import { FieldSpec, taskFields } from './schemaForm';

export type Widget =
  | 'text'
  | 'integer'
  | 'number'
  | 'checkbox'
  | 'select'
  | 'json'
  | 'backend'
  | 'circuit'
  | 'function'
  | 'inputs';

export type Section = 'main' | 'run' | 'advanced';

export interface FormField extends FieldSpec {
  label: string;
  help: string;
  placeholder: string;
  widget: Widget;
  section: Section;
}

interface FieldText {
  label: string;
  help?: string;
  placeholder?: string;
  widget?: Widget;
  section?: Section;
}

const TEXT: Record<string, FieldText> = {
  id: { label: 'Task id', help: 'Other tasks refer to this task by this name.' },
  description: { label: 'Description', section: 'advanced' },
  fn: {
    label: 'Function',
    widget: 'function',
    help: "A library step (parity, minimize, …) or 'package.module:function'.",
    placeholder: 'mypackage.module:function'
  },
  backend: {
    label: 'Backend',
    widget: 'backend',
    help: 'Where the circuit runs: a local simulator or a device.'
  },
  circuit: {
    label: 'Circuit',
    widget: 'circuit',
    help: 'A built-in circuit, OpenQASM 2/3 text, or a Python function returning a circuit.'
  },
  shots: {
    label: 'Shots',
    help: 'Measurements of the circuit; leave empty for exact probabilities.',
    placeholder: '1024'
  },
  inputs: {
    label: 'Inputs',
    widget: 'inputs',
    help: 'What each parameter receives: an upstream output (connect on the canvas), a run parameter, or a value.'
  },
  observables: {
    label: 'Observables',
    help: 'Pauli strings to measure expectation values of, e.g. ["Z0 Z1"].',
    placeholder: '["Z0 Z1"]'
  },
  sweep: {
    label: 'Sweep',
    help: 'Circuit parameters scanned as one batch: {"theta": [0, 0.5]} or {"theta": {"linspace": [0, 3.14, 8]}}.',
    placeholder: '{"theta": [0, 0.5, 1]}'
  },
  seed: {
    label: 'Seed',
    section: 'run',
    help: 'Fixes the simulator’s randomness so counts repeat.',
    placeholder: 'random'
  },
  retries: {
    label: 'Retries',
    section: 'run',
    help: 'Extra attempts after a failure.',
    placeholder: 'workflow default'
  },
  timeout_s: {
    label: 'Timeout (s)',
    section: 'run',
    help: 'Stop an attempt after this many seconds.',
    placeholder: 'no limit'
  },
  cache: {
    label: 'Use the result cache',
    section: 'run',
    help: 'Serve a repeated identical call from the store instead of running it again.'
  },
  depends_on: {
    label: 'Runs after',
    section: 'advanced',
    help: 'Tasks that must finish first without passing data (dashed edges).',
    placeholder: '["other_task"]'
  },
  resources: {
    label: 'Resources',
    section: 'advanced',
    help: 'What an attempt holds while it runs, e.g. {"cpu": 1}.',
    placeholder: '{"cpu": 1}'
  },
  group: {
    label: 'Group',
    section: 'advanced',
    help: 'A label that aggregates big runs in the dashboard.'
  },
  noise: {
    label: 'Noise model',
    section: 'advanced',
    placeholder: '{"depolarizing": 0.01}'
  },
  transpile: {
    label: 'Transpiler options',
    section: 'advanced',
    placeholder: '{"optimization_level": 1}'
  }
};

/** "timeout_s" -> "Timeout (s)", "max_concurrency" -> "Max concurrency". */
export function humanLabel(name: string): string {
  const unit = name.endsWith('_s') ? ' (s)' : '';
  const words = (unit ? name.slice(0, -2) : name).replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1) + unit;
}

function widgetOf(field: FieldSpec): Widget {
  switch (field.kind) {
    case 'boolean':
      return 'checkbox';
    case 'enum':
      return 'select';
    case 'integer':
    case 'number':
    case 'json':
      return field.kind;
    default:
      return 'text';
  }
}

/** The form of one task: every editable field, labelled, in display order by section. */
export function taskForm(schema: JSONSchema, task: Task): FormField[] {
  const order = Object.keys(TEXT);
  const rank = (name: string) => {
    const i = order.indexOf(name);
    return i === -1 ? order.length : i;
  };
  return taskFields(schema, task.kind)
    .map(field => {
      const text = TEXT[field.name];
      return {
        ...field,
        label: text?.label ?? humanLabel(field.name),
        help: text?.help ?? field.description ?? '',
        placeholder:
          text?.placeholder ??
          (field.defaultValue != null ? String(field.defaultValue) : ''),
        widget: text?.widget ?? widgetOf(field),
        section: text?.section ?? 'main'
      };
    })
    .sort((a, b) => rank(a.name) - rank(b.name));
}

// ---------------------------------------------------------------- backend dropdown

/** "qiskit.aer — ready", "qiskit.ibm:ibm_brisbane — needs credentials". */
export function backendOptionLabel(b: BackendSummary): string {
  switch (b.state) {
    case 'needs_credentials':
      return `${b.name} — needs credentials`;
    case 'sdk_missing':
      return `${b.name} — SDK not installed`;
    case 'unavailable':
      return `${b.name} — unavailable`;
    default:
      return `${b.name} — ready`;
  }
}

/** The backend a task names, with its state; a name the server does not list is "unknown". */
export function backendStatus(
  backends: BackendSummary[],
  name: string
): { known: boolean; ready: boolean; note: string } {
  const found = backends.find(b => b.name === name);
  if (!found) {
    // a device of a listed family (qiskit.fake:fake_lima) is checked when validating
    const family = name.split(':')[0];
    const sibling = backends.find(b => b.name.split(':')[0] === family);
    return sibling
      ? { known: true, ready: sibling.state === 'ready', note: sibling.note ?? '' }
      : {
          known: false,
          ready: false,
          note: `'${name}' is not a backend this server knows`
        };
  }
  return {
    known: true,
    ready: (found.state ?? 'ready') === 'ready',
    note: found.note ?? ''
  };
}

// ---------------------------------------------------------------- circuit choice

/** Built-in circuits with the arguments a new task starts with. */
export const BUILTIN_CIRCUITS: Record<string, Record<string, unknown>> = {
  ghz: { n: 2 },
  qft: { n: 3 },
  hardware_efficient: { n: 2, layers: 1 },
  random: { n: 3, depth: 4, seed: 1 },
  qaoa_maxcut: {
    edges: [
      [0, 1],
      [1, 2]
    ],
    p: 1
  }
};

export type CircuitChoice = `builtin:${string}` | 'qasm' | 'qasm_file' | 'callable';

/** Which of the circuit dropdown's entries a source is. */
export function circuitChoice(source: CircuitSource): CircuitChoice {
  if (source.builtin) {
    return `builtin:${source.builtin}`;
  }
  if (source.qasm != null) {
    return 'qasm';
  }
  if (source.qasm_file != null) {
    return 'qasm_file';
  }
  return 'callable';
}

/** The source a dropdown choice starts from (keeping what carries over). */
export function circuitFromChoice(
  choice: CircuitChoice,
  current: CircuitSource
): CircuitSource {
  if (choice.startsWith('builtin:')) {
    const name = choice.slice('builtin:'.length);
    const args =
      current.builtin === name ? (current.args ?? {}) : (BUILTIN_CIRCUITS[name] ?? {});
    return { builtin: name, args };
  }
  if (choice === 'qasm') {
    return {
      qasm:
        current.qasm ??
        'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\nh q[0];\ncx q[0], q[1];\nc = measure q;\n'
    };
  }
  if (choice === 'qasm_file') {
    return { qasm_file: current.qasm_file ?? 'circuit.qasm' };
  }
  return {
    callable: current.callable ?? 'mypackage.circuits:build',
    args: current.args ?? {}
  };
}
