/**
 * What a run produced (GET /api/runs/{id}/results, or the RunWidget's `results`):
 * numbers as a table of values, counts as sorted, labelled histograms with a count axis
 * (top outcomes and "other"), sweeps, optimiser traces and reported metrics as line plots
 * with named axes, mitigated tasks as raw vs mitigated values with error bars.
 */
import React, { useState } from 'react';
import { Bar, Line } from 'react-chartjs-2';
import { baseOptions, themeColor } from '../charts/register';
import { ChartCard } from '../charts/ChartCard';
import { CountsHistogram, ResultSeries, RunResults } from '../types';
import { MitigationCharts } from './MitigationChart';
import { useThemeChange } from '../charts/useThemeChange';

function valueText(v: number): string {
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3)
    ? v.toExponential(4)
    : String(Number(v.toPrecision(6)));
}

function axes(x: string, y: string, text = themeColor('--jp-ui-font-color1', '#333')) {
  const base = baseOptions('');
  return {
    ...base.scales,
    x: { ...base.scales.x, title: { display: true, text: x, color: text } },
    y: { ...base.scales.y, title: { display: true, text: y, color: text } }
  };
}

/** Rows shown before "Show all". */
export const SCALAR_ROWS = 12;

export function ScalarsTable({ rows: all }: { rows: RunResults['scalars'] }) {
  const [open, setOpen] = useState(false);
  if (!all.length) {
    return null;
  }
  const rows = open ? all : all.slice(0, SCALAR_ROWS);
  return (
    <>
      <table className="jp-QFlow-table" data-results-scalars={all.length}>
        <thead>
          <tr>
            <th>Task</th>
            <th>Output</th>
            <th>Value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(r => (
            <tr
              key={`${r.task}.${r.key ?? ''}`}
              data-scalar={`${r.task}.${r.key ?? ''}`}
            >
              <td>{r.task}</td>
              <td>{r.key ?? 'output'}</td>
              <td className="jp-QFlow-num">{valueText(r.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {all.length > SCALAR_ROWS && (
        <button className="jp-mod-styled" onClick={() => setOpen(!open)}>
          {open ? 'Show fewer' : `Show all ${all.length} values`}
        </button>
      )}
    </>
  );
}

export function CountsChart({ hist }: { hist: CountsHistogram }) {
  useThemeChange(); // theme colours are read below
  const labels = hist.bars.map(([k]) => k);
  const values = hist.bars.map(([, v]) => v);
  if (hist.other > 0) {
    labels.push(`other (${hist.outcomes - hist.bars.length})`);
    values.push(hist.other);
  }
  const base = baseOptions(
    `Counts: ${hist.task} (${hist.total.toLocaleString()} shots, ${hist.outcomes} outcomes)`
  );
  return (
    <ChartCard id={`counts-${hist.task}`} source="results">
      <Bar
        data={{
          labels,
          datasets: [
            {
              label: 'count',
              data: values,
              backgroundColor: themeColor('--jp-brand-color1', '#39f')
            }
          ]
        }}
        options={{
          ...base,
          plugins: { ...base.plugins, legend: { display: false } },
          scales: axes('outcome (most frequent first)', 'count')
        }}
      />
    </ChartCard>
  );
}

export function SeriesChart({ series }: { series: ResultSeries }) {
  useThemeChange(); // theme colours are read below
  const base = baseOptions(series.name);
  return (
    <ChartCard id={`series-${series.name}`} source="results">
      <Line
        data={{
          datasets: [
            {
              label: series.name,
              data: series.points.map(([x, y]) => ({ x, y })),
              borderColor: themeColor('--jp-brand-color1', '#39f'),
              pointRadius: series.points.length > 200 ? 0 : 2
            }
          ]
        }}
        options={{
          ...base,
          plugins: { ...base.plugins, legend: { display: false } },
          scales: {
            ...axes(series.x, 'value'),
            x: { ...axes(series.x, 'value').x, type: 'linear' as const }
          }
        }}
      />
    </ChartCard>
  );
}

export function ResultsView({ results }: { results?: RunResults | null }) {
  if (!results) {
    return null;
  }
  // a view drawn before anything was folded may get an empty object
  const scalars = results.scalars ?? [];
  const histograms = results.histograms ?? [];
  const series = results.series ?? [];
  const mitigated = results.mitigated ?? [];
  if (!scalars.length && !histograms.length && !series.length && !mitigated.length) {
    return <div className="jp-QFlow-muted">No results yet.</div>;
  }
  return (
    <div className="jp-QFlow-results" data-results>
      <ScalarsTable rows={scalars} />
      {histograms.map(h => (
        <CountsChart key={h.task} hist={h} />
      ))}
      {series.map(s => (
        <SeriesChart key={s.name} series={s} />
      ))}
      <MitigationCharts results={mitigated} />
    </div>
  );
}
