/**
 * Designer state: the spec being edited, node positions, selection, and undo/redo.
 * Every edit goes through `apply`, which snapshots the previous state first.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { History } from '../model/history';
import { autoLayout, Positions } from '../model/layout';
import { edgesOf, pasteTasks, removeTasks } from '../model/specEdit';
import { BIG_WORKFLOW } from '../model/aggregate';
import { Task, WorkflowSpec } from '../types';

export interface DesignState {
  spec: WorkflowSpec;
  positions: Positions;
}

export function layoutFor(spec: WorkflowSpec): Positions {
  if (spec.tasks.length >= BIG_WORKFLOW) {
    return {}; // big workflows are shown aggregated, never laid out node by node
  }
  return autoLayout(
    spec.tasks.map(t => t.id),
    edgesOf(spec)
  );
}

export interface Designer {
  spec: WorkflowSpec;
  positions: Positions;
  selected: string[];
  canUndo: boolean;
  canRedo: boolean;
  apply: (edit: (s: DesignState) => DesignState) => void;
  moveNodes: (moves: Positions, snapshot: boolean) => void;
  select: (ids: string[]) => void;
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  removeSelected: () => void;
  relayout: () => void;
  reset: (spec: WorkflowSpec) => void;
}

/**
 * @param initial - the spec to start from.
 * @param onChange - called with the new spec after each edit (not on reset).
 */
export function useDesigner(
  initial: WorkflowSpec,
  onChange?: (spec: WorkflowSpec) => void
): Designer {
  const [state, setState] = useState<DesignState>(() => ({
    spec: initial,
    positions: layoutFor(initial)
  }));
  const [selected, setSelected] = useState<string[]>([]);
  const history = useRef(new History<DesignState>()).current;
  const clipboard = useRef<{ tasks: Task[]; positions: Positions } | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;
  const changeRef = useRef(onChange);
  changeRef.current = onChange;

  const commit = useCallback((next: DesignState) => {
    const before = stateRef.current;
    stateRef.current = next;
    setState(next);
    if (next.spec !== before.spec) {
      changeRef.current?.(next.spec);
    }
  }, []);

  const apply = useCallback(
    (edit: (s: DesignState) => DesignState) => {
      const current = stateRef.current;
      const next = edit(current);
      if (next !== current) {
        history.push(current);
        commit(next);
      }
    },
    [commit, history]
  );

  const moveNodes = useCallback(
    (moves: Positions, snapshot: boolean) => {
      const current = stateRef.current;
      if (snapshot) {
        history.push(current);
      }
      commit({ ...current, positions: { ...current.positions, ...moves } });
    },
    [commit, history]
  );

  const undo = useCallback(() => {
    const prev = history.undo(stateRef.current);
    if (prev) {
      commit(prev);
    }
  }, [commit, history]);

  const redo = useCallback(() => {
    const next = history.redo(stateRef.current);
    if (next) {
      commit(next);
    }
  }, [commit, history]);

  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  const copy = useCallback(() => {
    const ids = new Set(selectedRef.current);
    const { spec, positions } = stateRef.current;
    const tasks = spec.tasks.filter(t => ids.has(t.id));
    if (tasks.length) {
      clipboard.current = { tasks, positions };
    }
  }, []);

  const paste = useCallback(() => {
    const clip = clipboard.current;
    if (!clip) {
      return;
    }
    let newIds: string[] = [];
    apply(s => {
      const { spec, ids } = pasteTasks(s.spec, clip.tasks);
      const positions = { ...s.positions };
      for (const [from, to] of ids) {
        const p = clip.positions[from] ?? { x: 0, y: 0 };
        positions[to] = { x: p.x + 40, y: p.y + 40 };
      }
      newIds = [...ids.values()];
      return { spec, positions };
    });
    setSelected(newIds);
  }, [apply]);

  const removeSelected = useCallback(() => {
    const ids = selectedRef.current;
    if (ids.length) {
      apply(s => ({ ...s, spec: removeTasks(s.spec, ids) }));
      setSelected([]);
    }
  }, [apply]);

  const relayout = useCallback(() => {
    apply(s => ({ ...s, positions: layoutFor(s.spec) }));
  }, [apply]);

  const reset = useCallback((spec: WorkflowSpec) => {
    const next = { spec, positions: layoutFor(spec) };
    stateRef.current = next;
    setState(next);
    setSelected([]);
  }, []);

  return useMemo(
    () => ({
      spec: state.spec,
      positions: state.positions,
      selected,
      canUndo: history.canUndo,
      canRedo: history.canRedo,
      apply,
      moveNodes,
      select: setSelected,
      undo,
      redo,
      copy,
      paste,
      removeSelected,
      relayout,
      reset
    }),
    [
      state,
      selected,
      history,
      apply,
      moveNodes,
      undo,
      redo,
      copy,
      paste,
      removeSelected,
      relayout,
      reset
    ]
  );
}
