/** chart.js v4 is tree-shaken: register exactly what the dashboard draws. */
import {
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Title,
  Tooltip
} from 'chart.js';

Chart.register(
  CategoryScale,
  LinearScale,
  BarElement,
  LineElement,
  PointElement,
  Tooltip,
  Legend,
  Title
);

/** Colours from the JupyterLab theme, so dark and light themes both read well. */
export function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

/** Options every dashboard chart shares (no animation: charts redraw while a run goes on). */
export function baseOptions(title: string) {
  const text = themeColor('--jp-ui-font-color1', '#333');
  const grid = themeColor('--jp-border-color2', '#ddd');
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    plugins: {
      title: { display: true, text: title, color: text },
      legend: { labels: { color: text } }
    },
    scales: {
      x: { ticks: { color: text }, grid: { color: grid } },
      y: { ticks: { color: text }, grid: { color: grid } }
    }
  };
}
