/**
 * Property editor of the selected task, generated from the WorkflowSpec JSON Schema
 * (GET /api/schema). Server validation messages are shown next to their fields.
 */
import React, { useEffect, useState } from 'react';
import { FieldIssue } from '../model/issues';
import {
  FieldSpec,
  formatFieldValue,
  parseFieldValue,
  taskFields
} from '../model/schemaForm';
import { JSONSchema, Task } from '../types';

export interface PropertyEditorProps {
  schema: JSONSchema | undefined;
  task: Task;
  issues: FieldIssue[];
  onChange: (next: Task) => void;
}

function FieldInput({
  field,
  value,
  onCommit
}: {
  field: FieldSpec;
  value: unknown;
  onCommit: (v: unknown) => string | null;
}) {
  const [text, setText] = useState(formatFieldValue(field, value));
  const [error, setError] = useState<string | null>(null);
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
    'aria-invalid': error ? true : undefined
  };
  let input: React.ReactElement;
  if (field.kind === 'boolean') {
    input = (
      <input
        {...common}
        type="checkbox"
        checked={value === undefined ? Boolean(field.defaultValue) : Boolean(value)}
        onChange={e => setError(onCommit(e.target.checked))}
      />
    );
  } else if (field.kind === 'enum') {
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
  } else if (field.kind === 'json') {
    input = (
      <textarea
        {...common}
        rows={Math.min(6, Math.max(1, text.split('\n').length))}
        value={text}
        onChange={e => setText(e.target.value)}
        onBlur={e => commit(e.target.value)}
      />
    );
  } else {
    input = (
      <input
        {...common}
        type={field.kind === 'string' ? 'text' : 'number'}
        value={text}
        placeholder={field.defaultValue != null ? String(field.defaultValue) : ''}
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
      {error && <div className="jp-QFlow-field-error">{error}</div>}
    </>
  );
}

export function PropertyEditor({
  schema,
  task,
  issues,
  onChange
}: PropertyEditorProps) {
  if (!schema) {
    return <div className="jp-QFlow-muted">Loading the task schema…</div>;
  }
  const fields = taskFields(schema, task.kind);
  const record = task as unknown as Record<string, unknown>;
  const general = issues.filter(i => !i.field);
  return (
    <form className="jp-QFlow-props" onSubmit={e => e.preventDefault()}>
      <div className="jp-QFlow-props-title">
        {task.kind} task <code>{task.id}</code>
      </div>
      {general.map((i, n) => (
        <div key={n} className="jp-QFlow-field-error">
          {i.message}
        </div>
      ))}
      {fields.map(field => {
        const fieldIssues = issues.filter(i => i.field?.split('.')[0] === field.name);
        return (
          <div
            key={field.name}
            className={`jp-QFlow-field${fieldIssues.length ? ' jp-QFlow-field-invalid' : ''}`}
            data-field={field.name}
          >
            <label htmlFor={`qflow-field-${field.name}`} title={field.description}>
              {field.title}
              {field.required ? ' *' : ''}
            </label>
            <FieldInput
              field={field}
              value={record[field.name]}
              onCommit={value => {
                if (field.name === 'id' && (typeof value !== 'string' || !value)) {
                  return 'id: required';
                }
                const next: Record<string, unknown> = { ...record };
                if (value === undefined) {
                  delete next[field.name];
                } else {
                  next[field.name] = value;
                }
                onChange(next as unknown as Task);
                return null;
              }}
            />
            {fieldIssues.map((i, n) => (
              <div key={n} className="jp-QFlow-field-error" role="alert">
                {i.field && i.field !== field.name ? `${i.field}: ` : ''}
                {i.message}
              </div>
            ))}
          </div>
        );
      })}
    </form>
  );
}
