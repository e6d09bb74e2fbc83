import { renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useTaskOutputs } from './useTaskOutputs';

describe('useTaskOutputs', () => {
  it('loads each output once and leaves out the ones that fail', async () => {
    const calls: string[] = [];
    const load = async (run: string, task: string) => {
      calls.push(`${run}/${task}`);
      if (task === 'big') {
        throw new Error('413: too large');
      }
      return { counts: { [task]: 1 } };
    };
    const { result, rerender } = renderHook(
      ({ ids }: { ids: string[] }) => useTaskOutputs('r1', ids, load),
      { initialProps: { ids: ['q', 'big'] } }
    );
    await waitFor(() => expect(result.current.get('q')).toEqual({ counts: { q: 1 } }));
    expect(result.current.has('big')).toBe(false);
    rerender({ ids: ['q', 'big', 'q2'] });
    await waitFor(() => expect(result.current.has('q2')).toBe(true));
    expect(calls).toEqual(['r1/q', 'r1/big', 'r1/q2']); // nothing loaded twice
  });
});
