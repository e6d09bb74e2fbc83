/**
 * Palette of task kinds: a classical function, each backend the server knows, the
 * built-in circuits and the built-in library steps. Items are dragged onto the canvas
 * (or added with a double click / Enter).
 */
import React from 'react';
import { BackendSummary, Task } from '../types';

export const DRAG_TYPE = 'application/x-quantumflow-task';

export interface PaletteItem {
  label: string;
  section: string;
  template: Task;
}

const CIRCUITS: Record<string, Record<string, unknown>> = {
  ghz: { n: 3 },
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

/** Local simulators first: the default backend of the circuit templates. */
const PREFERRED = [
  'qiskit.aer',
  'cirq.simulator',
  'cirq.qsim',
  'pennylane:default.qubit'
];

export function defaultBackend(backends: BackendSummary[]): string {
  const names = backends.map(b => b.name);
  return PREFERRED.find(p => names.includes(p)) ?? names[0] ?? 'qiskit.aer';
}

const LIBRARY = [
  'parity',
  'marginal_counts',
  'expectation_from_counts',
  'most_frequent',
  'total_variation_distance',
  'best_sweep_point',
  'minimize',
  'constant',
  'linspace',
  'collect'
];

/** Every palette entry, given the backends the server reports. */
export function paletteItems(backends: BackendSummary[]): PaletteItem[] {
  const fallback = defaultBackend(backends);
  const items: PaletteItem[] = [
    {
      label: 'Python function',
      section: 'Classical',
      template: { id: 'step', kind: 'classical', fn: 'mypackage.module:function' }
    }
  ];
  for (const b of backends) {
    items.push({
      label: b.name,
      section: 'Backends',
      template: {
        id: 'circuit',
        kind: 'quantum',
        backend: b.name,
        circuit: { builtin: 'ghz', args: { n: 2 } },
        shots: 1024
      }
    });
  }
  for (const [name, args] of Object.entries(CIRCUITS)) {
    items.push({
      label: name,
      section: 'Circuits',
      template: {
        id: name,
        kind: 'quantum',
        backend: fallback,
        circuit: { builtin: name, args },
        shots: 1024
      }
    });
  }
  for (const fn of LIBRARY) {
    items.push({
      label: fn,
      section: 'Library',
      template: { id: fn, kind: 'classical', fn }
    });
  }
  return items;
}

export interface PaletteProps {
  backends: BackendSummary[];
  backendsError?: string;
  onAdd: (template: Task) => void;
}

export function Palette({ backends, backendsError, onAdd }: PaletteProps) {
  const items = paletteItems(backends);
  const sections = [...new Set(items.map(i => i.section))];
  return (
    <div className="jp-QFlow-palette" aria-label="Task palette">
      {sections.map(section => (
        <div key={section} className="jp-QFlow-palette-section">
          <div className="jp-QFlow-palette-heading">{section}</div>
          {items
            .filter(i => i.section === section)
            .map(item => (
              <div
                key={`${section}:${item.label}`}
                className={`jp-QFlow-palette-item jp-QFlow-node-${item.template.kind}`}
                draggable
                tabIndex={0}
                role="button"
                data-palette-item={`${section}:${item.label}`}
                title="Drag onto the canvas (or double-click)"
                onDragStart={e => {
                  e.dataTransfer.setData(DRAG_TYPE, JSON.stringify(item.template));
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onDoubleClick={() => onAdd(item.template)}
                onKeyDown={e => {
                  if (e.key === 'Enter') {
                    onAdd(item.template);
                  }
                }}
              >
                {item.label}
              </div>
            ))}
        </div>
      ))}
      {backendsError && <div className="jp-QFlow-muted">Backends: {backendsError}</div>}
    </div>
  );
}
