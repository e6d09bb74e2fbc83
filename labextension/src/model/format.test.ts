import { describe, expect, it } from 'vitest';
import cases from './formatCases.json';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatWhen,
  outputSummary
} from './format';

describe('format (same table as quantumflow/formats.py)', () => {
  it.each(cases.duration as [number, string][])('duration %s -> %s', (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
  it.each(cases.bytes as [number, string][])('bytes %s -> %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
  it.each(cases.count as [number, string, string][])('count %s %s', (n, noun, text) => {
    expect(formatCount(n, noun)).toBe(text);
  });
  it('missing values are a dash', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatWhen(null)).toBe('—');
  });
});

describe('formatWhen', () => {
  const now = new Date(2026, 10, 25, 12, 0, 0);
  const at = new Date(2026, 10, 25, 6, 19, 7).getTime() / 1000;
  it('is local and relative to today', () => {
    expect(formatWhen(at, now)).toBe('today 06:19:07');
    expect(formatWhen(at - 86400, now)).toBe('yesterday 06:19:07');
    expect(formatWhen(at - 3 * 86400, now)).toBe('2026-11-22 06:19:07');
  });
});

describe('outputSummary (as the CLI)', () => {
  it('summarises quantum results, numbers and long values', () => {
    expect(outputSummary({ counts: { '00': 508, '11': 516 }, shots: 1024 })).toBe(
      'counts: 2 outcomes, top 11 (516/1024)'
    );
    expect(outputSummary(0.123456789)).toBe('0.123457');
    expect(outputSummary('11')).toBe('11');
    expect(outputSummary(null)).toBe('null');
    expect(outputSummary({ sweep: { points: [{}, {}, {}] } })).toBe(
      'sweep of 3 points'
    );
    const long = outputSummary({ x: Array.from({ length: 100 }, (_, i) => i) }, 30);
    expect(long).toHaveLength(30);
    expect(long.endsWith('…')).toBe(true);
  });
});
