/**
 * The React Flow canvas of the designer: nodes and edges are derived from the spec, and
 * every user gesture becomes a spec edit (connect, delete, drop from the palette) so the
 * spec stays the single source of truth. Edges are data flow: connecting two nodes feeds
 * an output into an input (asking with the port picker when that is ambiguous); plain
 * ordering edges are dashed.
 */
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  Connection,
  Controls,
  Edge,
  EdgeChange,
  MarkerType,
  MiniMap,
  NodeChange,
  ReactFlow,
  ReactFlowInstance,
  ReactFlowProvider,
  useReactFlow
} from '@xyflow/react';
import { Designer } from '../hooks/useDesigner';
import { Signatures, signatureOf } from '../hooks/useSignatures';
import {
  ConnectionPlan,
  connectData,
  flowEdgesOf,
  planConnection,
  removeFlowEdge
} from '../model/ports';
import { statusVar } from '../model/statusPalette';
import { connect, createsCycle, freshId } from '../model/specEdit';
import { Task, TaskStatus } from '../types';
import { DRAG_TYPE } from './Palette';
import { PortPicker } from './PortPicker';
import { TaskFlowNode, TaskNode } from './TaskNode';

const NODE_TYPES = { task: TaskNode };

export interface FlowCanvasProps {
  designer: Designer;
  status: Record<string, TaskStatus>;
  /** The run shown was of an earlier version of the spec. */
  stale?: boolean;
  /** Validation problem messages per task id. */
  problems: Record<string, string[]>;
  signatures: Signatures;
  onNodeOpen: (id: string) => void;
  onMessage: (text: string) => void;
  fitSignal?: number;
}

interface Pending {
  source: string;
  target: string;
  plan: Extract<ConnectionPlan, { kind: 'ask' }>;
}

/** Minimap colour: the state's when the task ran, else its kind's. */
function miniColor(node: TaskFlowNode): string {
  if (node.data.status) {
    return statusVar(node.data.status, 'border');
  }
  return node.data.task.kind === 'quantum'
    ? 'var(--jp-brand-color1)'
    : 'var(--jp-warn-color1)';
}

/** Add a copy of `template` with a fresh id at `position`; returns the new id. */
export function addFromTemplate(
  designer: Designer,
  template: Task,
  position: { x: number; y: number }
): string {
  let id = '';
  designer.apply(s => {
    id = freshId(s.spec, template.id);
    return {
      spec: { ...s.spec, tasks: [...s.spec.tasks, { ...template, id } as Task] },
      positions: { ...s.positions, [id]: position }
    };
  });
  designer.select([id]);
  return id;
}

