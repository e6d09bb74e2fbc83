/**
 * A task's inputs as a table of its function's parameters: what feeds each one (an
 * upstream output, drawn as an edge; a run parameter; a value), with the required ones
 * marked. Values are JSON (`{"param": "n"}` reads a run parameter); plain text is a string.
 */
import React, { useState } from 'react';
import { inputPorts } from '../model/ports';
import { refTarget } from '../model/specEdit';
import { FunctionSignature, Task } from '../types';

export interface InputsFieldProps {
  task: Task;
  /** The function's signature; null when unknown (any name may be added). */
  signature: FunctionSignature | null | undefined;
  /** Problem messages per input name (from validation). */
  problems: Record<string, string[]>;
  onChange: (inputs: Record<string, unknown>) => void;
}

/** JSON if it parses, else the text as a string; empty -> undefined (no input). */
export function parseInputValue(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) {
    return undefined;
  }
  try {
    return JSON.parse(trimmed);
  } catch {
    return text;
  }
}

function shown(value: unknown): string {
  return value === undefined
    ? ''
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
}

export function InputsField({ task, signature, problems, onChange }: InputsFieldProps) {
  const inputs = task.inputs ?? {};
  const ports = inputPorts(task, signature);
  const defaults = new Map((signature?.params ?? []).map(p => [p.name, p.default]));
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [newName, setNewName] = useState('');
  const set = (name: string, value: unknown) => {
    const next = { ...inputs };
    if (value === undefined) {
      delete next[name];
    } else {
      next[name] = value;
    }
    setDrafts(d => {
      const rest = { ...d };
      delete rest[name];
      return rest;
    });
    onChange(next);
  };
  const open = !signature || signature.var_keyword || task.kind === 'quantum';
  return (
    <div className="jp-QFlow-inputs" id="qflow-field-inputs">
      {ports.length === 0 && (
        <div className="jp-QFlow-muted">
          {signature ? 'This function takes no inputs.' : 'No inputs.'}
        </div>
      )}
      {ports.map(port => {
        const value = inputs[port.name];
        const upstream = refTarget(value);
        const issues = problems[port.name] ?? [];
        return (
          <div
            key={port.name}
            className={`jp-QFlow-input${issues.length ? ' jp-QFlow-field-invalid' : ''}`}
            data-input={port.name}
          >
            <label htmlFor={`qflow-input-${port.name}`} title={port.annotation ?? ''}>
              {port.name}
              {port.required ? ' (required)' : ''}
            </label>
            {upstream !== null ? (
              <span className="jp-QFlow-input-ref">
                ← <code>{(value as { ref: string }).ref}</code>
                <button
                  className="jp-QFlow-icon-button"
                  aria-label={`Disconnect ${port.name}`}
                  title="Disconnect (removes the edge)"
                  onClick={() => set(port.name, undefined)}
                >
                  ×
                </button>
              </span>
            ) : (
              <input
                id={`qflow-input-${port.name}`}
                value={drafts[port.name] ?? shown(value)}
                placeholder={
                  port.required
                    ? 'connect an upstream task, or a value'
                    : defaults.get(port.name)
                      ? `default ${defaults.get(port.name)}`
                      : 'value (JSON)'
                }
                onChange={e => setDrafts(d => ({ ...d, [port.name]: e.target.value }))}
                onBlur={e => set(port.name, parseInputValue(e.target.value))}
                onKeyDown={e =>
                  e.key === 'Enter' &&
                  set(port.name, parseInputValue((e.target as HTMLInputElement).value))
                }
              />
            )}
            {issues.map((m, n) => (
              <div key={n} className="jp-QFlow-field-error" role="alert">
                {m}
              </div>
            ))}
          </div>
        );
      })}
      {open && (
        <div className="jp-QFlow-input jp-QFlow-input-new">
          <input
            aria-label="New input name"
            placeholder={
              task.kind === 'quantum' ? 'circuit parameter, e.g. theta' : 'input name'
            }
            value={newName}
            onChange={e => setNewName(e.target.value)}
          />
          <button
            className="jp-mod-styled"
            disabled={!newName.trim() || newName.trim() in inputs}
            onClick={() => {
              setDrafts(d => ({ ...d, [newName.trim()]: '' }));
              set(newName.trim(), 0);
              setNewName('');
            }}
          >
            Add
          </button>
        </div>
      )}
    </div>
  );
}
