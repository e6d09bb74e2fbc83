/** Finished tasks' run times in log-spaced bins (GET /api/runs/{id}/durations), labelled
 * in human durations ("120 ms", "3 min 12 s"), never raw seconds. */
import React from 'react';
import { Bar } from 'react-chartjs-2';
import { baseOptions, themeColor } from '../charts/register';
import { ChartCard } from '../charts/ChartCard';
import { formatDuration } from '../model/format';
import { DurationHistogram } from '../types';
import { useThemeChange } from '../charts/useThemeChange';

/** Bin labels: "100 ms–178 ms". */
export function binLabels(edges: number[]): string[] {
  return edges
    .slice(0, -1)
    .map((e, i) => `${formatDuration(e)}–${formatDuration(edges[i + 1])}`);
}

export function DurationChart({ hist }: { hist?: DurationHistogram | null }) {
  useThemeChange(); // theme colours are read below
  if (!hist?.counts?.length) {
    return null;
  }
  const text = themeColor('--jp-ui-font-color1', '#333');
  const base = baseOptions('Task run times (log-spaced bins)');
  return (
    <ChartCard id="durations">
      <Bar
        data={{
          labels: binLabels(hist.edges),
          datasets: [
            {
              label: 'tasks',
              data: hist.counts,
              backgroundColor: themeColor('--jp-brand-color1', '#39f')
            }
          ]
        }}
        options={{
          ...base,
          plugins: { ...base.plugins, legend: { display: false } },
          scales: {
            x: {
              ...base.scales.x,
              title: { display: true, text: 'run time', color: text }
            },
            y: {
              ...base.scales.y,
              title: { display: true, text: 'tasks', color: text }
            }
          }
        }}
      />
    </ChartCard>
  );
}
