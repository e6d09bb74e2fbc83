/** Expected (earlier runs' mean) vs actual seconds per task. */
import React from 'react';
import { Bar } from 'react-chartjs-2';
import { expectedVsActual } from '../model/dashboardData';
import { RunDetail, TaskAggregate } from '../types';
import { baseOptions, themeColor } from './register';
import { ChartCard } from './ChartCard';

export function ExpectedChart({
  detail,
  history
}: {
  detail: RunDetail;
  history: TaskAggregate[];
}) {
  const d = expectedVsActual(detail, history);
  return (
    <ChartCard id="expected">
      <Bar
        data={{
          labels: d.labels,
          datasets: [
            {
              label: 'expected (mean of runs)',
              data: d.expected,
              backgroundColor: themeColor('--jp-layout-color4', '#999')
            },
            {
              label: 'actual',
              data: d.actual,
              backgroundColor: themeColor('--jp-brand-color1', '#39f')
            }
          ]
        }}
        options={baseOptions('Expected vs actual time per task (s)')}
      />
    </ChartCard>
  );
}
