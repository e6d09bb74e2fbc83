/**
 * Raw vs mitigated, per observable of a mitigated task (its provenance): the raw value at
 * each noise scale with its standard error as an error bar, the mitigated (zero-noise)
 * value with its error, and the exact value when the task asked for a reference.
 */
import React from 'react';
import { Chart, Plugin } from 'chart.js';
import { Scatter } from 'react-chartjs-2';
import { baseOptions, themeColor } from '../charts/register';
import { ChartCard } from '../charts/ChartCard';
import { MitigatedObservable, MitigatedResult } from '../types';
import { useThemeChange } from '../charts/useThemeChange';

interface Point {
  x: number;
  y: number;
  err?: number | null;
}

/** Draws each point's `err` as a vertical bar (chart.js has no error bars of its own). */
export const errorBars: Plugin<'scatter'> = {
  id: 'qfErrorBars',
  afterDatasetsDraw(chart: Chart<'scatter'>) {
    const { ctx, scales } = chart;
    chart.data.datasets.forEach((ds, i) => {
      if (!chart.isDatasetVisible(i)) {
        return;
      }
      ctx.save();
      ctx.strokeStyle = String(ds.borderColor ?? '#888');
      ctx.lineWidth = 1.5;
      for (const p of ds.data as Point[]) {
        if (p.err == null || !Number.isFinite(p.err)) {
          continue;
        }
        const x = scales.x.getPixelForValue(p.x);
        const top = scales.y.getPixelForValue(p.y + p.err);
        const bottom = scales.y.getPixelForValue(p.y - p.err);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.moveTo(x - 4, top);
        ctx.lineTo(x + 4, top);
        ctx.moveTo(x - 4, bottom);
        ctx.lineTo(x + 4, bottom);
        ctx.stroke();
      }
      ctx.restore();
    });
  }
};

function ObservableChart({
  task,
  technique,
  name,
  obs
}: {
  task: string;
  technique: string;
  name: string;
  obs: MitigatedObservable;
}) {
  useThemeChange(); // theme colours are read below
  const text = themeColor('--jp-ui-font-color1', '#333');
  const raw = themeColor('--jp-warn-color1', '#f80');
  const fixed = themeColor('--jp-brand-color1', '#39f');
  const exact = themeColor('--jp-success-color1', '#393');
  const scales = obs.points.map(p => p[0]);
  const span: [number, number] = [0, Math.max(1, ...scales)];
  const datasets = [
    {
      label: 'raw (per noise scale)',
      data: obs.points.map(([x, y, err]) => ({ x, y, err })),
      borderColor: raw,
      backgroundColor: raw,
      pointRadius: 4
    }
  ];
  if (obs.mitigated != null) {
    datasets.push({
      label: `mitigated (${technique})`,
      data: [{ x: 0, y: obs.mitigated, err: obs.mitigated_std ?? null }],
      borderColor: fixed,
      backgroundColor: fixed,
      pointRadius: 6
    });
  }
  if (obs.exact != null) {
    datasets.push({
      label: 'exact',
      data: span.map(x => ({ x, y: obs.exact as number, err: null })),
      borderColor: exact,
      backgroundColor: exact,
      pointRadius: 0,
      showLine: true
    } as (typeof datasets)[number]);
  }
  const base = baseOptions(`Mitigation: ${task} ⟨${name}⟩`);
  return (
    <ChartCard id={`mitigation-${task}-${name}`} source="results">
      <Scatter
        data={{ datasets }}
        plugins={[errorBars]}
        options={{
          ...base,
          scales: {
            x: {
              ...base.scales.x,
              type: 'linear' as const,
              min: 0,
              title: {
                display: true,
                text: 'noise scale (0 = extrapolated)',
                color: text
              }
            },
            y: {
              ...base.scales.y,
              grace: '5%',
              title: {
                display: true,
                text: `⟨${name}⟩ (± standard error)`,
                color: text
              }
            }
          }
        }}
      />
    </ChartCard>
  );
}

export function MitigationCharts({ results }: { results: MitigatedResult[] }) {
  return (
    <>
      {results.flatMap(r =>
        Object.entries(r.observables).map(([name, obs]) => (
          <ObservableChart
            key={`${r.task}-${name}`}
            task={r.task}
            technique={r.technique}
            name={name}
            obs={obs}
          />
        ))
      )}
    </>
  );
}
