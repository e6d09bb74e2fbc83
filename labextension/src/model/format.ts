/**
 * Human forms of times, durations, sizes and task outputs. The same rules as the CLI's
 * `quantumflow/formats.py`; both are tested against `formatCases.json`.
 */

export const NONE = '—';

/** Half up, as Python's formats._round (JavaScript's Math.round already is). */
function oneDecimal(x: number): string {
  return (Math.round(x * 10) / 10).toFixed(1);
}

function underAMinute(seconds: number): string {
  if (seconds < 0.001) {
    const tenths = Math.round(seconds * 1e4); // tenths of a millisecond
    return tenths === 0 ? '0 ms' : `${(tenths / 10).toFixed(1)} ms`;
  }
  if (Math.round(seconds * 1000) < 1000) {
    return `${Math.round(seconds * 1000)} ms`;
  }
  if (Math.round(seconds * 10) < 100) {
    return `${oneDecimal(seconds)} s`;
  }
  return `${Math.round(seconds)} s`;
}

/** 0.006 -> "6 ms", 2.4 -> "2.4 s", 192 -> "3 min 12 s"; missing or negative -> "—". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) {
    return NONE;
  }
  const whole = Math.round(seconds);
  if (whole < 60) {
    return underAMinute(seconds);
  }
  if (whole < 3600) {
    return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 24 * 60) {
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }
  const hours = Math.round(seconds / 3600);
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes in SI units: 156e6 -> "156 MB", 2400 -> "2.4 kB". */
export function formatBytes(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n) || n < 0) {
    return NONE;
  }
  if (n < 1000) {
    return `${Math.round(n)} B`;
  }
  let value = n;
  let unit = 0;
  while (unit < UNITS.length - 1 && Math.round(value * 10) >= 10000) {
    value /= 1000;
    unit += 1;
  }
  return Math.round(value * 10) < 100
    ? `${oneDecimal(value)} ${UNITS[unit]}`
    : `${Math.round(value)} ${UNITS[unit]}`;
}

/** formatCount(1, 'run') -> "1 run", formatCount(2, 'run') -> "2 runs". */
export function formatCount(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Epoch seconds as a local date-time: "today 06:19:07", "yesterday …", "2026-11-03 …". */
export function formatWhen(
  epochSeconds: number | null | undefined,
  now = new Date()
): string {
  if (epochSeconds == null || !Number.isFinite(epochSeconds)) {
    return NONE;
  }
  const at = new Date(epochSeconds * 1000);
  const clock = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  const day = (d: Date) =>
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (day(at) === day(now)) {
    return `today ${clock}`;
  }
  if (day(at) === day(yesterday)) {
    return `yesterday ${clock}`;
  }
  return `${day(at)} ${clock}`;
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** The bitstring seen most often (ties: the smaller bitstring), as most_frequent does. */
export function topOutcome(counts: Record<string, number>): [string, number] | null {
  let best: [string, number] | null = null;
  for (const [k, v] of Object.entries(counts)) {
    if (!best || v > best[1] || (v === best[1] && k < best[0])) {
      best = [k, v];
    }
  }
  return best;
}

/** One line saying what a task produced (as the CLI's output_summary). */
export function outputSummary(value: unknown, width = 72): string {
  if (isRecord(value)) {
    if (isRecord(value.counts)) {
      const counts = value.counts as Record<string, number>;
      const total = Object.values(counts).reduce((a, b) => a + Number(b), 0);
      const top = topOutcome(counts);
      if (!top) {
        return 'counts: no outcomes';
      }
      const n = Object.keys(counts).length;
      return cut(
        `counts: ${formatCount(n, 'outcome')}, top ${top[0]} (${top[1]}/${total})`,
        width
      );
    }
    if (isRecord(value.sweep)) {
      const points = value.sweep.points;
      return `sweep of ${formatCount(Array.isArray(points) ? points.length : 0, 'point')}`;
    }
    if (value.expectations !== undefined) {
      return cut(`expectations: ${JSON.stringify(value.expectations)}`, width);
    }
  }
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? String(value)
      : String(Number(value.toPrecision(6)));
  }
  if (typeof value === 'string') {
    return cut(value, width);
  }
  return cut(JSON.stringify(value ?? null), width);
}
