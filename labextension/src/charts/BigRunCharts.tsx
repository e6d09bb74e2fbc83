/** Aggregated charts for runs with ≥ 1,000 tasks: states per group, duration histogram. */
import React from 'react';
import { Bar } from 'react-chartjs-2';
import { STATES } from '../model/aggregate';
import { durationHistogram, groupProgress } from '../model/dashboardData';
import { RunDetail, WorkflowSpec } from '../types';
import { statusTone } from '../model/statusPalette';
import { baseOptions, themeColor } from './register';
import { ChartCard } from './ChartCard';

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
              backgroundColor: themeColor(`--qf-status-${statusTone(s)}-border`, '#888')
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
