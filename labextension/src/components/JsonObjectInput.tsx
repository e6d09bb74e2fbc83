/** A one-line JSON object input (circuit arguments): committed on blur, errors in words. */
import React, { useEffect, useState } from 'react';

export interface JsonObjectInputProps {
  id: string;
  label: string;
  placeholder: string;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
}

export function JsonObjectInput({
  id,
  label,
  placeholder,
  value,
  onChange
}: JsonObjectInputProps) {
  const [text, setText] = useState(JSON.stringify(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(JSON.stringify(value));
    setError(null);
  }, [value]);
  const commit = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.trim() || '{}');
    } catch {
      setError(`${label}: not valid JSON`);
      return;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      setError(`${label}: a JSON object, e.g. ${placeholder}`);
      return;
    }
    setError(null);
    onChange(parsed as Record<string, unknown>);
  };
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={text}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        onChange={e => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={e => e.key === 'Enter' && commit()}
      />
      {error && (
        <div className="jp-QFlow-field-error" role="alert">
          {error}
        </div>
      )}
    </>
  );
}
