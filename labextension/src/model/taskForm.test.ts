import { describe, expect, it } from 'vitest';
import { BackendSummary, JSONSchema, Task } from '../types';
import {
  backendOptionLabel,
  backendStatus,
  circuitChoice,
  circuitFromChoice,
  humanLabel,
  taskForm
} from './taskForm';

// The shape pydantic produces for quantumflow.spec (GET /api/schema), trimmed.
const schema: JSONSchema = {
  $defs: {
    QuantumTask: {
      properties: {
        id: { type: 'string', description: 'Unique task id.' },
        kind: { const: 'quantum', type: 'string' },
        timeout_s: {
          anyOf: [{ type: 'number' }, { type: 'null' }],
          title: 'Timeout S'
        },
        retries: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
        backend: { type: 'string', description: 'e.g. qiskit.aer' },
        shots: {
          anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }],
          default: 1024
        },
        circuit: { $ref: '#/$defs/CircuitSource' },
        inputs: { type: 'object' },
        max_widgets_s: { type: 'number', description: 'Something new.' },
        cache: { type: 'boolean', default: true }
      },
      required: ['id', 'backend', 'circuit']
    },
    CircuitSource: { type: 'object', properties: {} }
  }
};
const task: Task = {
  id: 'q',
  kind: 'quantum',
  backend: 'qiskit.aer',
  circuit: { builtin: 'ghz', args: { n: 2 } }
};

describe('taskForm', () => {
  const form = taskForm(schema, task);
  const by = Object.fromEntries(form.map(f => [f.name, f]));

  it('labels fields in words with units, never the raw schema title', () => {
    expect(by.timeout_s.label).toBe('Timeout (s)');
    expect(by.shots.label).toBe('Shots');
    expect(by.circuit.label).toBe('Circuit');
    expect(by.id.label).toBe('Task id');
    expect(by.max_widgets_s.label).toBe('Max widgets (s)');
    expect(form.map(f => f.label)).not.toContain('Timeout S');
  });

  it('has help under each known field and placeholders', () => {
    expect(by.shots.help).toMatch(/exact probabilities/);
    expect(by.shots.placeholder).toBe('1024');
    expect(by.max_widgets_s.help).toBe('Something new.'); // schema description as fallback
    expect(by.timeout_s.placeholder).toBe('no limit');
  });

  it('gives backend, circuit and inputs their own widgets and sections', () => {
    expect(by.backend.widget).toBe('backend');
    expect(by.circuit.widget).toBe('circuit');
    expect(by.inputs.widget).toBe('inputs');
    expect(by.cache.widget).toBe('checkbox');
    expect(by.retries.widget).toBe('integer');
    expect(by.timeout_s.section).toBe('run');
    expect(form.map(f => f.name).slice(0, 5)).toEqual([
      'id',
      'backend',
      'circuit',
      'shots',
      'inputs'
    ]);
  });

  it('humanLabel', () => {
    expect(humanLabel('retry_backoff_s')).toBe('Retry backoff (s)');
    expect(humanLabel('fn')).toBe('Fn');
  });
});

describe('backend dropdown', () => {
  const backends: BackendSummary[] = [
    { name: 'qiskit.aer', state: 'ready' },
    { name: 'qiskit.fake:fake_manila', state: 'ready' },
    {
      name: 'qiskit.ibm:ibm_brisbane',
      state: 'needs_credentials',
      note: 'needs credentials: set QISKIT_IBM_TOKEN'
    },
    { name: 'pennylane:default.qubit', state: 'sdk_missing', note: 'SDK not installed' }
  ];
  it('shows each backend’s state', () => {
    expect(backends.map(backendOptionLabel)).toEqual([
      'qiskit.aer — ready',
      'qiskit.fake:fake_manila — ready',
      'qiskit.ibm:ibm_brisbane — needs credentials',
      'pennylane:default.qubit — SDK not installed'
    ]);
  });
  it('explains a backend that is not ready, or not known', () => {
    expect(backendStatus(backends, 'qiskit.ibm:ibm_brisbane')).toEqual({
      known: true,
      ready: false,
      note: 'needs credentials: set QISKIT_IBM_TOKEN'
    });
    expect(backendStatus(backends, 'qiskit.fake:fake_lima').ready).toBe(true);
    expect(backendStatus(backends, 'nope').known).toBe(false);
  });
});

describe('circuit dropdown', () => {
  it('maps sources to choices and back', () => {
    expect(circuitChoice({ builtin: 'ghz', args: { n: 3 } })).toBe('builtin:ghz');
    expect(circuitChoice({ qasm: 'OPENQASM 2.0;' })).toBe('qasm');
    expect(circuitChoice({ callable: 'm:f' })).toBe('callable');
    expect(
      circuitFromChoice('builtin:qft', { builtin: 'ghz', args: { n: 5 } })
    ).toEqual({
      builtin: 'qft',
      args: { n: 3 }
    });
    expect(
      circuitFromChoice('builtin:ghz', { builtin: 'ghz', args: { n: 5 } })
    ).toEqual({
      builtin: 'ghz',
      args: { n: 5 }
    });
    expect(circuitFromChoice('qasm', { builtin: 'ghz' }).qasm).toMatch(
      /^OPENQASM 3.0;/
    );
    expect(circuitFromChoice('callable', { builtin: 'ghz' })).toEqual({
      callable: 'mypackage.circuits:build',
      args: {}
    });
  });
});
