/** Counts histograms of quantum tasks and sweep/convergence curves, from output previews. */
import React from 'react';
import { Bar, Line } from 'react-chartjs-2';
import { countsOf, curveOf } from '../model/dashboardData';
import { RunDetail } from '../types';
import { baseOptions, themeColor } from './register';
import { ChartCard } from './ChartCard';

export function ResultCharts({
  detail,
  limit = 6
}: {
  detail: RunDetail;
  limit?: number;
}) {
  const charts: React.ReactElement[] = [];
  for (const t of detail.tasks) {
    if (charts.length >= limit) {
      break;
    }
    const counts = countsOf(t.output_summary);
    if (counts) {
      charts.push(
        <ChartCard key={`c-${t.task_id}`} id={`counts-${t.task_id}`}>
          <Bar
            data={{
              labels: counts.labels,
              datasets: [
                {
                  label: 'counts',
                  data: counts.values,
                  backgroundColor: themeColor('--jp-brand-color1', '#39f')
                }
              ]
            }}
            options={baseOptions(`Counts: ${t.task_id}`)}
          />
        </ChartCard>
      );
      continue;
    }
    const curve = curveOf(t.output_summary);
    if (curve) {
      charts.push(
        <ChartCard key={`s-${t.task_id}`} id={`${curve.kind}-${t.task_id}`}>
          <Line
            data={{
              labels: curve.labels,
              datasets: [
                {
                  label: curve.kind === 'sweep' ? 'value' : 'objective',
                  data: curve.values,
                  borderColor: themeColor('--jp-brand-color1', '#39f')
                }
              ]
            }}
            options={baseOptions(
              `${curve.kind === 'sweep' ? 'Sweep' : 'Convergence'}: ${t.task_id}`
            )}
          />
        </ChartCard>
      );
    }
  }
  return <>{charts}</>;
}
