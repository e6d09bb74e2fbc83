/**
 * Asks which output of the upstream task feeds which input of the downstream one, when
 * connecting two nodes is ambiguous. "Order only" keeps a plain ordering edge.
 */
import React, { useState } from 'react';
import { ConnectionPlan } from '../model/ports';

export interface PortPickerProps {
  source: string;
  target: string;
  plan: Extract<ConnectionPlan, { kind: 'ask' }>;
  onConnect: (output: string | null, input: string) => void;
  onOrderOnly: () => void;
  onCancel: () => void;
}

export function PortPicker({
  source,
  target,
  plan,
  onConnect,
  onOrderOnly,
  onCancel
}: PortPickerProps) {
  const [output, setOutput] = useState<string | null>(plan.suggestion.output);
  const [input, setInput] = useState<string>(plan.suggestion.input ?? '');
  const name = input.trim();
  return (
    <div
      className="jp-QFlow-portpicker"
      role="dialog"
      aria-label={`Connect ${source} to ${target}`}
      onKeyDown={e => {
        e.stopPropagation(); // typing a name must not delete nodes
        if (e.key === 'Escape') {
          onCancel();
        }
      }}
    >
      <div className="jp-QFlow-props-title">
        Connect <code>{source}</code> → <code>{target}</code>
      </div>
      <fieldset>
        <legend>Output of {source}</legend>
        {plan.outputs.map(o => (
          <label key={o.key ?? ''} className="jp-QFlow-choice">
            <input
              type="radio"
              name="qflow-port-output"
              value={o.key ?? ''}
              checked={output === o.key}
              onChange={() => setOutput(o.key)}
            />
            {o.label}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Input of {target}</legend>
        {plan.inputs.map(p => (
          <label key={p.name} className="jp-QFlow-choice">
            <input
              type="radio"
              name="qflow-port-input"
              value={p.name}
              checked={input === p.name}
              onChange={() => setInput(p.name)}
            />
            {p.name}
            {p.required ? ' (required)' : ''}
            {p.boundTo ? (
              <span className="jp-QFlow-muted"> now {p.boundTo}</span>
            ) : null}
          </label>
        ))}
        {(plan.freeName || plan.inputs.length === 0) && (
          <input
            aria-label="Input name"
            placeholder="input name, e.g. theta"
            value={plan.inputs.some(p => p.name === input) ? '' : input}
            onChange={e => setInput(e.target.value)}
          />
        )}
      </fieldset>
      <div className="jp-QFlow-actions">
        <button
          className="jp-mod-styled jp-mod-accept"
          disabled={!name}
          onClick={() => onConnect(output, name)}
        >
          Connect
        </button>
        <button
          className="jp-mod-styled"
          onClick={onOrderOnly}
          title="Run after, no data"
        >
          Order only
        </button>
        <button className="jp-mod-styled" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
