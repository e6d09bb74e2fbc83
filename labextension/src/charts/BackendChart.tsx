/** Cost (USD) and task time (s) per backend. */
import React from 'react';
import { Bar } from 'react-chartjs-2';
import { perBackend } from '../model/dashboardData';
import { RunDetail, TaskMetrics, WorkflowSpec } from '../types';
import { baseOptions, themeColor } from './register';
import { ChartCard } from './ChartCard';
import { useThemeChange } from './useThemeChange';

export function BackendChart(props: {
  spec?: WorkflowSpec;
  detail: RunDetail;
  metrics: TaskMetrics[];
}) {
  useThemeChange(); // theme colours are read below
  const d = perBackend(props.spec, props.detail, props.metrics);
  const base = baseOptions('Cost and time per backend');
  return (
    <ChartCard id="backends">
      <Bar
        data={{
          labels: d.labels,
          datasets: [
            {
              label: 'cost (USD)',
              data: d.cost,
              backgroundColor: themeColor('--jp-success-color1', '#4a4'),
              yAxisID: 'y'
            },
            {
              label: 'task time (s)',
              data: d.seconds,
              backgroundColor: themeColor('--jp-brand-color2', '#8bf'),
              yAxisID: 'y1'
            }
          ]
        }}
        options={{
          ...base,
          scales: {
            ...base.scales,
            y1: { ...base.scales.y, position: 'right' as const }
          }
        }}
      />
    </ChartCard>
  );
}
