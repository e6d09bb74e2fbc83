/** One generated form field's input: text, number, checkbox, select or JSON. */
import React, { useEffect, useState } from 'react';
import { formatFieldValue, parseFieldValue } from '../model/schemaForm';
import { FormField } from '../model/taskForm';

export interface FieldInputProps {
  field: FormField;
  value: unknown;
  /** Store a parsed value; returns an error message, or null when it was accepted. */
  onCommit: (value: unknown) => string | null;
}

export function FieldInput({ field, value, onCommit }: FieldInputProps) {
  const [text, setText] = useState(formatFieldValue(field, value));
  const [error, setError] = useState<string | null>(null);
  // a new value from outside (undo, another task) replaces what was typed, and its error
  useEffect(() => {
    setText(formatFieldValue(field, value));
    setError(null);
  }, [field, value]);
  const commit = (raw: string) => {
    try {
      setError(onCommit(parseFieldValue(field, raw)));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const common = {
    id: `qflow-field-${field.name}`,
    name: field.name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': `qflow-help-${field.name}`
  };
  let input: React.ReactElement;
  if (field.widget === 'checkbox') {
    input = (
      <input
        {...common}
        type="checkbox"
        checked={value === undefined ? Boolean(field.defaultValue) : Boolean(value)}
        onChange={e => setError(onCommit(e.target.checked))}
      />
    );
  } else if (field.widget === 'select') {
    input = (
      <select {...common} value={text} onChange={e => commit(e.target.value)}>
        {!field.required && <option value="">(default)</option>}
        {field.options?.map(o => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (field.widget === 'json') {
    input = (
      <textarea
        {...common}
        rows={Math.min(6, Math.max(1, text.split('\n').length))}
        value={text}
        placeholder={field.placeholder}
        onChange={e => setText(e.target.value)}
        onBlur={e => commit(e.target.value)}
      />
    );
  } else {
    const numeric = field.widget === 'integer' || field.widget === 'number';
    input = (
      <input
        {...common}
        type={numeric ? 'number' : 'text'}
        min={field.minimum}
        max={field.maximum}
        step={field.widget === 'integer' ? 1 : 'any'}
        value={text}
        placeholder={field.placeholder}
        onChange={e => setText(e.target.value)}
        onBlur={e => commit(e.target.value)}
        onKeyDown={e => {
          if (e.key === 'Enter') {
            commit((e.target as HTMLInputElement).value);
          }
        }}
      />
    );
  }
  return (
    <>
      {input}
      {error && (
        <div className="jp-QFlow-field-error" role="alert">
          {error}
        </div>
      )}
    </>
  );
}
