/**
 * Dashboard of one run (the panel's current run, or the latest one). Small runs: timeline,
 * predicted (the stored plan) vs actual with makespan and critical path, cost per backend.
 * Runs of more than BIG_GRAPH tasks: the aggregate dashboard, every chart computed by the
 * database (no per-task rows reach the browser). Both: the log-binned duration histogram
 * and the results (values table, sorted counts, sweeps, losses) of GET .../results.
 * Reloads when the live run state changes (already throttled).
 */
import React from 'react';
import { api } from '../client';
import { requestAPI } from '../api';
import { useResource } from '../hooks/useResource';
import { isBigGraph } from '../model/aggregate';
import { formatCount } from '../model/format';
import { statusLabel } from '../model/statusPalette';
import { BackendChart } from '../charts/BackendChart';
import { ExpectedChart } from '../charts/ExpectedChart';
import { TimelineChart } from '../charts/TimelineChart';
import { DurationHistogram, RunProgress, RunResults } from '../types';
import { BigRunDashboard } from '../views/BigRunDashboard';
import { DurationChart } from '../views/DurationChart';
import { ResultsView } from '../views/ResultsView';

export interface DashboardProps {
  runId: string | null;
  /** Changes whenever the live run state changes. */
  version?: number;
}

async function loadSmall(id: string) {
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

async function load(runId: string | null) {
  const id = runId ?? (await api.runs({ limit: 1 })).items[0]?.id;
  if (!id) {
    return null;
  }
  const base = `runs/${encodeURIComponent(id)}`;
  const [progress, durations, results] = await Promise.all([
    requestAPI<RunProgress>(`${base}/progress?limit=1`),
    requestAPI<DurationHistogram>(`${base}/durations`),
    requestAPI<RunResults>(`${base}/results`)
  ]);
  const small = isBigGraph(progress.total) ? null : await loadSmall(id);
  return { id, progress, durations, results, small };
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
  const { id, progress, durations, results, small } = data.data;
  const perf = small?.perf;
  const metrics = small && perf?.latest_run_id === id ? perf.latest : [];
  return (
    <div className="jp-QFlow-dashboard" data-dashboard-run={id}>
      <div className="jp-QFlow-props-title">
        {small?.detail.name ?? id} — {statusLabel(progress.status)} ·{' '}
        {formatCount(progress.total, 'task')}
        {perf ? ` · ${formatCount(perf.runs, 'run')} of this workflow` : ''}
      </div>
      {small ? (
        <>
          <TimelineChart detail={small.detail} metrics={metrics} />
          <ExpectedChart
            detail={small.detail}
            plan={small.plan}
            history={perf?.tasks ?? []}
          />
          <BackendChart spec={small.spec} detail={small.detail} metrics={metrics} />
          <DurationChart hist={durations} />
        </>
      ) : (
        <BigRunDashboard runId={id} version={version} durations={durations} />
      )}
      <ResultsView results={results} />
    </div>
  );
}
