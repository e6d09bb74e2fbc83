/** Gantt-like timeline: queue time and run time of each task, from the run's start. */
import React from 'react';
import { Bar } from 'react-chartjs-2';
import { timeline } from '../model/dashboardData';
import { RunDetail, TaskMetrics } from '../types';
import { baseOptions, themeColor } from './register';
import { ChartCard } from './ChartCard';
import { useThemeChange } from './useThemeChange';

export function TimelineChart({
  detail,
  metrics
}: {
  detail: RunDetail;
  metrics: TaskMetrics[];
}) {
  useThemeChange(); // theme colours are read below
  const t = timeline(detail, metrics);
  const base = baseOptions('Task timeline (s from run start): queue vs run');
  return (
    <ChartCard id="timeline">
      <Bar
        data={{
          labels: t.labels,
          datasets: [
            {
              label: 'queue',
              data: t.queue,
              backgroundColor: themeColor('--jp-warn-color2', '#fb8')
            },
            {
              label: 'run',
              data: t.run,
              backgroundColor: themeColor('--jp-brand-color1', '#39f')
            }
          ]
        }}
        options={{
          ...base,
          indexAxis: 'y' as const,
          scales: { ...base.scales, y: { ...base.scales.y, stacked: true } }
        }}
      />
    </ChartCard>
  );
}
