/**
 * Designer state: the spec being edited, node positions, selection, and undo/redo.
 * Every edit goes through `apply`, which snapshots the previous state first.
 *
 * Node positions live in `positions` while editing and travel in the spec's `layout`:
 * a spec that arrives with a layout keeps its positions (dagre places only the nodes it
 * lacks), and the spec the designer hands out (`designer.spec`, `onChange`) carries
 * every node's position once the spec had a layout or the user placed a node (drag,
 * drop, paste, Layout). A file without a layout that is only edited otherwise is handed
 * back without one, so files written from Python round-trip unchanged.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import { History } from '../model/history';
import {
  autoLayout,
  mergeLayout,
  Positions,
  roundPosition,
  withLayout
} from '../model/layout';
import { edgesOf, pasteTasks, removeTasks } from '../model/specEdit';
import { isBigGraph } from '../model/aggregate';
import { Task, WorkflowSpec } from '../types';

export interface DesignState {
  /** The spec without `layout` (that is in `positions`), except for big workflows. */
  spec: WorkflowSpec;
  positions: Positions;
  /** Hand the positions out in `layout` (the spec had one, or the user placed nodes). */
  keepLayout?: boolean;
}

function isBig(spec: WorkflowSpec): boolean {
  return isBigGraph(spec.tasks.length);
}

/** dagre positions for every task (rounded), none for big workflows. */
export function layoutFor(spec: WorkflowSpec): Positions {
  if (isBig(spec)) {
    return {}; // big workflows are drawn from the server's layout, never laid out here
  }
  const auto = autoLayout(
    spec.tasks.map(t => t.id),
    edgesOf(spec)
  );
  const out: Positions = {};
  for (const [id, p] of Object.entries(auto)) {
    out[id] = roundPosition(p);
  }
  return out;
}

/** The designer state for a spec as loaded (file, server, run). */
export function initialState(spec: WorkflowSpec): DesignState {
  if (isBig(spec)) {
    return { spec, positions: {}, keepLayout: false }; // its layout passes through untouched
  }
  const { layout, ...rest } = spec;
  const positions = mergeLayout(
    spec.tasks.map(t => t.id),
    layout,
    () => layoutFor(spec)
  );
  return { spec: rest, positions, keepLayout: layout != null };
}

/** The spec a state hands out: with `layout` when it keeps one. */
export function specOf(state: DesignState): WorkflowSpec {
  return state.keepLayout && !isBig(state.spec)
    ? withLayout(state.spec, state.positions)
    : state.spec;
}

/** Round the positions that changed from `prev` to `next`; a placement keeps the layout. */
function placed(prev: DesignState, next: DesignState): DesignState {
  if (next.positions === prev.positions) {
    return next;
  }
  const positions: Positions = {};
  for (const [id, p] of Object.entries(next.positions)) {
    positions[id] = p === prev.positions[id] ? p : roundPosition(p);
  }
  return { ...next, positions, keepLayout: true };
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
  const [state, setState] = useState<DesignState>(() => initialState(initial));
  const [selected, setSelected] = useState<string[]>([]);
  const history = useRef(new History<DesignState>()).current;
  const clipboard = useRef<{ tasks: Task[]; positions: Positions } | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;
  const changeRef = useRef(onChange);
  changeRef.current = onChange;

  // One handed-out spec per state, so its identity changes only when the state does.
  const handedOut = useRef(new WeakMap<DesignState, WorkflowSpec>()).current;
  const specFor = useCallback(
    (s: DesignState): WorkflowSpec => {
      let out = handedOut.get(s);
      if (!out) {
        out = specOf(s);
        handedOut.set(s, out);
      }
      return out;
    },
    [handedOut]
  );

  const commit = useCallback(
    (next: DesignState) => {
      const before = stateRef.current;
      stateRef.current = next;
      setState(next);
      const out = specFor(next);
      if (out !== specFor(before)) {
        changeRef.current?.(out);
      }
    },
    [specFor]
  );

  const apply = useCallback(
    (edit: (s: DesignState) => DesignState) => {
      const current = stateRef.current;
      const next = edit(current);
      if (next !== current) {
        history.push(current);
        commit(placed(current, next));
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
      if (Object.keys(moves).length) {
        commit(
          placed(current, { ...current, positions: { ...current.positions, ...moves } })
        );
      }
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
    const next = initialState(spec);
    stateRef.current = next;
    setState(next);
    setSelected([]);
  }, []);

  return useMemo(
    () => ({
      spec: specFor(state),
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
      specFor,
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