function Canvas({
  designer,
  status,
  stale,
  problems,
  signatures,
  onNodeOpen,
  onMessage,
  fitSignal
}: FlowCanvasProps) {
  const flow = useReactFlow<TaskFlowNode>();
  const wrapper = useRef<HTMLDivElement>(null);
  const { spec, positions, selected } = designer;
  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const [edgeSelection, setEdgeSelection] = useState<Set<string>>(new Set());
  const [pending, setPending] = useState<Pending | null>(null);
  // Measured node sizes: the minimap draws only nodes whose size it knows.
  const [sizes, setSizes] = useState<Record<string, { width: number; height: number }>>(
    {}
  );

  const nodes: TaskFlowNode[] = useMemo(
    () =>
      spec.tasks.map(task => ({
        id: task.id,
        type: 'task' as const,
        position: positions[task.id] ?? { x: 0, y: 0 },
        selected: selectedSet.has(task.id),
        measured: sizes[task.id],
        data: {
          task,
          status: status[task.id],
          stale: stale && !!status[task.id],
          problems: problems[task.id]
        }
      })),
    [spec, positions, selectedSet, status, stale, problems, sizes]
  );
  const edges: Edge[] = useMemo(
    () =>
      flowEdgesOf(spec).map(e => ({
        id: e.id,
        source: e.source,
        target: e.target,
        label: e.label,
        selected: edgeSelection.has(e.id),
        animated: status[e.source] === 'running',
        markerEnd: { type: MarkerType.ArrowClosed },
        className: `jp-QFlow-edge-${e.kind}`,
        data: { kind: e.kind }
      })),
    [spec, status, edgeSelection]
  );

  useEffect(() => {
    const t = setTimeout(
      () => flow.fitView({ padding: 0.2, duration: 0, maxZoom: 1.2 }),
      0
    );
    return () => clearTimeout(t);
  }, [fitSignal, flow]);

  const onNodesChange = useCallback(
    (changes: NodeChange<TaskFlowNode>[]) => {
      const moves: Record<string, { x: number; y: number }> = {};
      const measured: Record<string, { width: number; height: number }> = {};
      let nextSelected: Set<string> | null = null;
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) {
          measured[c.id] = c.dimensions;
        } else if (c.type === 'position' && c.position) {
          moves[c.id] = c.position;
        } else if (c.type === 'select') {
          nextSelected = nextSelected ?? new Set(selectedSet);
          if (c.selected) {
            nextSelected.add(c.id);
          } else {
            nextSelected.delete(c.id);
          }
        }
      }
      if (Object.keys(measured).length) {
        setSizes(prev => ({ ...prev, ...measured }));
      }
      if (Object.keys(moves).length) {
        designer.moveNodes(moves, false);
      }
      if (nextSelected) {
        designer.select([...nextSelected]);
      }
    },
    [designer, selectedSet]
  );

  const removeEdges = useCallback(
    (ids: string[]) => {
      designer.apply(s => ({
        ...s,
        spec: ids.reduce((next, id) => removeFlowEdge(next, id), s.spec)
      }));
    },
    [designer]
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const removed = changes.filter(c => c.type === 'remove').map(c => c.id);
      if (removed.length) {
        removeEdges(removed);
      }
      const picks = changes.filter(c => c.type === 'select');
      if (picks.length) {
        setEdgeSelection(prev => {
          const next = new Set(prev);
          for (const c of picks) {
            if (c.type === 'select' && c.selected) {
              next.add(c.id);
            } else {
              next.delete(c.id);
            }
          }
          return next;
        });
      }
    },
    [removeEdges]
  );

  const feed = useCallback(
    (source: string, output: string | null, target: string, input: string) => {
      designer.apply(s => ({
        ...s,
        spec: connectData(s.spec, source, output, target, input)
      }));
      onMessage(
        `Connected ${output ? `${source}.${output}` : source} → ${target}.${input}`
      );
    },
    [designer, onMessage]
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (createsCycle(designer.spec, c.source, c.target)) {
        onMessage(`Not connected: ${c.source} → ${c.target} would create a cycle`);
        return;
      }
      const byId = new Map(designer.spec.tasks.map(t => [t.id, t]));
      const source = byId.get(c.source);
      const target = byId.get(c.target);
      if (!source || !target) {
        return;
      }
      const known = target.kind === 'classical' ? signatures[target.fn] : null;
      const signature =
        target.kind === 'classical' && known === undefined
          ? signatureOf(target.fn)
          : Promise.resolve(known ?? null);
      void signature.then(sig => {
        const plan = planConnection(source, target, sig);
        if (plan.kind === 'auto') {
          feed(source.id, plan.output, target.id, plan.input);
        } else {
          setPending({ source: source.id, target: target.id, plan });
        }
      });
    },
    [designer, onMessage, signatures, feed]
  );

  const onDrop = useCallback(
    (e: React.DragEvent) => {
      const raw = e.dataTransfer.getData(DRAG_TYPE);
      if (!raw) {
        return;
      }
      e.preventDefault();
      const position = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addFromTemplate(designer, JSON.parse(raw) as Task, position);
    },
    [designer, flow]
  );

  const onKeyDown = useCallback(
    (e: React.KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (target.closest('input, textarea, select')) {
        return;
      }
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      let handled = true;
      if (mod && key === 'z' && !e.shiftKey) {
        designer.undo();
      } else if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) {
        designer.redo();
      } else if (mod && key === 'c') {
        designer.copy();
      } else if (mod && key === 'v') {
        designer.paste();
      } else if (mod && key === 'a') {
        designer.select(designer.spec.tasks.map(t => t.id));
      } else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) {
        if (edgeSelection.size) {
          removeEdges([...edgeSelection]);
          setEdgeSelection(new Set());
        }
        designer.removeSelected();
      } else {
        handled = false;
      }
      if (handled) {
        // keep JupyterLab's own shortcuts (notebook delete, undo) away from the canvas
        e.preventDefault();
        e.stopPropagation();
      }
    },
    [designer, edgeSelection, removeEdges]
  );

  return (
    <div
      className="jp-QFlow-canvas"
      ref={wrapper}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onDragOver={e => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDrop={onDrop}
    >
      <ReactFlow<TaskFlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStart={() => designer.moveNodes({}, true)}
        onNodeDoubleClick={(_, n) => onNodeOpen(n.id)}
        onNodeClick={(_, n) => onNodeOpen(n.id)}
        onInit={(inst: ReactFlowInstance<TaskFlowNode>) =>
          inst.fitView({ padding: 0.2, maxZoom: 1.2 })
        }
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        minZoom={0.05}
        onlyRenderVisibleElements
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
        <MiniMap
          pannable
          zoomable
          className="jp-QFlow-minimap"
          nodeColor={miniColor}
          nodeStrokeColor="var(--jp-border-color1)"
          maskColor="color-mix(in srgb, var(--jp-layout-color3) 45%, transparent)"
        />
      </ReactFlow>
      {pending && (
        <PortPicker
          source={pending.source}
          target={pending.target}
          plan={pending.plan}
          onConnect={(output, input) => {
            feed(pending.source, output, pending.target, input);
            setPending(null);
          }}
          onOrderOnly={() => {
            const { source, target } = pending;
            designer.apply(s => ({ ...s, spec: connect(s.spec, source, target) }));
            setPending(null);
          }}
          onCancel={() => setPending(null)}
        />
      )}
    </div>
  );
}

/** The canvas with its own React Flow store (one per designer). */
export function FlowCanvas(props: FlowCanvasProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}
