/** Predicted (the run's stored plan) vs actual seconds per task, with the predicted and
 * actual makespan and the critical path planned vs taken. */
import React from 'react';
import { Bar } from 'react-chartjs-2';
import { pathText, planVsActual, seconds } from '../model/planData';
import { RunDetail, RunPlan, TaskAggregate } from '../types';
import { baseOptions, themeColor } from './register';
import { ChartCard } from './ChartCard';
import { useThemeChange } from './useThemeChange';

export function ExpectedChart({
  detail,
  plan,
  history
}: {
  detail: RunDetail;
  /** GET runs/{id}/plan; undefined when the server has none (older servers). */
  plan?: RunPlan;
  /** Earlier runs' task means: the fallback when no plan was stored. */
  history: TaskAggregate[];
}) {
  useThemeChange(); // theme colours are read below
  const d = planVsActual(detail, plan, history);
  const fromPlan = d.source === 'plan';
  // a run served from the cache took no time: a ratio like ×0.00 says nothing
  const cached = detail.tasks.length > 0 && detail.tasks.every(t => t.cache_hit);
  const r = d.makespan.ratio;
  const ratio = cached
    ? ' (results from the cache)'
    : r != null && r >= 0.05
      ? ` (×${r.toFixed(r < 10 ? 2 : 0)})`
      : '';
  return (
    <>
      <div className="jp-QFlow-muted jp-QFlow-plan-summary" data-plan-source={d.source}>
        <div data-plan="makespan">
          Makespan: predicted {seconds(d.makespan.predicted)} · actual{' '}
          {seconds(d.makespan.actual)}
          {ratio}
        </div>
        {fromPlan ? (
          <div data-plan="planned-path">
            Critical path planned: {pathText(d.plannedPath)}
          </div>
        ) : null}
        <div data-plan="actual-path">Critical path taken: {pathText(d.actualPath)}</div>
      </div>
      <ChartCard id="expected" source={d.source}>
        <Bar
          data={{
            labels: d.labels,
            datasets: [
              {
                label: fromPlan ? 'predicted (plan)' : 'expected (mean of runs)',
                data: d.predicted,
                backgroundColor: themeColor('--jp-layout-color4', '#999')
              },
              {
                label: 'actual',
                data: d.actual,
                backgroundColor: themeColor('--jp-brand-color1', '#39f')
              }
            ]
          }}
          options={baseOptions(
            fromPlan
              ? 'Predicted vs actual time per task (s)'
              : 'Expected vs actual time per task (s)'
          )}
        />
      </ChartCard>
    </>
  );
}
