/**
 * Dashboard of one run (the panel's current run, or the latest one): timeline,
 * predicted (the stored plan) vs actual with makespan and critical path, cost per
 * backend, counts and sweep plots; aggregated charts for
 * runs with ≥ 1,000 tasks. Reloads when the live run state changes (already ≤ 10/s).
 */
import React from 'react';
import '../charts/register';
import { api } from '../client';
import { useResource } from '../hooks/useResource';
import { BIG_WORKFLOW } from '../model/aggregate';
import { formatCount } from '../model/format';
import { statusLabel } from '../model/statusPalette';
import { BackendChart } from '../charts/BackendChart';
import { BigRunCharts } from '../charts/BigRunCharts';
import { ExpectedChart } from '../charts/ExpectedChart';
import { ResultCharts } from '../charts/ResultCharts';
import { TimelineChart } from '../charts/TimelineChart';

export interface DashboardProps {
  runId: string | null;
  /** Changes whenever the live run state changes. */
  version?: number;
}

async function load(runId: string | null) {
  const id = runId ?? (await api.runs({ limit: 1 })).items[0]?.id;
  if (!id) {
    return null;
  }
  const detail = await api.runDetail(id);
  const wf = detail.workflow_id;
  // The stored plan feeds "predicted vs actual"; earlier runs' means are the fallback.
  const [perf, plan] = await Promise.all([
    wf ? api.performance(wf).catch(() => undefined) : undefined,
    api.runPlan(id).catch(() => undefined)
  ]);
  // The run carries the spec it ran (older servers: the saved workflow's current spec).
  const spec =
    detail.spec ??
    (wf ? (await api.workflow(wf).catch(() => undefined))?.spec : undefined);
  return { detail, perf, plan, spec: spec ?? undefined };
}

export function Dashboard({ runId, version }: DashboardProps) {
  const data = useResource(() => load(runId), [runId, version]);
  if (data.error) {
    return <div className="jp-QFlow-field-error">{data.error.message}</div>;
  }
  if (!data.data) {
    return (
      <div className="jp-QFlow-muted">
        {data.loading ? 'Loading…' : 'No runs yet: run a workflow first.'}
      </div>
    );
  }
  const { detail, perf, plan, spec } = data.data;
  const big = detail.tasks.length >= BIG_WORKFLOW;
  const metrics = perf?.latest_run_id === detail.id ? perf.latest : [];
  return (
    <div className="jp-QFlow-dashboard" data-dashboard-run={detail.id}>
      <div className="jp-QFlow-props-title">
        {detail.name ?? detail.id} — {statusLabel(detail.status)} ·{' '}
        {formatCount(detail.tasks.length, 'task')}
        {perf ? ` · ${formatCount(perf.runs, 'run')} of this workflow` : ''}
      </div>
      {big && spec ? (
        <BigRunCharts spec={spec} detail={detail} />
      ) : (
        <>
          <TimelineChart detail={detail} metrics={metrics} />
          <ExpectedChart detail={detail} plan={plan} history={perf?.tasks ?? []} />
          <BackendChart spec={spec} detail={detail} metrics={metrics} />
          <ResultCharts detail={detail} spec={spec} />
        </>
      )}
    </div>
  );
}
