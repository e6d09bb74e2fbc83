/**
 * Counts histograms of quantum tasks and sweep/convergence curves, drawn from the tasks'
 * full outputs (GET .../output); a task whose output cannot be loaded falls back to its
 * 200-character preview.
 */
import React from 'react';
import { Bar, Line } from 'react-chartjs-2';
import { useTaskOutputs } from '../hooks/useTaskOutputs';
import { chartCandidates, resultCharts } from '../model/dashboardData';
import { RunDetail, WorkflowSpec } from '../types';
import { baseOptions, themeColor } from './register';
import { ChartCard } from './ChartCard';

export function ResultCharts({
  detail,
  spec,
  limit = 6
}: {
  detail: RunDetail;
  spec?: WorkflowSpec | null;
  limit?: number;
}) {
  const outputs = useTaskOutputs(detail.id, chartCandidates(detail, spec, 2 * limit));
  const color = themeColor('--jp-brand-color1', '#39f');
  return (
    <>
      {resultCharts(detail, outputs, limit).map(c => {
        const source = outputs.has(c.taskId) ? 'output' : 'preview';
        const data = {
          labels: c.series.labels,
          datasets: [{ label: c.label, data: c.series.values }]
        };
        if (c.kind === 'counts') {
          return (
            <ChartCard key={`c-${c.taskId}`} id={`counts-${c.taskId}`} source={source}>
              <Bar
                data={{
                  ...data,
                  datasets: [{ ...data.datasets[0], backgroundColor: color }]
                }}
                options={baseOptions(`Counts: ${c.taskId}`)}
              />
            </ChartCard>
          );
        }
        const title = c.kind === 'sweep' ? 'Sweep' : 'Convergence';
        return (
          <ChartCard key={`s-${c.taskId}`} id={`${c.kind}-${c.taskId}`} source={source}>
            <Line
              data={{
                ...data,
                datasets: [{ ...data.datasets[0], borderColor: color }]
              }}
              options={baseOptions(`${title}: ${c.taskId}`)}
            />
          </ChartCard>
        );
      })}
    </>
  );
}
