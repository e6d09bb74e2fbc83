import { act, renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { serializeQflow, parseQflow } from '../model/qflowFile';
import { WorkflowSpec } from '../types';
import { initialState, specOf, useDesigner } from './useDesigner';

// What `Workflow.save()` writes: no layout.
const FROM_PYTHON: WorkflowSpec = {
  name: 'from_python',
  params: { n: 2 },
  tasks: [
    { id: 'a', kind: 'classical', fn: 'constant', inputs: { value: 1 } },
    { id: 'b', kind: 'classical', fn: 'constant', inputs: { value: { ref: 'a' } } }
  ]
};

describe('useDesigner layout', () => {
  it('opens a file without layout with dagre and hands it back unchanged', () => {
    const state = initialState(FROM_PYTHON);
    expect(Object.keys(state.positions)).toEqual(['a', 'b']);
    expect(state.positions.a.x).toBeLessThan(state.positions.b.x); // upstream on the left
    expect(specOf(state)).toBe(state.spec);
    expect(serializeQflow(specOf(state))).toBe(serializeQflow(FROM_PYTHON));
  });

  it('edits that place no node keep the file free of layout', () => {
    const onChange = vi.fn();
    const { result } = renderHook(() => useDesigner(FROM_PYTHON, onChange));
    act(() =>
      result.current.apply(s => ({ ...s, spec: { ...s.spec, name: 'renamed' } }))
    );
    const saved = onChange.mock.calls.at(-1)?.[0] as WorkflowSpec;
    expect(saved).toEqual({ ...FROM_PYTHON, name: 'renamed' });
    expect(result.current.spec).toBe(saved);
  });

  it('a moved node writes every position to layout, and they come back on load', () => {
    const onChange = vi.fn();
    const { result } = renderHook(() => useDesigner(FROM_PYTHON, onChange));
    const dagreB = result.current.positions.b;
    act(() => result.current.moveNodes({}, true)); // drag start: snapshot only
    expect(onChange).not.toHaveBeenCalled();
    act(() => result.current.moveNodes({ a: { x: 10.4, y: 20.6 } }, false));
    const saved = onChange.mock.calls.at(-1)?.[0] as WorkflowSpec;
    expect(saved.layout).toEqual({ a: { x: 10, y: 21 }, b: dagreB });
    expect(saved.tasks).toEqual(FROM_PYTHON.tasks);

    // Round trip through the file: the designer opens where it was left.
    const reopened = initialState(parseQflow(serializeQflow(saved)));
    expect(reopened.positions).toEqual(saved.layout);
    expect(reopened.spec).not.toHaveProperty('layout');
    expect(specOf(reopened)).toEqual(saved);

    // Undo goes back to no layout at all.
    act(() => result.current.undo());
    expect(result.current.spec.layout).toBeUndefined();
  });

  it('keeps saved positions (unrounded) and places new tasks with dagre', () => {
    const spec: WorkflowSpec = {
      ...FROM_PYTHON,
      tasks: [
        ...FROM_PYTHON.tasks,
        { id: 'c', kind: 'classical', fn: 'constant', inputs: { value: { ref: 'b' } } }
      ],
      layout: { a: { x: 500.5, y: 7.25 }, b: { x: 0, y: 0 } }
    };
    const onChange = vi.fn();
    const { result } = renderHook(() => useDesigner(spec, onChange));
    expect(result.current.positions.a).toEqual({ x: 500.5, y: 7.25 });
    expect(result.current.positions.c).toBeDefined();
    expect(result.current.spec.layout?.a).toEqual({ x: 500.5, y: 7.25 });
    expect(Object.keys(result.current.spec.layout ?? {})).toEqual(['a', 'b', 'c']);
    // Deleting a task drops it from the layout too.
    act(() => result.current.select(['c']));
    act(() => result.current.removeSelected());
    expect(Object.keys(result.current.spec.layout ?? {})).toEqual(['a', 'b']);
    // A reset to another spec takes that spec's layout (or none).
    act(() => result.current.reset(FROM_PYTHON));
    expect(result.current.spec).toEqual(FROM_PYTHON);
  });

  it('Layout re-runs dagre and keeps the result', () => {
    const { result } = renderHook(() => useDesigner(FROM_PYTHON));
    act(() => result.current.relayout());
    expect(result.current.spec.layout).toEqual(result.current.positions);
  });
});
