/**
 * The circuit of a quantum task: a dropdown of the built-in circuits, "OpenQASM…",
 * "QASM file…" and "Python callable…", then what that choice needs.
 */
import React, { useEffect, useState } from 'react';
import { JsonObjectInput } from './JsonObjectInput';
import {
  BUILTIN_CIRCUITS,
  CircuitChoice,
  circuitChoice,
  circuitFromChoice
} from '../model/taskForm';
import { CircuitSource } from '../types';

export interface CircuitFieldProps {
  value: CircuitSource;
  onChange: (next: CircuitSource) => void;
}

export function CircuitField({ value, onChange }: CircuitFieldProps) {
  const choice = circuitChoice(value);
  const [draft, setDraft] = useState(
    value.qasm ?? value.qasm_file ?? value.callable ?? ''
  );
  useEffect(
    () => setDraft(value.qasm ?? value.qasm_file ?? value.callable ?? ''),
    [value]
  );
  const builtins = Object.keys(BUILTIN_CIRCUITS);
  if (value.builtin && !builtins.includes(value.builtin)) {
    builtins.push(value.builtin);
  }
  const keyOf: Record<string, keyof CircuitSource> = {
    qasm: 'qasm',
    qasm_file: 'qasm_file',
    callable: 'callable'
  };
  return (
    <div className="jp-QFlow-circuit">
      <select
        id="qflow-field-circuit"
        name="circuit"
        aria-describedby="qflow-help-circuit"
        value={choice}
        onChange={e =>
          onChange(circuitFromChoice(e.target.value as CircuitChoice, value))
        }
      >
        <optgroup label="Built-in">
          {builtins.map(b => (
            <option key={b} value={`builtin:${b}`}>
              {b}
            </option>
          ))}
        </optgroup>
        <option value="qasm">OpenQASM…</option>
        <option value="qasm_file">QASM file…</option>
        <option value="callable">Python callable…</option>
      </select>
      {choice === 'qasm' && (
        <textarea
          aria-label="OpenQASM source"
          rows={6}
          value={draft}
          onChange={e => setDraft(e.target.value)}
          onBlur={() => onChange({ qasm: draft })}
        />
      )}
      {(choice === 'qasm_file' || choice === 'callable') && (
        <input
          aria-label={choice === 'callable' ? 'Callable' : 'QASM file path'}
          value={draft}
          placeholder={
            choice === 'callable' ? 'mypackage.circuits:build' : 'circuit.qasm'
          }
          onChange={e => setDraft(e.target.value)}
          onBlur={() => onChange({ ...value, [keyOf[choice]]: draft })}
        />
      )}
      {(value.builtin || choice === 'callable') && (
        <JsonObjectInput
          id="qflow-circuit-args"
          label="Arguments"
          placeholder='{"n": 3}'
          value={value.args ?? {}}
          onChange={args => onChange({ ...value, args })}
        />
      )}
    </div>
  );
}
