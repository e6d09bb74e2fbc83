/**
 * The Properties tab of a task: a form generated from the WorkflowSpec JSON Schema (GET
 * /api/schema) with labels, units and help under each field; backend and circuit
 * dropdowns; the inputs as the function's parameters. Validation problems are shown on
 * their field and vanish when the field is fixed (the designer re-validates each edit).
 */
import React from 'react';
import { FieldIssue } from '../model/issues';
import { FormField, Section, taskForm } from '../model/taskForm';
import { BackendSummary, FunctionSignature, JSONSchema, Task } from '../types';
import { BackendField } from './BackendField';
import { CircuitField } from './CircuitField';
import { FieldInput } from './FieldInput';
import { InputsField } from './InputsField';

export interface PropertyEditorProps {
  schema: JSONSchema | undefined;
  task: Task;
  backends: BackendSummary[];
  signature: FunctionSignature | null | undefined;
  issues: FieldIssue[];
  onChange: (next: Task) => void;
}

const SECTIONS: [Section, string][] = [
  ['main', ''],
  ['run', 'Run options'],
  ['advanced', 'Advanced']
];

export function PropertyEditor({
  schema,
  task,
  backends,
  signature,
  issues,
  onChange
}: PropertyEditorProps) {
  if (!schema) {
    return <div className="jp-QFlow-muted">Loading the task schema…</div>;
  }
  const form = taskForm(schema, task);
  const record = task as unknown as Record<string, unknown>;
  const general = issues.filter(i => !i.field);
  const setField = (name: string, value: unknown) => {
    const next: Record<string, unknown> = { ...record };
    if (value === undefined) {
      delete next[name];
    } else {
      next[name] = value;
    }
    onChange(next as unknown as Task);
  };
  const inputProblems: Record<string, string[]> = {};
  for (const i of issues) {
    if (i.field?.startsWith('inputs.')) {
      const name = i.field.slice('inputs.'.length);
      (inputProblems[name] = inputProblems[name] ?? []).push(i.message);
    }
  }

  const widget = (field: FormField): React.ReactNode => {
    switch (field.widget) {
      case 'backend':
        return (
          <BackendField
            value={String(record.backend ?? '')}
            backends={backends}
            onChange={v => setField('backend', v)}
          />
        );
      case 'circuit':
        return task.kind === 'quantum' ? (
          <CircuitField value={task.circuit} onChange={v => setField('circuit', v)} />
        ) : null;
      case 'inputs':
        return (
          <InputsField
            task={task}
            signature={signature}
            problems={inputProblems}
            onChange={v => setField('inputs', Object.keys(v).length ? v : undefined)}
          />
        );
      default:
        return (
          <FieldInput
            field={field}
            value={record[field.name]}
            onCommit={value => {
              if (field.name === 'id' && (typeof value !== 'string' || !value)) {
                return 'Task id: required';
              }
              setField(field.name, value);
              return null;
            }}
          />
        );
    }
  };

  const row = (field: FormField) => {
    // input problems are shown on their own row in the inputs table
    const fieldIssues = issues.filter(
      i => i.field?.split('.')[0] === field.name && field.widget !== 'inputs'
    );
    return (
      <div
        key={field.name}
        className={`jp-QFlow-field${fieldIssues.length ? ' jp-QFlow-field-invalid' : ''}`}
        data-field={field.name}
      >
        <label htmlFor={`qflow-field-${field.name}`}>
          {field.label}
          {field.required ? (
            <span className="jp-QFlow-required"> (required)</span>
          ) : null}
        </label>
        {widget(field)}
        {field.help && (
          <div className="jp-QFlow-help" id={`qflow-help-${field.name}`}>
            {field.help}
          </div>
        )}
        {fieldIssues.map((i, n) => (
          <div key={n} className="jp-QFlow-field-error" role="alert">
            {i.field && i.field !== field.name ? `${i.field}: ` : ''}
            {i.message}
          </div>
        ))}
      </div>
    );
  };

  return (
    <form className="jp-QFlow-props" onSubmit={e => e.preventDefault()}>
      {signature?.doc && task.kind === 'classical' && (
        <div className="jp-QFlow-help">{signature.doc}</div>
      )}
      {general.map((i, n) => (
        <div key={n} className="jp-QFlow-field-error" role="alert">
          {i.message}
        </div>
      ))}
      {SECTIONS.map(([section, title]) => {
        const fields = form.filter(f => f.section === section);
        if (!fields.length) {
          return null;
        }
        return section === 'main' ? (
          <React.Fragment key={section}>{fields.map(row)}</React.Fragment>
        ) : (
          <details
            key={section}
            className="jp-QFlow-section"
            open={
              section === 'run' ||
              fields.some(f => issues.some(i => i.field?.split('.')[0] === f.name))
            }
          >
            <summary>{title}</summary>
            {fields.map(row)}
          </details>
        );
      })}
    </form>
  );
}
