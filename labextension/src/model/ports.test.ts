import { describe, expect, it } from 'vitest';
import { FunctionSignature, Task, WorkflowSpec } from '../types';
import {
  connectData,
  flowEdgesOf,
  inputPorts,
  keyForType,
  outputPorts,
  planConnection,
  removeFlowEdge
} from './ports';

const ghz: Task = {
  id: 'ghz',
  kind: 'quantum',
  backend: 'qiskit.aer',
  circuit: { builtin: 'ghz', args: { n: 2 } },
  shots: 1024
};
const parity: Task = { id: 'parity', kind: 'classical', fn: 'parity' };
const sig = (...params: [string, boolean][]): FunctionSignature => ({
  fn: 'f',
  doc: '',
  var_keyword: false,
  params: params.map(([name, required]) => ({
    name,
    required,
    kind: 'positional_or_keyword'
  }))
});
const paritySig = sig(['counts', true]);

describe('ports', () => {
  it('lists a quantum result’s keys and a classical return value', () => {
    expect(outputPorts(ghz).map(o => o.key)).toEqual(['counts', 'probabilities', null]);
    expect(outputPorts({ ...ghz, observables: ['Z0'] }).map(o => o.key)).toContain(
      'expectations'
    );
    expect(outputPorts({ ...ghz, shots: null }).map(o => o.key)).toEqual([
      'probabilities',
      null
    ]);
    expect(outputPorts(parity)).toEqual([{ key: null, label: 'return value' }]);
  });

  it('lists parameters with what feeds them', () => {
    const task: Task = {
      ...parity,
      inputs: { counts: { ref: 'ghz.counts' }, extra: 1 }
    };
    expect(inputPorts(task, paritySig)).toEqual([
      { name: 'counts', required: true, boundTo: 'ghz.counts', annotation: undefined },
      { name: 'extra', required: false, boundTo: 'literal' }
    ]);
  });
});

describe('planConnection', () => {
  it('connects parity(counts) without asking', () => {
    expect(planConnection(ghz, parity, paritySig)).toEqual({
      kind: 'auto',
      output: 'counts',
      input: 'counts'
    });
  });

  it('feeds a classical return value into the one open parameter', () => {
    const up: Task = { id: 'a', kind: 'classical', fn: 'constant' };
    const down: Task = { id: 'b', kind: 'classical', fn: 'm:f', inputs: { x: 1 } };
    expect(planConnection(up, down, sig(['x', true], ['y', true]))).toEqual({
      kind: 'auto',
      output: null,
      input: 'y'
    });
  });

  it('asks when two parameters are open, suggesting the first', () => {
    const tvd: Task = { id: 't', kind: 'classical', fn: 'total_variation_distance' };
    const plan = planConnection(ghz, tvd, sig(['p', true], ['q', true]));
    expect(plan.kind).toBe('ask');
    if (plan.kind === 'ask') {
      expect(plan.suggestion).toEqual({ output: 'counts', input: 'p' });
      expect(plan.inputs.map(i => i.name)).toEqual(['p', 'q']);
      expect(plan.freeName).toBe(false);
    }
  });

  it('asks when the signature is unknown or nothing is open', () => {
    expect(planConnection(ghz, parity, null).kind).toBe('ask');
    const fed: Task = { ...parity, inputs: { counts: { ref: 'x.counts' } } };
    const plan = planConnection(ghz, fed, paritySig);
    expect(plan.kind).toBe('ask');
    if (plan.kind === 'ask') {
      expect(plan.suggestion.input).toBeNull();
    }
  });

  it('reads the output from the parameter’s type (counts are Mapping[str, int])', () => {
    const typed: FunctionSignature = {
      ...sig(['p', true], ['q', true]),
      params: ['p', 'q'].map(name => ({
        name,
        required: true,
        kind: 'positional_or_keyword' as const,
        annotation: 'Mapping[str, int]'
      }))
    };
    const tvd: Task = {
      id: 't',
      kind: 'classical',
      fn: 'total_variation_distance',
      inputs: { p: { ref: 'ghz.counts' } }
    };
    expect(planConnection(ghz, tvd, typed)).toEqual({
      kind: 'auto',
      output: 'counts',
      input: 'q'
    });
    expect(keyForType('dict[str, float]')).toBe('probabilities');
    expect(keyForType('float')).toBeUndefined();
  });

  it('asks which output when the name matches none (quantum source)', () => {
    const plan = planConnection(ghz, parity, sig(['data', true]));
    expect(plan.kind).toBe('ask');
    if (plan.kind === 'ask') {
      expect(plan.suggestion).toEqual({ output: 'counts', input: 'data' });
    }
  });
});

describe('data edges', () => {
  const spec: WorkflowSpec = {
    name: 'w',
    tasks: [ghz, { ...parity, depends_on: ['ghz'] }]
  };

  it('connectData writes the reference and drops the now redundant ordering edge', () => {
    const next = connectData(spec, 'ghz', 'counts', 'parity', 'counts');
    expect(next.tasks[1]).toEqual({
      id: 'parity',
      kind: 'classical',
      fn: 'parity',
      inputs: { counts: { ref: 'ghz.counts' } }
    });
    expect(flowEdgesOf(next)).toEqual([
      {
        id: 'ghz->parity:counts',
        source: 'ghz',
        target: 'parity',
        kind: 'data',
        label: 'counts → counts',
        input: 'counts'
      }
    ]);
    // deleting the edge removes the input
    expect(removeFlowEdge(next, 'ghz->parity:counts').tasks[1]).toEqual(parity);
  });

  it('draws ordering edges apart and removes them', () => {
    expect(flowEdgesOf(spec)).toEqual([
      { id: 'ghz->parity', source: 'ghz', target: 'parity', kind: 'order' }
    ]);
    expect(removeFlowEdge(spec, 'ghz->parity').tasks[1]).toEqual(parity);
  });

  it('labels a whole-output reference', () => {
    const whole = connectData(spec, 'ghz', null, 'parity', 'counts');
    expect(flowEdgesOf(whole)[0].label).toBe('output → counts');
  });
});
