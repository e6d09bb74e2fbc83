/**
 * A task's output as a person reads it: counts as bars of the most frequent outcomes,
 * numbers and text as they are; the JSON only behind a "raw" expander.
 */
import React from 'react';
import { formatBytes, outputSummary } from '../model/format';
import { CountsBars } from './CountsBars';

export interface OutputViewProps {
  value: unknown;
  /** Its size as stored (bytes of JSON). */
  sizeBytes?: number;
}

export function OutputView({ value, sizeBytes }: OutputViewProps) {
  const counts =
    value && typeof value === 'object' && !Array.isArray(value)
      ? (value as { counts?: unknown }).counts
      : undefined;
  return (
    <div className="jp-QFlow-output" data-output>
      <div className="jp-QFlow-output-summary">{outputSummary(value)}</div>
      {counts && typeof counts === 'object' ? (
        <CountsBars counts={counts as Record<string, number>} />
      ) : null}
      <details className="jp-QFlow-raw">
        <summary>raw{sizeBytes != null ? ` (${formatBytes(sizeBytes)})` : ''}</summary>
        <pre className="jp-QFlow-pre">{JSON.stringify(value, null, 2)}</pre>
      </details>
    </div>
  );
}
