/** The backend of a quantum task: a dropdown of GET /api/backends with each one's state. */
import React, { useEffect, useState } from 'react';
import { backendOptionLabel, backendStatus } from '../model/taskForm';
import { BackendSummary } from '../types';

export interface BackendFieldProps {
  value: string;
  backends: BackendSummary[];
  onChange: (name: string) => void;
}

const OTHER = '\u0000other';

export function BackendField({ value, backends, onChange }: BackendFieldProps) {
  const loaded = backends.length > 0; // the first GET /api/backends imports the SDKs
  const listed = backends.some(b => b.name === value);
  const [typing, setTyping] = useState(false);
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  if (!loaded) {
    return (
      <select id="qflow-field-backend" name="backend" value={value} disabled>
        <option value={value}>{value} — checking…</option>
      </select>
    );
  }
  const other = typing || !listed;
  const state = backendStatus(backends, value);
  return (
    <>
      <select
        id="qflow-field-backend"
        name="backend"
        aria-describedby="qflow-help-backend"
        value={other ? OTHER : value}
        onChange={e => {
          setTyping(e.target.value === OTHER);
          if (e.target.value !== OTHER) {
            onChange(e.target.value);
          }
        }}
      >
        {backends.map(b => (
          <option key={b.name} value={b.name} data-state={b.state ?? 'ready'}>
            {backendOptionLabel(b)}
          </option>
        ))}
        <option value={OTHER}>Other device…</option>
      </select>
      {other && (
        <input
          aria-label="Backend name"
          placeholder="family:device, e.g. qiskit.fake:fake_lima"
          value={text}
          onChange={e => setText(e.target.value)}
          onBlur={() => text.trim() && onChange(text.trim())}
          onKeyDown={e => {
            if (e.key === 'Enter' && text.trim()) {
              onChange(text.trim());
            }
          }}
        />
      )}
      {!state.ready && (
        <div className="jp-QFlow-field-warn" data-backend-state role="note">
          {state.note || 'not usable here'}
        </div>
      )}
    </>
  );
}
