/**
 * What the designer's palette offers, in the words a user thinks in: a quantum circuit
 * (circuit and backend chosen in its properties), a Python function, and the built-in
 * library steps by purpose (from GET /api/functions).
 */
import { BackendSummary, LibraryFunction, Task } from '../types';

export interface PaletteItem {
  label: string;
  section: string;
  /** One line of help (the function's docstring). */
  help: string;
  template: Task;
}

/** Local simulators first: the backend a new quantum task starts on. */
const PREFERRED = [
  'qiskit.aer',
  'cirq.simulator',
  'cirq.qsim',
  'pennylane:default.qubit'
];

export function defaultBackend(backends: BackendSummary[]): string {
  const ready = backends.filter(b => (b.state ?? 'ready') === 'ready').map(b => b.name);
  return PREFERRED.find(p => ready.includes(p)) ?? ready[0] ?? 'qiskit.aer';
}

const PURPOSE_TITLES: Record<string, string> = {
  'post-process': 'Post-process',
  optimise: 'Optimise',
  sweep: 'Sweep',
  compare: 'Compare',
  mitigate: 'Mitigate',
  learn: 'Learn',
  data: 'Data'
};

/** "post-process" -> "Post-process"; unknown purposes are capitalised. */
export function purposeTitle(purpose: string): string {
  return PURPOSE_TITLES[purpose] ?? purpose.charAt(0).toUpperCase() + purpose.slice(1);
}

/** Every palette entry, given the server's backends and library. */
export function paletteItems(
  backends: BackendSummary[],
  library: LibraryFunction[]
): PaletteItem[] {
  const items: PaletteItem[] = [
    {
      label: 'Quantum circuit',
      section: 'Tasks',
      help: 'A circuit on a backend; choose both in its properties.',
      template: {
        id: 'circuit',
        kind: 'quantum',
        backend: defaultBackend(backends),
        circuit: { builtin: 'ghz', args: { n: 2 } },
        shots: 1024
      }
    },
    {
      label: 'Python function',
      section: 'Tasks',
      help: "Any importable function, 'package.module:function'.",
      template: { id: 'step', kind: 'classical', fn: 'mypackage.module:function' }
    }
  ];
  for (const fn of library) {
    items.push({
      label: fn.name,
      section: purposeTitle(fn.purpose),
      help: fn.signature?.doc ?? '',
      template: { id: fn.name, kind: 'classical', fn: fn.name }
    });
  }
  return items;
}
