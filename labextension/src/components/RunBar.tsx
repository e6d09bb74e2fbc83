/**
 * Validate / estimate / run the workflow in the designer, with run parameters.
 * A server without the cost model answers 501 to /estimate: that is shown as
 * "no estimate", not as an error. Where the run is, the status line says (one source).
 */
import React, { useEffect, useState } from 'react';
import { APIError, describeDetail } from '../api';
import { api } from '../client';
import { specKey } from '../hooks/useLiveValidation';
import { formatDuration } from '../model/format';
import { EstimateResult, WorkflowSpec } from '../types';

export interface RunBarProps {
  spec: WorkflowSpec;
  workflowId: string | null;
  running: boolean;
  onStarted: (runId: string, workflowId: string) => void;
  onProblems: (detail: unknown) => void;
  onCancel: () => void;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** One line summarising an estimate, whatever the estimator's exact field names. */
export function estimateText(e: EstimateResult): string {
  const secs =
    num(e.makespan_s) ?? num(e.seconds) ?? num(e.total_seconds) ?? num(e.time_s);
  const usd = num(e.usd) ?? num(e.cost_usd) ?? num(e.total_usd);
  const parts: string[] = [];
  if (secs !== undefined) {
    parts.push(`≈ ${formatDuration(secs)}`);
  }
  if (usd !== undefined) {
    parts.push(`$${usd.toFixed(2)}`);
  }
  const ok = e.within_budget ?? e.budget_ok;
  if (ok === false) {
    parts.push('over budget');
  } else if (ok === true) {
    parts.push('within budget');
  }
  return parts.length ? parts.join(' · ') : JSON.stringify(e).slice(0, 120);
}

export function RunBar({
  spec,
  workflowId,
  running,
  onStarted,
  onProblems,
  onCancel
}: RunBarProps) {
  const [params, setParams] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // a note about an earlier version of the spec or params would mislead: drop it
  const key = specKey(spec);
  useEffect(() => setNote(null), [key, params]);

  const parsedParams = (): Record<string, unknown> | undefined => {
    if (!params.trim()) {
      return undefined;
    }
    const value = JSON.parse(params) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error('params must be a JSON object');
    }
    return value as Record<string, unknown>;
  };

  const guard = async (what: () => Promise<void>) => {
    setBusy(true);
    try {
      await what();
    } catch (err) {
      if (err instanceof APIError && err.status === 422) {
        onProblems(err.detail);
        setNote(`Invalid: ${describeDetail(err.detail)}`);
      } else {
        setNote((err as Error).message);
      }
    } finally {
      setBusy(false);
    }
  };

  const estimate = () =>
    guard(async () => {
      try {
        setNote(`Estimate: ${estimateText(await api.estimate(spec))}`);
        onProblems([]);
      } catch (err) {
        if (err instanceof APIError && err.status === 501) {
          setNote('No estimate: this server has no cost model yet');
          return;
        }
        throw err;
      }
    });

  const validate = () =>
    guard(async () => {
      const result = await api.validate(spec);
      onProblems(result.problems);
      setNote(result.ok ? 'Valid' : `Invalid: ${describeDetail(result.problems)}`);
    });

  const run = () =>
    guard(async () => {
      const accepted = await api.saveAndRun(spec, workflowId, parsedParams());
      onProblems([]);
      onStarted(accepted.run_id, accepted.workflow_id);
    });

  return (
    <div className="jp-QFlow-runbar">
      <input
        className="jp-QFlow-params"
        aria-label="Run parameters (JSON)"
        title="Run parameters override the workflow's params; unknown names are refused"
        placeholder={
          spec.params && Object.keys(spec.params).length
            ? `run params, e.g. ${JSON.stringify(spec.params)}`
            : 'run params (JSON): this workflow declares none'
        }
        value={params}
        onChange={e => setParams(e.target.value)}
      />
      <button className="jp-mod-styled" disabled={busy} onClick={validate}>
        Validate
      </button>
      <button className="jp-mod-styled" disabled={busy} onClick={estimate}>
        Estimate
      </button>
      {running ? (
        <button className="jp-mod-styled jp-mod-warn" onClick={onCancel}>
          Cancel
        </button>
      ) : (
        <button
          className="jp-mod-styled jp-mod-accept"
          disabled={busy || spec.tasks.length === 0}
          onClick={run}
        >
          Run
        </button>
      )}
      {note && (
        <span className="jp-QFlow-note" role="status">
          {note}
        </span>
      )}
    </div>
  );
}
