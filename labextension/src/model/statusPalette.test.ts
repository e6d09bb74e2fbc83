import { describe, expect, it } from 'vitest';
import {
  STATUSES,
  statusClass,
  statusLabel,
  statusTone,
  statusVar
} from './statusPalette';

describe('statusPalette', () => {
  it('gives every engine status a tone', () => {
    expect(statusTone('succeeded')).toBe('success');
    expect(statusTone('cached')).toBe('success');
    expect(statusTone('failed')).toBe('error');
    expect(statusTone('running')).toBe('info');
    expect(statusTone('skipped')).toBe('warn');
    expect(statusTone(undefined)).toBe('neutral');
    expect(statusTone('something-new')).toBe('neutral');
    expect(new Set(STATUSES.map(statusTone))).toEqual(
      new Set(['neutral', 'info', 'success', 'error', 'warn'])
    );
  });

  it('names colours by CSS variable and statuses in words', () => {
    expect(statusVar('failed', 'bg')).toBe('var(--qf-status-error-bg)');
    expect(statusClass('retrying')).toBe('jp-QFlow-tone-info');
    expect(statusLabel('budget_exceeded')).toBe('over budget');
    expect(statusLabel(null)).toBe('not run');
    expect(statusLabel('succeeded')).toBe('succeeded');
  });
});
