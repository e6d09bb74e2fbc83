import { describe, expect, it } from 'vitest';
import { parseFieldValue, taskFields } from './schemaForm';
import { JSONSchema } from '../types';

// The shape pydantic produces for quantumflow.spec (see GET /api/schema).
const schema: JSONSchema = {
  $defs: {
    QuantumTask: {
      properties: {
        id: { type: 'string', pattern: '^[A-Za-z_]' },
        kind: { const: 'quantum', type: 'string' },
        backend: { type: 'string', description: 'e.g. qiskit.aer' },
        shots: {
          anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }],
          default: 1024
        },
        cache: { type: 'boolean', default: true },
        circuit: { $ref: '#/$defs/CircuitSource' }
      },
      required: ['id', 'backend', 'circuit']
    },
    CircuitSource: { type: 'object', properties: {} },
    ClassicalTask: {
      properties: { kind: { const: 'classical' }, fn: { type: 'string' } }
    }
  }
};

describe('schemaForm', () => {
  it('builds typed fields for a task kind from the schema', () => {
    const fields = taskFields(schema, 'quantum');
    expect(fields[0].name).toBe('id');
    const byName = Object.fromEntries(fields.map(f => [f.name, f]));
    expect(byName.kind).toBeUndefined();
    expect(byName.shots).toMatchObject({ kind: 'integer', nullable: true, minimum: 1 });
    expect(byName.cache.kind).toBe('boolean');
    expect(byName.circuit).toMatchObject({ kind: 'json', required: true });
    expect(taskFields(schema, 'classical').map(f => f.name)).toEqual(['fn']);
  });

  it('parses typed input and reports bad values', () => {
    const [shots] = taskFields(schema, 'quantum').filter(f => f.name === 'shots');
    expect(parseFieldValue(shots, '256')).toBe(256);
    expect(() => parseFieldValue(shots, '2.5')).toThrow(/integer/);
    expect(parseFieldValue(shots, '')).toBeUndefined();
  });
});
