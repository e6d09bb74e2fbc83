/** Aggregated charts for runs with ≥ 1,000 tasks: states per group, duration histogram. */
import React from 'react';
import { Bar } from 'react-chartjs-2';
import { STATES } from '../model/aggregate';
import { durationHistogram, groupProgress } from '../model/dashboardData';
import { RunDetail, WorkflowSpec } from '../types';
import { baseOptions, themeColor } from './register';
import { ChartCard } from './ChartCard';

const STATE_VARS: Record<string, string> = {
  succeeded: '--jp-success-color1',
  cached: '--jp-success-color2',
  failed: '--jp-error-color1',
  running: '--jp-brand-color1',
  queued: '--jp-warn-color2',
  pending: '--jp-layout-color4'
};

export function BigRunCharts({
  spec,
  detail
}: {
  spec: WorkflowSpec;
  detail: RunDetail;
}) {
  const { groups } = groupProgress(spec, detail);
  const hist = durationHistogram(detail);
  const base = baseOptions('Tasks per group and state');
  const shown = groups.slice(0, 50);
  return (
    <>
      <ChartCard id="groups">
        <Bar
          data={{
            labels: shown.map(g => g.group),
            datasets: STATES.filter(s => shown.some(g => g.counts[s])).map(s => ({
              label: s,
              data: shown.map(g => g.counts[s]),
              backgroundColor: themeColor(STATE_VARS[s] ?? '--jp-layout-color3', '#888')
            }))
          }}
          options={{
            ...base,
            scales: {
              x: { ...base.scales.x, stacked: true },
              y: { ...base.scales.y, stacked: true }
            }
          }}
        />
      </ChartCard>
      <ChartCard id="durations">
        <Bar
          data={{
            labels: hist.labels,
            datasets: [
              {
                label: 'tasks',
                data: hist.values,
                backgroundColor: themeColor('--jp-brand-color1', '#39f')
              }
            ]
          }}
          options={baseOptions('Task durations')}
        />
      </ChartCard>
    </>
  );
}
